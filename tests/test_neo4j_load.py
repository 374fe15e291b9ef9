"""`soyaku load --uri` into a real Neo4j 5 Community (the `neo4j_server` fixture): constraints and types.

Loading twice and --wipe run on Neo4j and on the embedded engine in tests/test_load.py.
"""

from __future__ import annotations

from click.testing import CliRunner

from soyaku.cli.main import cli


def _load(server, *extra):
    return CliRunner().invoke(cli, ["load", "--uri", server.uri, "--user", server.auth[0], *extra],
                              env={"NEO4J_PASSWORD": server.auth[1]})


def test_load_into_neo4j_creates_a_uniqueness_constraint_per_label(neo4j_server, compiled):
    assert _load(neo4j_server).exit_code == 0
    with neo4j_server.driver().session(database=neo4j_server.database) as session:
        constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {f"{label.lower()}_id" for label in compiled.graph.counts()["nodes"]} <= constraints


def test_neo4j_keeps_dates_and_integer_yen(neo4j_server):
    assert _load(neo4j_server).exit_code == 0
    with neo4j_server.driver().session(database=neo4j_server.database) as session:
        row = session.run("MATCH (r:Round {number: 4}) MATCH (b:BudgetLine) WHERE b.amount_jpy > 0 "
                          "RETURN r.announced AS announced, b.amount_jpy AS amount LIMIT 1").single()
    assert row["announced"].iso_format() == "2024-06-14"
    assert isinstance(row["amount"], int)


def test_the_sessions_neo4j_runs_the_quick_compiler_and_a_served_one_does_not(neo4j_server, tmp_path):
    import psutil

    from soyaku.core.home import QUICK_COMPILER
    from soyaku.graph.neo4j_server import Neo4jServer

    assert QUICK_COMPILER in psutil.Process(neo4j_server.pid).cmdline()
    from soyaku.loaders.engines import ENGINES, ServeOptions

    served = ENGINES["neo4j"].start(tmp_path, ServeOptions())  # what `serve --engine neo4j` runs, not started here
    assert isinstance(served, Neo4jServer) and not served.quick_start  # long-lived: the optimising compiler too
