"""The /sparql route (SPARQL 1.1 Protocol) with Starlette's TestClient over the seed graph's built store."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from soyaku.web.sparql import sparql_route

QUERY = "SELECT ?n WHERE { ?r a sy:Round ; sy:number ?n } ORDER BY ?n LIMIT 3"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, rendered: dict[str, str]) -> TestClient:
    from soyaku.loaders.pipeline import write_artifacts

    home = tmp_path_factory.mktemp("web-sparql")
    write_artifacts(rendered, home / "build")
    return TestClient(Starlette(routes=[sparql_route(home, timeout=2.0)]))


def test_get_and_post_give_sparql_json(client: TestClient) -> None:
    for response in (client.get("/sparql", params={"query": QUERY}),
                     client.post("/sparql", data={"query": QUERY}),
                     client.post("/sparql", content=QUERY.encode(), headers={"content-type": "application/sparql-query"})):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert [b["n"]["value"] for b in response.json()["results"]["bindings"]] == ["1", "2", "3"]


@pytest.mark.parametrize("accept, media, first", [("text/csv", "text/csv", "n"),
                                                  ("text/tab-separated-values", "text/tab-separated-values", "?n")])
def test_csv_and_tsv_by_accept(client: TestClient, accept: str, media: str, first: str) -> None:
    response = client.get("/sparql", params={"query": QUERY}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.text.splitlines()[0] == first


def test_construct_as_turtle_or_json_ld(client: TestClient) -> None:
    construct = "CONSTRUCT { ?r sy:number ?n } WHERE { ?r a sy:Round ; sy:number ?n }"
    turtle = client.get("/sparql", params={"query": construct}, headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "sy:number" in turtle.text
    ld = client.get("/sparql", params={"query": construct, "format": "jsonld"})
    assert ld.headers["content-type"].startswith("application/ld+json") and json.loads(ld.text)


@pytest.mark.parametrize("params, message", [
    ({"query": "SELECT * WHERE { ?s ?p "}, "malformed SPARQL"),
    ({"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, "read-only"),
    ({"query": "SELECT * WHERE { ?s nope:x ?o }"}, "unknown prefix nope:"),
    ({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?x . ?c ?r ?x }"}, "time limit of 2 s"),
    ({}, "give a SPARQL query"),
    ({"query": QUERY, "format": "xlsx"}, "unknown format"),
])
def test_bad_requests_are_400_with_one_line(client: TestClient, params: dict, message: str) -> None:
    response = client.get("/sparql", params=params)
    assert response.status_code == 400 and message in response.text and response.text.count("\n") == 1


def test_update_form_field_is_refused(client: TestClient) -> None:
    response = client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"})
    assert response.status_code == 400 and "read-only" in response.text
