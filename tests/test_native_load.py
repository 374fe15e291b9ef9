"""The native bulk loader writes the same graph as the Bolt loader: compared record by record through the driver."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from soyaku.core.errors import EngineError
from soyaku.loaders.cypher_load import graph_counts, load_graph
from soyaku.loaders.native_load import load_graph_native, load_native
from soyaku.loaders.property_graph import Edge, Node, PropertyGraph

pytestmark = pytest.mark.engine  # starts embedded engines of its own


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from soyaku.graph.arcadedb import EmbeddedServer

    with EmbeddedServer(tmp_path_factory.mktemp("native-load")) as started:
        yield started


def _new_database(server, name: str):
    return server._server.create_database(name)


def _typed(value: Any) -> Any:
    """A value with its type spelled out, so 1 ≠ 1.0 ≠ True and a date ≠ its ISO text."""
    if isinstance(value, list):
        return ("list", tuple(_typed(v) for v in value))
    return (type(value).__name__, value)


def _dump(server, database: str) -> dict[str, Any]:
    """Every node, relationship and index of a database, as plain comparable values."""
    with server.driver().session(database=database) as session:
        nodes = {r["id"]: (tuple(r["labels"]), {k: _typed(v) for k, v in r["props"].items()})
                 for r in session.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")}
        rels = {r["id"]: (r["type"], r["source"], r["target"], {k: _typed(v) for k, v in r["props"].items()})
                for r in session.run("MATCH (a)-[r]->(b) RETURN r.id AS id, type(r) AS type, a.id AS source, "
                                     "b.id AS target, properties(r) AS props")}
        indexes = {(tuple(r["labelsOrTypes"]), tuple(r["properties"]), r["owningConstraint"] is not None)
                   for r in session.run("SHOW INDEXES")}
    return {"nodes": nodes, "relationships": rels, "indexes": indexes}


def test_native_and_bolt_loaders_write_the_same_seed_graph(server, compiled):
    graph = compiled.graph
    _new_database(server, "by_bolt")
    load_graph(server.driver(), "by_bolt", graph, fresh=True)
    written = load_graph_native(_new_database(server, "by_native"), graph)

    assert written == graph.counts() == graph_counts(server.driver(), "by_native")
    bolt, native = _dump(server, "by_bolt"), _dump(server, "by_native")
    assert len(native["nodes"]) == len(graph.nodes) and len(native["relationships"]) == len(graph.edges)
    assert native["nodes"] == bolt["nodes"]
    assert native["relationships"] == bolt["relationships"]
    assert native["indexes"] == bolt["indexes"]  # a unique index on id per label
    # The values the loaders must carry over exactly: dates, integers beyond 2^31, lists (empty ones too).
    round_ = next(n for n in graph.nodes if n.label == "Round" and "announced" in n.properties)
    assert native["nodes"][round_.id][1]["announced"][1].iso_format() == round_.properties["announced"].isoformat()
    assert any(props.get("amount_jpy", ("", 0))[1] > 2**31 for _, props in native["nodes"].values())
    assert any(props.get("aliases") == ("list", ()) for _, props in native["nodes"].values())


def test_streamed_in_small_chunks_and_any_order(server):
    """Relationships may come before their endpoints; chunks of 3 rows give the same graph as one chunk."""
    nodes = [Node(f"n{i}", "Thing" if i % 2 else "Other", {"id": f"n{i}", "name": f"名前{i}", "day": date(2024, 1, 1 + i),
                                                          "tags": [str(i)], "big": 2**40 + i}) for i in range(10)]
    edges = [Edge(f"e{i}", "LINKS", f"n{i}", f"n{(i + 1) % 10}", {"weight": i, "sources": ["a#L1"]}) for i in range(10)]
    records = [edges[0], *nodes[:5], *edges[1:4], *nodes[5:], *edges[4:]]
    written = load_native(_new_database(server, "streamed"), iter(records), chunk_rows=3)
    load_graph_native(_new_database(server, "whole"), PropertyGraph(tuple(nodes), tuple(edges)))
    assert written == {"nodes": {"Other": 5, "Thing": 5}, "relationships": {"LINKS": 10}}
    assert _dump(server, "streamed") == _dump(server, "whole")


@pytest.mark.parametrize("records, message", [
    ([Node("a", "Thing", {"id": "a"}), Node("a", "Thing", {"id": "a"})], "'a'"),
    ([Node("a", "Thing", {"id": "a"}), Edge("e", "LINKS", "a", "ghost", {})], "'ghost'"),
    ([Node("a", "Thing", {"id": "a", "d": date(2024, 1, 1)}), Node("b", "Thing", {"id": "b", "d": "soon"})], "'d'"),
    ([Node("a", "Thing", {"id": "a", "n": 2**70})], "64 bits"),
])
def test_bad_records_are_refused_with_a_clear_error(server, records, message):
    with pytest.raises(EngineError, match=message):
        load_native(_new_database(server, f"bad_{abs(hash(message))}"), records)


def test_the_chunks_json_is_the_text_the_standard_library_writes():
    """The loader encodes its chunks with orjson for speed; the bridge must read exactly what json.dumps wrote."""
    import json
    from datetime import datetime, timezone

    from soyaku.loaders.native_load import _iso, _json

    rows = [{"id": "a", "name": "東京大学エッジキャピタル\u2028「引用」", "aliases": ["UTEK", "ＵＴＥＣ"], "n": 9223372036854775807,
             "x": -0.1, "flag": True, "none": None, "on": date(2024, 9, 24), "at": datetime(2024, 9, 24, 1, 2, 3, 456),
             "tz": datetime(2024, 9, 24, tzinfo=timezone.utc), "ctl": "tab\tnl\nbell\x07 quote\" back\\"}]
    assert _json(rows) == json.dumps(rows, ensure_ascii=False, default=_iso, separators=(",", ":"))
    with pytest.raises(EngineError, match="integers must fit in 64 bits"):
        _json([{"id": "b", "n": 2**64}])
