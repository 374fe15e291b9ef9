"""Validate an RDF graph against the SHACL shapes (generated shapes plus the hand-written rules)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

from soyaku.core.errors import DataError, DataProblem

__all__ = ["load_shapes", "check_conforms"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def load_shapes() -> Graph:
    """shapes.ttl (generated from the model) and rules.ttl (cross-record rules written by hand)."""
    shapes = Graph()
    for name in ("shapes.ttl", "rules.ttl"):
        shapes.parse(data=files("soyaku.ontology").joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return shapes


def check_conforms(data: Graph, where: dict[URIRef, tuple[str, int]]) -> None:
    """Raise `DataError` listing every SHACL violation, located by `where` (IRI → curated file, line)."""
    conforms, report, _ = validate(data, shacl_graph=load_shapes(), advanced=True, allow_warnings=True)
    if conforms:
        return
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        file, line = where.get(focus, (str(focus), None))
        field = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if path is not None else None
        problems.append(DataProblem(file, line, field, f"SHACL: {message}"))
    raise DataError(sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "")))
