"""Targets and the Markdown report (docs/performance.md) from the results of `python -m benchmarks`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["TARGETS", "render_markdown", "targets"]

#: The issue's targets: build end to end, load speed-up at the largest size, path p50 over Bolt, --help.
TARGETS = {"build_s": 10.0, "load_speedup": 5.0, "path_p50_ms": 5.0, "help_s": 0.3}

FINDINGS = Path(__file__).with_name("findings.md")


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured figure and whether it is met (None when it was not measured)."""
    rows = []
    build = results.get("build")
    if build:
        rows.append({"target": f"seed graph build end to end < {TARGETS['build_s']:g} s",
                     "figure": f"{build['median_s']:.2f} s median of {build['runs']} (best {build['best_s']:.2f} s)",
                     "met": build["median_s"] < TARGETS["build_s"]})
    sizes = results.get("sizes", {})
    if sizes:
        largest = max(sizes, key=lambda k: sizes[k]["nodes"])
        s = sizes[largest]
        mode = "naive extrapolated from a sample" if s["naive_mode"] == "extrapolated" else "naive run in full"
        rows.append({"target": f"{largest}-node load ≥ {TARGETS['load_speedup']:g}× faster than the naive loader",
                     "figure": f"{s['speedup']:.1f}× ({s['batched_s']:.1f} s vs {s['naive_s']:.1f} s, {mode})",
                     "met": s["speedup"] >= TARGETS["load_speedup"]})
        worst = max(sizes, key=lambda k: sizes[k]["path"]["bolt"]["p50_ms"])
        p50 = sizes[worst]["path"]["bolt"]["p50_ms"]
        every = ", ".join(f"{k}: {v['path']['bolt']['p50_ms']:.2f} ms" for k, v in sizes.items())
        rows.append({"target": f"shortestPath p50 over Bolt ≤ {TARGETS['path_p50_ms']:g} ms (every size)",
                     "figure": every, "met": p50 <= TARGETS["path_p50_ms"]})
    cli = results.get("cli")
    if cli:
        rows.append({"target": f"`soyaku --help` ≤ {TARGETS['help_s']:g} s",
                     "figure": f"{cli['soyaku_help']['median_s']:.3f} s median (best {cli['soyaku_help']['best_s']:.3f} s)",
                     "met": cli["soyaku_help"]["median_s"] <= TARGETS["help_s"]})
    return rows


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    v = m["versions"]
    lines = [
        "# Performance",
        "",
        "Measured by `python -m benchmarks` (package `benchmarks/`); this file is generated, rerun to refresh it:",
        "",
        "```sh",
        "python -m benchmarks --sizes 1k,10k,100k --out docs/performance.md --json benchmarks/results.json",
        "```",
        "",
        f"Run of {r['generated_at']} (`{r['command'].strip()}`), {r['runtime_s']:.0f} s in all.",
        "",
        f"**Machine:** {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}.  ",
        "**Versions:** " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        "## Targets",
        "",
    ]
    lines += _table(["target", "measured", "met"],
                    [[t["target"], t["figure"], "yes" if t["met"] else "**no**"] for t in r["targets"]])

    sizes = r.get("sizes", {})
    if sizes:
        lines += ["", "## Loading a synthetic ecosystem into the embedded engine", "",
                  "Seeded synthetic graphs (`benchmarks/generator.py`, seed "
                  f"{r['settings']['seed']}, ~3 relationships per node, Zipf-skewed investments and mentions), each "
                  "loaded into a new database of one embedded ArcadeDB server per size, over Bolt. *Project loader*: "
                  "`soyaku.loaders.cypher_load.load_graph(..., fresh=True)` as `soyaku build` runs it (constraints, then "
                  "`UNWIND … MERGE` node batches and `UNWIND … CREATE` relationship batches of 1,000 per label / "
                  "relationship type, one explicit transaction per batch). *Naive loader*: the same "
                  "constraints, then one auto-commit `MERGE` statement per node and per relationship.", ""]
        rows = []
        for label, s in sizes.items():
            if s["naive_mode"] == "full":
                naive = f"{s['naive_s']:.1f} s (full run)"
            else:
                naive = (f"≈ {s['naive_s']:.0f} s (extrapolated¹ from {s['naive_sample_nodes']:,} nodes + "
                         f"{s['naive_sample_relationships']:,} relationships: {s['naive_ms_per_node']:.2f} ms/node, "
                         f"{s['naive_ms_per_relationship']:.2f} ms/relationship)")
            rows.append([label, f"{s['nodes']:,}", f"{s['relationships']:,}", f"{s['batched_s']:.2f} s",
                         f"{s['batched_rows_per_s']:,}", naive, f"**{s['speedup']:.1f}×**",
                         "yes" if s["batched_counts_match"] and s["naive_counts_match"] else "**no**"])
        lines += _table(["size", "nodes", "relationships", "project loader", "rows/s", "naive loader",
                         "speed-up", "counts check"], rows)
        if any(s["naive_mode"] == "extrapolated" for s in sizes.values()):
            lines += ["", "¹ Too slow to run in full within the benchmark's time budget: the naive loader is timed on "
                      "an evenly spread sample (every n-th node, then every n-th relationship) and its per-row cost is "
                      "multiplied by the full row counts. Nodes are timed into an empty database, relationships into a "
                      "database holding all nodes and no other relationships: the cheapest states they could meet, so "
                      "the extrapolation favours the naive loader and the real speed-up is at least the one shown."]

    heap = r.get("heap")
    if heap:
        first = next(iter(heap["heaps"]))
        lines += ["", f"### JVM heap at {heap['size']}", "",
                  f"The project loader on the same {heap['size']} graph, each heap in a fresh process (`SOYAKU_HEAP`; "
                  f"the project's default is 1g, the tables above use {r['settings']['heap']}):", ""]
        lines += _table(["heap", "project loader", "rows/s", f"speed-up vs {first}", "counts check"],
                        [[h, f"{e['load_s']:.2f} s", f"{e['rows_per_s']:,}", f"{e['speedup']:.2f}×",
                          "yes" if e["counts_match"] else "**no**"] for h, e in heap["heaps"].items()])

    if sizes:
        lines += ["", "## Path queries: Bolt vs networkx", "",
                  f"`shortestPath` between a random Program and a random Startup ({r['settings']['path_pairs']} "
                  "seeded pairs, any direction, at most 10 hops, after 10 warm-up queries), wall time per query "
                  "through the neo4j driver (one session), against `networkx.shortest_path_length` on an undirected "
                  "in-memory copy of the same graph:", "",
                  "```cypher", "MATCH (a:Program {id: $source}), (b:Startup {id: $target})",
                  "MATCH p = shortestPath((a)-[*..10]-(b)) RETURN length(p) AS hops", "```", ""]
        rows = []
        for label, s in sizes.items():
            p = s["path"]
            rows.append([label, f"{p['bolt']['p50_ms']:.2f}", f"{p['bolt']['p95_ms']:.2f}",
                         f"{p['networkx']['p50_ms']:.3f}", f"{p['networkx']['p95_ms']:.3f}",
                         f"{p['networkx_graph_build_s']:.2f} s", f"{p['paths_found']}/{p['pairs']}",
                         p["mean_hops"], f"{p['hops_agree']}/{p['pairs']}"])
        lines += _table(["size", "Bolt p50 ms", "Bolt p95 ms", "networkx p50 ms", "networkx p95 ms",
                         "networkx graph build", "paths found", "mean hops", "same length"], rows)

    nq = r.get("named_queries")
    if nq is not None:
        seed = r.get("seed", {})
        lines += ["", "## Named queries on the seed graph", "",
                  f"Every `queries/*.cypher` with its header's default parameters, run as `soyaku query` runs it "
                  f"(`run_cypher`: explicit transaction, read-only check), {r['settings']['query_runs']} timed runs "
                  f"after one warm-up, on the seed graph ({seed.get('nodes', '?')} nodes, "
                  f"{seed.get('relationships', '?')} relationships).", ""]
        if not nq:
            lines.append("No named queries were found (queries/*.cypher): nothing to measure yet.")
        else:
            rows = []
            for name, q in nq.items():
                if "error" in q:
                    rows.append([f"`{name}`", "—", "—", "—", f"error: {q['error']}"])
                else:
                    rows.append([f"`{name}`", q["rows"], f"{q['p50_ms']:.2f}", f"{q['p95_ms']:.2f}", ""])
            lines += _table(["query", "rows", "p50 ms", "p95 ms", "note"], rows)

    cli, build = r.get("cli"), r.get("build")
    if cli or build:
        lines += ["", "## Command line and build", "", "Each figure is a fresh child process (wall time).", ""]
        rows = []
        if cli:
            rows += [["`python -c pass` (interpreter floor)", f"{cli['python_c_pass']['best_s']:.3f} s",
                      f"{cli['python_c_pass']['median_s']:.3f} s", "", cli["runs"]],
                     ["`soyaku --help`", f"{cli['soyaku_help']['best_s']:.3f} s",
                      f"{cli['soyaku_help']['median_s']:.3f} s", "", cli["runs"]]]
        if build:
            rows.append(["`soyaku build` (new SOYAKU_HOME, engine start included)", f"{build['best_s']:.2f} s",
                         f"{build['median_s']:.2f} s", f"{build['peak_rss_mb']:.0f} MB", build["runs"]])
        lines += _table(["command", "best", "median", "peak RSS", "runs"], rows)
    phases = r.get("build_phases")
    if phases:
        total = phases.get("total in process") or sum(phases.values())
        lines += ["", "### Where a build's time goes", "",
                  "`python -m benchmarks.build_phases` repeats `soyaku build` step by step in a fresh process "
                  "(one run; it varies by a few tenths of a second between runs):", ""]
        rows = [[name, f"{sec:.2f} s", f"{100 * sec / total:.0f} %"]
                for name, sec in sorted(phases.items(), key=lambda kv: -kv[1]) if name != "total in process"]
        rows.append(["**total in process** (interpreter start not included)", f"**{total:.2f} s**", ""])
        lines += _table(["phase", "time", "share"], rows)

    if FINDINGS.exists():
        lines += ["", FINDINGS.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # re-render: python -m benchmarks.report benchmarks/results.json docs/performance.md
    import json
    import sys

    Path(sys.argv[2]).write_text(render_markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))),
                                 encoding="utf-8")
