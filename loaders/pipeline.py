"""The build pipeline: curated facts → RDF → SHACL (the cross-record rules) → property graph → artifacts and engine.

Nothing is written until every check has passed; artifacts are swapped in whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import Graph

from soyaku import __version__
from soyaku.core.atomic import replace_dir
from soyaku.loaders.curated import Curated, default_data_dir, read_curated
from soyaku.loaders.expectations import check_record_counts
from soyaku.loaders.property_graph import PropertyGraph, to_property_graph
from soyaku.loaders.rdf import entity_iri, to_rdf
from soyaku.loaders.sparql_store import STORE_DIR, write_store
from soyaku.ontology.model import load_model
from soyaku.ontology.validation import check_conforms, check_rules
from soyaku.core.progress import QUIET, Stages

__all__ = ["Compiled", "check_every_shape", "compile_graph", "receipt", "render_artifacts", "write_artifacts"]


@dataclass(frozen=True)
class Compiled:
    """The outputs of the checked stages: records, RDF, property graph."""

    curated: Curated
    rdf: Graph
    graph: PropertyGraph


#: The last compile of this process, keyed by the digest of its inputs (see `compile_graph`).
_last: tuple[str, Compiled] | None = None
_STAGES = ("read and check the curated data", "build the RDF", "validate with SHACL", "map to the property graph")
_RULES_HOLD = "the cross-record rules hold"


def compile_graph(data_dir: Path | None = None, stages: Stages = QUIET, *, allow_shrink: bool = False) -> Compiled:
    """Read and check the curated data (and its record counts, see loaders/expectations.py), build RDF, validate
    it with SHACL's cross-record rules (the generated shapes restate what reading checked record by record; see
    soyaku.ontology.validation), map it to a property graph (each step reported to `stages`).

    A process compiles the same inputs once: while the data files, the model and `allow_shrink` are unchanged, a
    later call returns the same (read-only) result and reports the same stages.
    """
    global _last
    data_dir = Path(data_dir or default_data_dir())
    key = _inputs_digest(data_dir, allow_shrink)
    if _last is not None and _last[0] == key:
        for description, summary in zip(_STAGES, _summaries(_last[1])):
            with stages.stage(description) as done:
                done(summary)
        return _last[1]
    model = load_model()
    with stages.stage(_STAGES[0]) as done:
        curated = read_curated(data_dir, model)
        check_record_counts(curated, allow_shrink=allow_shrink)
        done(f"{len(curated.records)} records from {curated.data_dir}")
    with stages.stage(_STAGES[1]) as done:
        rdf = to_rdf(curated, model)
        done(f"{len(rdf)} triples")
    with stages.stage(_STAGES[2]) as done:
        check_rules(rdf, {entity_iri(model, r.id): (r.file, r.line) for r in curated.records})
        done(_RULES_HOLD)
    with stages.stage(_STAGES[3]) as done:
        graph = to_property_graph(rdf, model)
        done(f"{len(graph.nodes)} nodes, {len(graph.edges)} relationships")
    _last = (key, Compiled(curated, rdf, graph))
    return _last[1]


def check_every_shape(compiled: Compiled) -> None:
    """Validate the compiled RDF against every shape (the generated ones too, which reading already checked record
    by record): for what is published, a second, independent check. DataError with file and line if any fails."""
    model = load_model()
    check_conforms(compiled.rdf, {entity_iri(model, r.id): (r.file, r.line) for r in compiled.curated.records})


def _summaries(compiled: Compiled) -> tuple[str, str, str, str]:
    graph = compiled.graph
    return (f"{len(compiled.curated.records)} records from {compiled.curated.data_dir}", f"{len(compiled.rdf)} triples",
            _RULES_HOLD, f"{len(graph.nodes)} nodes, {len(graph.edges)} relationships")


def _inputs_digest(data_dir: Path, allow_shrink: bool) -> str:
    """A digest of everything a compile reads: the data files, the model and rules, and `allow_shrink`."""
    digest = hashlib.sha256(f"{data_dir.resolve()}\0{allow_shrink}".encode())
    ontology = files("soyaku.ontology")
    inputs = [(f"ontology/{name}", ontology / name) for name in ("model.yaml", "rules.ttl")]
    inputs += [(str(path.relative_to(data_dir)), path) for path in sorted(data_dir.rglob("*"))
               if path.suffix in (".yaml", ".txt") and path.is_file()]
    for name, path in inputs:
        digest.update(f"\0{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def receipt(compiled: Compiled) -> dict[str, object]:
    """What went into a build and what came out: input hashes, versions, counts."""
    data_dir = compiled.curated.data_dir
    inputs = {
        str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.suffix in (".yaml", ".txt")
    }
    records: dict[str, int] = {}
    for record in compiled.curated.records:
        records[record.cls.name] = records.get(record.cls.name, 0) + 1
    return {
        "soyaku_version": __version__,
        "ontology_version": load_model().version,
        "inputs": inputs,
        "records": dict(sorted(records.items())),
        "triples": len(compiled.rdf),
        **compiled.graph.counts(),
    }


def render_artifacts(compiled: Compiled) -> dict[str, str]:
    """The artifact files' contents: soyaku.ttl, soyaku.jsonld and receipt.json."""
    return {
        "soyaku.ttl": compiled.rdf.serialize(format="turtle"),
        "soyaku.jsonld": compiled.rdf.serialize(format="json-ld", auto_compact=True),
        "receipt.json": json.dumps(receipt(compiled), ensure_ascii=False, indent=2),
    }


def write_artifacts(rendered: dict[str, str], out: Path) -> None:
    """Write the rendered artifacts and the SPARQL store built from the Turtle into `out`, replacing the previous
    set whole (a reader sees the old build or the new one, store included)."""

    def fill(directory: Path) -> None:
        for name, content in rendered.items():
            (directory / name).write_text(content, encoding="utf-8")
        write_store(rendered["soyaku.ttl"], directory / STORE_DIR)

    replace_dir(out, fill)
