"""`python -m benchmarks.web`: the web explorer's latency beside the same question through the CLI, both warm.

    python -m benchmarks.web [--runs 200] [--cli-runs 20]

Builds the seed graph in a temporary home, starts `soyaku serve` (the engine, the forwarding listener and the
explorer), warms up, then times over HTTP: an entity page, name suggestions, a named query page; and, through the
CLI forwarded to that same server: `soyaku query facts-about`, `soyaku find`, `soyaku query ministry-totals`.
Prints p50/p95 per question with the load average before and after (docs/web.md keeps the figures).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TARGETS_MS = {"entity page": 50, "search suggestions": 30, "named query page": 100}
QUESTIONS = [  # (name, web path, CLI arguments)
    ("entity page", "/entity/su-tregem-biopharma", ["query", "facts-about", "--param", "name=su-tregem-biopharma"]),
    ("search suggestions", "/search/suggest?q=tregem", ["find", "tregem"]),
    ("named query page", "/query/ministry-totals?fiscal_year=2025", ["query", "ministry-totals", "--param",
                                                                     "fiscal_year=2025"]),
]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cli-runs", type=int, default=20)
    args = parser.parse_args()
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native
    from soyaku.loaders.pipeline import compile_graph, render_artifacts, write_artifacts

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        compiled = compile_graph()
        rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))
        write_artifacts(render_artifacts(compiled), home / "build")
        env = {**os.environ, "SOYAKU_HOME": str(home), "SOYAKU_BACKGROUND": "0"}
        soyaku = [sys.executable, "-c", "from soyaku.cli.main import main; main()"]
        child = subprocess.Popen([*soyaku, "serve"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 env=env)
        try:
            url = None
            for line in child.stdout:  # type: ignore[union-attr]
                if found := re.search(r"Web\s+(http://\S+)", line):
                    url = found[1].rstrip("/")
                if "Ctrl-C" in line:
                    break
            if url is None:
                raise SystemExit("soyaku serve printed no web address")
            load_before = os.getloadavg()
            print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
            print(f"{'question':<20} {'web p50':>8} {'web p95':>8} {'target':>7} {'CLI p50':>8} {'CLI p95':>8}")
            with httpx.Client(timeout=60) as http:
                for name, path, cli in QUESTIONS:
                    for _ in range(20):  # warm: templates compiled, JIT warm, connections pooled
                        http.get(url + path).raise_for_status()
                    web = []
                    for _ in range(args.runs):
                        start = time.perf_counter()
                        http.get(url + path).raise_for_status()
                        web.append((time.perf_counter() - start) * 1000)
                    subprocess.run([*soyaku, *cli], env=env, capture_output=True, check=True)
                    cli_ms = []
                    for _ in range(args.cli_runs):
                        start = time.perf_counter()
                        subprocess.run([*soyaku, *cli], env=env, capture_output=True, check=True)
                        cli_ms.append((time.perf_counter() - start) * 1000)
                    (w50, w95), (c50, c95) = _percentiles(web), _percentiles(cli_ms)
                    print(f"{name:<20} {w50:>6.1f}ms {w95:>6.1f}ms {TARGETS_MS[name]:>5}ms {c50:>6.0f}ms {c95:>6.0f}ms")
            load_after = os.getloadavg()
            print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} "
                  f"({os.cpu_count()} cores)")
        finally:
            child.terminate()
            child.wait(timeout=60)


if __name__ == "__main__":
    main()
