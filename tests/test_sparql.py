"""SPARQL over the built RDF: every named SPARQL query gives the same rows as its Cypher twin (on the session's seed
graph), parameters resolve like the Cypher ones, answers come as tables, SPARQL JSON/CSV/TSV and Turtle/JSON-LD, and
bad input (malformed, an update, an unknown prefix, past the time limit) is one clear line with nothing changed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from soyaku.app.questions import ask
from soyaku.app.sparql import sparql, store_path
from soyaku.queries.library import named_queries
from soyaku.queries.sparql import SparqlError, SparqlTimeout, named_sparql_queries


@pytest.fixture(scope="module")
def home(seed_home: Path, compiled) -> Path:
    """The session's seed home with the build artifacts and the SPARQL store written as `soyaku build` does."""
    from soyaku.loaders.pipeline import render_artifacts, write_artifacts

    write_artifacts(render_artifacts(compiled), seed_home / "build")
    return seed_home


def _normal(rows: list[dict]) -> list[dict]:
    """Rows with list cells sorted: GROUP_CONCAT keeps no order, Cypher lists follow the curated order."""
    return [{k: sorted(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def _key(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


CASES = [("vc-backed-startups", {}), ("vc-backed-startups", {"vc": "UTEK"}), ("vc-backed-startups", {"round": 4}),
         ("startups-by-round", {}), ("startups-by-round", {"program": "創薬ベンチャーエコシステム強化事業"}),
         ("trace-startup", {}), ("trace-startup", {"startup": "tregem"}),
         ("ministry-totals", {}), ("ministry-totals", {"fiscal_year": 2025, "budget_type": "supplementary"}),
         ("ministry-totals", {"ministry": "経済産業省"}), ("ministry-totals", {"budget_type": "概算要求"}),
         ("ministry-totals", {"ministry": "METI", "fiscal_year": "R3", "budget_type": "補正", "basis": "unstated",
                              "stage": "予算案"}),
         ("facts-about", {}), ("facts-about", {"name": "トレジェムバイオフーマ"}), ("facts-about", {"name": "amed"}),
         ("facts-about", {"name": "経済産業省"}), ("facts-about", {"name": "創薬ベンチャーエコシステム強化事業"})]


def test_every_named_sparql_query_has_a_cypher_twin_and_is_tested() -> None:
    assert set(named_sparql_queries()) <= set(named_queries())
    assert {name for name, _ in CASES} == set(named_sparql_queries())


@pytest.mark.parametrize("name, params", CASES)
def test_sparql_gives_the_same_rows_as_its_cypher_twin(conn, home: Path, name: str, params: dict) -> None:
    cypher = ask(conn, name=name, params=params)
    reply = sparql(home, name=name, params=params)
    assert reply.answer.columns == cypher.columns
    assert cypher.rows, "a differential test of empty answers proves nothing"
    # the same rows, in the same order as far as ORDER BY decides it (ties may come in either order)
    assert sorted(map(_key, _normal(reply.answer.rows))) == sorted(map(_key, _normal(cypher.rows)))
    first = cypher.columns[0]
    assert [r[first] for r in reply.answer.rows] == [r[first] for r in cypher.rows]
    assert [r.match.entity.id for r in reply.resolved] == [r.match.entity.id for r in cypher.resolved]


def test_the_tregem_trajectory(home: Path) -> None:
    rows = sparql(home, name="trace-startup", params={"startup": "トレジェム"}).answer.rows
    steps = {(r["from_program"], r["from_year"], r["to_program"], r["to_year"], r["to_how"]) for r in rows}
    assert ("橋渡し研究支援プログラム", 2022, "創薬ベンチャーエコシステム強化事業", 2024, "adopted in round 4") in steps
    assert all(any("#L" in s for s in r["from_sources"]) for r in rows)


def test_node_shaped_facts_carry_their_display_name(home: Path, compiled) -> None:
    """loaders/rdf.py writes each round's, budget line's, outcome's and target's name as its rdfs:label, the name the
    property graph shows (facts-about.rq shows it too)."""
    names = {f"https://w3id.org/soyaku-kg/id/{n.id}": n.properties["name"] for n in compiled.graph.nodes
             if n.label in ("Round", "BudgetLine", "Outcome", "Target")}
    rows = sparql(home, text="SELECT ?s ?label WHERE { VALUES ?c { sy:Round sy:BudgetLine sy:Outcome sy:Target } "
                             "?s a ?c ; rdfs:label ?label }").answer.rows
    assert names and {r["s"]: r["label"] for r in rows} == names and len(rows) == len(names)
    assert names["https://w3id.org/soyaku-kg/id/prog-venture-ecosystem-round-4"] == "創薬ベンチャーエコシステム強化事業 第4回"


#: Every relationship the ontology's edge descriptions (sy:pgEdge) draw, counted per type.
DRAWN = """
SELECT ?type (COUNT(*) AS ?n) WHERE {
  ?s a ?class . ?class sy:pgEdge ?edge . ?edge sy:pgRelationship ?type .
  { ?edge sy:pgFrom ?from ; sy:pgTo ?to . ?s ?from ?a ; ?to ?b }
  UNION { ?edge sy:pgTo ?to . FILTER NOT EXISTS { ?edge sy:pgFrom ?x } ?s ?to ?b }
  UNION { ?edge sy:pgFrom ?from . FILTER NOT EXISTS { ?edge sy:pgTo ?x } ?s ?from ?a }
  FILTER NOT EXISTS { ?edge sy:pgTypeField ?field ; sy:pgTypeValue ?value . FILTER NOT EXISTS { ?s ?field ?value } }
} GROUP BY ?type
"""


def test_the_ontology_describes_every_relationship_of_the_property_graph(home: Path, compiled) -> None:
    drawn = {r["type"]: r["n"] for r in sparql(home, text=DRAWN).answer.rows}
    expected = {t: n for t, n in compiled.graph.counts()["relationships"].items() if t != "MENTIONS"}
    assert drawn == expected and "PART_OF" in drawn and "LISTED_UNDER" in drawn


def test_identifiers_and_ontology_are_in_the_store(home: Path) -> None:
    rows = sparql(home, text="SELECT ?s WHERE { ?s owl:sameAs <https://ror.org/02kpeqv85> }").answer.rows
    assert rows == [{"s": "https://w3id.org/soyaku-kg/id/univ-kyoto"}]
    label = sparql(home, text="SELECT ?l WHERE { sy:Startup rdfs:label ?l FILTER(LANG(?l) = 'en') }").answer.rows
    assert label and label[0]["l"]


def test_result_formats(home: Path) -> None:
    query = "SELECT ?n WHERE { ?r a sy:Round ; sy:number ?n } ORDER BY ?n LIMIT 2"
    doc = json.loads(sparql(home, text=query, output="json").answer.document)
    assert [b["n"]["value"] for b in doc["results"]["bindings"]] == ["1", "2"]
    assert sparql(home, text=query, output="csv").answer.document.decode().splitlines() == ["n", "1", "2"]
    assert sparql(home, text=query, output="tsv").answer.document.decode().splitlines()[0] == "?n"
    construct = "CONSTRUCT { ?r sy:number ?n } WHERE { ?r a sy:Round ; sy:number ?n }"
    assert b"sy:number" in sparql(home, text=construct, output="turtle").answer.document
    assert json.loads(sparql(home, text=construct, output="jsonld").answer.document)
    ask_doc = json.loads(sparql(home, text="ASK { ?s a sy:Startup }", output="json").answer.document)
    assert ask_doc["boolean"] is True


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { ?s ?p ", "malformed SPARQL at line 1"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT is a SPARQL update"),
    ("PREFIX x: <urn:x> DELETE WHERE { ?s ?p ?o }", "DELETE is a SPARQL update"),
    ("LOAD <http://example.org/data.ttl>", "LOAD is a SPARQL update"),
    ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix foo:"),
])
def test_bad_queries_are_one_line_and_change_nothing(home: Path, query: str, message: str) -> None:
    before = sparql(home, text="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").answer.rows
    with pytest.raises(SparqlError) as caught:
        sparql(home, text=query)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert sparql(home, text="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").answer.rows == before


def test_a_query_past_its_time_limit_is_ended_and_the_next_one_answers(home: Path) -> None:
    """Oxigraph cannot cancel a query: the question's worker process is ended, so no core stays busy with it."""
    import psutil

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?x . ?c ?r ?x }"
    sparql(home, text="ASK { ?s ?p ?o }")  # a worker is up
    before = {c.pid for c in psutil.Process().children() if c.name().startswith("python")}
    with pytest.raises(SparqlTimeout, match="ran past its time limit of 0.2 s and was ended"):
        sparql(home, text=slow, timeout=0.2)
    left = [c for c in psutil.Process().children() if c.pid in before and c.status() != psutil.STATUS_ZOMBIE]
    assert len(left) == len(before) - 1, "the worker that ran the slow query is still running"
    busy = [c.cpu_times() for c in left]
    time.sleep(0.5)
    assert all(c.cpu_times().user - t.user < 0.2 for c, t in zip(left, busy)), "a worker still computes"
    assert sparql(home, text="ASK { ?s ?p ?o }").answer.boolean is True


def test_cli(soyaku, home: Path) -> None:
    result = soyaku("sparql", "vc-backed-startups", "--param", "vc=UTEK", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "vc-utec" in result.stderr and "東京大学エッジキャピタルパートナーズ" in result.stdout
    bad = soyaku("sparql", "DELETE WHERE { ?s ?p ?o }")
    assert bad.exit_code != 0 and bad.output.count("\n") == 1 and "read-only" in bad.output
    assert store_path(home).is_dir()
