"""Validate an RDF graph against SHACL: the cross-record rules (rules.ttl, written by hand) on every build, and
every shape (the generated shapes.ttl too) where a graph's full conformance is asked for.

The generated shapes restate the model's field entries (required, datatype, cardinality, allowed values, class of
a reference, sources), which the curated loaders already check record by record with file, line and field; the
compiled graph is built from checked records, so a build runs only the rules no record-level check covers, and a
test keeps the compiled seed graph conforming to every shape (docs/architecture.md, Decisions).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

from soyaku.core.errors import DataError, DataProblem

__all__ = ["load_rules", "load_shapes", "check_conforms", "check_rules"]

SH = Namespace("http://www.w3.org/ns/shacl#")


def _parse(*names: str) -> Graph:
    shapes = Graph()
    for name in names:
        shapes.parse(data=files("soyaku.ontology").joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return shapes


@cache
def load_shapes() -> Graph:
    """Every shape: shapes.ttl (generated from the model) and rules.ttl (cross-record rules written by hand)."""
    return _parse("shapes.ttl", "rules.ttl")


@cache
def load_rules() -> Graph:
    """The cross-record rules only (rules.ttl)."""
    return _parse("rules.ttl")


def check_rules(data: Graph, where: dict[URIRef, tuple[str, int]]) -> None:
    """Raise `DataError` listing every violation of the cross-record rules, located by `where` (IRI → file, line)."""
    _check(data, load_rules(), where)


def check_conforms(data: Graph, where: dict[URIRef, tuple[str, int]]) -> None:
    """Raise `DataError` listing every violation of any shape, located by `where` (IRI → curated file, line)."""
    _check(data, load_shapes(), where)


def _check(data: Graph, shapes: Graph, where: dict[URIRef, tuple[str, int]]) -> None:
    # No inference and no SHACL-AF: pyshacl validates `data` in place, without copying or changing it.
    conforms, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
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
