"""Writers: the checked graph as files other tools read, in one registry that `soyaku export` and `soyaku release`
both iterate (rdflib's plugin registry and BioCypher's writer registry work the same way).

Each writer is `write(compiled, path)` in a module of its own, imported only when it runs, so listing the formats
costs nothing (`soyaku --help` stays fast). A file writer writes one file atomically; a directory writer fills a
directory beside its target and swaps it in whole. Adding a format is one module and one line in `WRITERS`. See
docs/export.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from soyaku.core.errors import SoyakuError

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = ["WRITERS", "ExportError", "Writer", "check_output", "writer"]


class ExportError(SoyakuError):
    """The graph cannot be written in the asked format, or not to the asked place."""


@dataclass(frozen=True)
class Writer:
    """One export format: its name (`--format`), the suffix and media type of its data files, whether it writes a
    directory, what it is for, and `module:function` that writes it."""

    name: str
    suffix: str
    media_type: str
    directory: bool
    description: str
    function: str
    #: A file that an earlier export of a directory format holds: only such a directory is replaced.
    marker: str | None = None

    @property
    def file_name(self) -> str:
        """Its name in a release: soyaku.ttl, ...; a directory format's own name (neo4j-csv/)."""
        return self.name if self.directory else f"soyaku{self.suffix}"

    def write(self, compiled: Compiled, path: Path) -> None:
        """Write `compiled` to `path` in this format (replacing an earlier export there whole)."""
        check_output(self.name, path)
        module, _, function = self.function.partition(":")
        getattr(import_module(module), function)(compiled, path)


_HERE = __name__
WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("ttl", ".ttl", "text/turtle", False, "RDF as Turtle", f"{_HERE}.rdf:write_turtle"),
    Writer("jsonld", ".jsonld", "application/ld+json", False, "RDF as JSON-LD", f"{_HERE}.rdf:write_jsonld"),
    Writer("graphml", ".graphml", "application/graphml+xml", False, "the property graph for networkx, Gephi, yEd",
           f"{_HERE}.graphml:write_graphml"),
    Writer("neo4j-csv", ".csv", "text/csv", True, "a directory for neo4j-admin import, with import.sh",
           f"{_HERE}.neo4j_csv:write_neo4j_csv_dir", marker="import.sh"),
    Writer("cypher", ".cypher", "application/x-cypher-query", False, "a script for cypher-shell -f",
           f"{_HERE}.cypher:write_cypher"),
    Writer("csv", ".csv", "text/csv", True, "one CSV per label and per relationship type (spreadsheets, pandas)",
           f"{_HERE}.label_csv:write_label_csvs", marker="nodes"),
)}


def writer(name: str) -> Writer:
    """The writer of format `name`; an ExportError listing the formats if there is none."""
    try:
        return WRITERS[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r}: use one of {', '.join(WRITERS)}") from None


def check_output(name: str, path: Path) -> None:
    """Refuse an output path that format `name` cannot (or must not) replace.

    A file format needs a path that is not a directory. A directory format replaces a whole directory, so it
    refuses an existing file and any existing non-empty directory that is not an earlier export of it (no marker).
    """
    found = writer(name)
    if found.directory:
        if path.exists() and not path.is_dir():
            raise ExportError(f"{path} exists and is not a directory: {name} writes a directory of files; "
                              f"choose another path")
        if path.is_dir() and any(path.iterdir()) and not (path / str(found.marker)).exists():
            raise ExportError(f"{path} is a non-empty directory that is not an earlier {name} export "
                              f"(no {found.marker}); it would be replaced whole, so choose a new or empty directory")
    elif path.is_dir():
        raise ExportError(f"{path} is a directory: {name} writes one file; give a file path such as "
                          f"{path / found.file_name}")
