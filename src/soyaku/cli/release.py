"""`soyaku release`: write a versioned dataset bundle (all export formats, DCAT metadata, checksums, changelog)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

__all__ = ["release"]


@click.command("release")
@click.option("-o", "--output", "releases", type=click.Path(path_type=Path), required=True,
              help="The directory that holds the releases; this one goes to OUTPUT/<version>/.")
@click.option("--version", "version", metavar="VERSION",
              help="Release version (default: the issue date, e.g. 2026.11.29). A release is never overwritten.")
@click.option("--issued", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Issue date (default: today).")
@click.option("--previous", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The release to compare with (default: the newest release in OUTPUT).")
@click.option("--no-previous", is_flag=True, help="Compare with nothing: a first release.")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Curated data directory (default: the data shipped with Soyaku KG).")
def release(releases: Path, version: str | None, issued, previous: Path | None, no_previous: bool,
            data_dir: Path | None) -> None:
    """Check the curated facts and write a release: Turtle, JSON-LD, GraphML, Cypher, neo4j-admin CSV, a CSV per
    label, DCAT metadata with checksums, and a changelog against the previous release."""
    from soyaku.app.release import release as write_release

    if previous and no_previous:
        raise click.UsageError("give --previous or --no-previous, not both")
    target, meta = write_release(releases.expanduser(), version, issued=issued.date() if issued else date.today(),
                                 previous=previous, compare=not no_previous, data_dir=data_dir)
    counts = meta["counts"]
    click.echo(f"wrote release {meta['version']} to {target}/: {counts['nodes']} nodes, {counts['relationships']} "
               f"relationships, {counts['facts']} facts, {counts['triples']} triples, {len(meta['files']) + 2} files")
    if meta["previous"]:
        summary = "; ".join(f"{kind} +{c['added']} -{c['removed']} ~{c['changed']}"
                            for kind, c in meta["changes"]["summary"].items())
        click.echo(f"changes since {meta['previous']}: {summary} (see {target / 'CHANGELOG.md'})")
    else:
        click.echo("no previous release to compare with: the changelog lists everything as new")
    click.echo(f"check it with: (cd {target} && sha256sum -c SHA256SUMS)")
