"""`soyaku mcp`: the graph for AI assistants, over the Model Context Protocol (the official `mcp` SDK, stdio).

Tools: find, facts (about one entity), path, one tool per named Cypher query with its typed parameters, read-only
Cypher and SPARQL within a time limit. Every answer is JSON that carries its sources (seed file#line, the quote,
the document); the questions go through soyaku.app like the CLI's, as the engine's read-only user.
"""

from __future__ import annotations

import inspect
import json
import re
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from soyaku.app.entities import stated_by
from soyaku.app.questions import ask, find as find_entities, trace
from soyaku.app.sparql import sparql as ask_sparql
from soyaku.core.errors import SoyakuError
from soyaku.graph.connect import Connection, connect
from soyaku.queries.library import NamedQuery, Parameter, named_queries

__all__ = ["build_server", "serve"]

INSTRUCTIONS = (
    "Soyaku KG: Japan's drug-discovery ecosystem (ministries, AMED, programs and budgets, the certified VCs and "
    "startups of the 創薬ベンチャーエコシステム強化事業, universities, vaccine hubs). Every fact quotes its source "
    "(seed file#line and the verbatim Japanese quote): cite them. Names may be Japanese, English, aliases or ids "
    "(ROR, Wikidata QIDs, Funder IDs). Amounts are yen; 1億円 = 100,000,000 yen.")

class _Graph:
    """The read-only connection to the home's graph, opened at the first question and kept for the session."""

    def __init__(self, home: Path, timeout: float):
        self.home, self.timeout = home, timeout
        self._stack = ExitStack()
        self._conn: Connection | None = None

    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self._stack.enter_context(
                connect(self.home, quick_start=True, read_only=True, query_timeout_s=self.timeout))
        return self._conn

    def close(self) -> None:
        self._stack.close()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _answer(work: Any) -> str:
    """The JSON answer of `work()`, or {"error": one line} (what is wrong and what to do)."""
    try:
        return _json(work())
    except SoyakuError as exc:
        return _json({"error": str(exc)})


def _param_type(parameter: Parameter) -> Any:
    """The tool argument's type (optional), described by the query header: what it means and what it takes."""
    kind = {"integer": int, "fiscal_year": int | str}.get(parameter.type or "", str)
    about = f"{parameter.description} Takes {parameter.value_type.allowed}.".strip()
    return Annotated[kind | None, Field(description=about)]


def _named_tool(graph: _Graph, query: NamedQuery) -> Any:
    """A tool function for the named query, its signature the query's parameters (typed, optional)."""

    def tool(**params: Any) -> str:
        given = {k: v for k, v in params.items() if v is not None}
        return _answer(lambda: _rows(ask(graph.conn(), name=query.name, params=given)))

    parameters = [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_param_type(p))
                  for p in query.parameters]
    tool.__signature__ = inspect.Signature(parameters, return_annotation=str)  # type: ignore[attr-defined]
    tool.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": str}
    tool.__name__ = "query_" + re.sub(r"\W", "_", query.name)
    return tool


def _rows(answer: Any) -> dict[str, Any]:
    return {"columns": answer.columns, "rows": answer.rows, "notes": answer.notes,
            "resolved": [str(r) for r in getattr(answer, "resolved", [])]}


def build_server(home: Path, timeout: float = 30.0) -> tuple[MCPServer, _Graph]:
    """The MCP server over the graph and SPARQL store of `home`, and its graph connection (to close at the end)."""
    graph = _Graph(home, timeout)
    server = MCPServer("soyaku-kg", instructions=INSTRUCTIONS)

    @server.tool()
    def find(text: str, label: str | None = None, limit: int = 20) -> str:
        """Find entities by id, Japanese or English name, alias or identifier (ROR id, QID, Funder ID), best first,
        each with the sources that state it (seed file#line, quote, document)."""
        def work() -> dict[str, Any]:
            matches = find_entities(graph.conn(), text, label, limit)
            ids = [m.entity.id for m in matches]
            sources = stated_by(graph.conn(), ids)
            return {"entities": [{"id": m.entity.id, "label": m.entity.label, "name": m.entity.name,
                                  "name_en": m.entity.name_en, "match": m.kind,
                                  **{k: sources.get(m.entity.id, {}).get(k) for k in ("sources", "quotes", "documents")}}
                                 for m in matches]}
        return _answer(work)

    @server.tool()
    def facts(name: str) -> str:
        """Every relationship of one entity (a name, alias, id or identifier) with the document, seed file#line
        and verbatim quote that state it."""
        return _answer(lambda: _rows(ask(graph.conn(), name="facts-about", params={"name": name})))

    @server.tool()
    def path(source: str, target: str, via: str | None = None, max_hops: int = 4) -> str:
        """The shortest paths from one entity to another (names, aliases or ids), optionally through a node of
        label `via` (e.g. Startup); each relationship with its sources and quotes."""
        def work() -> dict[str, Any]:
            found = trace(graph.conn(), source, target, via=via, max_hops=max_hops)
            return {"from": found.ends[0].entity.id, "to": found.ends[1].entity.id,
                    "paths": [{"nodes": p.nodes, "relationships": p.relationships} for p in found.paths]}
        return _answer(work)

    @server.tool()
    def cypher(query: str) -> str:
        """Run a read-only Cypher query (writes are refused; the engine ends it at the time limit). Ask for the
        `sources`, `quotes` and `documents` properties to cite the facts."""
        return _answer(lambda: _rows(ask(graph.conn(), cypher=query)))

    @server.tool()
    def sparql(query: str) -> str:
        """Run a read-only SPARQL query over the RDF (facts with PROV-O provenance: prov:qualifiedDerivation →
        sy:locator, sy:quote, prov:entity document; and the ontology). Prefixes sy:, id:, prov:, schema:, skos:,
        owl: need no declaration. Updates are refused; queries end at the time limit."""
        def work() -> dict[str, Any]:
            answer = ask_sparql(home, text=query, timeout=timeout).answer
            if answer.document is not None:
                return {"turtle": answer.document.decode("utf-8")}
            return {"columns": answer.columns, "rows": answer.rows}
        return _answer(work)

    for query in named_queries().values():
        server.add_tool(_named_tool(graph, query), name=f"query_{query.name.replace('-', '_')}",
                        description=f"{query.question} ({query.question_ja}) Columns: {query.columns}")
    return server, graph


def serve(home: Path, timeout: float = 30.0) -> None:
    """Serve over stdio until the client closes the connection (the SDK points file descriptor 1 at standard error
    meanwhile, so what the graph engine's JVM prints stays off the wire)."""
    server, graph = build_server(home, timeout)
    try:
        server.run("stdio")
    finally:
        graph.close()
