"""Export the compiled graph to files other tools read: Turtle, JSON-LD, GraphML, neo4j-admin CSV, a Cypher script.

Every exporter is `export(compiled, path) -> None` in `EXPORTERS`, keyed by the format name of
`soyaku export --format`. Each writes atomically: a file is written beside its target and renamed over it,
a directory (neo4j-csv) is filled beside its target and swapped in whole. See docs/export.md.

Encodings of property values that a format has no type for:

* GraphML: dates as ISO strings (`2024-06-14`), lists as JSON arrays in a string (`["a","b"]`).
* neo4j-csv: typed header columns (`:long`, `:date`, `:string[]`, ...); lists joined with the array
  delimiter, `;` unless some list element contains `;` (then the first of `|`, U+001F, U+001E that occurs in
  no list element; `import.sh` passes the one used). An empty list or empty string is an empty field, which
  neo4j-admin imports as "no property".
* Cypher: literals, strings single-quoted with `\\`, `'`, newlines and control characters escaped, dates as
  `date('2024-06-14')`, lists as `[...]`.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import os
import re
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku.core.atomic import replace_dir, write_text_atomic
from soyaku.core.errors import SoyakuError
from soyaku.loaders.cypher_load import batches, constraint_statements, grouped_statements
from soyaku.loaders.property_graph import PropertyGraph

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = [
    "EXPORTERS",
    "DIRECTORY_FORMATS",
    "ExportError",
    "check_output",
    "export_ttl",
    "export_jsonld",
    "export_graphml",
    "export_neo4j_csv",
    "export_cypher",
    "cypher_literal",
    "cypher_script",
    "to_networkx",
    "write_neo4j_csv",
    "CYPHER_BATCH_SIZE",
    "IMPORT_SCRIPT",
]

CYPHER_BATCH_SIZE = 500
IMPORT_SCRIPT = "import.sh"
README = "README.md"
ARRAY_DELIMITERS = (";", "|", "\x1f", "\x1e")  # the first one that occurs in no list element is used


class ExportError(SoyakuError):
    """The graph cannot be written in the asked format, or not to the asked place."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_readable(path: Path) -> None:
    """Give an export the usual permissions (0644/0755 under umask 022): the atomic helpers create 0600 files
    and 0700 directories, and neo4j-admin or a Neo4j server often runs as another user."""
    mode = 0o777 if path.is_dir() or os.access(path, os.X_OK) else 0o666
    path.chmod(mode & ~_umask())


def _write_file(path: Path, text: str) -> None:
    write_text_atomic(path, text)
    _make_readable(path)


# --------------------------------------------------------------------------------------------- RDF


def export_ttl(compiled: Compiled, path: Path) -> None:
    """The RDF graph as Turtle."""
    _write_file(path, compiled.rdf.serialize(format="turtle"))


def export_jsonld(compiled: Compiled, path: Path) -> None:
    """The RDF graph as JSON-LD (compacted with the graph's namespace prefixes, as in the build artifacts)."""
    _write_file(path, compiled.rdf.serialize(format="json-ld", auto_compact=True))


# ----------------------------------------------------------------------------------------- GraphML


def _graphml_value(value: Any) -> Any:
    """GraphML has string, int/long, double and boolean: dates become ISO strings, lists JSON strings."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps([_graphml_value(v) for v in value], ensure_ascii=False)
    return value


def to_networkx(graph: PropertyGraph) -> Any:
    """A networkx MultiDiGraph: node key = node id, edge key = edge id; node attribute `labels` (":Label",
    as APOC writes it) and edge attribute `label` (the type), plus every property GraphML-encoded."""
    import networkx as nx

    g = nx.MultiDiGraph(name="Soyaku KG")
    for node in graph.nodes:
        if "labels" in node.properties:
            raise ExportError(f"node {node.id} has a property named 'labels', which GraphML export uses for its label")
        g.add_node(node.id, labels=f":{node.label}", **{k: _graphml_value(v) for k, v in node.properties.items()})
    for edge in graph.edges:
        props = {k: _graphml_value(v) for k, v in edge.properties.items()}
        props["id"] = edge.id  # as load_graph stores it: the relationship's id is the edge id
        if "label" in edge.properties:
            raise ExportError(f"relationship {edge.id} has a property named 'label', which GraphML export uses for its type")
        g.add_edge(edge.source, edge.target, key=edge.id, label=edge.type, **props)
    return g


_CR = "\ue00d"  # stands for "\r" inside the GraphML writer


def export_graphml(compiled: Compiled, path: Path) -> None:
    """The property graph as GraphML (lists as JSON strings, dates as ISO strings)."""
    import networkx as nx

    g = to_networkx(compiled.graph)
    # networkx's writer splits lines (dropping "\r") and XML parsers turn a raw "\r" into "\n": carry it through
    # the writer as a private-use character, then write it as the character reference &#13;, which survives.
    for attributes in [*(d for _, d in g.nodes(data=True)), *(d for *_, d in g.edges(keys=True, data=True))]:
        for key, value in attributes.items():
            if isinstance(value, str) and ("\r" in value or _CR in value):
                if _CR in value:
                    raise ExportError(f"value {value!r} holds U+E00D, which GraphML export reserves")
                attributes[key] = value.replace("\r", _CR)
    text = "\n".join(nx.generate_graphml(g)) + "\n"
    _write_file(path, text.replace(_CR, "&#13;").replace(f"&#{ord(_CR)};", "&#13;"))


# -------------------------------------------------------------------------------------- neo4j-csv

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
    (directory / IMPORT_SCRIPT).chmod(0o755 & ~_umask())
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
            _make_readable(path)
    return {"nodes": node_files, "relationships": rel_files, "array_delimiter": delimiter}


def export_neo4j_csv(compiled: Compiled, path: Path) -> None:
    """A directory of neo4j-admin import CSV files plus import.sh, swapped in whole (refuses a foreign directory)."""
    check_output("neo4j-csv", path)
    replace_dir(path, lambda directory: write_neo4j_csv(compiled.graph, directory))


# ------------------------------------------------------------------------------------------ Cypher

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _cypher_string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or char in "\x7f\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def _cypher_key(key: str) -> str:
    return key if _IDENTIFIER.match(key) else "`" + key.replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a property value (or a map or list of them); one line, no raw newline."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, datetime.datetime):
        raise ExportError(f"datetime {value!r} is not a supported property type")
    if isinstance(value, datetime.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, str):
        return _cypher_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_cypher_key(str(k))}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"{type(value).__name__} value {value!r} has no Cypher literal")


def cypher_script(graph: PropertyGraph, batch_size: int = CYPHER_BATCH_SIZE) -> tuple[str, int]:
    """The whole graph as one Cypher script and its number of statements.

    The constraints, then for every label and relationship group the statements of cypher_load with the
    `$rows` parameter replaced by a literal list of at most `batch_size` rows. Each statement ends with
    `;` and a newline; no literal contains a raw newline, so `;\\n` occurs only at statement ends. Every data
    statement runs in its own explicit transaction (cypher-shell's `:begin` / `:commit`): in auto-commit,
    ArcadeDB failed some relationship batches with a spurious DeadlockDetected (37 of 606 relationships lost).
    """
    schema = [*constraint_statements(n.label for n in graph.nodes)]
    statements: list[str] = []
    for statement, rows in grouped_statements(graph):
        if not statement.startswith("UNWIND $rows AS row "):
            raise ExportError(f"unexpected loader statement: {statement}")
        tail = statement[len("UNWIND $rows AS row "):]
        for batch in batches(rows, batch_size):
            literal = ",\n  ".join(cypher_literal(row) for row in batch)
            statements.append(f"UNWIND [\n  {literal}\n] AS row {tail}")
    counts = graph.counts()
    header = (
        f"// Soyaku KG: {sum(counts['nodes'].values())} nodes, {sum(counts['relationships'].values())} relationships.\n"
        "// Run with: cypher-shell -a neo4j://localhost:7687 -u neo4j -d neo4j -f soyaku.cypher\n"
        "// Idempotent: MERGE on `id`, so running it twice changes nothing.\n"
    )
    body = "".join(f"{s};\n" for s in schema) + "".join(f":begin\n{s};\n:commit\n" for s in statements)
    return header + body, len(schema) + len(statements)


def export_cypher(compiled: Compiled, path: Path) -> None:
    """One Cypher script (constraints, then literal UNWIND ... MERGE batches) for cypher-shell -f."""
    text, _ = cypher_script(compiled.graph)
    _write_file(path, text)


# ---------------------------------------------------------------------------------------- registry

EXPORTERS: dict[str, Callable[[Compiled, Path], None]] = {
    "ttl": export_ttl,
    "jsonld": export_jsonld,
    "graphml": export_graphml,
    "neo4j-csv": export_neo4j_csv,
    "cypher": export_cypher,
}

DIRECTORY_FORMATS = frozenset({"neo4j-csv"})


def check_output(fmt: str, path: Path) -> None:
    """Refuse an output path that the format cannot (or must not) replace.

    A file format needs a path that is not a directory. neo4j-csv replaces a whole directory, so it refuses an
    existing file and any existing non-empty directory that is not an earlier neo4j-csv export (no import.sh).
    """
    if fmt not in EXPORTERS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORTERS)}")
    if fmt in DIRECTORY_FORMATS:
        if path.exists() and not path.is_dir():
            raise ExportError(f"{path} exists and is not a directory: {fmt} writes a directory of files; "
                              f"choose another path")
        if path.is_dir() and any(path.iterdir()) and not (path / IMPORT_SCRIPT).is_file():
            raise ExportError(f"{path} is a non-empty directory that is not an earlier {fmt} export "
                              f"(no {IMPORT_SCRIPT}); it would be replaced whole, so choose a new or empty directory")
    elif path.is_dir():
        raise ExportError(f"{path} is a directory: {fmt} writes one file; give a file path such as "
                          f"{path / ('soyaku.' + fmt)}")
