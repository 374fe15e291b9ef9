"""The engines `soyaku serve` can run, in one registry: how each starts for a home and what it serves.

The embedded ArcadeDB serves the graph `soyaku build` made in the home (and shares it: other commands, the web
explorer and the question socket use it); a Neo4j 5 Community gets the checked graph bulk loaded at each start.
Adding an engine is a class in graph/ that implements `soyaku.graph.engine.GraphEngine` and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from soyaku.core.home import QUICK_START_MAX_ROWS
from soyaku.graph.arcadedb import BOLT_PORT, QUERY_TIMEOUT_S, EmbeddedServer
from soyaku.graph.credentials import CREDENTIALS_FILE, NEO4J_CREDENTIALS_FILE, neo4j_password
from soyaku.graph.engine import GraphEngine
from soyaku.graph.neo4j_server import NEO4J_VERSION, Neo4jServer
from soyaku.graph.ports import free_port

from .cypher_load import graph_counts, load_graph, wipe_graph
from .property_graph import PropertyGraph

__all__ = ["ENGINES", "EngineKind", "ServeOptions"]


@dataclass(frozen=True)
class ServeOptions:
    """Where and how an engine listens: address, Bolt and HTTP ports (None: chosen), query time limit; and, for an
    engine that gets its own copy, the rows (nodes + relationships) it will be loaded with."""

    host: str = "127.0.0.1"
    bolt_port: int | None = None
    http_port: int | None = None
    query_timeout_s: float | None = None
    graph_rows: int | None = None


@dataclass(frozen=True)
class EngineKind:
    """An engine Soyaku can serve a home's graph with (`title` names it in messages).

    `shares_home`: it serves the home's own built graph, announced to the home's other commands (ArcadeDB); else
    `load` fills it with the checked graph after each start. `credentials` names the home's file with its password.
    """

    name: str
    title: str
    start: Callable[[Path, ServeOptions], GraphEngine]
    shares_home: bool
    credentials: str
    load: Callable[[GraphEngine, PropertyGraph], dict[str, dict[str, int]]] | None = None


def _embedded(home: Path, options: ServeOptions) -> EmbeddedServer:
    server = EmbeddedServer(home, host=options.host, bolt_port=options.bolt_port, http_port=options.http_port,
                            query_timeout_s=options.query_timeout_s or QUERY_TIMEOUT_S)
    server.preferred_bolt_port = BOLT_PORT  # where drivers and tools look first
    return server


def _neo4j(home: Path, options: ServeOptions) -> GraphEngine:
    """A Neo4j for the home's graph; for a small graph (as a small build) the quick compiler: loading it is then
    most of the work, and it serves sooner (docs/engine.md, "Quick start")."""
    small = options.graph_rows is not None and options.graph_rows <= QUICK_START_MAX_ROWS
    return Neo4jServer(home / "neo4j", neo4j_password(home), bolt_port=options.bolt_port or free_port(),
                       http_port=options.http_port or free_port(), http=True, heap="1g", quick_start=small)


def _load_over_bolt(engine: GraphEngine, graph: PropertyGraph) -> dict[str, dict[str, int]]:
    """Replace the engine's graph with GRAPH (batched Cypher over Bolt, as `soyaku load` does); its counts."""
    driver = engine.driver()
    wipe_graph(driver, engine.database)
    load_graph(driver, engine.database, graph)
    return graph_counts(driver, engine.database)


ENGINES: dict[str, EngineKind] = {
    "embedded": EngineKind("embedded", "the embedded engine (ArcadeDB)", _embedded, shares_home=True,
                           credentials=CREDENTIALS_FILE),
    "neo4j": EngineKind("neo4j", f"Neo4j {NEO4J_VERSION} Community", _neo4j, shares_home=False,
                        credentials=NEO4J_CREDENTIALS_FILE, load=_load_over_bolt),
}
