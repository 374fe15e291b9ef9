"""`python -m benchmarks.build_phases HOME`: the phases of `soyaku build`, timed in this (fresh) process.

Mirrors `soyaku build` (src/soyaku/cli/main.py) step by step and prints one JSON line of seconds per phase.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T0 = time.perf_counter()


def main(home: Path) -> dict[str, float]:
    phases: dict[str, float] = {}
    t = time.perf_counter()
    import soyaku.cli.main  # noqa: F401  (what the console script imports first)

    phases["import soyaku.cli.main"] = time.perf_counter() - t
    t = time.perf_counter()
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native
    from soyaku.loaders.pipeline import compile_graph, render_artifacts, write_artifacts

    phases["import pipeline, engine, loaders (rdflib, pyshacl, neo4j)"] = time.perf_counter() - t
    t = time.perf_counter()
    from soyaku.loaders.curated import default_data_dir, read_curated
    from soyaku.loaders.property_graph import to_property_graph
    from soyaku.loaders.rdf import entity_iri, to_rdf
    from soyaku.ontology.model import load_model
    from soyaku.ontology.validation import check_rules

    model = load_model()
    curated = read_curated(default_data_dir(), model)
    phases["read curated YAML"] = time.perf_counter() - t
    t = time.perf_counter()
    rdf = to_rdf(curated, model)
    phases["to RDF"] = time.perf_counter() - t
    t = time.perf_counter()
    check_rules(rdf, {entity_iri(model, r.id): (r.file, r.line) for r in curated.records})
    phases["SHACL cross-record rules (pyshacl)"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = to_property_graph(rdf, model)
    phases["to property graph"] = time.perf_counter() - t

    marks: dict[str, float] = {}

    def load(database):  # noqa: ANN001
        marks["load_start"] = time.perf_counter()
        load_graph_native(database, graph)
        marks["load_end"] = time.perf_counter()

    t = time.perf_counter()
    rebuild_native(home, load, quick_start=True)  # as `soyaku build` starts the engine for a small graph
    end = time.perf_counter()
    phases["engine start (JVM + ArcadeDB server + database)"] = marks["load_start"] - t
    phases["native load (unique indexes + vertex/edge batches)"] = marks["load_end"] - marks["load_start"]
    phases["engine stop + swap"] = end - marks["load_end"]
    t = time.perf_counter()
    from soyaku.loaders.pipeline import Compiled

    write_artifacts(render_artifacts(Compiled(curated, rdf, graph)), home / "build")
    phases["write artifacts (turtle + JSON-LD)"] = time.perf_counter() - t
    phases["total in process"] = time.perf_counter() - T0
    return {k: round(v, 3) for k, v in phases.items()}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
