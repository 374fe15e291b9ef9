"""How long a question takes from the command line: `soyaku query vc-backed-startups`, each a fresh process.

    python -m benchmarks.latency [RUNS]      prints one JSON line (also run by `python -m benchmarks`)

Three situations, on the seed graph built by `soyaku build` into a new SOYAKU_HOME:

- *served*: `soyaku serve` runs (started by the user); every question goes to it over Bolt.
- *background*: nothing runs and the background engine is on (the default): the first question starts it, the
  next ones use it. The first run is reported apart; the median is over all runs, the first included.
- *one-shot*: `--no-background`: every question starts and stops an engine of its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUESTION = ("query", "vc-backed-startups", "--format", "csv")


def _soyaku() -> str:
    from benchmarks.measure import soyaku_executable

    return soyaku_executable()


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {stderr.strip()[-1000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _summary(timed: list[tuple[float, float]]) -> dict[str, Any]:
    times, cpu = [t for t, _ in timed], [c for _, c in timed]
    return {"runs": len(times), "median_s": round(statistics.median(times), 3), "best_s": round(min(times), 3),
            "cpu_median_s": round(statistics.median(cpu), 3), "all_s": [round(t, 3) for t in times]}


def _wait_for_server(home: Path, timeout_s: float = 120) -> None:
    from soyaku.graph.registry import find_running_server

    deadline = time.monotonic() + timeout_s
    while find_running_server(home) is None:
        if time.monotonic() > deadline:
            raise RuntimeError("soyaku serve did not come up")
        time.sleep(0.1)


def cli_latency(runs: int = 10) -> dict[str, Any]:
    """Wall and CPU time of one question from the CLI: served, background (first run apart) and one-shot."""
    from soyaku.graph.background import find_background, stop_server

    soyaku = _soyaku()
    out: dict[str, Any] = {"question": "soyaku " + " ".join(QUESTION)}
    with tempfile.TemporaryDirectory(prefix="soyaku-bench-latency-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "SOYAKU_HOME": str(home), "SOYAKU_BACKGROUND": "1"}
        subprocess.run([soyaku, "build"], env=env, capture_output=True, check=True, timeout=600)

        out["one_shot"] = _summary([_timed([soyaku, "--no-background", *QUESTION], env) for _ in range(max(3, runs // 2))])

        background = [_timed([soyaku, *QUESTION], env) for _ in range(runs)]
        out["background"] = {**_summary(background), "first_s": round(background[0][0], 3),
                             "warm_median_s": round(statistics.median(t for t, _ in background[1:]), 3)}
        found = find_background(home)
        if found is not None:
            stop_server(home, found.pid)

        serve = subprocess.Popen([soyaku, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_server(home)
            _timed([soyaku, *QUESTION], env)  # the server's first query warms its JVM, as a user's would be
            out["served"] = _summary([_timed([soyaku, *QUESTION], env) for _ in range(runs)])
        finally:
            serve.terminate()
            serve.wait(timeout=60)
        floor = [_timed([sys.executable, "-c", "pass"], env) for _ in range(runs)]
        out["python_floor"] = _summary(floor)
    return out


if __name__ == "__main__":
    print(json.dumps(cli_latency(int(sys.argv[1]) if len(sys.argv) > 1 else 10)))
