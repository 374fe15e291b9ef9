"""SPARQL questions to the built RDF: an ad-hoc query or a named one (queries/*.rq), read-only, within a time limit.
The CLI (`soyaku sparql`), the web endpoint (soyaku.web.sparql) and the MCP server call `sparql` here.

Entity parameters of named queries are resolved by the one name resolver (soyaku.core.names) over the names the
store holds, so SPARQL needs no graph engine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soyaku.core.identifiers import SCHEMES
from soyaku.core.names import AmbiguousName, NameIndex, NameNotFound, Resolved, entity_from_properties
from soyaku.graph.arcadedb import QUERY_TIMEOUT_S
from soyaku.loaders.sparql_store import STORE_DIR
from soyaku.ontology.model import camel
from soyaku.queries.sparql import NamedSparql, SparqlAnswer, named_sparql_query
from soyaku.queries.sparql_workers import SparqlWorkers

__all__ = ["SparqlReply", "open_store", "sparql", "store_path"]

#: Every entity's names and identifiers, for the resolver (one row per entity, lists joined).
_NAMES = """
SELECT ?s ?type ?name ?ja ?en (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases) {ids}
WHERE {{
  ?s a ?type ; schema:name ?name .
  FILTER(STRSTARTS(STR(?type), STR(sy:)) && STRSTARTS(STR(?s), STR(id:)))
  OPTIONAL {{ ?s skos:prefLabel ?ja }} OPTIONAL {{ ?s sy:nameEn ?en }} OPTIONAL {{ ?s skos:altLabel ?alias }}
  {optional}
}} GROUP BY ?s ?type ?name ?ja ?en
"""


@dataclass(frozen=True)
class SparqlReply:
    """A SPARQL answer with the named query it came from (None for ad-hoc SPARQL) and the entities its parameters
    were resolved to."""

    answer: SparqlAnswer
    query: NamedSparql | None = None
    resolved: list[Resolved] = field(default_factory=list)


def store_path(home: Path) -> Path:
    """Where `soyaku build` puts the SPARQL store of the graph home `home`."""
    return home / "build" / STORE_DIR


_open: dict[Path, tuple[int, SparqlWorkers]] = {}
_lock = threading.Lock()


def open_store(home: Path) -> SparqlWorkers:
    """The store of `home` in its worker processes: started once, and again after a new build swapped it in."""
    path = store_path(home)
    try:
        stamp = path.stat().st_ino
    except FileNotFoundError:
        stamp = -1
    with _lock:
        cached = _open.get(path)
        if cached is None or cached[0] != stamp:
            if cached is not None:
                cached[1].close()
            _open[path] = (stamp, SparqlWorkers(path))
        return _open[path][1]


def sparql(home: Path, *, text: str | None = None, name: str | None = None, params: dict[str, Any] | None = None,
           timeout: float = QUERY_TIMEOUT_S, output: str = "rows", graph_output: str | None = None) -> SparqlReply:
    """Answer the SPARQL `text` or the named SPARQL query `name` (with `params`) from the store of `home`.

    `output` is rows (plain values; lists for a named query's list columns) or a format of
    soyaku.queries.sparql.RESULT_FORMATS / GRAPH_FORMATS. Raises SparqlError (malformed, update, unknown prefix,
    past the time limit) with one line saying what to do.
    """
    store = open_store(home)
    if name is None:
        return SparqlReply(store.query(text or "", timeout=timeout, output=output, graph_output=graph_output))
    named = named_sparql_query(name)
    bound = named.query.bind(dict(params or {}))
    resolved: list[Resolved] = []
    index: NameIndex | None = None
    for parameter in named.query.parameters:
        value = bound.get(parameter.name)
        if parameter.entity is None or value is None:
            continue
        index = index or _name_index(store, timeout)
        label = None if parameter.entity == "entity" else parameter.entity
        try:
            match = index.resolve(str(value), label)
        except (NameNotFound, AmbiguousName) as exc:
            raise type(exc)(f"--param {parameter.name}: {exc}") from None
        bound[parameter.name] = f"https://w3id.org/soyaku-kg/id/{match.entity.id}"
        if parameter.name in (params or {}):
            resolved.append(Resolved(parameter.name, str(value), match))
    answer = store.query(named.query.text, timeout=timeout, output=output, graph_output=graph_output, bindings=bound,
                         lists=named.lists)
    return SparqlReply(answer, named, resolved)


def _name_index(store: SparqlWorkers, timeout: float) -> NameIndex:
    ids = " ".join(f"(SAMPLE(?{f}) AS ?{f}_value)" for f in SCHEMES)
    optional = " ".join(f"OPTIONAL {{ ?s sy:{camel(f)} ?{f} }}" for f in SCHEMES)
    rows = store.query(_NAMES.format(ids=ids, optional=optional), timeout=timeout).rows
    entities = []
    for row in rows:
        props = {"id": row["s"].rsplit("/", 1)[1], "name": row["name"], "name_ja": row["ja"], "name_en": row["en"],
                 "aliases": [a for a in (row["aliases"] or "").split("\u001f") if a]}
        props |= {f: row[f"{f}_value"] for f in SCHEMES if row.get(f"{f}_value")}
        entities.append(entity_from_properties(row["type"].rsplit("#", 1)[1], props))
    return NameIndex(entities)
