"""The `soyaku` command line: thin commands that parse, call one library function, and format.

Heavy modules (rdflib, pyshacl, the engine) are imported inside the commands so `soyaku --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from soyaku.core.errors import SoyakuError
from soyaku.core.interrupts import Terminated, announce, exit_code, install_sigterm

__all__ = ["main"]

class _Group(click.Group):
    """Turns every SoyakuError, file-system error and Ctrl-C into one clear line and a non-zero exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SoyakuError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = exc.exit_code
            raise error from None
        except OSError as exc:  # an unusable home or output path: a read-only or missing directory, /proc, ...
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or type(exc).__name__}{where} (check that the directory "
                                       f"exists and you may write to it)") from None
        except (KeyboardInterrupt, Terminated) as exc:
            announce()
            raise SystemExit(exit_code(exc)) from None


def _home(ctx: click.Context) -> Path:
    return ctx.obj["home"]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="soyaku-kg", prog_name="soyaku")  # the version is looked up only for --version
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="SOYAKU_HOME",
              help="Where the graph and build artifacts live [env: SOYAKU_HOME; default: per-user data dir].")
@click.option("--background/--no-background", default=None,
              help="Let a question start a background engine that stays warm until idle (default: on; "
                   "env SOYAKU_BACKGROUND=0 turns it off). See `soyaku status`.")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, background: bool | None) -> None:
    """Soyaku KG: who funds whom in Japan's drug-discovery ecosystem, with a source for every fact."""
    from soyaku.graph import background as bg
    from soyaku.core.home import default_home

    ctx.obj = {"home": (home or default_home()).expanduser(),
               "background": bg.enabled() if background is None else background}


_allow_shrink_option = click.option(
    "--allow-shrink", is_flag=True,
    help="Accept fewer records of a class than data/record_counts.yaml expects (refused otherwise).")


@cli.command()
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Curated data directory (default: the data shipped with Soyaku KG).")
@click.option("--rdf-only", is_flag=True, help="Check and write the RDF artifacts, do not touch the graph engine.")
@_allow_shrink_option
@click.pass_context
def build(ctx: click.Context, data_dir: Path | None, rdf_only: bool, allow_shrink: bool) -> None:
    """Check the curated facts, validate the RDF, and build the graph in the embedded engine."""
    from soyaku.app.build import build as build_graph
    from soyaku.core.interrupts import building
    from soyaku.core.progress import Stages

    building()  # an interruption from here on says the previous graph is kept
    with Stages() as stages:
        built = build_graph(_home(ctx), data_dir, rdf_only=rdf_only, allow_shrink=allow_shrink, stages=stages)
    counts = built.counts
    click.echo(f"checked {len(built.compiled.curated.records)} records, {len(built.compiled.rdf)} triples: all "
               "conform to the shapes")
    click.echo(f"wrote {built.artifacts}/soyaku.ttl, soyaku.jsonld, receipt.json")
    if built.database is not None:
        click.echo(f"built the graph in {built.database}: {sum(counts['nodes'].values())} nodes, "
                   f"{sum(counts['relationships'].values())} relationships")


@cli.command()
@click.option("--uri", required=True, help="Bolt URI of a Neo4j 5 server, e.g. bolt://localhost:7687.")
@click.option("--user", default="neo4j", show_default=True, help="User name.")
@click.option("--database", default=None, help="Database name (default: the server's default).")
@click.option("--wipe", is_flag=True, help="Delete every node and relationship of the database first.")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Curated data directory (default: the data shipped with Soyaku KG).")
@_allow_shrink_option
def load(uri: str, user: str, database: str | None, wipe: bool, data_dir: Path | None, allow_shrink: bool) -> None:
    """Load the graph into your Neo4j (password from NEO4J_PASSWORD or a prompt); loading twice changes nothing."""
    from soyaku.app.build import load_into
    from soyaku.graph.connect import check_bolt_uri, connect_uri

    check_bolt_uri(uri)
    password = os.environ.get("NEO4J_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise click.ClickException(f"no password for {user} at {uri}: set NEO4J_PASSWORD "
                                       "(standard input is not a terminal, so there is no prompt)")
        password = click.prompt(f"password for {user} at {uri}", hide_input=True)
    with connect_uri(uri, user, password, database) as conn:
        counts = load_into(conn, data_dir, wipe=wipe, allow_shrink=allow_shrink)
    click.echo(f"loaded into {uri}: {sum(counts['nodes'].values())} nodes, {sum(counts['relationships'].values())} relationships")


_format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "records", "json", "csv"]), default="table", show_default=True,
    help="Output format: table (records when the columns cannot fit the terminal), records (one field per line), "
         "json (an array of row objects), csv.")
_sources_option = click.option(
    "--sources", type=click.Choice(["notes", "inline", "none"]), default="notes", show_default=True,
    help="Sources in a table or records: numbered notes under it, inline in the rows, or none "
         "(JSON and CSV always keep the full source lists).")


@cli.command("queries")
@click.argument("name", required=False)
def list_queries(name: str | None) -> None:
    """List the named queries with their questions, parameters (with defaults) and columns; with NAME, that query's
    parameters in full: type, allowed values and an example."""
    import json

    from soyaku.queries.library import named_queries, named_query

    if name:
        query = named_query(name)
        click.echo(f"{query.name}\n    {query.question}\n    {query.question_ja}\nparameters:")
        for p in query.parameters:
            kind = p.value_type
            click.echo(f"  {p.name} ({kind.name}; default {json.dumps(p.default, ensure_ascii=False)})"
                       f"{': ' + p.description if p.description else ''}\n"
                       f"      allowed: {kind.allowed}\n      example: --param {p.name}={kind.example}")
        if not query.parameters:
            click.echo("  none")
        click.echo(f"columns: {query.columns}")
        if query.notes:
            click.echo(f"note: {query.notes}")
        return
    for query in named_queries().values():
        params = ", ".join(f"{p.name}={json.dumps(p.default, ensure_ascii=False)}" for p in query.parameters) or "none"
        click.echo(f"{query.name}\n    {query.question}\n    {query.question_ja}\n    parameters: {params}; columns: {query.columns}")
        if query.notes:
            click.echo(f"    note: {query.notes}")
    click.echo("\nParameters are optional here (header defaults; names resolved to ids); `soyaku queries NAME` shows "
               "what each takes. From a driver or Neo4j Browser, pass every parameter, null for 'any' (docs/engine.md).")


@cli.command()
@click.argument("name", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Run the Cypher in this file.")
@click.option("--cypher", help="Run this Cypher statement.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--write", is_flag=True, help="Allow a query that writes (refused otherwise).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="End the query after this long [default: the engine's limit, 60 s unless `serve --timeout`].")
@_format_option
@_sources_option
@click.pass_context
def query(ctx: click.Context, name: str | None, file: Path | None, cypher: str | None, params: tuple[str, ...],
          write: bool, timeout: float | None, fmt: str, sources: str) -> None:
    """Run a named query (see `soyaku queries`), a Cypher file, or a Cypher statement; read-only by default.

    Parameters a query's header declares get their defaults when omitted; a parameter that names an entity takes
    a name, alias, English name or id and says which entity it picked. With --timeout, an engine of this command's
    own ends the query then; a shared one (`serve`, the background engine) ends it at its own limit, and this
    command stops waiting (writes are never cut short by the command).
    """
    from soyaku.app.results import Answer
    from soyaku.cli.output import render
    from soyaku.cli.params import parse_params
    from soyaku.queries.library import read_cypher_file

    if sum(x is not None for x in (name, file, cypher)) != 1:
        raise click.UsageError("give exactly one of: a query NAME, --file F or --cypher Q")
    question = {"name": name, "cypher": cypher, "file_text": read_cypher_file(file) if file else None,
                "file_name": file.stem if file else "file", "params": parse_params(params), "write": write}
    answer = _by_engine(ctx, "ask", **question, timeout=timeout)
    if answer is None:
        from soyaku.app.questions import ask
        from soyaku.cli.session import warm_connect
        from soyaku.core.interrupts import run_read_only

        with warm_connect(_home(ctx), ctx.obj["background"], read_only=not write, query_timeout_s=timeout) as conn:
            def run() -> Answer:
                return ask(conn, **question)

            # Ctrl-C and SIGTERM end a read-only question within seconds; an engine of this command's own enforces
            # --timeout itself, a shared one ends the query at its own limit while this command stops waiting.
            answer = run() if write else run_read_only(run, timeout if conn.kind == "served" else None)
    for line in (*answer.resolved, *answer.warnings):
        click.echo(line, err=True)
    click.echo(render(answer.columns, answer.rows, fmt, title=name, notes=answer.notes, sources=sources,
                      empty=answer.empty, sums=answer.sums,
                      more=f"the rule in full: soyaku queries {name}" if name else None))


@cli.command()
@click.argument("text")
@click.option("--label", help="Only nodes with this label (e.g. VentureCapital, Startup, Program).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000), help="Most entities to list.")
@_format_option
@click.pass_context
def find(ctx: click.Context, text: str, label: str | None, limit: int, fmt: str) -> None:
    """Find entities by id, Japanese or English name, or alias (UTEK, "Kyoto iCAP", 京大, tregem).

    Best matches first: the id, a name or alias, a word of the id, then names that start with the text, Japanese
    abbreviations (京大 → 京都大学), names that contain it. When nothing matches, the closest names are suggested.
    """
    from soyaku.cli.output import render

    found = _by_engine(ctx, "find", text=text, label=label, limit=limit)
    if found is None:
        from soyaku.app.questions import find as find_entities
        from soyaku.cli.session import warm_connect

        with warm_connect(_home(ctx), ctx.obj["background"]) as conn:
            found = find_entities(conn, text, label, limit)
    rows = [{"label": m.entity.label, "id": m.entity.id, "name": m.entity.name, "name_en": m.entity.name_en,
             "match": m.kind if m.matched in (m.entity.name, m.entity.id) else f"{m.kind}: {m.matched}"} for m in found]
    click.echo(render(["label", "id", "name", "name_en", "match"], rows, fmt))


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--via", help="Only paths through a node with this label (e.g. Startup).")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8), help="Longest path to look for.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100), help="How many paths to show.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def path(ctx: click.Context, source: str, target: str, via: str | None, max_hops: int, limit: int, fmt: str) -> None:
    """Trace how FROM reaches TO (names, aliases, English names or ids), shortest paths first, one hop per line
    with the sources that state it."""
    import json
    from dataclasses import asdict

    from soyaku.core.names import describe

    found = _by_engine(ctx, "trace", source=source, target=target, via=via, max_hops=max_hops, limit=limit)
    if found is None:
        from soyaku.app.questions import trace
        from soyaku.cli.session import warm_connect

        with warm_connect(_home(ctx), ctx.obj["background"]) as conn:
            found = trace(conn, source, target, via=via, max_hops=max_hops, limit=limit)
    for role, text, match in zip(("from", "to"), (source, target), found.ends):
        click.echo(f"{role}: {text!r} → {describe(match.entity)}", err=True)
    paths = found.paths
    if not paths:
        raise click.ClickException(f"no path of at most {max_hops} hops" + (f" through a {via}" if via else "")
                                   + "; try a larger --max-hops")
    if fmt == "json":
        click.echo(json.dumps([asdict(p) for p in paths], ensure_ascii=False, indent=2))
        return
    for number, step in enumerate(paths, start=1):
        click.echo(f"{number}. {_path_node(step.nodes[0])}")
        for rel, node in zip(step.relationships, step.nodes[1:]):
            props = " ".join(f"{k} {v}" for k, v in rel["properties"].items())
            edge = f"[{rel['type']}{' ' + props if props else ''}]"
            click.echo(f"   {'─' + edge + '→' if rel['forward'] else '←' + edge + '─'} {_path_node(node)}")
            for source_, quote in zip(rel["sources"], rel["quotes"]):
                click.echo(f"        {source_} 「{quote}」")


def _by_engine(ctx: click.Context, question: str, **args: object) -> Any:
    """The running engine's result for the question (soyaku.app.remote), or None: then ask over Bolt here."""
    if not ctx.obj["background"]:
        return None
    from soyaku.app.remote import ask_engine

    return ask_engine(_home(ctx), question, **args)


def _path_node(node: dict) -> str:
    return f"{node['name']} ({node['labels'][0]})"


def _register_view_and_export_commands() -> None:
    from soyaku.cli.export import export
    from soyaku.cli.release import release
    from soyaku.cli.serve import serve, web_command
    from soyaku.cli.session import shell, status, stop
    from soyaku.cli.assistants import mcp
    from soyaku.cli.sparql import sparql
    from soyaku.cli.views import stats, viz

    for command in (serve, web_command, viz, stats, export, release, status, stop, shell, sparql, mcp):
        cli.add_command(command)


_register_view_and_export_commands()


def main() -> None:
    """Console-script entry point."""
    from soyaku.cli.session import keep_dataframes_out

    install_sigterm()
    keep_dataframes_out()
    cli(prog_name="soyaku")
