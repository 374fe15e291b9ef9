"""Questions to the graph: a named query or Cypher (`ask`), a name (`find`), a path between two entities (`trace`).

Each takes an open `Connection` (soyaku.graph.connect) and returns plain results (soyaku.app.results); the surfaces
format them.
"""

from __future__ import annotations

from typing import Any

from soyaku.app.answers import grand_totals
from soyaku.app.explain import empty_columns, why_empty
from soyaku.app.results import Answer, Trace
from soyaku.core.errors import ParameterError
from soyaku.core.names import Match, Resolved
from soyaku.graph.connect import Connection
from soyaku.queries.library import NamedQuery, named_query, parse_header
from soyaku.queries.paths import find_paths
from soyaku.queries.run import run_cypher
from soyaku.queries.search import find as find_matches, resolve, resolve_parameters
from soyaku.queries.vocabulary import closest, graph_vocabulary, unknown_names

__all__ = ["ask", "find", "trace"]


def ask(conn: Connection, *, name: str | None = None, cypher: str | None = None, file_text: str | None = None,
        file_name: str = "file", params: dict[str, Any] | None = None, write: bool = False) -> Answer:
    """Run the named query `name`, the Cypher `file_text` (whose `//` header may declare parameters) or the
    statement `cypher`, read-only unless `write`.

    Declared parameters get their defaults when omitted; entity parameters given as names, aliases or English
    names are resolved to ids.
    """
    given = dict(params or {})
    named: NamedQuery | None
    if name is not None:
        named = named_query(name)
    elif file_text is not None:
        named = parse_header(file_text, file_name)
    else:
        named = None
    declared = named is not None and (bool(named.parameters) or name is not None)
    bound = named.bind(given) if declared else given
    picked: list[Resolved] = []
    if named is not None:
        bound, picked = resolve_parameters(conn.driver, conn.database, named, bound)
    text = named.text if named is not None else cypher or ""
    warnings = [] if name is not None else unknown_names(text, graph_vocabulary(conn.driver, conn.database))
    result = run_cypher(conn.driver, conn.database, text, bound, write=write)
    picked = [r for r in picked if r.parameter in given]  # a default needs no report
    columns, empty = result.columns, None
    if not result.rows and not write:
        columns = columns or empty_columns(named, text)
        if declared and named is not None:
            entities = {r.parameter: f"{r.match.entity.name} ({r.match.entity.id})" for r in picked}
            shown = {k: entities.get(k, str(bound[k])) for k in given if bound.get(k) is not None}
            empty = why_empty(conn.driver, conn.database, named, bound, shown)
        else:
            empty = "the statement matched nothing in the graph"
    money = {"total_jpy", "fiscal_year", "budget_type", "basis", "stage"} <= set(columns)
    return Answer(columns, result.rows, picked, named.notes if named is not None else None, empty, warnings,
                  grand_totals(result.rows) if money else [])


def find(conn: Connection, text: str, label: str | None = None, limit: int = 50) -> list[Match]:
    """Entities matching `text` by id, name, English name, alias or identifier, best first (soyaku.core.names)."""
    return find_matches(conn.driver, conn.database, text, label, limit)


def trace(conn: Connection, source: str, target: str, *, via: str | None = None, max_hops: int = 4,
          limit: int = 5) -> Trace:
    """The shortest paths from `source` to `target` (names, aliases or ids), through a `via` node if given;
    none when no path of at most `max_hops` joins them."""
    if via is not None:
        labels = graph_vocabulary(conn.driver, conn.database).labels
        if via not in labels:
            near = closest(via, labels)
            raise ParameterError(f"--via {via}: the graph has no label {via!r}"
                                 + (f"; did you mean {' or '.join(near)}?" if near else "")
                                 + f" (labels: {', '.join(sorted(labels))})")
    ends = (resolve(conn.driver, conn.database, source), resolve(conn.driver, conn.database, target))
    paths = find_paths(conn.driver, conn.database, ends[0].entity.id, ends[1].entity.id, via=via,
                       max_hops=max_hops, limit=limit)
    return Trace(ends, paths)
