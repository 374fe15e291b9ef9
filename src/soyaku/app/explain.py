"""Why an answer is empty: which filter matched nothing, and the columns an empty answer still has.

The engine returns no column names for an empty result, so the header comes from the named query's documented
columns or from the statement's RETURN clause.
"""

from __future__ import annotations

from typing import Any

import neo4j

from soyaku.queries.library import NamedQuery, result_columns

from soyaku.queries.run import run_cypher

__all__ = ["empty_columns", "why_empty"]


def empty_columns(query: NamedQuery | None, cypher: str) -> list[str]:
    """The columns of an answer with no rows: the named query's documented ones, else the RETURN clause's."""
    if query is not None and query.columns:
        return query.column_names()
    return result_columns(cypher)


def why_empty(driver: neo4j.Driver, database: str | None, query: NamedQuery, bound: dict[str, Any],
              shown: dict[str, str]) -> str:
    """One line saying which of the filters in `shown` (parameter → value as the user reads it) matched nothing:
    each is tried alone, the others left at their defaults."""
    if not shown:
        return "the query matched nothing in the graph"
    defaults = {p.name: p.default for p in query.parameters}
    alone = [name for name in shown
             if not run_cypher(driver, database, query.text, defaults | {name: bound[name]}).rows]
    if alone:
        return "nothing matched " + " and nothing matched ".join(f"{n} = {shown[n]}" for n in alone)
    return "each filter matches on its own, but not together: " + ", ".join(f"{n} = {v}" for n, v in shown.items())
