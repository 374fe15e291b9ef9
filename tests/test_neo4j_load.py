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


def test_the_sessions_neo4j_and_one_serving_a_small_graph_run_the_quick_compiler(neo4j_server, tmp_path):
    import psutil

    from soyaku.core.home import QUICK_COMPILER, QUICK_START_MAX_ROWS
    from soyaku.graph.neo4j_server import Neo4jServer
    from soyaku.loaders.engines import ENGINES, ServeOptions

    assert QUICK_COMPILER in psutil.Process(neo4j_server.pid).cmdline()
    # what `serve --engine neo4j` makes (not started here): the quick compiler for a graph the size of a small build
    start = ENGINES["neo4j"].start
    small, big = (start(tmp_path, ServeOptions(graph_rows=rows)) for rows in (QUICK_START_MAX_ROWS, 10**6))
    assert isinstance(small, Neo4jServer) and small.quick_start and not big.quick_start
