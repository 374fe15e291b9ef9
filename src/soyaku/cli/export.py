"""`soyaku export`: write the checked graph as Turtle, JSON-LD, GraphML, neo4j-admin CSV or a Cypher script."""

from __future__ import annotations

from pathlib import Path

import click

from soyaku.loaders.writers import WRITERS

__all__ = ["export", "FORMATS"]

FORMATS = tuple(WRITERS)  # the registry imports its writers only when they run: `soyaku --help` stays fast


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="; ".join(f"{w.name}: {w.description}" for w in WRITERS.values()) + ".")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (a directory for neo4j-csv and csv); replaced atomically.")
@click.option("--base-url", metavar="URL",
              help="Entity IRIs of the RDF formats become URL/id/<id>, as `soyaku serve --base-url URL` serves them "
                   "[default: https://w3id.org/soyaku-kg].")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Curated data directory (default: the data shipped with Soyaku KG).")
def export(fmt: str, output: Path, base_url: str | None, data_dir: Path | None) -> None:
    """Check the curated facts and export the graph to a file (or directory) in another format."""
    from soyaku.app.export import export as export_graph

    output = output.expanduser()
    compiled = export_graph(fmt, output, data_dir, base_url=base_url)
    counts = compiled.graph.counts()
    nodes, rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    if fmt in ("ttl", "jsonld"):
        click.echo(f"wrote {output} ({fmt}): {len(compiled.rdf)} triples")
    elif fmt == "neo4j-csv":
        click.echo(f"wrote {output}/ (neo4j-csv): {nodes} nodes in {len(counts['nodes'])} node files, "
                   f"{rels} relationships in {len(counts['relationships'])} relationship files, import.sh, README.md")
        click.echo(f"load it into a stopped Neo4j 5 with: sh {output / 'import.sh'}")
    else:
        click.echo(f"wrote {output} ({fmt}): {nodes} nodes ({len(counts['nodes'])} labels), "
                   f"{rels} relationships ({len(counts['relationships'])} types)")
        if fmt == "cypher":
            click.echo(f"run it with: cypher-shell -f {output}")
