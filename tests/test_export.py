"""Exports round-trip: Cypher script into a fresh engine, neo4j-admin CSV, Turtle, JSON-LD, GraphML, the CLI."""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from soyaku.loaders.writers import WRITERS
from soyaku.loaders.writers.cypher import cypher_literal, cypher_script, write_cypher
from soyaku.loaders.writers.graphml import write_graphml
from soyaku.loaders.writers.neo4j_csv import IMPORT_SCRIPT, write_neo4j_csv
from soyaku.loaders.property_graph import Edge, Node, PropertyGraph
from soyaku.loaders.pipeline import Compiled

from cypher_shell import run_script

HOSTILE_NAME = 'Kanda, "Bio" Ltd.\n神田バイオ株式会社; \\ back\\slash \'single\'\ttab;\nend'


@pytest.fixture(scope="module")
def hostile() -> PropertyGraph:
    """Values that break naive CSV and Cypher writers: commas, quotes, newlines, `;`, `;\\n`, backslashes, Japanese."""
    a = Node("hostile-a", "Hostile", {
        "id": "hostile-a", "name": HOSTILE_NAME, "aliases": ["a;b", 'x,"y"', "改行\nあり", "|"],
        "amount_jpy": 12_300_000_000, "announced": datetime.date(2024, 6, 14), "listed": True,
        "years": [2023, 2024],
    })
    b = Node("hostile-b", "Hostile", {"id": "hostile-b", "name": "株式会社テスト", "aliases": []})
    e = Edge("hostile-a/HOSTILE_REL/hostile-b", "HOSTILE_REL", "hostile-a", "hostile-b",
             {"id": "fact-1", "note": HOSTILE_NAME, "sources": ["x.txt#L1", "y.txt#L2"], "round": 3})
    return PropertyGraph((a, b), (e,))


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value.to_native() if hasattr(value, "to_native") else value


def _edge_props(edge: Edge) -> dict[str, Any]:
    """What a relationship holds once loaded: its properties, with `id` = the edge id (as load_graph does)."""
    return {**edge.properties, "id": edge.id}


# ------------------------------------------------------------------------------------ Cypher script


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A session on a FRESH embedded engine; the driver and the server are closed at the end of the module."""
    from soyaku.graph.arcadedb import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("export-home"))
    server.start()
    try:
        driver = server.driver()
        with driver.session(database=server.database) as session:
            yield session
    finally:
        server.stop()  # closes the driver first


@pytest.fixture(scope="module")
def loaded(session: Any, compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("cypher") / "soyaku.cypher"
    write_cypher(compiled, path)
    text = path.read_text(encoding="utf-8")
    _, expected_statements = cypher_script(compiled.graph)
    assert run_script(session, text) == expected_statements
    return session


def test_cypher_script_counts(loaded: Any, compiled: Compiled) -> None:
    labels = dict(loaded.run("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n").values())
    types = dict(loaded.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n").values())
    counts = compiled.graph.counts()
    assert {k: v for k, v in labels.items() if k != "Hostile"} == counts["nodes"]
    assert {k: v for k, v in types.items() if k != "HOSTILE_REL"} == counts["relationships"]


def test_cypher_script_properties(loaded: Any, compiled: Compiled) -> None:
    graph = compiled.graph
    # sample nodes with a date, an int yen amount and a non-empty list, read back exactly
    samples = [
        next(n for n in graph.nodes if any(isinstance(v, datetime.date) for v in n.properties.values())),
        next(n for n in graph.nodes if any(k.endswith("_jpy") and isinstance(v, int) for k, v in n.properties.items())),
        next(n for n in graph.nodes if any(isinstance(v, list) and v for v in n.properties.values())),
    ]
    for sample in samples:
        got = loaded.run(f"MATCH (n:{sample.label} {{id: $id}}) RETURN properties(n) AS p", id=sample.id).single()["p"]
        assert {k: _native(v) for k, v in got.items()} == sample.properties

    # and every node and relationship, property for property
    nodes = {r["id"]: {k: _native(v) for k, v in r["p"].items()}
             for r in loaded.run("MATCH (n) WHERE NOT n:Hostile RETURN n.id AS id, properties(n) AS p")}
    assert nodes == {n.id: n.properties for n in graph.nodes}
    rels = {r["p"]["id"]: (r["t"], r["a"], r["b"], {k: _native(v) for k, v in r["p"].items()})
            for r in loaded.run("MATCH (a)-[r]->(b) WHERE NOT a:Hostile "
                                "RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p")}
    assert rels == {e.id: (e.type, e.source, e.target, _edge_props(e)) for e in graph.edges}


def test_cypher_script_hostile_values(loaded: Any, hostile: PropertyGraph) -> None:
    text, _ = cypher_script(hostile)
    assert run_script(loaded, text) == 3  # constraint, nodes, relationships: `;\n` inside a value did not split
    for node in hostile.nodes:
        got = loaded.run("MATCH (n:Hostile {id: $id}) RETURN properties(n) AS p", id=node.id).single()["p"]
        assert {k: _native(v) for k, v in got.items()} == node.properties
    got = loaded.run("MATCH (:Hostile)-[r:HOSTILE_REL]->(:Hostile) RETURN properties(r) AS p").single()["p"]
    assert got == _edge_props(hostile.edges[0])


def test_cypher_literals() -> None:
    assert cypher_literal("a'b\\c\nd") == "'a\\'b\\\\c\\nd'"
    assert cypher_literal(datetime.date(2024, 6, 14)) == "date('2024-06-14')"
    assert cypher_literal(["x", 1, True]) == "['x', 1, true]"
    assert cypher_literal({"id": "n", "odd key": []}) == "{id: 'n', `odd key`: []}"
    assert "\n" not in cypher_literal(HOSTILE_NAME)


# --------------------------------------------------------------------------------------- neo4j-csv


def _parse_cell(text: str, kind: str, delimiter: str) -> Any:
    if kind.endswith("[]"):
        return [_parse_cell(t, kind[:-2], delimiter) for t in text.split(delimiter)]
    return {"string": str, "long": int, "int": int, "double": float, "boolean": lambda t: t == "true",
            "date": datetime.date.fromisoformat}[kind](text)


def _read_neo4j_csv(directory: Path) -> tuple[dict[str, tuple[str, dict]], Counter, dict[str, str]]:
    """Read an export as neo4j-admin would: typed headers, array delimiter from import.sh, empty = absent.

    Returns nodes {id: (label, properties)}, relationships Counter of (type, start, end, properties as JSON),
    and the files named in import.sh {file: "nodes"|"relationships"}.
    """
    script = (directory / IMPORT_SCRIPT).read_text(encoding="utf-8")
    option = re.search(r"--array-delimiter=(\S+)", script).group(1).strip("'")
    delimiter = chr(int(option[2:], 16)) if option.startswith("U+") else option
    named = {m.group(3): m.group(1) for m in re.finditer(r"--(nodes|relationships)=(\w+)=(\S+)", script)}
    nodes: dict[str, tuple[str, dict]] = {}
    rels: Counter = Counter()
    for path in sorted(directory.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = [(h.split(":", 1) + ["string"])[:2] for h in header]
            for row in reader:
                assert len(row) == len(header), f"{path.name}: ragged row {row}"
                props: dict[str, Any] = {}
                label = kind = start = end = None
                for (name, typ), cell in zip(columns, row):
                    if typ == "ID":
                        props[name] = cell
                    elif typ == "LABEL":
                        label = cell
                    elif typ == "TYPE":
                        kind = cell
                    elif typ == "START_ID":
                        start = cell
                    elif typ == "END_ID":
                        end = cell
                    elif cell != "":
                        props[name] = _parse_cell(cell, typ, delimiter)
                if label is not None:
                    assert props["id"] not in nodes, f"duplicate node id {props['id']}"
                    nodes[props["id"]] = (label, props)
                else:
                    rels[(kind, start, end, json.dumps(props, sort_keys=True, default=str))] += 1
    return nodes, rels, named


def _expected_csv(graph: PropertyGraph) -> tuple[dict[str, tuple[str, dict]], Counter]:
    """The graph as neo4j-admin stores it: empty lists and empty strings are absent."""
    def kept(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if v not in ([], "")}

    nodes = {n.id: (n.label, kept(n.properties)) for n in graph.nodes}
    rels = Counter((e.type, e.source, e.target, json.dumps(kept(_edge_props(e)), sort_keys=True, default=str))
                   for e in graph.edges)
    return nodes, rels


def test_neo4j_csv_round_trip(compiled: Compiled, tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    WRITERS["neo4j-csv"].write(compiled, out)
    nodes, rels, named = _read_neo4j_csv(out)
    expected_nodes, expected_rels = _expected_csv(compiled.graph)
    assert nodes == expected_nodes
    assert rels == expected_rels

    # import.sh names every CSV file exactly once, with the options the files need
    files = {p.name for p in out.glob("*.csv")}
    assert set(named) == files
    assert {f for f, kind in named.items() if kind == "nodes"} == {p.name for p in out.glob("nodes_*.csv")}
    script = (out / IMPORT_SCRIPT).read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script and script.rstrip().endswith("neo4j")
    assert "--array-delimiter=';'" in script and "--multiline-fields=true" in script
    assert (out / "README.md").is_file()

    # typed headers
    header = (out / "nodes_Startup.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["id:ID", ":LABEL"] and "aliases:string[]" in header and "name" in header
    assert (out / f"rels_{compiled.graph.edges[0].type}.csv").read_text(encoding="utf-8").startswith(
        ":START_ID,:END_ID,:TYPE,")

    assert os.access(out / IMPORT_SCRIPT, os.X_OK)

    # exporting again replaces the directory whole, leaving nothing behind
    WRITERS["neo4j-csv"].write(compiled, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j"]


def test_neo4j_csv_hostile_values(hostile: PropertyGraph, tmp_path: Path) -> None:
    info = write_neo4j_csv(hostile, tmp_path)
    assert info["array_delimiter"] == "\x1f"  # `;` and `|` occur inside list elements
    nodes, rels, named = _read_neo4j_csv(tmp_path)
    assert (nodes, rels) == _expected_csv(hostile)
    assert nodes["hostile-a"][1]["name"] == HOSTILE_NAME
    assert "--array-delimiter=U+001F" in (tmp_path / IMPORT_SCRIPT).read_text(encoding="utf-8")
    header = (tmp_path / "nodes_Hostile.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ("id:ID,:LABEL,name,aliases:string[],amount_jpy:long,announced:date,listed:boolean,"
                      "years:long[]")


# ------------------------------------------------------------------------------------ RDF, GraphML


def test_turtle_round_trip(compiled: Compiled, tmp_path: Path) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    path = tmp_path / "soyaku.ttl"
    WRITERS["ttl"].write(compiled, path)
    back = Graph().parse(path, format="turtle")
    assert len(back) == len(compiled.rdf)
    assert isomorphic(back, compiled.rdf)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_jsonld_round_trip(compiled: Compiled, tmp_path: Path) -> None:
    from rdflib import Graph

    path = tmp_path / "soyaku.jsonld"
    WRITERS["jsonld"].write(compiled, path)
    assert len(Graph().parse(path, format="json-ld")) == len(compiled.rdf)


def test_graphml_round_trip(compiled: Compiled, tmp_path: Path) -> None:
    import networkx as nx

    path = tmp_path / "soyaku.graphml"
    write_graphml(compiled, path)
    back = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    graph = compiled.graph
    assert back.number_of_nodes() == len(graph.nodes)
    assert back.number_of_edges() == len(graph.edges)
    node = next(n for n in graph.nodes if n.properties.get("aliases"))
    data = back.nodes[node.id]
    assert data["labels"] == f":{node.label}"
    assert json.loads(data["aliases"]) == node.properties["aliases"]
    dated = next(n for n in graph.nodes if isinstance(n.properties.get("date"), datetime.date))
    assert back.nodes[dated.id]["date"] == dated.properties["date"].isoformat()
    edge = graph.edges[0]
    assert back.edges[edge.source, edge.target, edge.id]["label"] == edge.type


# -------------------------------------------------------------------------------------------- CLI


def test_cli_export_cypher(tmp_path: Path) -> None:
    from soyaku.cli.export import export

    out = tmp_path / "out" / "soyaku.cypher"
    result = CliRunner().invoke(export, ["--format", "cypher", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.read_text(encoding="utf-8").startswith("// Soyaku KG")
    assert f"wrote {out} (cypher)" in result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["soyaku.cypher"]  # no temporary file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of the temporary file


def test_cli_errors(tmp_path: Path) -> None:
    from soyaku.cli.export import FORMATS
    from soyaku.cli.main import cli

    assert FORMATS == tuple(WRITERS)
    runner = CliRunner()

    def export(args: list[str]) -> object:
        return runner.invoke(cli, ["export", *args])

    result = export(["--format", "xml", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "xml" in result.output
    result = export(["--format", "cypher", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.output
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("precious", encoding="utf-8")
    result = export(["--format", "neo4j-csv", "-o", str(keep)])
    assert result.exit_code == 1 and "not an earlier neo4j-csv export" in result.output
    assert (keep / "notes.txt").read_text(encoding="utf-8") == "precious"
    result = export(["--format", "neo4j-csv", "-o", str(keep / "notes.txt")])
    assert result.exit_code == 1 and "not a directory" in result.output


def test_graphml_keeps_carriage_returns_exactly(tmp_path: Path) -> None:
    import networkx as nx

    value = "line one\r\nline two\rthree\n"
    node = Node("cr-a", "Hostile", {"id": "cr-a", "name": value, "aliases": ["a\rb"]})
    graph = PropertyGraph((node,), ())
    path = tmp_path / "cr.graphml"
    write_graphml(Compiled(None, None, graph), path)  # type: ignore[arg-type]  # only the graph is read
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["cr-a"]["name"] == value
    assert back.nodes["cr-a"]["aliases"] == '["a\\rb"]'


def test_rdf_export_takes_the_explorers_base_url(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from soyaku.cli.main import cli

    path = tmp_path / "soyaku.ttl"
    result = CliRunner().invoke(cli, ["export", "--format", "ttl", "-o", str(path), "--base-url", "https://kg.example.org/"])
    assert result.exit_code == 0, result.output
    subjects = {str(s) for s in Graph().parse(path).subjects() if isinstance(s, URIRef)}
    assert "https://kg.example.org/id/su-tregem-biopharma" in subjects
    assert not any(s.startswith("https://w3id.org/soyaku-kg/id/") for s in subjects)
    bad = CliRunner().invoke(cli, ["export", "--format", "ttl", "-o", str(tmp_path / "x.ttl"), "--base-url", "ftp://x"])
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.output and not (tmp_path / "x.ttl").exists()
