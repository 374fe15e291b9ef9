"""The explorer's pages that answer with tables: named queries (a form from the header; CSV and JSON downloads),
where the money goes (a Sankey picture and the counted lines), and the read-only Cypher console."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from soyaku.app.entities import edges_among
from soyaku.app.money import BASES, BUDGET_TYPES, STAGES, choose, counted_lines, money_flow
from soyaku.app.query_forms import form_fields, source_notes, typed_parameters
from soyaku.app.questions import ask
from soyaku.core.errors import QueryError, SoyakuError
from soyaku.queries.library import named_queries
from soyaku.web.sankey import layout
from soyaku.web.validate import BadRequest, choice, integer, only, text

__all__ = ["routes", "download", "sparql_page"]

#: Longest Cypher the console takes, and most rows it shows (the CSV download has them all).
MAX_CYPHER = 5000
SHOWN_ROWS = 500


def download(columns: list[str], rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    """The answer as a CSV or JSON file to save."""
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "json":
        return Response(json.dumps(rows, ensure_ascii=False, indent=2), media_type="application/json",
                        headers=disposition)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else
                         json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else "" if v is None else v
                         for v in (row.get(c) for c in columns)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=disposition)


def routes(site: Any) -> list[Route]:
    def query(request: Request) -> Response:
        name = request.path_params["name"]
        queries = named_queries()
        if name not in queries:
            raise BadRequest(f"no named query {name[:60]!r}; known: {', '.join(queries)}")
        named = queries[name]
        params = request.query_params
        fields = form_fields(site.conn, named)
        only(params, {f.name for f in fields} | {"format", "run"})
        fmt = choice(params, "format", ("html", "csv", "json"), default="html")
        given = {k: v for k, v in params.items() if k not in ("format", "run")}
        for key, value in given.items():
            if len(value) > 200:
                raise BadRequest(f"{key} is {len(value)} characters long; at most 200")
        values = typed_parameters(fields, given)
        answer = ask(site.conn, name=name, params=values)
        if fmt != "html":
            return download(answer.columns, answer.rows, fmt or "csv", name)
        plain, cites, notes = source_notes(answer.columns, answer.rows)
        return site.page(request, "query.html", q=named, fields=fields, given=given, answer=answer, plain=plain,
                         cites=cites, notes=notes, query_string=str(params))

    def money(request: Request) -> Response:
        params = request.query_params
        only(params, {"fiscal_year", "budget_type", "basis", "stage"})
        year = integer(params, "fiscal_year", 1990, 2100)
        budget_type = choice(params, "budget_type", BUDGET_TYPES)
        basis = choice(params, "basis", BASES)
        stage = choice(params, "stage", STAGES)
        rows = counted_lines(site.conn)
        years = sorted({r["fiscal_year"] for r in rows})
        if year is not None and year not in years:
            raise BadRequest(f"fiscal_year={year}: the graph counts no money for that year; years: "
                             f"{', '.join(map(str, years))}")
        chosen = choose(rows, year, budget_type, basis, stage)
        flow = money_flow(site.conn, chosen, rows) if chosen else None
        return site.page(request, "money.html", flow=flow, picture=layout(flow) if flow else None, years=years,
                         budget_types=BUDGET_TYPES, bases=BASES, stages=STAGES,
                         given={"fiscal_year": year, "budget_type": budget_type, "basis": basis, "stage": stage})

    def cypher(request: Request) -> Response:
        params = request.query_params
        only(params, {"q", "view", "format"})
        statement = text(params, "q", max_length=MAX_CYPHER)
        view = choice(params, "view", ("table", "graph"), default="table")
        fmt = choice(params, "format", ("html", "csv", "json"), default="html")
        answer, error, network = None, None, None
        if statement:
            try:
                answer = ask(site.conn, cypher=statement)
            except QueryError as exc:
                if fmt != "html":
                    raise
                error = str(exc)
        if answer is not None and fmt != "html":
            return download(answer.columns, answer.rows, fmt or "csv", "cypher")
        if answer is not None and view == "graph":
            network = _result_network(site, answer.rows)
        status = 400 if error else 200
        return site.page(request, "cypher.html", status=status, statement=statement or "", view=view,
                         answer=answer, shown=(answer.rows[:SHOWN_ROWS] if answer else []), error=error,
                         network=network, csv_link=f"/cypher?q={quote(statement or '')}&format=csv")

    return [Route("/query/{name}", query), Route("/money", money), Route("/cypher", cypher)]


def _result_network(site: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The nodes a Cypher answer returns (values with labels and an id) and the relationships among them."""
    nodes: dict[str, dict[str, Any]] = {}

    def visit(value: Any) -> None:
        if isinstance(value, dict) and "labels" in value and isinstance(value.get("id"), str):
            nodes.setdefault(value["id"], {"id": value["id"], "name": value.get("name") or value.get("title")
                                           or value["id"], "label": (value["labels"] or [""])[0]})
        elif isinstance(value, (list, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                visit(item)

    for row in rows:
        visit(list(row.values()))
    ids = list(nodes)[:300]
    edges = edges_among(site.conn, ids) if ids else []
    return {"nodes": [nodes[i] for i in ids], "edges": edges}


def sparql_page(site: Any, home: Path, request: Request) -> Response:
    """The SPARQL console for people: a form, the named SPARQL queries as examples, the answer as a table."""
    from soyaku.app.sparql import sparql
    from soyaku.queries.sparql import named_sparql_queries

    params = request.query_params
    only(params, {"query", "format"})
    statement = text(params, "query", max_length=MAX_CYPHER) or ""
    answer, error = None, None
    if statement:
        try:
            answer = sparql(home, text=statement).answer
        except SoyakuError as exc:
            error = str(exc)
    examples = [{"name": name, "question": named.query.question, "text": named.query.text}
                for name, named in named_sparql_queries().items()]
    return site.page(request, "sparql.html", status=400 if error else 200, statement=statement, answer=answer,
                     shown=(answer.rows[:SHOWN_ROWS] if answer else []), error=error, examples=examples)
