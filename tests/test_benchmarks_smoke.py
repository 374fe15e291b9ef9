"""Smoke test of the benchmarks: a tiny synthetic graph through every loader and the path measurement.

Runs against the real embedded engine in a temporary home; checks structure only (counts, result keys), never
timings. The full benchmark is `python -m benchmarks` (docs/performance.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `benchmarks` is a top-level package of the repository, not installed
    sys.path.insert(0, str(ROOT))

from soyaku.loaders.property_graph import Node  # noqa: E402

from benchmarks.__main__ import native_runs  # noqa: E402
from benchmarks.generator import generate, parse_size, stream  # noqa: E402
from benchmarks.plot import growth_plot  # noqa: E402
from benchmarks.report import issue_20_rows, render_markdown, targets  # noqa: E402

TINY = 200
MAIN_LABELS = {"Ministry", "Program", "BudgetLine", "Fund", "Round", "Startup", "VentureCapital", "University",
               "Document"}
MAIN_TYPES = {"RESPONSIBLE_FOR", "ALLOCATES", "FUNDS", "FINANCES", "HAS_ROUND", "ADOPTED", "BACKED", "CERTIFIED_FOR",
              "ORIGINATED_FROM", "MENTIONS"}

pytestmark = pytest.mark.slow


def test_parse_size() -> None:
    assert [parse_size(s) for s in ("1k", "10k", "100k", "250", "1.5k")] == [1000, 10000, 100000, 250, 1500]


def test_generator_is_seeded_and_well_formed() -> None:
    a, b = generate(TINY, seed=3), generate(TINY, seed=3)
    assert [n.id for n in a.nodes] == [n.id for n in b.nodes]
    assert [(e.id, e.properties) for e in a.edges] == [(e.id, e.properties) for e in b.edges]
    assert [n.id for n in generate(TINY, seed=4).nodes] != [n.id for n in a.nodes] or \
        [e.id for e in generate(TINY, seed=4).edges] != [e.id for e in a.edges]

    assert len(a.nodes) == TINY
    assert 2.5 * TINY <= len(a.edges) <= 3.0 * TINY
    ids = {n.id: n.label for n in a.nodes}
    assert len(ids) == len(a.nodes) and len({e.id for e in a.edges}) == len(a.edges)
    assert all(e.source in ids and e.target in ids for e in a.edges)
    counts = a.counts()
    assert set(counts["nodes"]) == MAIN_LABELS and set(counts["relationships"]) == MAIN_TYPES
    allowed = {"RESPONSIBLE_FOR": ("Ministry", {"Program"}), "ALLOCATES": ("Ministry", {"BudgetLine"}),
               "FUNDS": ("BudgetLine", {"Program", "Fund"}), "FINANCES": ("Fund", {"Program"}),
               "HAS_ROUND": ("Program", {"Round"}), "ADOPTED": ("Round", {"Startup"}),
               "BACKED": ("VentureCapital", {"Startup"}), "CERTIFIED_FOR": ("VentureCapital", {"Program"}),
               "ORIGINATED_FROM": ("Startup", {"University"}), "MENTIONS": ("Document", MAIN_LABELS - {"Document"})}
    for e in a.edges:
        source, targets_ = allowed[e.type]
        assert ids[e.source] == source and ids[e.target] in targets_, e
    for n in a.nodes:
        p = n.properties
        assert p["id"] == n.id and p["name"] and p["name_ja"]
        assert isinstance(p["aliases"], list) and isinstance(p["sources"], list) and isinstance(p["quotes"], list)
    line = next(n for n in a.nodes if n.label == "BudgetLine").properties
    assert isinstance(line["amount_jpy"], int)
    backed = next(e for e in a.edges if e.type == "BACKED").properties
    assert {"round", "announced"} <= set(backed)


def test_stream_gives_the_generated_records_each_relationship_after_its_endpoints() -> None:
    graph = generate(TINY, seed=5)
    seen: set[str] = set()
    nodes, edges = [], []
    for record in stream(TINY, seed=5):
        if isinstance(record, Node):
            seen.add(record.id)
            nodes.append(record)
        else:
            assert record.source in seen and record.target in seen, record
            edges.append(record)
    assert [(n.id, n.properties) for n in nodes] == [(n.id, n.properties) for n in graph.nodes]
    assert sorted((e.id, e.type, e.source, e.target) for e in edges) == [(e.id, e.type, e.source, e.target)
                                                                          for e in graph.edges]


def test_loaders_and_paths_on_the_real_engine(tmp_path: Path) -> None:
    from soyaku.graph.arcadedb import EmbeddedServer

    from benchmarks import measure

    graph = generate(TINY, seed=1)
    with EmbeddedServer(tmp_path / "home") as server:
        full = measure.measure_loaders(server, graph, "tiny", naive_full_rows=10**9, naive_sample_nodes=0,
                                       naive_sample_edges=0, log=lambda _: None)
        assert full["naive_mode"] == "full"
        assert full["batched_counts_match"] and full["naive_counts_match"]
        assert {"batched_s", "naive_s", "speedup", "batched_rows_per_s", "naive_rows_per_s"} <= set(full)

        sampled = measure.measure_loaders(server, graph, "tinysampled", naive_full_rows=0, naive_sample_nodes=40,
                                          naive_sample_edges=60, log=lambda _: None)
        assert sampled["naive_mode"] == "extrapolated"
        assert sampled["naive_counts_match"]
        assert sampled["naive_sample_nodes"] == 40 and sampled["naive_sample_relationships"] == 60

        path = measure.path_latency(server.driver(), full["database"], graph, pairs=20, warmup=2)
        assert {"bolt", "networkx", "paths_found", "hops_agree", "mean_hops"} <= set(path)
        assert path["bolt"]["n"] == path["networkx"]["n"] == 20
        assert {"p50_ms", "p95_ms"} <= set(path["bolt"])
        assert path["hops_agree"] == 20  # the engine and networkx find paths of the same length

        queries = tmp_path / "queries"
        queries.mkdir()
        (queries / "count.cypher").write_text("// name: count-startups\n// parameters: none\n"
                                              "MATCH (s:Startup) RETURN count(s) AS n\n", encoding="utf-8")
        named = measure.named_query_latency(server.driver(), full["database"], runs=2, queries_dir=queries)
        assert named["count-startups"]["rows"] == 1 and "p50_ms" in named["count-startups"]
        assert measure.named_query_latency(server.driver(), full["database"], runs=1,
                                           queries_dir=tmp_path / "none") == {}

    heap = measure.heap_comparison(str(TINY), ["256m", "512m"], seed=1)  # each in its own child process
    assert list(heap["heaps"]) == ["256m", "512m"] and heap["heaps"]["256m"]["speedup"] == 1.0
    assert all(e["counts_match"] and e["load_s"] > 0 for e in heap["heaps"].values())

    native = measure.streamed("native", str(TINY), 1, "512m", "20")  # streamed from the generator, own process
    assert native["counts_match"] and native["nodes"] == TINY and native["relationships"] == len(graph.edges)
    assert native["gc"] == "off" and native["chunk_rows"] == 20_000 and len(native["loadavg"]) == 2
    native["path"] = measure.merge_paths(native["path"], measure.streamed("nxpaths", str(TINY), 1, "20"))
    assert native["path"]["hops_agree"] == 20  # networkx, in a process of its own, answers the same pairs alike
    variant = measure.streamed("native", str(TINY), 1, "512m", "5", "on", "50")  # GC on, small JVM calls
    assert variant["counts_match"] and variant["gc"] == "on" and variant["chunk_rows"] == 50
    references = {"networkx": measure.streamed("networkx", str(TINY), 1)}
    if measure.ladybug_available():  # the optional `benchmark` extra
        references["ladybug"] = measure.streamed("ladybug", str(TINY), 1)
    for entry in references.values():
        assert entry["counts_match"] and entry["nodes"] == TINY and entry["rows_per_s"] > 0

    results = {"generated_at": "now", "command": "python -m benchmarks", "runtime_s": 1.0,
               "machine": measure.machine_info(), "settings": {"seed": 1, "path_pairs": 20, "query_runs": 2,
                                                               "heap": "1g", "bolt_max_rows": 10**6},
               "sizes": {"tiny": {"nodes": TINY, "relationships": len(graph.edges), "native": native,
                                  "path": native.pop("path"), "bolt": {**full, "path": path}, **references}},
               "named_queries": named, "seed": {}, "heap": heap}
    results["targets"] = targets(results)
    assert [t["met"] in (True, False) for t in results["targets"]] == [True, True]
    args = argparse.Namespace(native_runs=2, seed=1, native_heap="512m")
    runs = native_runs(str(TINY), native, args)  # one more run in a child of its own
    assert len(runs["load_s"]) == 2 and runs["counts_match"] and runs["spread"] >= 0
    assert runs["spread"] == round(max(runs["load_s"]) / min(runs["load_s"]) - 1, 3)
    results["sizes"]["tiny"]["native_runs"] = runs
    # The issue-20 goals (shown for the 1M size) read the runs, LadybugDB's total and the peak RSS of one size.
    goals = {row["target"]: row for row in issue_20_rows(results["sizes"]["tiny"])}
    assert any("runs within 15 %" in t for t in goals) and any("peak RSS ≤ 3 GB" in t for t in goals)
    assert all(row["met"] in (True, False) for row in goals.values())
    if "ladybug" in references:
        lady = references["ladybug"]
        ratio = native["load_s"] / (lady["load_s"] + lady["prepare_s"])
        assert next(r for t, r in goals.items() if "LadybugDB" in t)["figure"].startswith(f"{ratio:.2f}×")
    text = render_markdown(results)
    assert "| tiny |" in text and "count-startups" in text and "| 512m |" in text
    assert "native load runs s" in text  # the runs one after another, with their spread
    growth_plot(results, tmp_path / "growth.png")
    assert (tmp_path / "growth.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("too_small", [0, 19])
def test_generator_refuses_tiny_sizes(too_small: int) -> None:
    with pytest.raises(ValueError):
        generate(too_small)


def test_sparql_benchmark_synthetic_data_has_the_size_asked_and_answers() -> None:
    import pyoxigraph as ox

    from benchmarks.sparql import PREFIXES, synthetic_turtle
    from soyaku.queries.sparql import named_sparql_queries

    store = ox.Store()
    store.load(synthetic_turtle(2000).encode(), format=ox.RdfFormat.TURTLE)
    assert 1800 <= len(store) <= 2000
    rows = list(store.query(PREFIXES + named_sparql_queries()["vc-backed-startups"].query.text))
    assert rows and all(" ‖ " in str(r["sources"].value) for r in rows)  # two sourced derivations per adoption
