"""`soyaku mcp`: serve the graph to AI assistants over the Model Context Protocol (stdio). The MCP surface is its own
(soyaku.mcp, independent of the CLI): this command hands the process over to `python -m soyaku.mcp`."""

from __future__ import annotations

import os
import sys

import click

__all__ = ["mcp"]


@click.command("mcp")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Time limit of each Cypher and SPARQL question.")
@click.pass_context
def mcp(ctx: click.Context, timeout: float) -> None:
    """Serve the graph over MCP on stdin/stdout, for an assistant to start: tools find, facts, path, one per named
    query, and read-only Cypher and SPARQL, every answer with its sources. Register it in the assistant as the
    command `soyaku mcp` (with --home or SOYAKU_HOME pointing at a built graph)."""
    from soyaku.graph.databases import require_graph

    home = ctx.obj["home"]
    require_graph(home)
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "soyaku.mcp", "--home", str(home), "--timeout", str(timeout)])
