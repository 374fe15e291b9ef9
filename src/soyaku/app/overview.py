"""What the graph holds, for a front page: counts by kind, relationships, documents, the as-of date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soyaku.app.documents import documents
from soyaku.graph.connect import Connection
from soyaku.queries.library import NamedQuery, named_queries
from soyaku.queries.run import run_cypher

__all__ = ["Overview", "overview"]

_LABELS = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count ORDER BY count DESC, label"
_TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY count DESC, type"


@dataclass(frozen=True)
class Overview:
    """Counts of nodes by label and relationships by type, the documents, the newest document date (the graph's
    as-of date) and the named queries."""

    labels: list[dict[str, Any]]
    types: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    as_of: str | None
    queries: list[NamedQuery]

    @property
    def nodes(self) -> int:
        return sum(row["count"] for row in self.labels)

    @property
    def relationships(self) -> int:
        return sum(row["count"] for row in self.types)


def overview(conn: Connection) -> Overview:
    """The graph at a glance."""
    docs = documents(conn)
    dates = [str(d["date"]) for d in docs if d.get("date")]
    return Overview(run_cypher(conn.driver, conn.database, _LABELS).rows,
                    run_cypher(conn.driver, conn.database, _TYPES).rows, docs, max(dates) if dates else None,
                    list(named_queries().values()))


def labels(conn: Connection) -> list[dict[str, Any]]:
    """The kinds of node in the graph with their counts, most first."""
    return run_cypher(conn.driver, conn.database, _LABELS).rows
