"""`soyaku load --uri` into a real Neo4j 5 Community (the `neo4j_server` fixture): counts, idempotence, --wipe."""

from __future__ import annotations

from click.testing import CliRunner

from soyaku.cli import cli
from soyaku.loaders.cypher_load import graph_counts


def _load(server, *extra):
    return CliRunner().invoke(cli, ["load", "--uri", server.uri, "--user", server.auth[0], *extra],
                              env={"NEO4J_PASSWORD": server.auth[1]})


def test_load_twice_into_neo4j_gives_the_property_graph_counts(neo4j_server, compiled):
    driver = neo4j_server.driver()
    first = _load(neo4j_server, "--wipe")
    assert first.exit_code == 0, first.output
    after_first = graph_counts(driver, neo4j_server.database)
    second = _load(neo4j_server)
    assert second.exit_code == 0, second.output
    assert graph_counts(driver, neo4j_server.database) == after_first == compiled.graph.counts()
    assert neo4j_server.auth[1] not in first.output + second.output
    with driver.session(database=neo4j_server.database) as session:
        constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {f"{label.lower()}_id" for label in compiled.graph.counts()["nodes"]} <= constraints


def test_wipe_into_neo4j_removes_what_is_not_the_graph(neo4j_server, compiled):
    driver = neo4j_server.driver()
    with driver.session(database=neo4j_server.database) as session:
        session.run("CREATE (:Stray {id: 'stray'})").consume()
    assert _load(neo4j_server).exit_code == 0
    assert graph_counts(driver, neo4j_server.database)["nodes"].get("Stray") == 1
    result = _load(neo4j_server, "--wipe")
    assert result.exit_code == 0, result.output
    assert graph_counts(driver, neo4j_server.database) == compiled.graph.counts()


def test_neo4j_keeps_dates_and_integer_yen(neo4j_server):
    assert _load(neo4j_server).exit_code == 0
    with neo4j_server.driver().session(database=neo4j_server.database) as session:
        row = session.run("MATCH (r:Round {number: 4}) MATCH (b:BudgetLine) WHERE b.amount_jpy > 0 "
                          "RETURN r.announced AS announced, b.amount_jpy AS amount LIMIT 1").single()
    assert row["announced"].iso_format() == "2024-06-14"
    assert isinstance(row["amount"], int)
