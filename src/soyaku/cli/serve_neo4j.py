"""`soyaku serve --engine neo4j`: the seed graph served by a real Neo4j 5 Community on localhost (docs/engine.md)."""

from __future__ import annotations

import json
import secrets
import signal
from pathlib import Path

import click

from soyaku.core.atomic import write_text_atomic

CREDENTIALS_FILE = "neo4j-credentials.json"


def _password(home: Path) -> str:
    """The `neo4j` user's password for this home's Neo4j, generated once and kept 0600."""
    file = home / CREDENTIALS_FILE
    if file.exists():
        return json.loads(file.read_text(encoding="utf-8"))["password"]
    password = secrets.token_urlsafe(18)
    home.mkdir(parents=True, exist_ok=True)
    write_text_atomic(file, json.dumps({"user": "neo4j", "password": password}) + "\n", mode=0o600)
    return password


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def serve_neo4j(home: Path, bolt_port: int | None, http_port: int | None, data_dir: Path | None = None) -> None:
    """Start Neo4j with its files in `<home>/neo4j/`, load the graph afresh, and serve until Ctrl-C or SIGTERM."""
    from soyaku.cli.connecting import neo4j_connection_help
    from soyaku.graph.neo4j_server import NEO4J_VERSION, Neo4jServer, free_port
    from soyaku.loaders.cypher_load import graph_counts, load_graph, wipe_graph
    from soyaku.loaders.pipeline import compile_graph

    compiled = compile_graph(data_dir)
    password = _password(home)
    server = Neo4jServer(home / "neo4j", password, bolt_port=bolt_port or free_port(),
                         http_port=http_port or free_port(), http=True, heap="1g")
    previous = signal.signal(signal.SIGTERM, _raise_exit)
    try:
        with server:
            driver = server.driver()
            wipe_graph(driver, server.database)
            load_graph(driver, server.database, compiled.graph)
            counts = graph_counts(driver, server.database)
            click.echo(f"serving the Soyaku KG graph with Neo4j {NEO4J_VERSION} Community at {server.uri} "
                       f"(HTTP {server.http_url}; database {server.database!r}, user 'neo4j'): "
                       f"{sum(counts['nodes'].values())} nodes, {sum(counts['relationships'].values())} relationships")
            click.echo(neo4j_connection_help(server.uri, server.http_url, server.database, home / CREDENTIALS_FILE))
            click.echo(f"its files: {home / 'neo4j'}")
            try:
                server.wait()
            except KeyboardInterrupt:
                click.echo("stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
