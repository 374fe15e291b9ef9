"""`soyaku serve` and `soyaku web`: an engine from the registry (soyaku.loaders.engines) kept up for drivers and
tools; the embedded one also answers the home's commands on its socket, with the web explorer beside it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.graph.engine import GraphEngine
    from soyaku.loaders.engines import EngineKind
    from soyaku.loaders.property_graph import PropertyGraph

__all__ = ["serve", "web_command"]


_WEB_OPTIONS = [
    click.option("--web/--no-web", default=True, show_default=True,
                 help="Run the read-only web explorer beside the engine (docs/web.md)."),
    click.option("--web-port", type=click.IntRange(1, 65535), default=None,
                 help="Web explorer port [default: 8765 if free, else any free port]."),
    click.option("--base-url", metavar="URL", default=None,
                 help="Base of the entity IRIs the explorer serves as linked data (IRIs become URL/id/<id>) "
                      "[default: https://w3id.org/soyaku-kg]."),
]


def _web_options(command):  # type: ignore[no-untyped-def]
    for option in reversed(_WEB_OPTIONS):
        command = option(command)
    return command


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (anyone who reaches it and has the password "
                   "gets in).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Bolt port [default: 7687 if free, else any free port].")
@click.option("--http-port", type=click.IntRange(1, 65535), default=None, help="HTTP port [default: any free port].")
@click.option("--read-only", is_flag=True,
              help="Print the read-only login: the engine refuses its writes, schema changes and LOAD CSV.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="The engine ends any query after this long [default: 60].")
@click.option("--engine", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
              help="neo4j: serve the graph with a real Neo4j 5 Community (needs Java 17+ and Maven; fetched once); "
                   "the engines are soyaku.loaders.engines.ENGINES.")
@_web_options
@click.pass_context
def serve(ctx: click.Context, host: str, port: int | None, http_port: int | None, read_only: bool,
          timeout: float | None, engine: str, web: bool, web_port: int | None, base_url: str | None) -> None:
    """Keep the embedded engine up for drivers, cypher-shell, ArcadeDB Studio and other soyaku commands, with the
    read-only web explorer beside it; prints how to connect (docs/engine.md, docs/web.md). Ctrl-C stops it."""
    _serve(ctx, host, port, http_port, read_only, timeout, engine, web, web_port, base_url, open_browser=False)


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (the explorer is read-only).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="The engine ends any query after this long [default: 60].")
@_web_options
@click.pass_context
def web_command(ctx: click.Context, host: str, timeout: float | None, web: bool, web_port: int | None,
                base_url: str | None) -> None:
    """`soyaku serve` and open the web explorer in the browser: search, entity pages with their sources, paths,
    named questions, where the money goes, a Cypher console (docs/web.md). Ctrl-C stops it."""
    if not web:
        raise click.UsageError("`soyaku web` is the web explorer: --no-web leaves nothing to open (use `soyaku serve`)")
    _serve(ctx, host, None, None, False, timeout, "embedded", True, web_port, base_url, open_browser=True)


def _serve(ctx: click.Context, host: str, port: int | None, http_port: int | None, read_only: bool,
           timeout: float | None, engine: str, web: bool, web_port: int | None, base_url: str | None, *,
           open_browser: bool) -> None:
    from soyaku.core.interrupts import hosting_engine
    from soyaku.loaders.engines import ENGINES, ServeOptions

    hosting_engine()  # a signal stops the engine; it interrupts no build
    home = ctx.obj["home"]
    kind = ENGINES[engine]
    if not kind.shares_home and (host not in ("127.0.0.1", "localhost") or read_only or timeout is not None
                                 or web_port or base_url):
        raise click.UsageError(f"--engine {engine} listens on 127.0.0.1 only and takes no --read-only, --timeout, "
                               "--web-port or --base-url (the web explorer runs on the embedded engine)")
    if base_url is not None:
        from soyaku.app.linked import check_base_url

        check_base_url(base_url)  # before the engine starts: fail fast
    if kind.shares_home:
        from soyaku.graph.background import find_background, stop_server

        warm = find_background(home)
        if warm is not None:  # the background engine gives way to the server the user asks for
            stop_server(home, warm.pid)
    graph = None
    if not kind.shares_home:  # its own copy: the checked graph, before the engine starts (bad data fails fast)
        from soyaku.loaders.pipeline import compile_graph

        graph = compile_graph().graph
    rows = None if graph is None else len(graph.nodes) + len(graph.edges)
    server = kind.start(home, ServeOptions(host, port, http_port, timeout, graph_rows=rows))
    with server:
        if graph is None:
            _share_home(server, home, host, read_only, web, web_port, base_url, open_browser)
            return
        _load_and_say(kind, server, home, graph)
        try:
            server.wait()
        except KeyboardInterrupt:
            click.echo("stopping")


def _load_and_say(kind: EngineKind, server: GraphEngine, home: Path, graph: PropertyGraph) -> None:
    """Fill an engine that serves its own copy of the graph with `graph`, and say how to reach it."""
    from soyaku.cli.connecting import neo4j_connection_help

    assert kind.load is not None
    counts = kind.load(server, graph)
    click.echo(f"serving the Soyaku KG graph with {kind.title} at {server.uri} (HTTP {server.http_url}; database "
               f"{server.database!r}, user {server.auth[0]!r}): {sum(counts['nodes'].values())} nodes, "
               f"{sum(counts['relationships'].values())} relationships")
    click.echo(neo4j_connection_help(server.uri, server.http_url, server.database, home / kind.credentials))
    click.echo(f"its files: {home / kind.name}")


def _share_home(server: EmbeddedServer, home: Path, host: str, read_only: bool, web: bool, web_port: int | None,
                base_url: str | None, open_browser: bool) -> None:
    """Serve the home's own graph: announce it to the home's commands, start the web explorer beside it, answer the
    commands' questions on its socket until Ctrl-C or SIGTERM."""
    from soyaku.app.host import serve_questions
    from soyaku.cli.connecting import connection_help
    from soyaku.graph.credentials import CREDENTIALS_FILE, READER_CREDENTIALS_FILE, READER_USER

    server.publish()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: whoever reaches this machine and has the password can use the "
                   "graph", err=True)
    companions = _start_companions(server, home, host, web, web_port, base_url)
    web_url = companions[0].url if companions else None
    user, credentials = (READER_USER, READER_CREDENTIALS_FILE) if read_only else (server.auth[0], CREDENTIALS_FILE)
    click.echo(connection_help(server.uri, server.http_url, user, server.database, home / credentials, web_url))
    if read_only:
        click.echo("read-only login: the engine refuses its writes, schema changes and LOAD CSV; its queries end "
                   f"after {server.query_timeout_s:g} s")
    if open_browser and web_url:
        click.launch(web_url)
    try:
        serve_questions(home, lambda: False)  # also answers the commands' questions (a fast CLI)
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        for companion in companions:
            companion.stop()


def _start_companions(server: object, home: Path, host: str, web: bool, web_port: int | None,
                      base_url: str | None) -> list:
    """Start what other surfaces run beside the engine (entry points "soyaku.serve", e.g. the web explorer); the
    command line does not import them, so the surfaces stay independent."""
    from importlib.metadata import entry_points

    if not web:
        return []
    found = {ep.name: ep for ep in entry_points(group="soyaku.serve")}
    if "web" not in found:
        raise click.ClickException("the web explorer is not installed with this soyaku: reinstall the package "
                                   "(pip install soyaku-kg), or pass --no-web")
    return [found["web"].load()(server, home, host=host, port=web_port, base_url=base_url)]
