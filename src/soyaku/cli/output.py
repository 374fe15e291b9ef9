"""Render query results as a terminal table, JSON (an array of row objects) or CSV.

Tables are for people: they follow the terminal's width and wrap long cells, show lists one item per line and
amounts in yen (columns named `*_jpy`) with 億円 alongside. JSON and CSV are for programs and keep the values.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from typing import Any

__all__ = ["FORMATS", "render", "terminal_width", "yen_text"]

FORMATS = ("table", "json", "csv")


def terminal_width() -> int:
    """The terminal's width in columns ($COLUMNS wins; 100 when there is no terminal)."""
    return shutil.get_terminal_size((100, 24)).columns


def yen_text(yen: int) -> str:
    """An amount for people: `267,700,000,000円 (2,677億円)`."""
    oku = Decimal(yen).scaleb(-8).normalize()
    return f"{yen:,}円 ({oku:,f}億円)"


def _cell(value: Any) -> str:
    """A value in CSV: lists and maps as JSON."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table_cell(column: str, value: Any) -> str:
    """A value in a table: lists one item per line (bulleted when several), yen amounts with 億円."""
    if isinstance(value, list):
        items = [_table_cell(column, v) for v in value]
        return "\n".join(f"• {item}" for item in items) if len(items) > 1 else "".join(items)
    if column.endswith("_jpy") and isinstance(value, int) and not isinstance(value, bool):
        return yen_text(value)
    return _cell(value)


def render(columns: list[str], rows: list[dict[str, Any]], fmt: str, title: str | None = None, *,
           notes: str | None = None, width: int | None = None) -> str:
    """The rows in `fmt`: table (rich, for people; `notes` printed under it), json or csv (for programs)."""
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
    from rich.text import Text

    cells = [[_table_cell(c, row.get(c)) for c in columns] for row in rows]
    table = Table(title=title, title_justify="left", show_lines=any("\n" in cell for row in cells for cell in row))
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in cells:
        table.add_row(*map(Text, row))  # Text: brackets in the data are not rich markup
    console = Console(width=width or terminal_width(), record=True, file=io.StringIO(), highlight=False)
    if columns:
        console.print(table)
    console.print(f"{len(rows)} row(s)")
    if notes:
        console.print(f"note: {notes}", markup=False)
    return console.export_text().rstrip("\n")
