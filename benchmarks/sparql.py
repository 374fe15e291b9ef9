"""`python -m benchmarks.sparql`: the SPARQL store chosen by measurement, side by side: Oxigraph (pyoxigraph) against
rdflib's own SPARQL engine, on the seed graph (load time, p50 of each named SPARQL question) and on synthetic data of
10k and 100k triples (load time, p50 of vc-backed-startups). Writes benchmarks/sparql-results.json; prints Markdown.

    python -m benchmarks.sparql [--sizes 10k,100k] [--runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from benchmarks.generator import parse_size
from soyaku.loaders.pipeline import compile_graph
from soyaku.loaders.sparql_store import FACTS_GRAPH, ONTOLOGY_GRAPH, write_store
from soyaku.queries.sparql import DEFAULT_PREFIXES, NamedSparql, SparqlStore, bind_parameters, named_sparql_queries

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in DEFAULT_PREFIXES.items())


#: A question slower than this once is timed once more only (rdflib takes seconds to minutes on some).
SLOW_MS = 1000.0


def _p50_ms(run: Callable[[], Any], runs: int) -> float:
    start = time.perf_counter()
    run()  # warm (and a first look: a slow engine is not timed `runs` times over)
    if (time.perf_counter() - start) * 1000 > SLOW_MS:
        runs = 1
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = work()
    return value, time.perf_counter() - start


def _rdflib(turtle: str) -> Dataset:
    """The facts and the ontology, each in its named graph, as the Oxigraph store holds them."""
    dataset = Dataset(default_union=True)
    dataset.graph(URIRef(FACTS_GRAPH)).parse(data=turtle, format="turtle")
    ontology = files("soyaku.ontology").joinpath("soyaku.ttl").read_text(encoding="utf-8")
    dataset.graph(URIRef(ONTOLOGY_GRAPH)).parse(data=ontology, format="turtle")
    return dataset


def _engines(turtle: str, workdir: Path) -> dict[str, tuple[Callable[[str], int], float]]:
    """Each engine: a function answering a query (its row count) and its load time in seconds."""
    path = workdir / f"store-{len(turtle)}"
    _, oxi_build = _timed(lambda: write_store(turtle, path))
    disk, oxi_open = _timed(lambda: ox.Store.read_only(str(path)))
    served, oxi_memory = _timed(lambda: SparqlStore(path))
    dataset, rdflib_load = _timed(lambda: _rdflib(turtle))
    return {
        "oxigraph, in memory (as served: the built store read once)": (
            lambda q: len(served.answer(q).rows), oxi_build + oxi_memory),
        "oxigraph, queried on disk": (lambda q: len(list(disk.query(q, use_default_graph_as_union=True))),
                                      oxi_build + oxi_open),
        "rdflib (parse the Turtle, its own SPARQL)": (lambda q: len(list(dataset.query(q))), rdflib_load),
    }


def with_defaults(named: NamedSparql) -> str:
    """The query's text with its parameters' defaults bound as soyaku binds them (facts-about: Tregem, by id)."""
    given = {p.name: f"https://w3id.org/soyaku-kg/id/{p.default}" if p.entity else p.default
             for p in named.query.parameters if p.default is not None}
    return PREFIXES + (bind_parameters(named.query.text, given) if given else named.query.text)


def seed(runs: int, workdir: Path, rdflib: bool = True) -> dict[str, Any]:
    turtle = compile_graph().rdf.serialize(format="turtle")
    engines = _engines(turtle, workdir)
    out: dict[str, Any] = {"triples": len(Graph().parse(data=turtle, format="turtle")), "engines": {}}
    for engine, (answer, load_s) in engines.items():
        if engine.startswith("rdflib") and not rdflib:
            continue
        print(f"seed: {engine}", file=sys.stderr, flush=True)
        p50 = {}
        for name, named in named_sparql_queries().items():
            p50[name] = round(_p50_ms(lambda q=with_defaults(named): answer(q), runs), 2)
            print(f"  {name}: {p50[name]} ms", file=sys.stderr, flush=True)
        out["engines"][engine] = {"load_s": round(load_s, 3), "p50_ms": p50}
    return out


def synthetic_turtle(triples: int) -> str:
    """Adoptions of the seed's shape (startup, VC, round, two sourced derivations) up to about `triples` triples."""
    per_adoption = 17  # triples of one adoption with its derivations and startup
    lines = ["@prefix sy: <https://w3id.org/soyaku-kg/ontology#> . @prefix id: <https://w3id.org/soyaku-kg/id/> .",
             "@prefix prov: <http://www.w3.org/ns/prov#> . @prefix schema: <https://schema.org/> .",
             "id:doc a sy:Document ; sy:title \"doc\" ; sy:publisher id:pub . id:pub schema:name \"publisher\" ."]
    vcs, rounds = 300, 40
    lines += [f"id:vc{v} a sy:VentureCapital ; schema:name \"VC {v}\" ." for v in range(vcs)]
    lines += [f"id:r{r} a sy:Round ; sy:number {r} ; sy:announced \"2024-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> ."
              for r in range(rounds)]
    for a in range(max(1, (triples - 2 * vcs - 3 * rounds) // per_adoption)):
        lines.append(
            f"id:a{a} a sy:Adoption ; sy:backedBy id:vc{a % vcs} ; sy:startup id:s{a} ; sy:status \"active\" ; "
            f"sy:round id:r{a % rounds} ; prov:qualifiedDerivation id:a{a}d1, id:a{a}d2 . "
            f"id:s{a} a sy:Startup ; schema:name \"startup {a}\" . "
            f"id:a{a}d1 prov:entity id:doc ; sy:locator \"f.txt#L{a}\" ; sy:quote \"q{a}\" . "
            f"id:a{a}d2 prov:entity id:doc ; sy:locator \"f.txt#L{a}\" ; sy:quote \"r{a}\" .")
    return "\n".join(lines)


def synthetic(size: int, runs: int, workdir: Path, rdflib: bool = False) -> dict[str, Any]:
    turtle = synthetic_turtle(size)
    query = PREFIXES + named_sparql_queries()["vc-backed-startups"].query.text
    one_vc = query.replace("WHERE {", "WHERE { VALUES ?param_vc { id:vc7 }", 1)
    out: dict[str, Any] = {"triples": len(Graph().parse(data=turtle, format="turtle")), "engines": {}}
    for engine, (answer, load_s) in _engines(turtle, workdir).items():
        if engine.startswith("rdflib") and not rdflib:
            continue
        print(f"synthetic {size}: {engine}", file=sys.stderr, flush=True)
        out["engines"][engine] = {"load_s": round(load_s, 3),
                                  "p50_ms_one_vc": round(_p50_ms(lambda: answer(one_vc), runs), 2),
                                  "p50_ms_all_rows": round(_p50_ms(lambda: answer(query), 3), 1)}
        print(f"  {out['engines'][engine]}", file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="synthetic sizes in triples [10k,100k]")
    parser.add_argument("--runs", type=int, default=21, help="runs per p50 [21]")
    parser.add_argument("--rdflib-synthetic", action="store_true",
                        help="time rdflib on the synthetic data too (minutes per question from 10k triples on)")
    parser.add_argument("--skip-seed", action="store_true", help="only the synthetic sizes")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave rdflib out on the seed graph too")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "sparql-results.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {"load_average_before": [round(x, 2) for x in os.getloadavg()],
                   "seed": None if args.skip_seed else seed(args.runs, Path(tmp), not args.skip_rdflib),
                   "synthetic": {s: synthetic(parse_size(s), args.runs, Path(tmp), args.rdflib_synthetic)
                                 for s in args.sizes.split(",")},
                   "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
