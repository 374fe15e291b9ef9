"""`python -m benchmarks.heap_load SIZE HEAP SEED`: the project loader on one synthetic graph in a JVM of that heap.

A JVM's heap is fixed when it starts, so each heap is measured in its own fresh process; prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generator import generate, parse_size


def main(size: str, heap: str, seed: int) -> dict[str, object]:
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.loaders.cypher_load import graph_counts, load_graph

    graph = generate(parse_size(size), seed=seed)
    with tempfile.TemporaryDirectory(prefix="soyaku-bench-heap-") as home:
        with EmbeddedServer(Path(home), heap=heap) as server:
            driver = server.driver()
            t0 = time.perf_counter()
            load_graph(driver, server.database, graph, fresh=True)
            load_s = time.perf_counter() - t0
            counts_match = graph_counts(driver, server.database) == graph.counts()
    rows = len(graph.nodes) + len(graph.edges)
    return {"load_s": round(load_s, 3), "rows_per_s": round(rows / load_s), "counts_match": counts_match}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
