"""The parameters of a named query as a form: allowed values from the graph, typed values from form text.

Kept in one module on purpose: the query headers are to declare their parameters' types and allowed values
(soyaku.app.answers, issue 18); when they do, this module gives way to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from soyaku.core.errors import QueryError
from soyaku.graph.connect import Connection
from soyaku.queries.library import NamedQuery, Parameter
from soyaku.queries.run import run_cypher

__all__ = ["Field", "form_fields", "source_notes", "typed_parameters"]

#: Where the graph holds the values a parameter of this name may take.
_VALUES = {
    "fiscal_year": "MATCH (b:BudgetLine) WHERE b.fiscal_year IS NOT NULL RETURN DISTINCT b.fiscal_year AS value",
    "budget_type": "MATCH (b:BudgetLine) WHERE b.budget_type IN ['initial', 'supplementary', 'request'] "
                   "RETURN DISTINCT b.budget_type AS value",
    "basis": "MATCH (b:BudgetLine) WHERE b.basis IS NOT NULL RETURN DISTINCT b.basis AS value",
    "round": "MATCH (r:Round) WHERE r.number IS NOT NULL RETURN DISTINCT r.number AS value",
}
_ENTITIES = """
MATCH (n) WHERE ($label IS NULL OR $label IN labels(n)) AND n.id IS NOT NULL
RETURN n.id AS value, coalesce(n.name, n.title, n.id) AS name ORDER BY name LIMIT 500
"""


@dataclass(frozen=True)
class Field:
    """One form field: the parameter, its choices as (value, text) (None: free text), its default. An entity
    parameter's choices are a convenience: a name or alias typed instead is resolved when the query runs."""

    parameter: Parameter
    choices: list[tuple[Any, str]] | None
    default: Any

    @property
    def name(self) -> str:
        return self.parameter.name

    @property
    def optional(self) -> bool:
        return self.default is None


def form_fields(conn: Connection, query: NamedQuery) -> list[Field]:
    """A field per parameter of `query`: a choice of the values the graph holds, or of its entities of the label
    (read once per connection and query: a served graph does not change while it is served)."""
    return list(_fields(conn, query.name, query.parameters))


@lru_cache(maxsize=64)
def _fields(conn: Connection, name: str, parameters: tuple[Parameter, ...]) -> tuple[Field, ...]:
    fields = []
    for p in parameters:
        choices: list[tuple[Any, str]] | None = None
        if p.name in _VALUES:
            values = sorted(r["value"] for r in run_cypher(conn.driver, conn.database, _VALUES[p.name]).rows)
            choices = [(v, str(v)) for v in values]
        elif p.entity is not None and p.entity != "entity":
            rows = run_cypher(conn.driver, conn.database, _ENTITIES, {"label": p.entity}).rows
            choices = [(r["value"], r["name"]) for r in rows]
        fields.append(Field(p, choices, p.default))
    return tuple(fields)


def typed_parameters(fields: list[Field], given: dict[str, str]) -> dict[str, Any]:
    """The form's text values as the query's typed parameters; a value the field does not allow is a QueryError.

    An empty value means the parameter's default ("any" for an optional filter).
    """
    by_name = {f.name: f for f in fields}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise QueryError(f"unknown parameter {', '.join(unknown)}; this query takes: "
                         f"{', '.join(by_name) or 'no parameters'}")
    out: dict[str, Any] = {}
    for name, text in given.items():
        text = text.strip()
        if not text:
            continue
        field = by_name[name]
        if field.choices is None or field.parameter.entity is not None:
            out[name] = text
            continue
        for value, _ in field.choices:
            if str(value) == text:
                out[name] = value
                break
        else:
            shown = ", ".join(str(v) for v, _ in field.choices[:12]) + (" …" if len(field.choices) > 12 else "")
            raise QueryError(f"{name}={text!r} is not a value this query allows; allowed: {shown}")
    return out


#: Columns whose values are sources (seed file#line, quotes, documents): shown as numbered notes under a table.
SOURCE_COLUMNS = ("source", "sources", "quote", "document", "documents", "counted")


def source_notes(columns: list[str], rows: list[dict[str, Any]]) -> tuple[list[str], list[list[int]], list[str]]:
    """Split an answer into its plain columns and numbered source notes.

    Returns the plain columns, for each row the note numbers (1-based) it cites, and the notes in order; one note
    text cited by several rows has one number.
    """
    plain = [c for c in columns if c not in SOURCE_COLUMNS]
    cited = [c for c in columns if c in SOURCE_COLUMNS]
    notes: dict[str, int] = {}
    per_row = []
    for row in rows:
        numbers = []
        for column in cited:
            values = row.get(column)
            for value in values if isinstance(values, list) else [values]:
                if value not in (None, ""):
                    note = f"{column}: {value}"
                    numbers.append(notes.setdefault(note, len(notes) + 1))
        per_row.append(sorted(set(numbers)))
    return plain, per_row, list(notes)
