"""`soyaku load` into a server over Bolt (an embedded engine's Bolt endpoint and a real Neo4j 5), and counts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.loaders.cypher_load import graph_counts

pytestmark = pytest.mark.engine  # starts embedded engines of its own


def test_engine_counts_equal_the_property_graph(conn, compiled):
    assert graph_counts(conn.driver, conn.database) == compiled.graph.counts()
    labels = set(compiled.graph.counts()["nodes"])
    assert {"Ministry", "FundingAgency", "Program", "Fund", "VentureCapital", "Startup", "University",
            "ResearchHub", "Person", "Document"} <= labels


def test_dates_are_cypher_dates_and_yen_are_integers(conn):
    with conn.driver.session(database=conn.database) as session:
        row = session.run("MATCH (r:Round {number: 4}) MATCH (b:BudgetLine) WHERE b.amount_jpy > 0 "
                          "RETURN r.announced AS announced, b.amount_jpy AS amount LIMIT 1").single()
    assert row["announced"].iso_format() == "2024-06-14"
    assert isinstance(row["amount"], int)


@pytest.fixture(scope="module")
def embedded_target(tmp_path_factory):
    """Another embedded engine standing in for a user's Bolt server."""
    from soyaku.graph.arcadedb import EmbeddedServer

    with EmbeddedServer(tmp_path_factory.mktemp("load-target")) as server:
        yield server


@pytest.fixture(params=["embedded", "neo4j"])
def target(request):
    """The server `soyaku load --uri` writes into: an embedded engine, and a real Neo4j 5 (see conftest)."""
    return request.getfixturevalue("embedded_target" if request.param == "embedded" else "neo4j_server")


def _load(server, *extra, password=None):
    env = {"NEO4J_PASSWORD": password or server.auth[1]}
    return CliRunner().invoke(cli, ["load", "--uri", server.uri, "--user", server.auth[0],
                                    "--database", server.database, *extra], env=env)


def test_load_twice_changes_no_count(target, compiled):
    first = _load(target, "--wipe")
    assert first.exit_code == 0, first.output
    driver = target.driver()
    after_first = graph_counts(driver, target.database)
    second = _load(target)
    assert second.exit_code == 0, second.output
    assert graph_counts(driver, target.database) == after_first == compiled.graph.counts()
    assert target.auth[1] not in first.output + second.output


def test_wipe_only_when_asked(target, compiled):
    driver = target.driver()
    with driver.session(database=target.database) as session:
        session.run("CREATE (:Stray {id: 'stray'})").consume()
    assert _load(target).exit_code == 0
    assert graph_counts(driver, target.database)["nodes"].get("Stray") == 1
    assert _load(target, "--wipe").exit_code == 0
    assert graph_counts(driver, target.database) == compiled.graph.counts()


def test_bad_password_is_one_clear_line_without_the_password(target):
    result = _load(target, password="wrong-password-123")
    assert result.exit_code == 1
    assert "refused the login" in result.output and "wrong-password-123" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unreachable_server_is_one_clear_line():
    result = CliRunner().invoke(cli, ["load", "--uri", "bolt://127.0.0.1:1", "--user", "neo4j"], env={"NEO4J_PASSWORD": "x"})
    assert result.exit_code == 1
    assert "Nothing answers at bolt://127.0.0.1:1" in result.output


def test_no_password_and_no_terminal_says_what_to_set():
    result = CliRunner().invoke(cli, ["load", "--uri", "bolt://127.0.0.1:1", "--user", "neo4j"], env={"NEO4J_PASSWORD": ""})
    assert result.exit_code == 1
    assert "set NEO4J_PASSWORD" in result.output and "Aborted" not in result.output
