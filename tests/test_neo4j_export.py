"""The exports load into a real Neo4j 5: the Cypher script (statement by statement, as cypher-shell runs it) and
the neo4j-admin CSV directory (its import.sh, run with Neo4j's own `neo4j-admin database import full` from the
same Maven release), each giving the property graph's counts and properties."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
from typing import Any

import pytest

from soyaku.core.home import QUICK_COMPILER
from soyaku.graph.neo4j_server import JVM_OPTIONS, Neo4jServer, classpath, java_executable
from soyaku.loaders.cypher_load import graph_counts, wipe_graph
from soyaku.loaders.writers import WRITERS
from soyaku.loaders.writers.cypher import cypher_script, write_cypher

from cypher_shell import run_script


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value.to_native() if hasattr(value, "to_native") else value


def _contents(driver, database) -> tuple[dict, dict]:
    """Every node's and relationship's properties, by id, as Python values."""
    with driver.session(database=database) as session:
        nodes = {r["id"]: (r["label"], {k: _native(v) for k, v in r["p"].items()})
                 for r in session.run("MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS p")}
        rels = {r["p"]["id"]: (r["t"], r["a"], r["b"], {k: _native(v) for k, v in r["p"].items()})
                for r in session.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, "
                                     "properties(r) AS p")}
    return nodes, rels


def _expected(graph, *, csv: bool = False) -> tuple[dict, dict]:
    """The graph's contents; for the CSV import without empty strings and lists (an empty field means absent)."""
    def kept(props: dict) -> dict:
        return {k: v for k, v in props.items() if not (csv and v in ("", []))}

    nodes = {n.id: (n.label, kept(n.properties)) for n in graph.nodes}
    rels = {e.id: (e.type, e.source, e.target, kept({**e.properties, "id": e.id})) for e in graph.edges}
    return nodes, rels


def _differences(got: dict, want: dict) -> list:
    """The first few ids whose contents differ, with the differing keys (a readable assertion message)."""
    out = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key), want.get(key)
        if a != b:
            pa, pb = (a or ((),))[-1], (b or ((),))[-1]
            keys = sorted(k for k in set(pa) | set(pb) if pa.get(k) != pb.get(k)) if isinstance(pa, dict) else []
            out.append((key, keys, [(pa.get(k), pb.get(k)) for k in keys][:2]))
    return out[:5]


def test_cypher_script_loads_into_neo4j(neo4j_server, compiled, tmp_path):
    path = tmp_path / "soyaku.cypher"
    write_cypher(compiled, path)
    driver = neo4j_server.driver()
    wipe_graph(driver, neo4j_server.database)
    with driver.session(database=neo4j_server.database) as session:
        assert run_script(session, path.read_text(encoding="utf-8")) == cypher_script(compiled.graph)[1]
    assert graph_counts(driver, neo4j_server.database) == compiled.graph.counts()
    assert _contents(driver, neo4j_server.database) == _expected(compiled.graph)


def _neo4j_admin(bin_dir, home) -> None:
    """A `neo4j-admin` on the PATH that runs Neo4j's AdminTool from the pinned release for `home`."""
    script = bin_dir / "neo4j-admin"
    java = " ".join([java_executable(), "-Xmx512m", *JVM_OPTIONS, QUICK_COMPILER])
    script.write_text(f'#!/bin/sh\nexec {java} -cp "$NEO4J_CLASSPATH" org.neo4j.cli.AdminTool "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_neo4j_admin_csv_imports_with_neo4j_importer(neo4j_server, compiled, tmp_path):
    export = tmp_path / "csv"
    WRITERS["neo4j-csv"].write(compiled, export)
    home, bin_dir = tmp_path / "imported-home", tmp_path / "bin"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    bin_dir.mkdir()
    _neo4j_admin(bin_dir, home)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NEO4J_HOME": str(home),
           "NEO4J_CONF": str(home / "conf"), "NEO4J_CLASSPATH": classpath()}
    done = subprocess.run(["sh", str(export / "import.sh")], env=env, cwd=tmp_path, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "IMPORT DONE" in done.stdout
    with Neo4jServer(home, secrets.token_urlsafe(16), quick_start=True) as server:
        driver = server.driver()
        assert graph_counts(driver, server.database) == compiled.graph.counts()
        (nodes, rels), (want_nodes, want_rels) = _contents(driver, server.database), _expected(compiled.graph, csv=True)
        assert nodes == want_nodes, _differences(nodes, want_nodes)
        assert rels == want_rels, _differences(rels, want_rels)
