"""The measurements behind `python -m benchmarks`: loaders, path latency, named queries, CLI start, build.

Every engine measurement runs against the real embedded ArcadeDB over Bolt. One `EmbeddedServer` per size, each
variant in a database of its own (the loaders MERGE on id, so every load starts from an empty database).
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import neo4j

from soyaku.loaders.cypher_load import constraint_statements, graph_counts, load_graph
from soyaku.loaders.property_graph import Edge, Node, PropertyGraph

__all__ = [
    "PATH_QUERY",
    "build_end_to_end",
    "build_phases",
    "cli_cold_start",
    "fresh_database",
    "latency",
    "machine_info",
    "measure_loaders",
    "naive_load",
    "named_query_latency",
    "bolt_path_latency",
    "choose_pairs",
    "merge_paths",
    "networkx_path_latency",
    "path_latency",
    "path_latency_on",
    "streamed",
]

#: Shortest path between labelled endpoints (the index on id is used), any direction, at most 10 hops.
PATH_QUERY = (
    "MATCH (a:Program {id: $source}), (b:Startup {id: $target}) "
    "MATCH p = shortestPath((a)-[*..10]-(b)) RETURN length(p) AS hops"
)
MAX_HOPS = 10


# ---------------------------------------------------------------------------------------------------- statistics


def latency(samples_s: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / mean / min / max of durations given in seconds, reported in milliseconds."""
    ms = sorted(s * 1000 for s in samples_s)
    if not ms:
        return {"n": 0}

    def pct(q: float) -> float:  # nearest-rank on the sorted samples, interpolated
        k = (len(ms) - 1) * q
        lo, hi = int(k), min(int(k) + 1, len(ms) - 1)
        return ms[lo] + (ms[hi] - ms[lo]) * (k - lo)

    return {"n": len(ms), "p50_ms": round(pct(0.5), 3), "p95_ms": round(pct(0.95), 3),
            "mean_ms": round(statistics.fmean(ms), 3), "min_ms": round(ms[0], 3), "max_ms": round(ms[-1], 3)}


# ---------------------------------------------------------------------------------------------------- loaders


def fresh_database(server: Any, name: str) -> str:
    """Create (or get) database `name` on a running `EmbeddedServer` and check that it is empty."""
    server.create_database(name)
    driver = server.driver()
    with driver.session(database=name) as session:
        count = session.run("MATCH (n) RETURN count(n) AS c").single()["c"]
    if count:
        raise RuntimeError(f"database {name!r} is not empty ({count} nodes): use a new name or a new home")
    return name


def naive_load(driver: neo4j.Driver, database: str, graph: PropertyGraph, *, nodes: Sequence[Node] | None = None,
               edges: Sequence[Edge] | None = None, constraints: bool = True) -> int:
    """The obvious loader: one auto-commit `MERGE` statement per node and per relationship, no batching.

    It creates the same uniqueness constraints as the project's loader first (otherwise every relationship MATCH
    would scan a whole label and the comparison would measure the missing index, not the batching). Loads
    `nodes`/`edges` when given (a sample), else the whole graph; returns the number of statements sent.
    """
    labels = {n.id: n.label for n in graph.nodes}
    sent = 0
    with driver.session(database=database) as session:
        if constraints:
            for statement in constraint_statements(labels.values()):
                session.run(statement).consume()
                sent += 1
        for node in graph.nodes if nodes is None else nodes:
            session.run(f"MERGE (n:{node.label} {{id: $id}}) SET n = $props",
                        id=node.id, props=dict(node.properties)).consume()
            sent += 1
        for edge in graph.edges if edges is None else edges:
            session.run(
                f"MATCH (a:{labels[edge.source]} {{id: $source}}) MATCH (b:{labels[edge.target]} {{id: $target}}) "
                f"MERGE (a)-[r:{edge.type} {{id: $id}}]->(b) SET r = $props, r.id = $id",
                source=edge.source, target=edge.target, id=edge.id, props=dict(edge.properties),
            ).consume()
            sent += 1
    return sent


def _stride_sample(items: Sequence[Any], k: int) -> list[Any]:
    """About `k` items evenly spread over `items` (every n-th), so every label/type is represented."""
    if k >= len(items):
        return list(items)
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


def measure_loaders(server: Any, graph: PropertyGraph, tag: str, *, naive_full_rows: int,
                    naive_sample_nodes: int, naive_sample_edges: int, log: Callable[[str], None] = print) -> dict:
    """The project's batched loader vs the naive loader, each into a fresh database of `server`."""
    driver = server.driver()
    expected = graph.counts()
    n_nodes, n_edges = len(graph.nodes), len(graph.edges)

    batched_db = fresh_database(server, f"bench_{tag}_batched")
    t0 = time.perf_counter()
    load_graph(driver, batched_db, graph, fresh=True)
    batched_s = time.perf_counter() - t0
    batched_counts = graph_counts(driver, batched_db)
    log(f"  [{tag}] project loader: {batched_s:.2f} s for {n_nodes} nodes + {n_edges} relationships")

    naive_db = fresh_database(server, f"bench_{tag}_naive")
    result: dict[str, Any] = {
        "nodes": n_nodes,
        "relationships": n_edges,
        "batched_s": round(batched_s, 3),
        "batched_rows_per_s": round((n_nodes + n_edges) / batched_s),
        "batched_counts_match": batched_counts == expected,
    }
    if n_nodes + n_edges <= naive_full_rows:
        t0 = time.perf_counter()
        naive_load(driver, naive_db, graph)
        naive_s = time.perf_counter() - t0
        result.update(naive_mode="full", naive_s=round(naive_s, 3),
                      naive_counts_match=graph_counts(driver, naive_db) == expected)
        log(f"  [{tag}] naive loader (full): {naive_s:.2f} s")
    else:
        # Sampled: constraints, then a stride sample of nodes into the EMPTY database (timed); the other nodes
        # with the project's loader (not timed); then a stride sample of relationships (timed). Each sample is
        # timed in the cheapest state it could meet (fewer nodes, no other relationships), so the extrapolation
        # favours the naive loader: the real ratio is at least the one reported.
        node_sample = _stride_sample(graph.nodes, naive_sample_nodes)
        edge_sample = _stride_sample(graph.edges, naive_sample_edges)
        t0 = time.perf_counter()
        naive_load(driver, naive_db, graph, nodes=(), edges=())
        constraints_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        naive_load(driver, naive_db, graph, nodes=node_sample, edges=(), constraints=False)
        node_s = time.perf_counter() - t0
        load_graph(driver, naive_db, PropertyGraph(graph.nodes, ()))
        t0 = time.perf_counter()
        naive_load(driver, naive_db, graph, nodes=(), edges=edge_sample, constraints=False)
        edge_s = time.perf_counter() - t0
        per_node, per_edge = node_s / len(node_sample), edge_s / len(edge_sample)
        naive_s = constraints_s + per_node * n_nodes + per_edge * n_edges
        counts = graph_counts(driver, naive_db)
        result.update(
            naive_mode="extrapolated",
            naive_s=round(naive_s, 3),
            naive_sample_nodes=len(node_sample),
            naive_sample_relationships=len(edge_sample),
            naive_sample_s=round(constraints_s + node_s + edge_s, 3),
            naive_ms_per_node=round(per_node * 1000, 3),
            naive_ms_per_relationship=round(per_edge * 1000, 3),
            naive_counts_match=(sum(counts["nodes"].values()) == n_nodes
                                and sum(counts["relationships"].values()) == len(edge_sample)),
        )
        log(f"  [{tag}] naive loader (sample of {len(node_sample)} nodes + {len(edge_sample)} relationships, "
            f"{node_s + edge_s:.1f} s): extrapolated {naive_s:.1f} s")
    result["naive_rows_per_s"] = round((n_nodes + n_edges) / result["naive_s"])
    result["speedup"] = round(result["naive_s"] / batched_s, 2)
    result["database"] = batched_db
    return result


# ---------------------------------------------------------------------------------------------------- paths


def path_latency(driver: neo4j.Driver, database: str, graph: PropertyGraph, *, pairs: int = 200, seed: int = 7,
                 warmup: int = 10) -> dict:
    """shortestPath Program → Startup over Bolt vs networkx on the same (undirected) graph, same random pairs."""
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(n.id for n in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges)
    build_s = time.perf_counter() - t0
    programs = [n.id for n in graph.nodes if n.label == "Program"]
    startups = [n.id for n in graph.nodes if n.label == "Startup"]
    result = path_latency_on(driver, database, programs, startups, g, pairs=pairs, seed=seed, warmup=warmup)
    return {**result, "networkx_graph_build_s": round(build_s, 3)}


def path_latency_on(driver: neo4j.Driver, database: str, programs: Sequence[str], startups: Sequence[str],
                    undirected: Any, *, pairs: int = 200, seed: int = 7, warmup: int = 10) -> dict:
    """`path_latency` given the Program and Startup ids and an undirected networkx graph of the same edges."""
    chosen = choose_pairs(programs, startups, pairs, seed)
    return merge_paths(bolt_path_latency(driver, database, chosen, warmup=warmup),
                       networkx_path_latency(undirected, chosen))


def choose_pairs(programs: Sequence[str], startups: Sequence[str], pairs: int, seed: int) -> list[tuple[str, str]]:
    """`pairs` random (Program, Startup) id pairs; the same ids and seed give the same pairs in any process."""
    rng = random.Random(seed)
    return [(rng.choice(programs), rng.choice(startups)) for _ in range(pairs)]


def bolt_path_latency(driver: neo4j.Driver, database: str, chosen: Sequence[tuple[str, str]], *,
                      warmup: int = 10) -> dict:
    """PATH_QUERY over Bolt for each pair (after `warmup` untimed ones): latency and the hops found."""
    bolt_times, bolt_hops = [], []
    with driver.session(database=database) as session:
        for source, target in chosen[:warmup]:
            session.run(PATH_QUERY, source=source, target=target).consume()
        for source, target in chosen:
            t0 = time.perf_counter()
            record = session.run(PATH_QUERY, source=source, target=target).single()
            bolt_times.append(time.perf_counter() - t0)
            bolt_hops.append(None if record is None else record["hops"])
    found = [h for h in bolt_hops if h is not None]
    return {"pairs": len(chosen), "bolt": latency(bolt_times), "bolt_hops": bolt_hops, "paths_found": len(found),
            "mean_hops": round(statistics.fmean(found), 2) if found else None}


def networkx_path_latency(undirected: Any, chosen: Sequence[tuple[str, str]]) -> dict:
    """networkx's shortest path length (at most MAX_HOPS, as PATH_QUERY) for each pair: latency and hops."""
    import networkx as nx

    nx_times, nx_hops = [], []
    for source, target in chosen:
        t0 = time.perf_counter()
        try:
            hops = nx.shortest_path_length(undirected, source, target) \
                if source in undirected and target in undirected else None
        except nx.NetworkXNoPath:
            hops = None
        nx_times.append(time.perf_counter() - t0)
        nx_hops.append(hops if hops is None or hops <= MAX_HOPS else None)
    return {"networkx": latency(nx_times), "networkx_hops": nx_hops}


def merge_paths(bolt: dict, networkx: dict) -> dict:
    """One path entry from the Bolt and the networkx halves (measured in one process or two)."""
    agree = sum(a == b for a, b in zip(bolt["bolt_hops"], networkx["networkx_hops"]))
    return {"pairs": bolt["pairs"], "bolt": bolt["bolt"], "networkx": networkx["networkx"],
            "paths_found": bolt["paths_found"], "mean_hops": bolt["mean_hops"], "hops_agree": agree}


# ---------------------------------------------------------------------------------------------------- named queries


def named_query_latency(driver: neo4j.Driver, database: str, *, runs: int = 20,
                        queries_dir: Path | None = None) -> dict:
    """p50/p95 of every named query (queries/*.cypher, header-default parameters), as the CLI runs them."""
    from soyaku.queries.library import named_queries, parse_header
    from soyaku.queries.run import run_cypher

    if queries_dir is not None:
        found = {}
        for path in sorted(queries_dir.glob("*.cypher")):
            q = parse_header(path.read_text(encoding="utf-8"), path.stem)
            found[q.name] = q
    else:
        found = named_queries()
    results: dict[str, Any] = {}
    for name, query in sorted(found.items()):
        params = query.bind({})
        try:
            rows = len(run_cypher(driver, database, query.text, params).rows)  # warm-up, and the row count
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                run_cypher(driver, database, query.text, params)
                times.append(time.perf_counter() - t0)
            results[name] = {"rows": rows, "parameters": params, **latency(times)}
        except Exception as exc:  # a query under construction must not stop the whole benchmark
            results[name] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                             "parameters": params}
    return results


# ---------------------------------------------------------------------------------------------------- processes


def soyaku_executable() -> str:
    """The `soyaku` console script next to this interpreter (the venv's), else the one on PATH."""
    candidate = Path(sys.executable).parent / "soyaku"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("soyaku")
    if not found:
        raise RuntimeError("the `soyaku` command is not installed: pip install -e . in this environment")
    return found


def _run_child(argv: list[str], env: dict[str, str] | None = None,
               timeout: float = 600) -> tuple[float, int, int, str]:
    """Run a child process: (wall seconds, exit code, peak RSS in bytes of that child, stderr)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = t0 + timeout
    while True:  # wait4 gives the rusage of THIS child (RUSAGE_CHILDREN would accumulate the maximum of all)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return wall, proc.returncode, rss, stderr


def cli_cold_start(runs: int = 10) -> dict:
    """Wall time of `soyaku --help` vs `python -c pass`, each a fresh process, best and median."""
    soyaku = soyaku_executable()
    out: dict[str, Any] = {"runs": runs}
    for key, argv in (("python_c_pass", [sys.executable, "-c", "pass"]), ("soyaku_help", [soyaku, "--help"])):
        _run_child(argv)  # warm the page cache
        times = []
        for _ in range(runs):
            wall, code, _, err = _run_child(argv)
            if code != 0:
                raise RuntimeError(f"{' '.join(argv)} failed ({code}): {err.strip()[-500:]}")
            times.append(wall)
        out[key] = {"best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3)}
    out["soyaku_help_over_python_s"] = round(out["soyaku_help"]["median_s"] - out["python_c_pass"]["median_s"], 3)
    return out


def build_end_to_end(runs: int = 3) -> dict:
    """`soyaku build` in a subprocess with a new temporary SOYAKU_HOME each run: wall time and peak RSS."""
    soyaku = soyaku_executable()
    times, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="soyaku-bench-home-") as home:
            env = {**os.environ, "SOYAKU_HOME": home}
            wall, code, rss, err = _run_child([soyaku, "build"], env=env)
            if code != 0:
                raise RuntimeError(f"soyaku build failed ({code}): {err.strip()[-2000:]}")
            times.append(wall)
            peaks.append(rss)
    return {"runs": runs, "best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3),
            "all_s": [round(t, 3) for t in times], "peak_rss_mb": round(max(peaks) / 2**20, 1)}


def _child_json(module: str, *args: str, timeout: float, env: dict[str, str] | None = None) -> Any:
    """Run `python -m module args…` from the repository root and parse the JSON line it prints last."""
    proc = subprocess.run([sys.executable, "-m", module, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_phases() -> dict:
    """Where a build's time goes: the phases of `soyaku build`, timed in a fresh child process."""
    with tempfile.TemporaryDirectory(prefix="soyaku-bench-home-") as home:
        return _child_json("benchmarks.build_phases", home, timeout=600, env={**os.environ, "SOYAKU_HOME": home})


def streamed(variant: str, size: str, seed: int, *args: str) -> dict[str, Any]:
    """One streamed load (`benchmarks.streamed`: native, ladybug, networkx or nxpaths) in a fresh child process,
    with the machine's 1-minute load average before and after it."""
    before = os.getloadavg()[0]
    result = _child_json("benchmarks.streamed", variant, size, str(seed), *args, timeout=3600)
    result["loadavg"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    return result


def ladybug_available() -> bool:
    """Whether LadybugDB (the optional `benchmark` extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("ladybug") is not None and importlib.util.find_spec("pyarrow") is not None


def heap_comparison(size: str, heaps: Sequence[str], seed: int) -> dict[str, Any]:
    """The project loader on the same graph with each JVM heap, each in a fresh child process; speed-up vs the first."""
    out: dict[str, Any] = {"size": size, "heaps": {}}
    for heap in heaps:
        out["heaps"][heap] = _child_json("benchmarks.heap_load", size, heap, str(seed), timeout=3600)
    base = out["heaps"][heaps[0]]["load_s"]
    for entry in out["heaps"].values():
        entry["speedup"] = round(base / entry["load_s"], 2)
    return out

# ---------------------------------------------------------------------------------------------------- machine


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("soyaku-kg", "arcadedb-embedded", "neo4j", "networkx", "ladybug", "pyarrow", "JPype1", "rdflib",
                 "pyshacl"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def machine_info() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"cpu": cpu, "cores": usable, "ram_gb": ram_gb, "os": platform.platform(),
            "versions": _versions()}
