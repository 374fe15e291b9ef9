"""Render query results as a terminal table, JSON (an array of row objects) or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(columns: list[str], rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> str:
    """The rows in `fmt`: table (rich, for people), json or csv (for programs)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        return buffer.getvalue().rstrip("\n")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    console.print(f"{len(rows)} row(s)")
    return console.export_text().rstrip("\n")
