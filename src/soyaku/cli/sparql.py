"""`soyaku sparql`: SPARQL over the built RDF (facts, provenance, ontology), read-only, within a time limit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["sparql"]

FORMATS = ("table", "json", "csv", "tsv", "turtle", "jsonld")


@click.command("sparql")
@click.argument("query", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from this file (e.g. queries/trace-startup.rq).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named SPARQL query (repeatable); an entity takes a name, alias or id.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Abandon the query after this long [default: 60].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (for people); json, csv, tsv (SPARQL results formats); turtle, jsonld (CONSTRUCT/DESCRIBE).")
@click.option("--list", "list_queries", is_flag=True, help="List the named SPARQL queries and their questions.")
@click.pass_context
def sparql(ctx: click.Context, query: str | None, file: Path | None, params: tuple[str, ...], timeout: float | None,
           fmt: str, list_queries: bool) -> None:
    """Ask SPARQL over the built RDF: QUERY is a SPARQL query or the name of a named one (queries/*.rq, see
    --list). Prefixes sy:, id:, prov:, schema:, skos:, rdfs:, owl:, xsd:, wd: … need no PREFIX line. Updates
    (INSERT, DELETE, LOAD, …) are refused; the store is opened read-only."""
    from soyaku.app.sparql import sparql as ask
    from soyaku.cli.output import render
    from soyaku.cli.params import parse_params
    from soyaku.graph.arcadedb import QUERY_TIMEOUT_S
    from soyaku.queries.sparql import named_sparql_queries

    named = named_sparql_queries()
    if list_queries:
        rows = [{"name": n, "question": q.query.question, "question_ja": q.query.question_ja} for n, q in named.items()]
        click.echo(render(["name", "question", "question_ja"], rows, "table" if fmt == "table" else fmt))
        return
    if (query is None) == (file is None):
        raise click.UsageError("give a SPARQL QUERY (or a named query's name) or --file F")
    text = file.read_text(encoding="utf-8") if file else query or ""
    name = text if file is None and text in named else None
    if params and name is None:
        raise click.UsageError("--param is for the named SPARQL queries (see soyaku sparql --list)")
    output = "rows" if fmt == "table" else fmt
    reply = ask(ctx.obj["home"], text=None if name else text, name=name, params=parse_params(params),
                timeout=timeout or QUERY_TIMEOUT_S, output=output)
    for resolved in reply.resolved:
        click.echo(resolved, err=True)
    answer = reply.answer
    if answer.document is not None:
        sys.stdout.buffer.write(answer.document if answer.document.endswith(b"\n") else answer.document + b"\n")
        return
    click.echo(render(answer.columns, answer.rows, "table", title=name,
                      notes=reply.query.query.notes if reply.query else None))
