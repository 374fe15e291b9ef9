"""`python -m benchmarks`: measure Soyaku KG side by side in one run, write JSON and docs/performance.md.

    python -m benchmarks [--sizes 10k,100k,1m] [--out docs/performance.md] [--json benchmarks/results.json]

Run it from the repository root with the project installed (pip install -e .). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.generator import generate, parse_size
from benchmarks.latency import cli_latency
from benchmarks.plot import growth_plot
from benchmarks.report import PLOT, render_markdown, targets

ROOT = Path(__file__).resolve().parent.parent
#: The native loader's heap: the 1M load took the same CPU as with 2g or 4g, its process ~2.5 GB (findings.md).
NATIVE_HEAP = "1536m"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.loaders.cypher_load import graph_counts, load_graph
    from soyaku.loaders.native_load import load_graph_native
    from soyaku.loaders.pipeline import compile_graph

    from benchmarks import measure

    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m benchmarks " + " ".join(sys.argv[1:]),
        "machine": measure.machine_info(),
        "settings": {"seed": args.seed, "edges_per_node": 3, "path_pairs": args.pairs, "query_runs": args.query_runs,
                     "cli_runs": args.cli_runs, "latency_runs": args.latency_runs, "build_runs": args.build_runs, "naive_full_rows": args.naive_full_rows,
                     "naive_sample_nodes": args.naive_sample_nodes, "naive_sample_edges": args.naive_sample_edges,
                     "heap": args.heap, "native_heap": args.native_heap, "heaps": args.heaps,
                     "bolt_max_rows": args.bolt_max_rows,
                     "native_variants": args.native_variants, "variant_rounds": args.variant_rounds,
                     "native_runs": args.native_runs},
        "sizes": {},
    }

    # Process measurements first, while this process holds no JVM (children get the machine to themselves).
    if args.build_runs:
        _log(f"soyaku build end to end ×{args.build_runs} (subprocess, new SOYAKU_HOME each)…")
        results["build"] = measure.build_end_to_end(args.build_runs)
        _log(f"  median {results['build']['median_s']} s, peak RSS {results['build']['peak_rss_mb']} MB")
        _log("build phases (one more build, timed step by step)…")
        results["build_phases"] = measure.build_phases()
    if args.cli_runs:
        _log(f"soyaku --help vs python -c pass ×{args.cli_runs}…")
        results["cli"] = measure.cli_cold_start(args.cli_runs)
        _log(f"  soyaku --help median {results['cli']['soyaku_help']['median_s']} s")
    if args.latency_runs:
        _log(f"a question from the CLI ×{args.latency_runs}: served, background engine, one-shot…")
        results["latency"] = cli_latency(args.latency_runs)
        _log(f"  served median {results['latency']['served']['median_s']} s, background median "
             f"{results['latency']['background']['median_s']} s (first {results['latency']['background']['first_s']} s)")
    if args.heaps and args.sizes:
        largest = max(args.sizes, key=parse_size)
        _log(f"JVM heap {', '.join(args.heaps)} at {largest} (project loader, a fresh process per heap)…")
        results["heap"] = measure.heap_comparison(largest, args.heaps, args.seed)
        _log("  " + ", ".join(f"{h}: {e['load_s']} s" for h, e in results["heap"]["heaps"].items()))

    with tempfile.TemporaryDirectory(prefix="soyaku-bench-") as tmp:
        seed_graph = compile_graph().graph
        for index, label in enumerate(args.sizes):
            n = parse_size(label)
            entry: dict[str, Any] = {}
            _log(f"size {label}: native bulk loader (child process, heap {args.native_heap})…")
            entry["native"] = measure.streamed("native", label, args.seed, args.native_heap, str(args.pairs))
            entry.update(nodes=entry["native"]["nodes"], relationships=entry["native"]["relationships"])
            if args.native_runs > 1:
                entry["native_runs"] = native_runs(label, entry["native"], args)
            entry["path"] = measure.merge_paths(entry["native"].pop("path"),
                                                measure.streamed("nxpaths", label, args.seed, str(args.pairs)))
            if args.native_variants:
                entry["native_variants"] = native_variants(label, args)
            _log(f"  [{label}] native: {entry['native']['load_s']} s ({entry['native']['rows_per_s']} rows/s); "
                 f"shortestPath p50 {entry['path']['bolt']['p50_ms']} ms over Bolt")
            for reference in ("ladybug", "networkx"):
                if reference == "ladybug" and not measure.ladybug_available():
                    _log("  LadybugDB not installed (pip install -e .[benchmark]): skipped")
                    continue
                entry[reference] = measure.streamed(reference, label, args.seed)
                _log(f"  [{label}] {reference}: {entry[reference]['load_s']} s")
            bolt_here = 4 * n <= args.bolt_max_rows
            if bolt_here or index == 0:
                with EmbeddedServer(Path(tmp) / f"home-{label}", heap=args.heap) as server:
                    if bolt_here:
                        _log(f"  [{label}] generating {n} nodes for the Bolt loaders…")
                        t0 = time.perf_counter()
                        graph = generate(n, seed=args.seed)
                        entry["generate_s"] = round(time.perf_counter() - t0, 3)
                        if index == 0:  # warm the JVM (JIT) with both loaders once, so the first size is not penalised
                            warm = generate(200, seed=args.seed + 1)
                            load_graph(server.driver(), measure.fresh_database(server, "bench_warmup_batched"), warm)
                            measure.naive_load(server.driver(), measure.fresh_database(server, "bench_warmup_naive"),
                                               warm)
                        entry["bolt"] = measure.measure_loaders(
                            server, graph, label, naive_full_rows=args.naive_full_rows,
                            naive_sample_nodes=args.naive_sample_nodes, naive_sample_edges=args.naive_sample_edges,
                            log=_log)
                        entry["bolt"]["path"] = measure.path_latency(server.driver(), entry["bolt"]["database"], graph,
                                                                     pairs=args.pairs, seed=args.seed)
                        del graph
                    if index == 0:  # the seed graph and its named queries
                        driver = server.driver()
                        seed_db = measure.fresh_database(server, "bench_seed")
                        t0 = time.perf_counter()
                        load_graph_native(server.open_database(seed_db), seed_graph)
                        results["seed"] = {"load_s": round(time.perf_counter() - t0, 3),
                                           "counts_match": graph_counts(driver, seed_db) == seed_graph.counts(),
                                           "nodes": len(seed_graph.nodes), "relationships": len(seed_graph.edges)}
                        queries_dir = Path(args.queries) if args.queries else None
                        results["named_queries"] = measure.named_query_latency(driver, seed_db, runs=args.query_runs,
                                                                               queries_dir=queries_dir)
                        _log(f"  named queries on the seed graph: {len(results['named_queries'])} measured")
            results["sizes"][label] = entry
    results["runtime_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results)
    return results


def native_runs(label: str, first: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The native load at `label` `args.native_runs` times in all (`first` and more, each a fresh child, one after
    another): each run's load, peak RSS and load average, and the spread (slowest / fastest − 1)."""
    from benchmarks import measure

    done = [first]
    for _ in range(args.native_runs - 1):
        run = measure.streamed("native", label, args.seed, args.native_heap, "20")
        _log(f"  [{label}] native again: {run['load_s']} s, peak RSS {run['peak_rss_mb']} MB, "
             f"loadavg {run['loadavg'][0]}→{run['loadavg'][1]}")
        done.append(run)
    loads = [r["load_s"] for r in done]
    return {"load_s": loads, "spread": round(max(loads) / min(loads) - 1, 3),
            "peak_rss_mb": [r["peak_rss_mb"] for r in done], "process_cpu_s": [r["process_cpu_s"] for r in done],
            "loadavg": [r["loadavg"] for r in done], "counts_match": all(r["counts_match"] for r in done)}


#: The native loader's variants `--native-variants` may name: (Python GC during the load, rows per JVM call).
NATIVE_VARIANTS = {"gc-on": ("on", 20_000), "gc-off": ("off", 20_000), "gc-on-100k": ("on", 100_000),
                   "gc-off-100k": ("off", 100_000), "gc-off-5k": ("off", 5_000)}


def native_variants(label: str, args: argparse.Namespace) -> dict[str, Any]:
    """Each named variant of the native loader at size `label`, each in a fresh child, in turn `args.variant_rounds`
    times (ABAB…, so a change in the machine's load falls on every variant); the median load of each, and its ratio
    to the first variant's."""
    from benchmarks import measure

    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in args.native_variants}
    for _ in range(args.variant_rounds):
        for name in args.native_variants:
            gc_mode, chunk = NATIVE_VARIANTS[name]
            run = measure.streamed("native", label, args.seed, args.native_heap, "20", gc_mode, str(chunk))
            run.pop("path")
            runs[name].append(run)
            _log(f"  [{label}] native {name}: {run['load_s']} s, process CPU {run['process_cpu_s']} s, Python GC runs "
                 f"{run.get('python_gc_runs')} (JPype-triggered {run.get('jpype_triggered_gc')}), "
                 f"peak RSS {run['peak_rss_mb']} MB, loadavg {run['loadavg'][0]}→{run['loadavg'][1]}")
    out: dict[str, Any] = {}
    for name, done in runs.items():
        out[name] = {"load_s": [r["load_s"] for r in done], "median_s": round(statistics.median(r["load_s"] for r in done), 3),
                     "process_cpu_s": [r["process_cpu_s"] for r in done], "peak_rss_mb": max(r["peak_rss_mb"] for r in done),
                     "loadavg": [r["loadavg"] for r in done], "counts_match": all(r["counts_match"] for r in done),
                     "gc": done[0]["gc"], "chunk_rows": done[0]["chunk_rows"],
                     "python_gc_runs": [r.get("python_gc_runs") for r in done],
                     "jpype_triggered_gc": [r.get("jpype_triggered_gc") for r in done]}
    base = out[args.native_variants[0]]["median_s"]
    for entry in out.values():
        entry["ratio_to_first"] = round(entry["median_s"] / base, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="synthetic graph sizes in nodes [10k,100k,1m]")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"), help="Markdown report ('' = none)")
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "results.json"), help="JSON results ('' = none)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=200, help="random Program → Startup pairs per size [200]")
    parser.add_argument("--query-runs", type=int, default=20, help="timed runs per named query [20]")
    parser.add_argument("--cli-runs", type=int, default=10, help="runs of soyaku --help (0 = skip) [10]")
    parser.add_argument("--latency-runs", type=int, default=10,
                        help="runs of a CLI question per situation (served, background, one-shot; 0 = skip) [10]")
    parser.add_argument("--build-runs", type=int, default=3, help="runs of soyaku build (0 = skip) [3]")
    parser.add_argument("--naive-full-rows", type=int, default=60_000,
                        help="run the naive loader in full up to this many nodes+relationships, else sample [60000]")
    parser.add_argument("--naive-sample-nodes", type=int, default=5_000)
    parser.add_argument("--naive-sample-edges", type=int, default=15_000)
    parser.add_argument("--heap", default="4g", help="JVM heap of the engine for the Bolt loads and paths [4g]")
    parser.add_argument("--native-heap", default=NATIVE_HEAP,
                        help=f"JVM heap of the native loader's children [{NATIVE_HEAP}]")
    parser.add_argument("--bolt-max-rows", type=int, default=400_000,
                        help="run the Bolt loaders (project and naive) up to this many nodes+relationships [400000]")
    parser.add_argument("--heaps", default="",
                        help="JVM heaps to compare on the largest size's Bolt load, first = baseline, e.g. 1g,4g ('' = skip) []")
    parser.add_argument("--native-variants", default="",
                        help=f"native loader variants to compare at each size, first = baseline, e.g. gc-on,gc-off "
                             f"(of {', '.join(NATIVE_VARIANTS)}; '' = skip) []")
    parser.add_argument("--native-runs", type=int, default=2,
                        help="native loads per size, one after another, for the run-to-run spread [2]")
    parser.add_argument("--variant-rounds", type=int, default=2, help="runs of each native variant, interleaved [2]")
    parser.add_argument("--queries", default=None, help="directory of .cypher files (default: the installed queries)")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.heaps = [h.strip() for h in args.heaps.split(",") if h.strip()]
    args.native_variants = [v.strip() for v in args.native_variants.split(",") if v.strip()]
    if unknown := [v for v in args.native_variants if v not in NATIVE_VARIANTS]:
        parser.error(f"unknown native variant(s) {', '.join(unknown)}: choose from {', '.join(NATIVE_VARIANTS)}")

    results = run(args)
    text = json.dumps(results, ensure_ascii=False, indent=2, default=_default)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
        _log(f"wrote {args.json}")
    if args.out:
        Path(args.out).write_text(render_markdown(results), encoding="utf-8")
        _log(f"wrote {args.out}")
        if results["sizes"]:
            growth_plot(results, Path(args.out).parent / PLOT)
            _log(f"wrote {Path(args.out).parent / PLOT}")
    for row in results["targets"]:
        _log(f"{'MET ' if row['met'] else 'MISS'} {row['target']}: {row['figure']}")
    _log(f"total {results['runtime_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
