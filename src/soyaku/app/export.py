"""Exports: the checked graph written in another format (the writers of soyaku.loaders.writers; docs/export.md)."""

from __future__ import annotations

from pathlib import Path

from soyaku.loaders.writers import check_output, writer
from soyaku.loaders.pipeline import Compiled, compile_graph

__all__ = ["export"]


def export(fmt: str, output: Path, data_dir: Path | None = None) -> Compiled:
    """Check the curated facts and write the graph as `fmt` to `output` (replaced atomically); the compiled graph.

    The output path is checked before the facts are compiled, so a bad path fails at once.
    """
    check_output(fmt, output)
    compiled = compile_graph(data_dir)
    writer(fmt).write(compiled, output)
    return compiled
