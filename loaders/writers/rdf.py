"""RDF writers: the checked RDF graph as Turtle and as JSON-LD."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from soyaku.loaders.writers.files import write_file

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = ["write_jsonld", "write_turtle"]


def write_turtle(compiled: Compiled, path: Path) -> None:
    """The RDF graph as Turtle."""
    write_file(path, compiled.rdf.serialize(format="turtle"))


def write_jsonld(compiled: Compiled, path: Path) -> None:
    """The RDF graph as JSON-LD (compacted with the graph's namespace prefixes, as in the build artifacts)."""
    write_file(path, compiled.rdf.serialize(format="json-ld", auto_compact=True))
