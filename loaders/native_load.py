"""Bulk-load a property graph into the embedded ArcadeDB through its native batch API (no Cypher, no Bolt).

`soyaku build` loads with this: about 6× faster than batched `UNWIND … CREATE` over Bolt at 100k nodes, and the
only way we found to load 1M nodes / 3M relationships in minutes (docs/performance.md). The graph it writes is the
one `cypher_load.load_graph` writes (same labels, types, properties and unique `id` per label; a test compares
both through the neo4j driver), so everything downstream still talks Cypher over Bolt.

How: one vertex type per label, one edge type per relationship type, properties that hold dates declared DATE
(DATETIME) and sent as ISO text, then rows in chunks through the Python bridge's `VertexBatcher` / `EdgeBatcher`
(one JSON string per chunk and label or type crosses into the JVM); last, a unique LSM index on `id` per label,
built over the loaded nodes. The package's `GraphBatch.create_vertices` / `new_edges` would fall back to one record
at a time for lists and dates, which is why the batchers are called directly.

Records stream in: nodes and relationships in any order, as long as every relationship's endpoints are somewhere
in the stream. Python holds one chunk of rows and a map from node id to record id, nothing else.

Python's cyclic garbage collector is off while the loader is open (`quiet_gc`): JPype answers every Java garbage
collection with a full Python collection (`PyGC_Collect`, which does nothing while collection is disabled) from
its reference-queue thread, holding the GIL, and the load's own garbage is freed by reference counting. That
storm cost a 1M-node load 108–225 s of CPU and made two runs differ by 1.7× (docs/performance.md).
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import orjson

from soyaku.core.errors import EngineError, first_line
from soyaku.graph.arcadedb_private import java_graph_batch
from soyaku.loaders.property_graph import Edge, Node, PropertyGraph

__all__ = ["CHUNK_ROWS", "NativeLoader", "load_graph_native", "load_native"]

#: Rows per crossing into the JVM: large enough to amortise the crossing, small enough to bound Python's memory.
CHUNK_ROWS = 20_000
#: The `GraphBatch` settings (arcadedb_embedded's `Database.graph_batch` keywords). Edge chunks are allocated when a
#: vertex's first edge comes, not with every vertex (`pre_allocate_edge_chunks`): nodes load ~2× faster; the WAL is
#: on (crash-safe; it cost nothing measurable); the rest are the package's defaults, written out. Other settings
#: (e.g. `max_deferred_incoming_edges`) can be measured with `python -m benchmarks.load_phases`.
GRAPH_BATCH: dict[str, Any] = {"use_wal": True, "light_edges": False, "bidirectional": True,
                               "pre_allocate_edge_chunks": False, "parallel_flush": True}
_INT64 = 2**63


def load_graph_native(database: Any, graph: PropertyGraph, chunk_rows: int = CHUNK_ROWS) -> dict[str, dict[str, int]]:
    """Load a whole `PropertyGraph` into an empty `arcadedb_embedded` database; returns the counts written."""
    return load_native(database, (*graph.nodes, *graph.edges), chunk_rows)


def load_native(database: Any, records: Iterable[Node | Edge], chunk_rows: int = CHUNK_ROWS, *,
                quiet_gc: bool = True) -> dict[str, dict[str, int]]:
    """Stream nodes and relationships into an empty `arcadedb_embedded` database; returns the counts written.

    Raises EngineError (naming the record and the property) for a value the engine cannot store as given, a
    duplicate node id, or a relationship whose endpoint never came.
    """
    loader = NativeLoader(database, chunk_rows, quiet_gc=quiet_gc)
    with loader:
        for record in records:
            loader.add(record)
    return loader.counts()


class NativeLoader:
    """Writes nodes and relationships through one `GraphBatch`; use as a context manager (closing flushes and
    builds the id indexes). `batch_settings` overrides keywords of `GRAPH_BATCH` (for measurements)."""

    def __init__(self, database: Any, chunk_rows: int = CHUNK_ROWS, *, quiet_gc: bool = True,
                 batch_settings: dict[str, Any] | None = None):
        import jpype

        self._db = database
        self._schema = database.get_java_database().getSchema()
        self._vertex_batcher = jpype.JClass("com.arcadedb.python.VertexBatcher")
        self._edge_batcher = jpype.JClass("com.arcadedb.python.EdgeBatcher")
        self._java_type = jpype.JPackage("com").arcadedb.schema.Type
        self._index_type = jpype.JPackage("com").arcadedb.schema.Schema.INDEX_TYPE
        self._java_error = jpype.JException
        self._batch = None
        self._batch_settings = {**GRAPH_BATCH, **(batch_settings or {})}
        self._chunk_rows = chunk_rows
        self._nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._node_ids: dict[str, list[str]] = defaultdict(list)
        self._edges: list[Edge] = []
        self._pending_nodes = 0
        self._rids: dict[str, str] = {}
        self._labels: list[str] = []
        self._kinds: dict[str, dict[str, str]] = {}  # type name → property → "date" | "datetime" | "other"
        self._node_counts: dict[str, int] = defaultdict(int)
        self._edge_counts: dict[str, int] = defaultdict(int)
        self._quiet_gc = quiet_gc
        self._gc_was_enabled = False

    def __enter__(self) -> NativeLoader:
        if self._quiet_gc:
            self._gc_was_enabled = gc.isenabled()
            gc.disable()
        self._batch = self._db.graph_batch(**self._batch_settings)
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self._flush_nodes()
                self._flush_edges()
        finally:
            try:
                self._batch.close()
                self._batch = None
            finally:
                if self._gc_was_enabled:
                    gc.enable()
        if exc_type is None:
            self._index_ids()

    def add(self, record: Node | Edge) -> None:
        """Queue one node or relationship; full chunks are written as they fill."""
        if isinstance(record, Node):
            self._add_node(record)
        else:
            self._edges.append(record)
            if len(self._edges) >= self._chunk_rows:
                self._flush_edges()

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type written so far (the shape of `PropertyGraph.counts`)."""
        return {"nodes": dict(sorted(self._node_counts.items())),
                "relationships": dict(sorted(self._edge_counts.items()))}

    def _add_node(self, node: Node) -> None:
        if node.label not in self._kinds:
            self._vertex_type(node.label)
        props = node.properties if node.properties.get("id") == node.id else {**node.properties, "id": node.id}
        self._check(node.label, props, f"node {node.id!r} ({node.label})")
        self._nodes[node.label].append(props)
        self._node_ids[node.label].append(node.id)
        self._pending_nodes += 1
        if self._pending_nodes >= self._chunk_rows:
            self._flush_nodes()

    def _flush_nodes(self) -> None:
        for label, rows in self._nodes.items():
            ids = self._node_ids[label]
            try:
                joined = str(self._vertex_batcher.createVerticesJson(java_graph_batch(self._batch), label, _json(rows)))
            except self._java_error as exc:  # most likely a duplicate id (unique index)
                raise EngineError(f"The engine refused a chunk of {label} nodes ({ids[0]!r} … {ids[-1]!r}): "
                                  f"{first_line(exc)}. Node ids must be unique per label.") from None
            rids = joined.split(";") if joined else []
            if len(rids) != len(ids):
                raise EngineError(f"The engine created {len(rids)} of {len(ids)} {label} nodes; the load stopped.")
            for node_id, rid in zip(ids, rids):
                if node_id in self._rids:
                    raise EngineError(f"Node id {node_id!r} occurs twice ({label}); node ids must be unique.")
                self._rids[node_id] = rid
            self._node_counts[label] += len(rids)
        self._nodes.clear()
        self._node_ids.clear()
        self._pending_nodes = 0

    def _flush_edges(self) -> None:
        if not self._edges:
            return
        self._flush_nodes()  # endpoints queued with this chunk get their record ids first
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for edge in self._edges:
            if edge.type not in self._kinds:
                self._edge_type(edge.type)
            try:
                row = {"_src": self._rids[edge.source], "_dst": self._rids[edge.target]}
            except KeyError as missing:
                raise EngineError(f"Relationship {edge.id!r} ({edge.type}) points to node {missing.args[0]!r}, which "
                                  f"is not in the graph: every relationship's endpoints must be loaded too.") from None
            props = {**edge.properties, "id": edge.id}
            self._check(edge.type, props, f"relationship {edge.id!r} ({edge.type})")
            row.update(props)
            by_type[edge.type].append(row)
        for kind, rows in by_type.items():
            try:
                self._edge_batcher.newEdgesJson(java_graph_batch(self._batch), kind, _json(rows))
            except self._java_error as exc:
                raise EngineError(f"The engine refused a chunk of {kind} relationships: {first_line(exc)}") from None
            self._edge_counts[kind] += len(rows)
        self._edges.clear()

    def _vertex_type(self, label: str) -> None:
        """The vertex type and its `id` property, before any node of the label."""
        vertex_type = self._schema.getOrCreateVertexType(label)
        vertex_type.getOrCreateProperty("id", self._java_type.STRING)
        self._kinds[label] = {"id": "other"}
        self._labels.append(label)

    def _index_ids(self) -> None:
        """The unique index on `id` per label, built once over the loaded nodes (the record-id map has already
        refused a duplicate id): faster than keeping the index up to date node by node."""
        for label in self._labels:
            try:
                self._schema.getOrCreateTypeIndex(self._index_type.LSM_TREE, True, label, ["id"])
            except self._java_error as exc:
                raise EngineError(f"The engine could not index the ids of the {label} nodes: {first_line(exc)}. "
                                  f"Load into an empty database.") from None

    def _edge_type(self, kind: str) -> None:
        self._schema.getOrCreateEdgeType(kind)
        self._kinds[kind] = {}

    def _check(self, type_name: str, props: dict[str, Any], what: str) -> None:
        """Declare date properties before their first value; refuse values JSON would change.

        Runs once per record: text and lists (most values) take the short way."""
        kinds = self._kinds[type_name]
        for key, value in props.items():
            cls = value.__class__
            if cls is str or cls is list:
                kind = "other"
            else:
                kind = "datetime" if isinstance(value, datetime) else "date" if isinstance(value, date) else "other"
                if cls is int and not -_INT64 <= value < _INT64:
                    raise EngineError(f"{what}: property {key!r} = {value} does not fit in 64 bits.")
                if cls is float and not math.isfinite(value):
                    raise EngineError(f"{what}: property {key!r} is {value}, which the engine cannot store.")
            if kinds.get(key) != kind:
                self._new_kind(type_name, key, kind, what)

    def _new_kind(self, type_name: str, key: str, kind: str, what: str) -> None:
        """The first value of a property (a date one is declared DATE or DATETIME), or a refusal of a second type."""
        known = self._kinds[type_name].get(key)
        if known is not None:
            raise EngineError(f"{what}: property {key!r} is a {kind} here but a {known} on other {type_name} "
                              f"records; give it one type throughout.")
        if kind != "other":
            self._schema.getType(type_name).getOrCreateProperty(
                key, self._java_type.DATETIME if kind == "datetime" else self._java_type.DATE)
        self._kinds[type_name][key] = kind


def _iso(value: object) -> str:
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    raise EngineError(f"A property value of type {type(value).__name__} cannot be stored: {value!r}")


def _json(rows: list[dict[str, Any]]) -> str:
    """ROWS as the bridge reads them (compact JSON, dates as ISO text). orjson writes the text `json.dumps` would
    (a test holds them equal) 4–5× faster: ~10 s of a 1M-node load (benchmarks/findings.md)."""
    try:
        return orjson.dumps(rows, default=_iso).decode()
    except orjson.JSONEncodeError as exc:
        raise EngineError(f"A property value cannot be stored: {exc} (integers must fit in 64 bits)") from None
