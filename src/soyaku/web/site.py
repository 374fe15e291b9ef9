"""The explorer's Starlette application: routes, templates, static files, errors as pages, security headers.

Every page reads the graph through the app layer (soyaku.app) over a connection logged in as the engine's
read-only user; each query ends at the engine's timeout. Templates hold no Cypher.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from soyaku.app.entities import NotFound
from soyaku.app.linked import DEFAULT_BASE, LinkedData
from soyaku.core.errors import SoyakuError
from soyaku.graph.connect import Connection
from soyaku.web import i18n
from soyaku.web import tables
from soyaku.web.sparql import sparql_endpoint
from soyaku.web.validate import BadRequest

__all__ = ["Site", "create_app"]

HERE = Path(__file__).parent
log = logging.getLogger("soyaku.web")

#: No script or request leaves the page's own origin; nothing may frame it. Inline
#: styles are allowed (colour swatches, vis-network); inline scripts are not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: The network view is one self-contained page (soyaku.views.html) with its own inline script and style.
CSP_INLINE = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


@dataclass
class Site:
    """What every page needs: the read-only connection, the RDF, where the source texts are, the templates."""

    conn: Connection
    linked: LinkedData
    data_dir: Path | None
    env: Environment

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = i18n.language(request)
        html = self.env.get_template(template).render(request=request, lang=lang, t=i18n.translator(lang),
                                                      **context)
        return HTMLResponse(html, status_code=status, headers=self.headers(request))

    @staticmethod
    def headers(request: Request) -> dict[str, str]:
        """Security headers of every page; the network view may run its own inline script and style."""
        csp = CSP_INLINE if request.url.path == "/network" else CSP
        return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
                "Vary": "Accept, Cookie, Accept-Language"}


def _environment() -> Environment:
    from soyaku.web import filters

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    filters.install(env)
    return env


def _error(site: Site, request: Request, status: int, message: str) -> Response:
    return site.page(request, "error.html", status=status, status_code=status, message=message)


def create_app(conn: Connection, home: Path, *, base_url: str = DEFAULT_BASE, data_dir: Path | None = None,
               extra_routes: list[Any] | None = None) -> Starlette:
    """The explorer over `conn` (log it in as the read-only user), with the RDF of `home` under `base_url`."""
    from soyaku.web import pages

    site = Site(conn, LinkedData(home, base_url), data_dir, _environment())

    async def bad_request(request: Request, exc: Exception) -> Response:
        return _error(site, request, 400, str(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(site, request, 404, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(site, request, exc.status_code, i18n.translator(i18n.language(request))(
            "not_found" if exc.status_code == 404 else "http_error"))

    async def unavailable(request: Request, exc: Exception) -> Response:
        log.warning("graph engine unavailable: %s", exc)
        return _error(site, request, 503, i18n.translator(i18n.language(request))("unavailable"))

    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("error while answering %s", request.url.path)
        return _error(site, request, 500, i18n.translator(i18n.language(request))("internal_error"))

    protocol = sparql_endpoint(home)

    async def sparql(request: Request) -> Response:
        """People get the console page (a browser's GET, or format=html); programs the SPARQL 1.1 Protocol."""
        page = request.method == "GET" and (request.query_params.get("format") == "html" or (
            "query" not in request.query_params and "text/html" in request.headers.get("accept", "")))
        if page:
            return await run_in_threadpool(tables.sparql_page, site, home, request)
        return await protocol(request)

    routes = [*pages.routes(site), Route("/sparql", sparql, methods=["GET", "POST"]), *(extra_routes or []),
              Route("/static/vendor/{name}", _vendor), Route("/favicon.ico", _favicon),
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, exception_handlers={
        BadRequest: bad_request, NotFound: not_found, SoyakuError: bad_request, HTTPException: http_error,
        ServiceUnavailable: unavailable, SessionExpired: unavailable, Exception: internal})
    app.state.site = site
    return app


#: The vis-network files pyvis ships (soyaku.views.html uses the same copy): served from there, never a CDN.
_VENDOR = {"vis-network.min.js": "vis-network.min.js", "vis-network.css": "vis-network.css"}


async def _favicon(request: Request) -> Response:
    """Pages that are not the explorer's (the network view) get its icon where browsers look for one."""
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


async def _vendor(request: Request) -> Response:
    import pyvis

    from soyaku.views.html import VIS_VERSION

    name = request.path_params["name"]
    if name not in _VENDOR:
        raise HTTPException(404)
    path = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}" / _VENDOR[name]
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
