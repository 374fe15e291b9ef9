"""Issue 10, read-only: the engine itself refuses writes of every read-only query; no text-based false positives."""

from __future__ import annotations

import neo4j
import pytest
from click.testing import CliRunner
from neo4j.exceptions import Forbidden

from soyaku.cli.main import cli
from soyaku.queries.run import run_cypher


def _constraints(conn) -> set[str]:
    return {row["name"] for row in run_cypher(conn.driver, conn.database, "SHOW CONSTRAINTS").rows}


def _indexes(conn) -> int:
    return len(run_cypher(conn.driver, conn.database, "SHOW INDEXES").rows)


@pytest.mark.parametrize("cypher", [
    "CALL do.when(true, 'DROP CONSTRAINT `Place[id]`', 'RETURN 1', {}) YIELD value RETURN value",
    "// just a comment\rDROP CONSTRAINT `Place[id]`",
    "// just a comment\rCREATE INDEX intruder_name IF NOT EXISTS FOR (n:Place) ON (n.name)",
    "CREATE (n:Intruder {id: 'x'}) RETURN n",
    "MATCH (n:Startup) SET n.hacked = true",
], ids=["do-when-ddl", "comment-cr-drop", "comment-cr-index", "create", "set"])
def test_read_only_queries_cannot_change_data_or_schema(soyaku, conn, cypher):
    constraints, indexes = _constraints(conn), _indexes(conn)
    assert "Place[id]" in constraints
    result = soyaku("query", "--cypher", cypher)
    assert result.exit_code == 1 and "read-only unless you pass --write" in result.output, result.output
    assert _constraints(conn) == constraints and _indexes(conn) == indexes
    counts = run_cypher(conn.driver, conn.database, "MATCH (n:Intruder) RETURN count(n) AS i").rows[0]["i"]
    hacked = run_cypher(conn.driver, conn.database, "MATCH (n) WHERE n.hacked IS NOT NULL RETURN count(n) AS h").rows[0]["h"]
    assert counts == 0 and hacked == 0


def test_load_csv_of_a_local_file_is_refused(soyaku, seed_home):
    result = soyaku("query", "--cypher", f"LOAD//\rCSV FROM 'file://{seed_home}/credentials.json' AS row RETURN row")
    assert result.exit_code == 1 and "read-only unless you pass --write" in result.output, result.output
    assert "password" not in result.output


@pytest.mark.parametrize(("cypher", "column"), [("MATCH (n:Startup) RETURN n.id AS set LIMIT 3", "set"),
                                                ("CALL db.labels()", "label"),
                                                ("MATCH (n) WHERE n.name = 'CREATE' RETURN count(n) AS delete", "delete")])
def test_words_that_look_like_writes_are_read(soyaku, cypher, column):
    result = soyaku("query", "--cypher", cypher, "--format", "json")
    assert result.exit_code == 0, result.output
    assert column in result.output


def test_write_flag_allows_writes(soyaku, conn):
    result = soyaku("query", "--write", "--cypher", "CREATE (n:Scratch {id: 'scratch-1'}) RETURN n.id AS id")
    assert result.exit_code == 0, result.output
    assert run_cypher(conn.driver, conn.database, "MATCH (n:Scratch) DELETE n RETURN count(*) AS c", write=True).rows


def test_a_bolt_client_of_the_read_only_login_cannot_write(conn, seed_home):
    """What `soyaku serve --read-only` hands out: even a READ session's write is refused by the engine."""
    from soyaku.graph.credentials import READER_USER, reader_password

    with neo4j.GraphDatabase.driver(conn.uri, auth=(READER_USER, reader_password(seed_home))) as driver:
        with driver.session(database=conn.database, default_access_mode=neo4j.READ_ACCESS) as session:
            with pytest.raises(Forbidden):
                session.run("CREATE (n:Intruder {id: 'y'})").consume()
            with pytest.raises(Forbidden):
                session.run("MATCH (n:Startup) SET n.hacked = true").consume()
            with pytest.raises(Forbidden):
                session.run("MATCH (n:Outcome) DETACH DELETE n").consume()
            assert session.run("MATCH (n:Startup) WHERE n.hacked IS NULL RETURN count(n) AS c").single()["c"] == 34
            assert session.run("MATCH (n:Outcome) RETURN count(n) AS c").single()["c"] > 0


def test_an_unbuilt_home_says_so_and_creates_nothing(tmp_path):
    home = tmp_path / "empty-home"
    for args in (["query", "--cypher", "RETURN 1"], ["find", "tregem"], ["--no-background", "query", "vc-backed-startups"]):
        result = CliRunner().invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 1, result.output
        assert "no graph here yet: run `soyaku build`" in result.output
    assert not (home / "arcadedb" / "databases" / "kg").exists()


def test_a_procedures_refused_write_says_read_only_and_how_to_write(soyaku, conn, seed_home):
    """Issue 20: a write inside `do.when` comes back from the engine as only "Error executing procedure: do.when"."""
    cypher = "CALL do.when(true, 'CREATE (n:Intruder {id: \"z\"}) RETURN n', '', {}) YIELD value RETURN value"
    result = soyaku("query", "--cypher", cypher)
    assert result.exit_code == 1 and "refused by the read-only login" in result.output, result.output
    assert "unless you pass --write" in result.output
    shell = CliRunner().invoke(cli, ["--home", str(seed_home), "shell"], input=cypher + ";\n")
    assert "refused by the read-only login" in shell.output and ":write on" in shell.output, shell.output


def test_an_integer_beyond_64_bits_is_a_query_error(conn):
    from soyaku.core.errors import QueryError

    with pytest.raises(QueryError, match="out of range"):
        run_cypher(conn.driver, conn.database, "RETURN $r AS r", {"r": 10**30})
