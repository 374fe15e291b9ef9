"""The explorer's pages: home, search (and suggestions), entity (with linked data), document, path, network.

Each handler validates its parameters (soyaku.web.validate), asks the app layer, and renders a template.
The money, named-query and Cypher pages are in soyaku.web.tables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from soyaku.app import documents as docs
from soyaku.app.entities import entity_facts, neighbourhood, suggest
from soyaku.app.overview import labels, overview
from soyaku.app.questions import find, trace
from soyaku.core.names import AmbiguousName, NameNotFound
from soyaku.web import i18n, tables
from soyaku.web.validate import BadRequest, entity_id, integer, only, text

__all__ = ["routes"]

#: Media types an entity IRI answers with, besides its page.
RDF_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")
_FORMAT_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}


def routes(site: Any) -> list[Route]:
    def home(request: Request) -> Response:
        only(request.query_params, set())
        return site.page(request, "home.html", view=overview(site.conn))

    def search(request: Request) -> Response:
        only(request.query_params, {"q"})
        q = text(request.query_params, "q")
        found, close, message = [], [], None
        if q:
            try:
                found = find(site.conn, q, limit=100)
            except NameNotFound as exc:
                message, close = str(exc), suggest(site.conn, q)
            if len(found) == 1 and found[0].exact:
                return RedirectResponse(f"/entity/{quote(found[0].entity.id)}", status_code=303)
        return site.page(request, "search.html", q=q or "", found=found, close=close, message=message)

    def suggestions(request: Request) -> Response:
        only(request.query_params, {"q"})
        q = text(request.query_params, "q")
        items: list[dict[str, Any]] = []
        if q:
            try:
                items = [{"id": m.entity.id, "name": m.entity.name, "name_en": m.entity.name_en,
                          "label": m.entity.label, "match": m.matched, "close": False}
                         for m in find(site.conn, q, limit=8)]
            except NameNotFound:
                items = [{"id": e.id, "name": e.name, "name_en": e.name_en, "label": e.label, "match": "",
                          "close": True} for e in suggest(site.conn, q)]
            except BadRequest:
                raise
            except Exception as exc:  # a search text with no letters or digits: no suggestion
                if "give a name" not in str(exc):
                    raise
        return JSONResponse(items, headers={"Cache-Control": "no-store"})

    def entity(request: Request) -> Response:
        node = entity_id(request.path_params["id"])
        only(request.query_params, {"format"})
        media = _wanted(request)
        if media in RDF_TYPES:
            body = site.linked.serialize(node, media)
            return Response(body, media_type=media, headers={"Vary": "Accept",
                                                              "Link": f'<{site.linked.iri(node)}>; rel="canonical"'})
        facts = entity_facts(site.conn, node)
        return site.page(request, "entity.html", e=facts, network=neighbourhood(facts), iri=site.linked.iri(node))

    def document(request: Request) -> Response:
        only(request.query_params, set())
        found = docs.document(site.conn, entity_id(request.path_params["id"]), site.data_dir)
        by_line: dict[int, list[docs.Citation]] = {}
        for citation in found.citations:
            by_line.setdefault(citation.line, []).append(citation)
        return site.page(request, "document.html", d=found, by_line=by_line)

    def path(request: Request) -> Response:
        params = request.query_params
        only(params, {"from", "to", "via", "max_hops"})
        start, end = text(params, "from"), text(params, "to")
        via = text(params, "via", max_length=40)
        max_hops = integer(params, "max_hops", 1, 8, default=4)
        labels = [row["label"] for row in overview_labels(site)]
        if via is not None and via not in labels:
            raise BadRequest(f"via={via[:40]!r} is not a kind of node; one of: {', '.join(labels)}")
        found, message = None, None
        if start and end:
            try:
                found = trace(site.conn, start, end, via=via, max_hops=max_hops or 4)
            except (NameNotFound, AmbiguousName) as exc:
                raise BadRequest(str(exc)) from None
            if not found.paths:
                message = i18n.translator(i18n.language(request))("no_path", hops=max_hops) + \
                    (f" ({via})" if via else "")
        drawn = _path_network(found) if found and found.paths else None
        return site.page(request, "path.html", start=start or "", end=end or "", via=via or "",
                         max_hops=max_hops, labels=labels, found=found, message=message, network=drawn)

    def network(request: Request) -> Response:
        only(request.query_params, set())
        from soyaku.app.network import network_page

        html = network_page(site.data_dir, entity_link="/entity/", lang=i18n.language(request))
        return HTMLResponse(html, headers=site.headers(request))

    def language(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in i18n.LANGUAGES:
            raise BadRequest(f"language {code[:10]!r} is not offered; one of: {', '.join(i18n.LANGUAGES)}")
        target = request.query_params.get("next") or "/"
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    return [Route("/", home), Route("/search", search), Route("/search/suggest", suggestions),
            Route("/entity/{id}", entity), Route("/id/{id}", entity), Route("/document/{id}", document),
            Route("/path", path), Route("/network", network), Route("/lang/{code}", language),
            *tables.routes(site)]


def overview_labels(site: Any) -> list[dict[str, Any]]:
    return labels(site.conn)


def _wanted(request: Request) -> str:
    """The media type to answer an entity request with: `?format=`, else the best of the Accept header."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt not in (*_FORMAT_TYPES, "html"):
            raise BadRequest(f"format={fmt[:20]!r} is not offered; one of: html, {', '.join(_FORMAT_TYPES)}")
        return _FORMAT_TYPES.get(fmt, "text/html")
    best, best_q = "text/html", 0.0
    for part in request.headers.get("accept", "text/html").split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.strip().lower()
        if media == "application/json":
            media = "application/ld+json"
        if media in (*RDF_TYPES, "text/html") and q > best_q:
            best, best_q = media, q
    return best


def _path_network(found: Any) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for step in found.paths:
        for node in step.nodes:
            nodes.setdefault(node["id"], {"id": node["id"], "name": node["name"], "label": node["labels"][0]})
        for i, rel in enumerate(step.relationships):
            a, b = step.nodes[i]["id"], step.nodes[i + 1]["id"]
            edges.append({"source": a if rel["forward"] else b, "target": b if rel["forward"] else a,
                          "type": rel["type"]})
    return {"nodes": list(nodes.values()), "edges": edges}

