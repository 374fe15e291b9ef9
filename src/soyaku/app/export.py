"""Exports: the checked graph written in another format (the writers of soyaku.loaders.writers; docs/export.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from soyaku.loaders.writers import check_output, writer
from soyaku.app.linked import check_base_url, rebase
from soyaku.loaders.pipeline import Compiled, compile_graph

__all__ = ["export"]


def export(fmt: str, output: Path, data_dir: Path | None = None, *, base_url: str | None = None) -> Compiled:
    """Check the curated facts and write the graph as `fmt` to `output` (replaced atomically); the compiled graph.

    With `base_url`, entity IRIs in the RDF formats are `base_url`/id/<id> (as the web explorer serves them). The
    output path and the base URL are checked before the facts are compiled, so a bad one fails at once.
    """
    check_output(fmt, output)
    if base_url is not None:
        check_base_url(base_url)
    compiled = compile_graph(data_dir)
    if base_url is not None:
        compiled = replace(compiled, rdf=rebase(compiled.rdf, base_url))
    writer(fmt).write(compiled, output)
    return compiled
