"""`python -m benchmarks.load_phases SIZE HEAP [CHUNK [KEY=VALUE …]]`: where the native load's time and memory go.

One fresh process. KEY=VALUE pairs override the loader's `GraphBatch` settings (`native_load.GRAPH_BATCH`, e.g.
`max_deferred_incoming_edges=1000000`; integers and true/false are converted).

Streams the synthetic graph of SIZE nodes through `soyaku.loaders.native_load` (as `benchmarks.streamed native` does,
generation untimed) with every call the loader makes into the JVM timed apart: `createVerticesJson`,
`newEdgesJson`, the JSON encoding, `GraphBatch.close`; the rest of the loader's time is Python (queueing, checks, the
id → record-id map). Memory: the process's peak RSS, the JVM heap's peak use and size (all pools, from the JVM's
own memory beans) and the JVM's garbage collections. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generator import parse_size, stream
from benchmarks.streamed import _peak_rss_mb, chunks


class _Timed:
    """A stand-in for a JPype class whose static methods are timed into `spent[name]`."""

    def __init__(self, target: Any, spent: dict[str, float]):
        self._target, self._spent = target, spent

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._target, name)

        def timed(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return method(*args)
            finally:
                self._spent[name] += time.perf_counter() - t0
        return timed


def _jvm_memory() -> dict[str, Any]:
    import jpype

    management = jpype.JClass("java.lang.management.ManagementFactory")
    peak_used = peak_committed = 0
    for pool in management.getMemoryPoolMXBeans():
        if str(pool.getType()) == "Heap memory":
            peak_used += pool.getPeakUsage().getUsed()
            peak_committed += pool.getPeakUsage().getCommitted()
    gcs = {str(b.getName()): [int(b.getCollectionCount()), int(b.getCollectionTime())]
           for b in management.getGarbageCollectorMXBeans()}
    return {"heap_peak_used_mb": round(peak_used / 2**20), "heap_peak_committed_mb": round(peak_committed / 2**20),
            "jvm_gc_count_ms": gcs}


def main(size: int, heap: str, chunk_rows: int, batch: dict[str, Any], seed: int = 42) -> dict[str, Any]:
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.loaders import native_load

    spent: dict[str, float] = defaultdict(float)
    encode = native_load._json

    def timed_json(rows: list[dict[str, Any]]) -> str:
        t0 = time.perf_counter()
        try:
            return encode(rows)
        finally:
            spent["json_encoding"] += time.perf_counter() - t0

    native_load._json = timed_json
    with tempfile.TemporaryDirectory(prefix="soyaku-bench-phases-") as home:
        with EmbeddedServer(Path(home), heap=heap) as server:
            warm = native_load.NativeLoader(server.create_database("warmup"), chunk_rows, batch_settings=batch)
            with warm:
                for record in stream(200, seed + 1):
                    warm.add(record)
            spent.clear()
            rss_before = _peak_rss_mb()
            loader = native_load.NativeLoader(server.create_database("bench"), chunk_rows, batch_settings=batch)
            loader._vertex_batcher = _Timed(loader._vertex_batcher, spent)
            loader._edge_batcher = _Timed(loader._edge_batcher, spent)
            cpu0, t0 = time.process_time(), time.perf_counter()
            loader.__enter__()
            fed = rows = 0.0
            for chunk in chunks(size, seed):
                rows += len(chunk)
                t1 = time.perf_counter()
                for record in chunk:
                    loader.add(record)
                fed += time.perf_counter() - t1
            t1 = time.perf_counter()
            closing = dict(spent)
            loader.__exit__(None, None, None)
            close_s = time.perf_counter() - t1
            load_s = fed + close_s
            cpu_s = time.process_time() - cpu0
            memory = _jvm_memory()
    jvm_in_fed = sum(closing.values())
    phases = {name: round(seconds, 2) for name, seconds in sorted(spent.items())}
    phases["close (final flush + GraphBatch.close)"] = round(close_s - (sum(spent.values()) - jvm_in_fed), 2)
    phases["python (queueing, checks, rid map)"] = round(fed - jvm_in_fed, 2)
    return {"nodes_and_relationships": int(rows), "heap": heap, "chunk_rows": chunk_rows, "batch": batch,
            "load_s": round(load_s, 2),
            "rows_per_s": round(rows / load_s), "process_cpu_s": round(cpu_s, 1), "phases_s": phases,
            "peak_rss_mb": _peak_rss_mb(), "peak_rss_before_load_mb": rss_before, **memory}


def _setting(text: str) -> tuple[str, Any]:
    key, _, value = text.partition("=")
    return key, {"true": True, "false": False}.get(value, int(value) if value.lstrip("-").isdigit() else value)


if __name__ == "__main__":
    print(json.dumps(main(parse_size(sys.argv[1]), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 20_000,
                          dict(map(_setting, sys.argv[4:])))))
