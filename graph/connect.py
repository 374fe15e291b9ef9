"""Connections to a graph over Bolt: the home's running server or an embedded one started for the purpose
(`connect`), or a user's Neo4j (`connect_uri`), with URIs checked and never echoed with a password."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from soyaku.core.errors import EngineError, first_line

from .arcadedb import QUERY_TIMEOUT_S, EmbeddedServer
from .credentials import CREDENTIALS_FILE, READER_USER, read_credentials, reader_password
from .databases import DATABASE, require_graph
from .registry import find_running_server

__all__ = ["BOLT_SCHEMES", "Connection", "check_bolt_uri", "connect", "connect_uri", "redact_uri"]


@dataclass(frozen=True)
class Connection:
    """A driver and the database to pass to every session, with where they lead.

    `kind` is "served" (the home's running `soyaku serve`), "embedded" (a server started for this
    connection) or "external" (a Neo4j given by URI).
    """

    driver: neo4j.Driver
    database: str | None
    uri: str
    kind: Literal["served", "embedded", "external"]


@contextmanager
def connect(home: Path, *, quick_start: bool = False, read_only: bool = False,
            query_timeout_s: float | None = None) -> Iterator[Connection]:
    """Connect to the home's graph: its running `soyaku serve` if there is one, else an embedded server.

    `quick_start` suits a process that asks a few queries and ends (see `EmbeddedServer`). `read_only` logs in
    as the engine's read-only user (writes refused). `query_timeout_s` is the time limit of an embedded server
    started here (a running server keeps its own). A home without a built graph is an EngineError, and no empty
    database is created.
    """
    running = find_running_server(home)
    if running is not None:
        password = reader_password(home) if read_only else read_credentials(home)
        if password is None:
            raise EngineError(f"{home / CREDENTIALS_FILE} is missing, so the server announced in "
                              f"{home / 'server.json'} cannot be logged into: restart `soyaku serve`.")
        user = READER_USER if read_only else running.user
        driver = neo4j.GraphDatabase.driver(running.uri, auth=(user, password))
        try:
            yield Connection(driver, running.database, running.uri, "served")
        finally:
            driver.close()
        return
    require_graph(home)
    with EmbeddedServer(home, quick_start=quick_start, query_timeout_s=query_timeout_s or QUERY_TIMEOUT_S) as server:
        yield Connection(server.driver(read_only=read_only), DATABASE, server.uri, "embedded")


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def redact_uri(uri: str) -> str:
    """`uri` without any user name or password in it, however spelled, for messages: everything between `://` and
    the last `@` is dropped (`bolt://neo4j:pa?ss#wd@host` and `bolt://neo4j:se/cret@host` → `bolt://host`)."""
    scheme, sep, rest = uri.partition("://")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}{rest.rpartition('@')[2]}"


def check_bolt_uri(uri: str) -> None:
    """An EngineError unless `uri` is a Bolt/neo4j URI without credentials in it (never echoing a password).

    Any `@` after the scheme counts as credentials, wherever it stands (a `/`, `?` or `#` in a password would
    otherwise hide it in the path, query or fragment, and the driver would echo part of it in its errors)."""
    scheme, sep, rest = uri.partition("://")
    shown = redact_uri(uri)
    if not sep or scheme.lower() not in BOLT_SCHEMES:
        raise EngineError(f"{shown!r} is not a Bolt address: use bolt://host:7687 or neo4j://host:7687 "
                          f"(schemes: {', '.join(BOLT_SCHEMES)}); http:// is not supported")
    if "@" in rest:
        raise EngineError(f"the URI holds a user name or password: give {shown} as --uri, the user with --user and "
                          f"the password in NEO4J_PASSWORD")


@contextmanager
def connect_uri(uri: str, user: str, password: str, database: str | None = None) -> Iterator[Connection]:
    """Connect to a Neo4j-compatible server over Bolt, checking that it answers and accepts the login."""
    check_bolt_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    except (ConfigurationError, ValueError) as exc:
        raise EngineError(f"{uri!r} is not a Bolt address ({first_line(exc)}): use bolt://host:port or "
                          f"neo4j://host:port.") from None
    try:
        try:
            driver.verify_connectivity()
        except AuthError:
            raise EngineError(f"{uri} refused the login of user {user!r}: check the user name and password.") from None
        except ServiceUnavailable:
            raise EngineError(f"Nothing answers at {uri}: check that the server runs and the address and port "
                              f"are right.") from None
        except ValueError as exc:  # e.g. a port that is not a number: "Failed to DNS resolve address host:x"
            raise EngineError(f"{uri!r} is not a usable Bolt address ({first_line(exc)}): use bolt://host:port "
                              f"with a numeric port.") from None
        yield Connection(driver, database, uri, "external")
    finally:
        driver.close()
