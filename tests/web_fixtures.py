"""Fixtures shared by the web explorer's tests: the session's seed engine seen through its read-only user, with
the RDF that `soyaku build` writes, as a Starlette app, a TestClient, and a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

BASE = "http://kg.example.org"


@pytest.fixture(scope="session")
def web_home(seed_home: Path, rendered: dict[str, str]) -> Path:
    """The seed home with its build (soyaku.ttl, the SPARQL store) written, as `soyaku build` leaves it."""
    from soyaku.loaders.pipeline import write_artifacts

    if not (seed_home / "build" / "soyaku.ttl").exists():
        write_artifacts(rendered, seed_home / "build")
    return seed_home


@pytest.fixture(scope="session")
def reader(conn, web_home: Path) -> Iterator:
    """A connection to the session's served engine logged in as its read-only user."""
    from soyaku.graph.connect import connect

    with connect(web_home, read_only=True) as connection:
        yield connection


@pytest.fixture(scope="session")
def web_app(reader, web_home: Path):
    from soyaku.web.site import create_app

    return create_app(reader, web_home, base_url=BASE)


@pytest.fixture(scope="session")
def client(web_app):
    from starlette.testclient import TestClient

    return TestClient(web_app, raise_server_exceptions=False, follow_redirects=True)


@pytest.fixture(scope="session")
def web_url(web_app) -> Iterator[str]:
    """The explorer served by uvicorn on 127.0.0.1 (any free port), as `soyaku serve` runs it."""
    from soyaku.web.server import serve_app

    server = serve_app(web_app, "127.0.0.1", None)
    try:
        yield server.url.rstrip("/")
    finally:
        server.stop()
