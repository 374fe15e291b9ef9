"""Names in the graph engine: `find` entities, `resolve` one name, and resolve a named query's entity parameters.

All matching is `soyaku.core.names.NameIndex` (the same resolver the views use in memory); this module only fetches
the nodes it needs from the engine: those whose match keys could match the text (a superset, cheap to filter in
Cypher), or every node when nothing matched and "did you mean" suggestions are wanted.
"""

from __future__ import annotations

from typing import Any

import neo4j

from soyaku.core.errors import QueryError
from soyaku.core.identifiers import SCHEMES, parse_reference
from soyaku.core.japanese import match_key
from soyaku.core.names import AmbiguousName, Match, NameIndex, NameNotFound, Resolved, entity_from_properties
from soyaku.queries.library import NamedQuery
from soyaku.queries.run import run_cypher

__all__ = ["find", "name_index", "resolve", "resolve_parameters"]

#: The nodes whose names might match $key (every node when $key is null), or that carry the identifier $ref.
CANDIDATES = f"""
MATCH (n)
WHERE $key IS NULL OR n.id = $text OR any(k IN n.search_keys WHERE k STARTS WITH $first OR k CONTAINS $key)
   OR ($ref IS NOT NULL AND ({" OR ".join(f"$ref IN n.{f}" if s.multiple else f"n.{f} = $ref"
                                          for f, s in SCHEMES.items())}))
RETURN labels(n)[0] AS label,
       n {{.id, .name, .name_ja, .name_en, .aliases, .title, .title_en, {", ".join("." + f for f in SCHEMES)}}} AS props
"""


LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label"


def name_index(driver: neo4j.Driver, database: str | None, text: str | None = None) -> NameIndex:
    """The nodes that could match `text` (all nodes when `text` is None), ready to search."""
    key = match_key(text) if text is not None else None
    ref = parse_reference(text) if text is not None else None
    rows = run_cypher(driver, database, CANDIDATES,
                      {"key": key, "text": text, "first": key[:1] if key else None, "ref": ref[1] if ref else None}).rows
    return NameIndex(entity_from_properties(row["label"], row["props"]) for row in rows)


def _index_for(driver: neo4j.Driver, database: str | None, text: str) -> NameIndex:
    if not match_key(text):
        raise QueryError("give a name, alias or id to search for")
    index = name_index(driver, database, text)
    return index if index.search(text) else name_index(driver, database)  # all nodes, to suggest close names


def find(driver: neo4j.Driver, database: str | None, text: str, label: str | None = None,
         limit: int = 50) -> list[Match]:
    """Entities that `text` names or partly names, best first; NameNotFound (with suggestions) if none."""
    index = _index_for(driver, database, text)
    found = index.search(text, label)
    if not found:
        if label is not None:
            labels = sorted(row["label"] for row in run_cypher(driver, database, LABELS).rows)
            if label not in labels:
                raise QueryError(f"no node has the label {label!r}; labels: {', '.join(labels)}")
        index.resolve(text, label)  # raises NameNotFound saying what is close
    return found[:limit]


def resolve(driver: neo4j.Driver, database: str | None, text: str, label: str | None = None) -> Match:
    """The one entity `text` names (see NameIndex.resolve), else NameNotFound or AmbiguousName."""
    return _index_for(driver, database, text).resolve(text, label)


def resolve_parameters(driver: neo4j.Driver, database: str | None, query: NamedQuery,
                       params: dict[str, Any]) -> tuple[dict[str, Any], list[Resolved]]:
    """`params` with every entity parameter of `query` that is set replaced by the id of the entity it names."""
    resolved: list[Resolved] = []
    out = dict(params)
    for parameter in query.parameters:
        value = params.get(parameter.name)
        if parameter.entity is None or value is None:
            continue
        label = None if parameter.entity == "entity" else parameter.entity
        try:
            match = resolve(driver, database, str(value), label)
        except (NameNotFound, AmbiguousName) as exc:
            raise type(exc)(f"--param {parameter.name}: {exc}") from None
        out[parameter.name] = match.entity.id
        resolved.append(Resolved(parameter.name, str(value), match))
    return out, resolved
