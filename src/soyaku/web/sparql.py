"""`/sparql`: the SPARQL 1.1 Protocol endpoint over the built RDF, as a Starlette route for the web explorer to mount:

    from soyaku.web.sparql import sparql_route
    app = Starlette(routes=[sparql_route(home), ...])

GET `?query=…`, POST `application/x-www-form-urlencoded` (`query=…`) or `application/sparql-query` (the query as
the body). Results as SPARQL JSON, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle or JSON-LD, chosen by the Accept header
or `format=` (json, csv, tsv, turtle, jsonld). Read-only: an update is refused with 400, like a malformed query, an
unknown prefix or a query past the time limit (400 with the one-line message as text/plain).
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from soyaku.app.sparql import sparql
from soyaku.core.errors import SoyakuError
from soyaku.queries.sparql import GRAPH_FORMATS, RESULT_FORMATS

__all__ = ["sparql_endpoint", "sparql_route"]

_BY_TYPE = {media: name for name, media in (RESULT_FORMATS | GRAPH_FORMATS).items()} | {
    "application/json": "json", "application/x-turtle": "turtle", "text/plain": "tsv"}


def _formats(request: Request, form_format: str | None) -> tuple[str, str]:
    """The format for SELECT/ASK answers and the one for CONSTRUCT/DESCRIBE answers."""
    named = form_format or request.query_params.get("format")
    if named:
        if named not in RESULT_FORMATS and named not in GRAPH_FORMATS:
            raise ValueError(f"unknown format {named!r}: use one of {', '.join([*RESULT_FORMATS, *GRAPH_FORMATS])}")
        return (named, "turtle") if named in RESULT_FORMATS else ("json", named)
    accepted = [part.split(";")[0].strip() for part in request.headers.get("accept", "").split(",")]
    wanted = [_BY_TYPE[a] for a in accepted if a in _BY_TYPE]
    table = next((w for w in wanted if w in RESULT_FORMATS), "json")
    graph = next((w for w in wanted if w in GRAPH_FORMATS), "turtle")
    return table, graph


async def _query_of(request: Request) -> tuple[str | None, str | None]:
    if request.method == "GET":
        return request.query_params.get("query"), None
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind == "application/sparql-query":
        return (await request.body()).decode("utf-8"), None
    if kind == "application/x-www-form-urlencoded":
        form = await request.form()
        if "update" in form:
            return "", "update"
        return (str(form["query"]) if "query" in form else None), (str(form["format"]) if "format" in form else None)
    raise ValueError("send the query as ?query=, as a form field query=, or as an application/sparql-query body")


def sparql_endpoint(home: Path, timeout: float = 30.0):
    """The request handler answering SPARQL over the store of `home`."""

    async def endpoint(request: Request) -> Response:
        try:
            text, form_format = await _query_of(request)
            if form_format == "update":
                return PlainTextResponse("SPARQL updates are refused: this endpoint is read-only\n", status_code=400)
            if not text:
                return PlainTextResponse("give a SPARQL query: ?query=SELECT … (GET) or a POST body\n", status_code=400)
            table, graph = _formats(request, form_format)
            reply = await run_in_threadpool(sparql, home, text=text, timeout=timeout, output=table, graph_output=graph)
            answer = reply.answer
        except (SoyakuError, ValueError) as exc:
            return PlainTextResponse(f"{exc}\n", status_code=400)
        return Response(answer.document, media_type=answer.media_type,
                        headers={"Vary": "Accept", "Access-Control-Allow-Origin": "*"})

    return endpoint


def sparql_route(home: Path, path: str = "/sparql", timeout: float = 30.0) -> Route:
    """The `/sparql` route (GET and POST) for a Starlette app."""
    return Route(path, sparql_endpoint(home, timeout), methods=["GET", "POST"])
