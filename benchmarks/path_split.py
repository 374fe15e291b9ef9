"""`python -m benchmarks.path_split SIZE [SEED]`: where a shortestPath's time goes over Bolt, in one fresh process.

Loads the synthetic graph of SIZE nodes with the native loader, then times `measure.PATH_QUERY` for the same seeded
Program → Startup pairs several ways: over Bolt with parameters (as the benchmark and drivers ask), in an explicit
transaction, with the ids written into the text as literals, through the embedded database's own Cypher API without
Bolt, the same search written as one pattern (`ONE_PATTERN`) and without the bound in the pattern (`UNBOUNDED`);
and, for scale, a `RETURN 1` round trip and the two indexed lookups alone. Each way runs twice, once in the order
listed and once reversed (the JIT warms as it goes: the first way measured was slower in a first try). Prints one
JSON line of p50s (ms) with the server's own `result_available_after` / `result_consumed_after`, and how many pairs
the three path queries answer with the same length.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from soyaku.loaders.property_graph import Edge, Node

from benchmarks.generator import parse_size, stream
from benchmarks.measure import PATH_QUERY, choose_pairs

LOOKUP = "MATCH (a:Program {id: $source}), (b:Startup {id: $target}) RETURN a.id, b.id"
ONE_PATTERN = ("MATCH p = shortestPath((a:Program {id: $source})-[*..10]-(b:Startup {id: $target})) "
               "RETURN length(p) AS hops")
#: No upper bound in the pattern, the 10 hops checked after: the same answers (a shortest path longer than 10 hops
#: means there is none of at most 10), but the engine may search another way.
UNBOUNDED = ("MATCH (a:Program {id: $source}), (b:Startup {id: $target}) "
             "MATCH p = shortestPath((a)-[*]-(b)) WITH p WHERE length(p) <= 10 RETURN length(p) AS hops")
WARMUP, PAIRS = 50, 300


def _times(run: Callable[[str, str], object], pairs: list[tuple[str, str]]) -> list[float]:
    times = []
    for source, target in pairs:
        t0 = time.perf_counter()
        run(source, target)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _hops(session: object, query: str, source: str, target: str) -> int | None:
    record = session.run(query, source=source, target=target).single()  # type: ignore[attr-defined]
    return None if record is None else record["hops"]


def main(size: int, seed: int) -> dict[str, object]:
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.loaders.native_load import load_native

    programs: list[str] = []
    startups: list[str] = []

    def records() -> Iterator[Node | Edge]:
        for record in stream(size, seed):
            if isinstance(record, Node) and record.label in ("Program", "Startup"):
                (programs if record.label == "Program" else startups).append(record.id)
            yield record

    with tempfile.TemporaryDirectory(prefix="soyaku-bench-paths-") as home:
        with EmbeddedServer(Path(home), heap="4g") as server:
            load_native(server.create_database("bench"), records())
            pairs = choose_pairs(programs, startups, PAIRS, seed)
            warm, timed = pairs[:WARMUP], pairs[WARMUP:]
            driver = server.driver()
            server_times: list[tuple[float, float]] = []
            with driver.session(database="bench") as session:
                for source, target in warm:
                    session.run(PATH_QUERY, source=source, target=target).consume()

                def bolt(source: str, target: str) -> None:
                    result = session.run(PATH_QUERY, source=source, target=target)
                    result.single()
                    summary = result.consume()
                    server_times.append((summary.result_available_after or 0, summary.result_consumed_after or 0))

                def explicit(source: str, target: str) -> None:
                    with session.begin_transaction() as tx:
                        tx.run(PATH_QUERY, source=source, target=target).single()
                        tx.commit()

                def literals(source: str, target: str) -> None:
                    text = PATH_QUERY.replace("$source", json.dumps(source)).replace("$target", json.dumps(target))
                    session.run(text).single()

                ways: dict[str, Callable[[str, str], object]] = {
                    "bolt_params": bolt, "bolt_explicit_tx": explicit, "bolt_literals": literals,
                    "bolt_one_pattern": lambda s, t: session.run(ONE_PATTERN, source=s, target=t).single(),
                    "bolt_unbounded": lambda s, t: session.run(UNBOUNDED, source=s, target=t).single(),
                    "bolt_return_1": lambda s, t: session.run("RETURN 1 AS x").single(),
                    "bolt_lookups_only": lambda s, t: session.run(LOOKUP, source=s, target=t).single()}
                database = server.open_database("bench")
                ways["embedded_params"] = lambda s, t: list(database.query("opencypher", PATH_QUERY,
                                                                           {"source": s, "target": t}))
                times: dict[str, list[float]] = {name: [] for name in ways}
                for order in (list(ways), list(reversed(ways))):  # each way early once and late once
                    for name in order:
                        times[name] += _times(ways[name], timed)
                agree = sum(len({_hops(session, query, s, t) for query in (PATH_QUERY, ONE_PATTERN, UNBOUNDED)}) == 1
                            for s, t in timed)
            driver.close()
    out: dict[str, object] = {"nodes": size, **{f"{name}_p50_ms": round(statistics.median(t), 3)
                                                for name, t in times.items()}}
    out["same_hops"] = f"{agree}/{len(timed)}"
    out["server_available_after_p50_ms"] = statistics.median(a for a, _ in server_times)
    out["server_consumed_after_p50_ms"] = statistics.median(c for _, c in server_times)
    return out


if __name__ == "__main__":
    print(json.dumps(main(parse_size(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 42)))
