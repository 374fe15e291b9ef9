"""CSV writer: one file per node label (`nodes/<Label>.csv`: id and every property) and per relationship type
(`relationships/<TYPE>.csv`: id, source, target and every property); lists and maps as JSON. For spreadsheets and
pandas; the neo4j-csv writer is the one for neo4j-admin."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku.core.atomic import replace_dir
from soyaku.loaders.property_graph import PropertyGraph
from soyaku.loaders.writers.files import make_readable

if TYPE_CHECKING:
    from soyaku.loaders.pipeline import Compiled

__all__ = ["write_label_csvs"]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path: Path, fixed: list[str], rows: list[tuple[list[Any], dict[str, Any]]]) -> None:
    keys = sorted({k for _, props in rows for k in props} - set(fixed))  # id once, in front
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fixed + keys)
    for head, props in rows:
        writer.writerow([_csv_value(v) for v in head] + [_csv_value(props.get(k)) for k in keys])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_label_csvs(compiled: Compiled, path: Path) -> None:
    """nodes/<Label>.csv and relationships/<TYPE>.csv in the directory `path` (swapped in whole)."""
    replace_dir(path, lambda root: _write_all(compiled.graph, root))
    for written in (path, *path.rglob("*")):
        make_readable(written)


def _write_all(graph: PropertyGraph, root: Path) -> None:
    (root / "nodes").mkdir()
    (root / "relationships").mkdir()
    by_label: dict[str, list] = {}
    for node in sorted(graph.nodes, key=lambda n: n.id):
        by_label.setdefault(node.label, []).append(([node.id], node.properties))
    for label, rows in sorted(by_label.items()):
        _write_csv(root / "nodes" / f"{label}.csv", ["id"], rows)
    by_type: dict[str, list] = {}
    for edge in sorted(graph.edges, key=lambda e: e.id):
        by_type.setdefault(edge.type, []).append(([edge.id, edge.source, edge.target], edge.properties))
    for rel_type, rows in sorted(by_type.items()):
        _write_csv(root / "relationships" / f"{rel_type}.csv", ["id", "source", "target"], rows)
