"""The engine seam: what Soyaku needs of a graph engine it runs, whichever engine it is.

Two engines implement it: the embedded ArcadeDB (`arcadedb.EmbeddedServer`, the default) and a real Neo4j 5
Community in a child JVM (`neo4j_server.Neo4jServer`). Which one `soyaku serve` runs, and how a graph is bulk
loaded into each, is the registry's business (soyaku.loaders.engines); connections to a running engine are
`connect.py`'s.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import neo4j

__all__ = ["GraphEngine"]


@runtime_checkable
class GraphEngine(Protocol):
    """A graph engine this process runs: started and stopped (also as a context manager), asked over Bolt."""

    #: The database every session must name.
    database: str

    @property
    def uri(self) -> str:
        """The Bolt address, e.g. bolt://127.0.0.1:7687 (set once started)."""

    @property
    def http_url(self) -> str | None:
        """The engine's own HTTP address (ArcadeDB Studio, Neo4j Browser), if it serves one."""

    @property
    def auth(self) -> tuple[str, str]:
        """The user name and password with every right on the engine."""

    def start(self) -> Any:
        """Start the engine; it listens on `uri` when this returns."""

    def stop(self) -> None:
        """Close every driver handed out and stop the engine (idempotent)."""

    def driver(self) -> neo4j.Driver:
        """A new driver logged in as `auth`, closed by `stop()`."""

    def wait(self) -> Any:
        """Block until the engine ends or a signal (Ctrl-C, SIGTERM) arrives."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc_info: object) -> None: ...
