"""A safe way to run any Cypher: read-only unless `write=True`, plain rows back.

Read-only is enforced by the engine's read-only user (see `run_cypher`); a query the engine reports as writing is
also rolled back. User values only ever reach Cypher as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import neo4j
from neo4j.exceptions import (ClientError, CypherSyntaxError, DatabaseError, Forbidden, Neo4jError,
                              ServiceUnavailable, SessionExpired)

from soyaku.core.errors import QueryError

__all__ = ["QueryResult", "plain", "run_cypher"]


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of plain JSON-ready values (dates as ISO strings)."""

    columns: list[str]
    rows: list[dict[str, Any]]



def plain(value: Any) -> Any:
    """Driver values → JSON-ready values: dates as ISO strings, nodes and relationships as dicts."""
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, date, datetime)):
        return value.iso_format() if hasattr(value, "iso_format") else value.isoformat()
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def run_cypher(driver: neo4j.Driver, database: str | None, cypher: str, parameters: dict[str, Any] | None = None,
               *, write: bool = False) -> QueryResult:
    """Run one Cypher statement in an explicit transaction and return plain rows.

    Read-only (`write=False`) is enforced by the engine: pass a driver logged in as its read-only user
    (`connect(..., read_only=True)`), which refuses writes, schema changes and LOAD CSV. As a second line, a
    statement the engine reports as writing is rolled back.
    """
    try:
        with driver.session(database=database) as session, session.begin_transaction() as tx:
            result = tx.run(cypher, parameters or {})
            records = list(result)
            columns = list(result.keys())
            summary = result.consume()
            if not write and summary.query_type not in ("r", None):
                tx.rollback()
                raise QueryError("refused and rolled back: the engine reports that the query writes; queries are "
                                 "read-only unless you pass --write")
            tx.commit()
    except (ServiceUnavailable, SessionExpired):  # e.g. the engine was stopped (`soyaku stop`, a build) meanwhile
        raise QueryError("the graph engine stopped or could not be reached while answering: ask again (a new "
                         "engine starts if none runs)") from None
    except OverflowError as exc:  # the driver packs integers in 64 bits
        raise QueryError(f"a parameter is out of range ({exc}): integers must lie within ±9223372036854775807; "
                         "pass a larger number as text (\"...\") or a float") from None
    except Forbidden as exc:  # a procedure's write (do.when, ...) comes back as "Error executing procedure: …"
        raise QueryError(f"refused by the read-only login: the query writes, changes the schema or reads files "
                         f"({exc.message or exc.code}); queries are read-only unless you pass --write") from None
    except CypherSyntaxError as exc:
        raise QueryError(f"Cypher syntax error: {exc.message}") from None
    except (ClientError, DatabaseError) as exc:
        if (exc.code or "").endswith("TransactionTimedOut"):
            raise QueryError("the query ran longer than the engine allows and was ended (queries end after 60 s "
                             "by default; `soyaku query --timeout` and `soyaku serve --timeout` set it): narrow it "
                             "with labels, ids or LIMIT") from None
        raise QueryError(f"the engine refused the query: {exc.message or exc.code}") from None
    except Neo4jError as exc:
        raise QueryError(f"query failed: {exc.message or exc.code}") from None
    return QueryResult(columns, [{c: plain(r[c]) for c in columns} for r in records])

