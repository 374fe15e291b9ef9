"""Loads that stream the synthetic graph straight from the generator, each in a fresh child process.

    python -m benchmarks.streamed native SIZE SEED HEAP PAIRS [GC CHUNK]  the project's native bulk loader
    python -m benchmarks.streamed ladybug SIZE SEED                       LadybugDB (Kuzu fork) COPY from Arrow
    python -m benchmarks.streamed networkx SIZE SEED                      networkx MultiDiGraph, every property
    python -m benchmarks.streamed nxpaths SIZE SEED PAIRS                 networkx shortest paths, same pairs

The native loader's variants: GC `off` (the project's default: Python's cyclic GC off during the load) or `on` (as
before issue 20: JPype then runs a full Python collection on every Java GC), and CHUNK rows per JVM call (20000 by
default). The native child holds no networkx graph: its path pairs are drawn from the Program and Startup ids alone,
and the networkx reference answers the same pairs in a child of its own (`nxpaths`), so a large graph in Python
never shares a process with the load it times.

Each prints one JSON line. The native loader first loads a 200-node graph into another database (JIT warm-up, as the Bolt loaders get in
`python -m benchmarks`). The generator runs in the same process but is not timed: records are pulled from it in
chunks of 50,000 and only handing a chunk to the loader is timed (for LadybugDB, turning the records into Arrow
tables is timed apart as `prepare_s`). `peak_rss_mb` is the whole process (Python, and the JVM for the native
loader). A child per variant gives each the machine to itself and a clean heap.
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from soyaku.loaders.property_graph import Edge, Node

from benchmarks.generator import parse_size, stream

CHUNK = 50_000


def chunks(size: int, seed: int) -> Iterator[list[Node | Edge]]:
    """The generated records in lists of CHUNK."""
    records = stream(size, seed)
    while chunk := list(itertools.islice(records, CHUNK)):
        yield chunk


def timed_feed(size: int, seed: int, feed: Callable[[list[Node | Edge]], None]) -> tuple[float, int, int]:
    """Seconds spent in `feed` over all chunks (generation not timed), and the node and relationship counts."""
    spent, nodes, edges = 0.0, 0, 0
    for chunk in chunks(size, seed):
        n = sum(isinstance(r, Node) for r in chunk)
        nodes, edges = nodes + n, edges + len(chunk) - n
        t0 = time.perf_counter()
        feed(chunk)
        spent += time.perf_counter() - t0
    return spent, nodes, edges


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def native(size: int, seed: int, heap: str, pairs: int, gc_mode: str = "off", chunk_rows: int = 20_000) -> dict[str, Any]:
    """The native bulk loader into a new embedded engine, then shortestPath latency over Bolt on the result."""
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.loaders.cypher_load import graph_counts
    from soyaku.loaders.native_load import NativeLoader, load_native

    from benchmarks.measure import bolt_path_latency, choose_pairs

    programs, startups = [], []
    expected: dict[str, dict[str, int]] = {"nodes": defaultdict(int), "relationships": defaultdict(int)}

    def note(chunk: list[Node | Edge]) -> None:  # what the path measurement and the counts check need (untimed)
        for r in chunk:
            if isinstance(r, Node):
                expected["nodes"][r.label] += 1
                if r.label in ("Program", "Startup"):
                    (programs if r.label == "Program" else startups).append(r.id)
            else:
                expected["relationships"][r.type] += 1

    quiet_gc = gc_mode == "off"
    with tempfile.TemporaryDirectory(prefix="soyaku-bench-native-") as home:
        with EmbeddedServer(Path(home), heap=heap) as server:
            warm = server.create_database("warmup")  # JIT-compile the load path before the timed run
            load_native(warm, stream(200, seed + 1), chunk_rows, quiet_gc=quiet_gc)
            database = server.create_database("bench")
            collections0, triggered0 = _collections()
            cpu0, t0 = time.process_time(), time.perf_counter()
            loader = NativeLoader(database, chunk_rows, quiet_gc=quiet_gc).__enter__()
            spent = time.perf_counter() - t0

            def feed(chunk: list[Node | Edge]) -> None:
                for record in chunk:
                    loader.add(record)

            fed, n_nodes, n_edges = 0.0, 0, 0
            for chunk in chunks(size, seed):
                note(chunk)
                n = sum(isinstance(r, Node) for r in chunk)
                n_nodes, n_edges = n_nodes + n, n_edges + len(chunk) - n
                t0 = time.perf_counter()
                feed(chunk)
                fed += time.perf_counter() - t0
            t0 = time.perf_counter()
            loader.__exit__(None, None, None)
            load_s = spent + fed + time.perf_counter() - t0
            cpu_s = time.process_time() - cpu0  # the whole process (JVM threads too), generation included
            collections, triggered = (b - a for a, b in zip((collections0, triggered0), _collections()))
            driver = server.driver()
            want = {k: dict(sorted(v.items())) for k, v in expected.items()}
            counts_match = graph_counts(driver, "bench") == want == loader.counts()
            path = bolt_path_latency(driver, "bench", choose_pairs(programs, startups, pairs, seed))
    rows = n_nodes + n_edges
    return {"load_s": round(load_s, 3), "rows_per_s": round(rows / load_s), "nodes": n_nodes,
            "relationships": n_edges, "counts_match": counts_match, "heap": heap, "gc": gc_mode,
            "chunk_rows": chunk_rows, "process_cpu_s": round(cpu_s, 1), "python_gc_runs": collections,
            "jpype_triggered_gc": triggered, "path": path, "peak_rss_mb": _peak_rss_mb()}


def _collections() -> tuple[int, int]:
    """Python's cyclic collections so far (all generations), and those JPype started on a Java GC."""
    import gc

    import _jpype

    return sum(g["collections"] for g in gc.get_stats()), int(_jpype.gcStats().get("triggered", 0))


def nxpaths(size: int, seed: int, pairs: int) -> dict[str, Any]:
    """networkx's shortest path length on an undirected graph of the same edges, for the pairs `native` asks."""
    import networkx as nx

    from benchmarks.measure import choose_pairs, networkx_path_latency

    programs, startups, undirected = [], [], nx.Graph()
    for chunk in chunks(size, seed):
        for r in chunk:
            if isinstance(r, Node):
                if r.label in ("Program", "Startup"):
                    (programs if r.label == "Program" else startups).append(r.id)
            else:
                undirected.add_edge(r.source, r.target)
    return networkx_path_latency(undirected, choose_pairs(programs, startups, pairs, seed))


def networkx(size: int, seed: int) -> dict[str, Any]:
    """A networkx MultiDiGraph with every node and relationship property (keyed by relationship id)."""
    import networkx as nx

    graph = nx.MultiDiGraph()

    def feed(chunk: list[Node | Edge]) -> None:
        for r in chunk:
            if isinstance(r, Node):
                graph.add_node(r.id, label=r.label, **r.properties)
            else:
                graph.add_edge(r.source, r.target, key=r.id, type=r.type, **r.properties)

    load_s, n_nodes, n_edges = timed_feed(size, seed, feed)
    counts_match = graph.number_of_nodes() == n_nodes and graph.number_of_edges() == n_edges
    return {"load_s": round(load_s, 3), "rows_per_s": round((n_nodes + n_edges) / load_s), "nodes": n_nodes,
            "relationships": n_edges, "counts_match": counts_match, "peak_rss_mb": _peak_rss_mb()}


def _ladybug_columns(table: Any) -> tuple[Any, dict[str, str]]:
    """The table with columns that hold only nulls made text, and each column's LadybugDB type."""
    import pyarrow as pa

    names = {pa.string(): "STRING", pa.int64(): "INT64", pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE",
             pa.date32(): "DATE", pa.list_(pa.string()): "STRING[]"}
    fixes = {pa.null(): pa.string(), pa.list_(pa.null()): pa.list_(pa.string())}
    table = table.cast(pa.schema([pa.field(f.name, fixes.get(f.type, f.type)) for f in table.schema]))
    return table, {f.name: names[f.type] for f in table.schema}


def ladybug(size: int, seed: int) -> dict[str, Any]:
    """LadybugDB: typed node and rel tables, then one COPY per label and per (type, endpoint labels) from Arrow."""
    import ladybug as lb
    import pyarrow as pa

    node_parts: dict[str, list[Any]] = defaultdict(list)
    edge_parts: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    labels: dict[str, str] = {}

    def collect(chunk: list[Node | Edge]) -> None:  # one Arrow table per chunk and label or type: memory stays columnar
        node_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        edge_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in chunk:
            if isinstance(r, Node):
                labels[r.id] = r.label
                node_rows[r.label].append(r.properties)
            else:
                edge_rows[(r.type, labels[r.source], labels[r.target])].append(
                    {"from": r.source, "to": r.target, **r.properties, "id": r.id})
        for label, rows in node_rows.items():
            node_parts[label].append(pa.Table.from_pylist(rows))
        for key, rows in edge_rows.items():
            edge_parts[key].append(pa.Table.from_pylist(rows))

    prepare_s, n_nodes, n_edges = timed_feed(size, seed, collect)
    t0 = time.perf_counter()
    labels.clear()

    def whole(parts: list[Any]) -> tuple[Any, dict[str, str]]:
        return _ladybug_columns(pa.concat_tables(parts, promote_options="permissive"))

    node_tables = {label: whole(parts) for label, parts in node_parts.items()}
    node_parts.clear()
    edge_tables = {key: whole(parts) for key, parts in edge_parts.items()}
    edge_parts.clear()
    prepare_s += time.perf_counter() - t0
    arrow = {"STRING": pa.string(), "INT64": pa.int64(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(),
             "DATE": pa.date32(), "STRING[]": pa.list_(pa.string())}

    with tempfile.TemporaryDirectory(prefix="soyaku-bench-ladybug-") as tmp:
        t0 = time.perf_counter()
        db = lb.Database(str(Path(tmp) / "db"))
        conn = lb.Connection(db)
        for label, (_, types) in node_tables.items():
            columns = ", ".join(f"{k} {t}" for k, t in types.items())
            conn.execute(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY(id))")
        by_type: dict[str, list[tuple[str, str]]] = defaultdict(list)
        rel_types: dict[str, dict[str, str]] = defaultdict(dict)
        for (kind, a, b), (_, types) in edge_tables.items():
            by_type[kind].append((a, b))
            rel_types[kind].update({k: t for k, t in types.items() if k not in ("from", "to")})
        for kind, pairs in by_type.items():
            ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
            columns = "".join(f", {k} {t}" for k, t in rel_types[kind].items())
            conn.execute(f"CREATE REL TABLE {kind}({ends}{columns})")
        for label, (data, _) in node_tables.items():
            conn.execute(f"COPY {label} FROM data")
        for (kind, a, b), (data, types) in edge_tables.items():
            missing = [k for k in rel_types[kind] if k not in types]
            for k in missing:  # COPY wants every column of the rel table, in order
                data = data.append_column(k, pa.nulls(len(data), arrow[rel_types[kind][k]]))
            data = data.select(["from", "to", *rel_types[kind]])
            conn.execute(f"COPY {kind} FROM data (from='{a}', to='{b}')")
        load_s = time.perf_counter() - t0
        got_nodes = conn.execute("MATCH (n) RETURN count(n)").get_next()[0]
        got_edges = conn.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0]
    return {"load_s": round(load_s, 3), "rows_per_s": round((n_nodes + n_edges) / load_s),
            "prepare_s": round(prepare_s, 3), "nodes": n_nodes, "relationships": n_edges,
            "counts_match": got_nodes == n_nodes and got_edges == n_edges, "peak_rss_mb": _peak_rss_mb(),
            "version": lb.__version__ if hasattr(lb, "__version__") else "?"}


if __name__ == "__main__":
    variant, size, seed = sys.argv[1], parse_size(sys.argv[2]), int(sys.argv[3])
    if variant == "native":
        result = native(size, seed, sys.argv[4], int(sys.argv[5]), *sys.argv[6:7], *map(int, sys.argv[7:8]))
    elif variant == "nxpaths":
        result = nxpaths(size, seed, int(sys.argv[4]))
    else:
        result = {"networkx": networkx, "ladybug": ladybug}[variant](size, seed)
    print(json.dumps(result))
