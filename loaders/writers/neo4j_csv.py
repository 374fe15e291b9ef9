"""neo4j-admin CSV writer: a directory of typed CSV files (nodes_<Label>.csv, rels_<TYPE>.csv), import.sh and a
README, for `neo4j-admin database import full`.

Typed header columns (`:long`, `:date`, `:string[]`, ...); lists joined with the array delimiter, `;` unless some list
element contains `;` (then the first of `|`, U+001F, U+001E that occurs in no list element; `import.sh` passes the one
used). An empty list or empty string is an empty field, which neo4j-admin imports as "no property".
"""

from __future__ import annotations

import csv
import datetime
import math
import re
import shlex
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku.core.atomic import replace_dir
from soyaku.loaders.property_graph import PropertyGraph
from soyaku.loaders.writers import ExportError
from soyaku.loaders.writers.files import make_readable, umask

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = ["IMPORT_SCRIPT", "write_neo4j_csv", "write_neo4j_csv_dir"]

IMPORT_SCRIPT = "import.sh"
README = "README.md"
ARRAY_DELIMITERS = (";", "|", "\x1f", "\x1e")  # the first one that occurs in no list element is used
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


_SCALAR_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: bool is an int
    (int, "long"),
    (float, "double"),
    (datetime.date, "date"),  # datetime.datetime is not a property type here
    (str, "string"),
)


def _scalar_type(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return None
    for python, neo in _SCALAR_TYPES:
        if isinstance(value, python):
            return neo
    return None


def _value_type(value: Any, where: str) -> str | None:
    """The neo4j-admin column type of one value; None for an empty list (any array type fits)."""
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        kinds = {_scalar_type(v) for v in value}
        if len(kinds) != 1 or None in kinds:
            raise ExportError(f"{where}: list {value!r} mixes types or holds a type neo4j-admin cannot import")
        return kinds.pop() + "[]"
    kind = _scalar_type(value)
    if kind is None:
        raise ExportError(f"{where}: {type(value).__name__} value {value!r} has no neo4j-admin type")
    return kind


def _columns(rows: list[tuple[str, dict[str, Any]]], fixed: Iterable[str], context: str) -> list[tuple[str, str]]:
    """(property, type) for every property of the rows, in first-seen order; one type per property."""
    types: dict[str, str | None] = {}
    skip = set(fixed)
    for ident, props in rows:
        for key, value in props.items():
            if key in skip:
                continue
            kind = _value_type(value, f"{context} {ident}, property {key!r}")
            known = types.get(key)
            if key not in types or known is None:
                types[key] = kind
            elif kind is not None and kind != known:
                raise ExportError(f"{context} {ident}: property {key!r} is {kind} here but {known} elsewhere; "
                                  f"neo4j-admin needs one type per column")
    return [(key, kind or "string[]") for key, kind in types.items()]


def _header(key: str, kind: str) -> str:
    if ":" in key or "," in key:
        raise ExportError(f"property name {key!r} cannot be a neo4j-admin CSV header")
    return key if kind == "string" else f"{key}:{kind}"


def _cell(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return delimiter.join(_cell(v, delimiter) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} cannot be imported by neo4j-admin")
        return repr(value)
    return str(value)


def _array_delimiter(graph: PropertyGraph) -> str:
    """The first candidate delimiter that occurs in no list element (neo4j-admin cannot escape it)."""
    used: set[str] = set()
    for item in (*graph.nodes, *graph.edges):
        for value in item.properties.values():
            if isinstance(value, (list, tuple)):
                for element in value:
                    used.update(c for c in ARRAY_DELIMITERS if c in str(element))
    for candidate in ARRAY_DELIMITERS:
        if candidate not in used:
            return candidate
    raise ExportError("every array delimiter candidate occurs inside some list value; cannot write neo4j-admin CSV")


def _delimiter_option(delimiter: str) -> str:
    """How `--array-delimiter` spells it: the character, or U+XXXX for a control character."""
    return delimiter if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_neo4j_csv(graph: PropertyGraph, directory: Path) -> dict[str, Any]:
    """Write nodes_<Label>.csv, rels_<TYPE>.csv, import.sh and README.md into an existing empty directory.

    Returns what was written: {"nodes": {label: file}, "relationships": {type: file}, "array_delimiter": c}.
    """
    delimiter = _array_delimiter(graph)
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node in graph.nodes:
        by_label[node.label].append((node.id, node.properties))
    by_type: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
    for edge in graph.edges:
        # the relationship's `id` is the edge id, as load_graph stores it (a fact's own id is its prefix)
        by_type[edge.type].append((edge.id, edge.source, edge.target, {**edge.properties, "id": edge.id}))

    for name in (*by_label, *by_type):
        if not _IDENTIFIER.match(name):
            raise ExportError(f"{name!r} cannot be a file name and neo4j-admin label or type: use letters, digits, _")
    node_files: dict[str, str] = {}
    for label, rows in sorted(by_label.items()):
        columns = _columns(rows, ("id",), f"{label} node")
        header = ["id:ID", ":LABEL"] + [_header(k, t) for k, t in columns]
        name = f"nodes_{label}.csv"
        _write_csv(directory / name, header,
                   ([ident, label] + [_cell(props.get(k), delimiter) for k, _ in columns] for ident, props in rows))
        node_files[label] = name

    rel_files: dict[str, str] = {}
    for kind, edges in sorted(by_type.items()):
        columns = _columns([(e[0], e[3]) for e in edges], (), f"{kind} relationship")
        header = [":START_ID", ":END_ID", ":TYPE"] + [_header(k, t) for k, t in columns]
        name = f"rels_{kind}.csv"
        _write_csv(directory / name, header,
                   ([source, target, kind] + [_cell(props.get(k), delimiter) for k, _ in columns]
                    for _, source, target, props in edges))
        rel_files[kind] = name

    option = _delimiter_option(delimiter)
    # labels, types and file names are identifiers (no quoting needed); the delimiter is quoted for the shell
    args = [f"--nodes={label}={name}" for label, name in node_files.items()]
    args += [f"--relationships={kind}={name}" for kind, name in rel_files.items()]
    args += [f"--array-delimiter={shlex.quote(option)}", "--multiline-fields=true", '"$@"', "neo4j"]
    command = " \\\n  ".join(["neo4j-admin database import full", *args])
    script = (
        "#!/bin/sh\n"
        "# Import this Soyaku KG export into the Neo4j 5 database `neo4j` with neo4j-admin (offline, full import).\n"
        "# Run it from anywhere: sh import.sh   (extra options are passed on, e.g. --overwrite-destination=true)\n"
        "set -e\n"
        'cd "$(dirname "$0")"\n'
        f"{command}\n"
    )
    (directory / IMPORT_SCRIPT).write_text(script, encoding="utf-8")
    (directory / IMPORT_SCRIPT).chmod(0o755 & ~umask())
    counts = graph.counts()
    readme = (
        "# Soyaku KG: neo4j-admin import files\n\n"
        f"{sum(counts['nodes'].values())} nodes in {len(node_files)} files `nodes_<Label>.csv`, "
        f"{sum(counts['relationships'].values())} relationships in {len(rel_files)} files `rels_<TYPE>.csv`.\n\n"
        "To load them, stop Neo4j 5 and run `sh import.sh` (it calls `neo4j-admin database import full ... neo4j`; "
        "add `--overwrite-destination=true` to replace an existing `neo4j` database), then start Neo4j.\n\n"
        f"Encodings: UTF-8, RFC 4180 quoting (fields may span lines: `--multiline-fields=true`); typed columns "
        f"(`:long`, `:date`, `:boolean`, `:string[]`, `:long[]`); list elements separated by {option!r} "
        f"(`--array-delimiter={shlex.quote(option)}`); an empty field means the property is absent "
        f"(empty lists and empty strings are not stored).\n"
    )
    (directory / README).write_text(readme, encoding="utf-8")
    for path in (directory, *directory.iterdir()):
        if path.name != IMPORT_SCRIPT:
            make_readable(path)
    return {"nodes": node_files, "relationships": rel_files, "array_delimiter": delimiter}


def write_neo4j_csv_dir(compiled: Compiled, path: Path) -> None:
    """A directory of neo4j-admin import CSV files plus import.sh, swapped in whole (refuses a foreign directory)."""
    replace_dir(path, lambda directory: write_neo4j_csv(compiled.graph, directory))
