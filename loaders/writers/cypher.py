"""Cypher script writer: the whole graph as one script for `cypher-shell -f` (constraints, then literal
`UNWIND [...] AS row MERGE ...` batches, each in `:begin`/`:commit`). Literals: strings single-quoted with `\\`, `'`,
newlines and control characters escaped, dates as `date('2024-06-14')`, lists as `[...]`."""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku.loaders.cypher_load import batches, constraint_statements, grouped_statements
from soyaku.loaders.property_graph import PropertyGraph
from soyaku.loaders.writers import ExportError
from soyaku.loaders.writers.files import write_file

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = ["CYPHER_BATCH_SIZE", "cypher_literal", "cypher_script", "write_cypher"]

CYPHER_BATCH_SIZE = 500
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


def write_cypher(compiled: Compiled, path: Path) -> None:
    """One Cypher script (constraints, then literal UNWIND ... MERGE batches) for cypher-shell -f."""
    text, _ = cypher_script(compiled.graph)
    write_file(path, text)
