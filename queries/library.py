"""Named queries (queries/*.cypher, documented by their `//` header) and a safe way to run any Cypher.

Runs are read-only unless `write=True`, enforced by the engine's read-only user (see `run_cypher`); a query the
engine reports as writing is also rolled back. User values only ever reach Cypher as parameters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, CypherSyntaxError, DatabaseError, Forbidden, Neo4jError

from soyaku.core.errors import QueryError

__all__ = ["Parameter", "NamedQuery", "QueryResult", "named_queries", "named_query", "parse_header", "run_cypher",
           "plain"]


@dataclass(frozen=True)
class Parameter:
    """A query parameter: its default (None = optional filter), what it means, and, for a parameter that names an
    entity, the entity's label ("entity" for any label): such a value is resolved to an id before the query runs."""

    name: str
    default: Any
    description: str
    entity: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A `.cypher` file with its documented question, parameters and columns."""

    name: str
    question: str
    question_ja: str
    parameters: tuple[Parameter, ...]
    columns: str
    notes: str
    text: str

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults for every declared parameter, overridden by `given`; unknown names are an error."""
        declared = {p.name for p in self.parameters}
        unknown = sorted(set(given) - declared)
        if unknown:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {known}")
        return {p.name: p.default for p in self.parameters} | given


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of plain JSON-ready values (dates as ISO strings)."""

    columns: list[str]
    rows: list[dict[str, Any]]


_FIELD = re.compile(r"^// ?(name|question|question_ja|parameters|columns|notes):\s*(.*)$")
_PARAM = re.compile(r"^//\s{2,}(\w+)(?:\s*\((\w+)\))?:\s*(.*?)\s*(?:--\s*(.*))?$")


def parse_header(text: str, fallback_name: str) -> NamedQuery:
    """Read the `//` header block: name, question, question_ja, parameters (indented), columns, notes.

    A parameter line is `//   name: default  -- description`, or `//   name (Label): …` for one that names an
    entity of that label (`(entity)`: of any label).

    >>> q = parse_header('// name: demo\\n// parameters:\\n//   vc (VentureCapital): null  -- a VC\\nRETURN $vc', 'x')
    >>> q.name, q.parameters[0].name, q.parameters[0].default, q.parameters[0].entity
    ('demo', 'vc', None, 'VentureCapital')
    """
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    current = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        if m := _FIELD.match(line):
            current = m[1]
            fields[current] = m[2].strip()
        elif current == "parameters" and (p := _PARAM.match(line)):
            parameters.append(Parameter(p[1], json.loads(p[3]) if p[3] else None, (p[4] or "").strip(), p[2]))
        elif current:
            fields[current] += " " + line.lstrip("/ ").strip()
    return NamedQuery(
        name=fields.get("name", fallback_name),
        question=fields.get("question", ""),
        question_ja=fields.get("question_ja", ""),
        parameters=tuple(parameters),
        columns=fields.get("columns", ""),
        notes=fields.get("notes", ""),
        text=text,
    )


def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped in queries/, by name."""
    found = {}
    for entry in sorted(files("soyaku.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            query = parse_header(entry.read_text(encoding="utf-8"), entry.name.removesuffix(".cypher"))
            found[query.name] = query
    return found


def named_query(name: str) -> NamedQuery:
    """The named query `name`, or a QueryError listing the known ones."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known queries: {', '.join(queries)} (see `soyaku queries`)")
    return queries[name]


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
    except Forbidden as exc:
        raise QueryError(f"refused: the query writes or reads files ({exc.message or exc.code}); queries are "
                         "read-only unless you pass --write") from None
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

