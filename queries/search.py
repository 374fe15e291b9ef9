"""Find entities by name, English name or alias (bilingual, NFKC-normalised), and resolve one name to a node."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j

from soyaku.errors import QueryError
from soyaku.japanese import match_key
from soyaku.queries.library import run_cypher

__all__ = ["Candidate", "find", "resolve"]

FIND = """
MATCH (n)
WHERE any(k IN n.search_keys WHERE k CONTAINS $key) AND ($label IS NULL OR $label IN labels(n))
RETURN labels(n)[0] AS label, n.id AS id, n.name AS name, n.name_en AS name_en,
       $key IN n.search_keys AS exact
ORDER BY exact DESC, size(n.name), n.name
LIMIT $limit
"""


@dataclass(frozen=True)
class Candidate:
    """A node that matches a search text."""

    label: str
    id: str
    name: str
    name_en: str | None
    exact: bool


def find(driver: neo4j.Driver, database: str | None, text: str, label: str | None = None, limit: int = 50) -> list[Candidate]:
    """Nodes whose id, name, English name or alias contains `text` (exact matches first)."""
    key = match_key(text)
    if not key:
        raise QueryError("give a name, alias or id to search for")
    rows = run_cypher(driver, database, FIND, {"key": key, "label": label, "limit": limit}).rows
    return [Candidate(**row) for row in rows]


def resolve(driver: neo4j.Driver, database: str | None, text: str) -> Candidate:
    """The one node `text` names (exactly, else as the only partial match); otherwise list the candidates."""
    candidates = find(driver, database, text)
    exact = [c for c in candidates if c.exact]
    chosen = exact if exact else candidates
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        raise QueryError(f"nothing is named {text!r}; try `soyaku find` with part of the name")
    listing = "; ".join(f"{c.name} ({c.label}, id {c.id})" for c in chosen[:10])
    raise QueryError(f"{text!r} is ambiguous: {listing}. Use an id.")
