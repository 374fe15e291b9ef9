"""Paths between two entities: the shortest chains of facts, optionally through a node of a given label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j

from soyaku.errors import QueryError
from soyaku.queries.library import run_cypher
from soyaku.queries.search import resolve

__all__ = ["PathStep", "find_paths", "path_cypher"]

#: Relationship properties worth showing in a chain, in this order.
KEY_PROPERTIES = ("round", "announced", "start_year", "year", "role", "status", "fiscal_year", "amount_text")


@dataclass(frozen=True)
class PathStep:
    """One path: nodes (id, name, labels) and the relationships between them (type, key properties, sources
    and quotes)."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]


def path_cypher(max_hops: int) -> str:
    """Paths of 1..max_hops relationships between two ids, never through documents (MENTIONS)."""
    if not 1 <= max_hops <= 8:
        raise QueryError(f"--max-hops must be between 1 and 8, got {max_hops}")
    return f"""
MATCH (a {{id: $from}}), (b {{id: $to}})
MATCH p = (a)-[*1..{max_hops}]-(b)
WHERE all(r IN relationships(p) WHERE type(r) <> 'MENTIONS')
  AND ($via IS NULL OR any(n IN nodes(p)[1..-1] WHERE $via IN labels(n)))
RETURN [n IN nodes(p) | {{id: n.id, name: n.name, labels: labels(n)}}] AS nodes,
       [r IN relationships(p) | {{type: type(r), start: startNode(r).id, properties: properties(r)}}] AS relationships
ORDER BY length(p)
LIMIT $limit
"""


def find_paths(driver: neo4j.Driver, database: str | None, source: str, target: str, *,
               via: str | None = None, max_hops: int = 4, limit: int = 5) -> list[PathStep]:
    """Resolve both names, then the shortest paths between them (at most `limit`)."""
    a = resolve(driver, database, source).entity
    b = resolve(driver, database, target).entity
    rows = run_cypher(driver, database, path_cypher(max_hops),
                      {"from": a.id, "to": b.id, "via": via, "limit": limit}).rows
    paths = []
    for row in rows:
        relationships = [
            {"type": r["type"], "forward": r["start"] == row["nodes"][i]["id"],
             "properties": {k: r["properties"][k] for k in KEY_PROPERTIES if r["properties"].get(k) is not None},
             "sources": r["properties"].get("sources") or [], "quotes": r["properties"].get("quotes") or []}
            for i, r in enumerate(row["relationships"])
        ]
        paths.append(PathStep(row["nodes"], relationships))
    return paths
