"""Render query results for the terminal (a table, or one record per block) and as JSON or CSV.

Tables are for people: the answer's own columns come first and whole, cells too long for the terminal are cut
with … (never wrapped mid-word), headings are never broken, amounts are one column in 億円 and the sources are
numbered notes under the table (soyaku.app.answers). When the columns cannot fit the terminal, the answer is shown
as records, one field per line (like psql's \\x). JSON and CSV are for programs and keep every value as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from typing import Any

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

from soyaku.app.answers import Prepared, lift_constants, prepare, yen_text

__all__ = ["FORMATS", "render", "terminal_width", "yen_text"]

FORMATS = ("table", "records", "json", "csv")
#: A column cut narrower than this many cells (or its heading) is not worth reading: records instead.
MIN_CELLS = 12
#: A query's notes longer than this many lines show their first sentence under a table.
NOTE_LINES = 3


def terminal_width() -> int:
    """The terminal's width in columns ($COLUMNS wins; 100 when there is no terminal)."""
    return shutil.get_terminal_size((100, 24)).columns


def _csv_cell(value: Any) -> str:
    """A value in CSV: lists and maps as JSON."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(columns: list[str], rows: list[dict[str, Any]], fmt: str, title: str | None = None, *,
           notes: str | None = None, width: int | None = None, sources: str = "notes",
           empty: str | None = None, more: str | None = None, sums: list[str] | None = None) -> str:
    """The rows in `fmt`: table or records (for people; `notes`, the query's notes, under it; `empty`, why an
    empty answer is empty; `more`, where the rest of long notes is; `sums`, the totals one may add, each on its
    line), json or csv (for programs)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(row.get(c)) for c in columns] for row in rows)
        return buffer.getvalue().rstrip("\n")
    width = width or terminal_width()
    answer = prepare(columns, rows, sources)
    table = lift_constants(answer) if fmt == "table" else answer
    widths = _fit(table, width) if fmt == "table" else None
    lines = [title] if title else []
    if widths is not None:
        lines += [_cut(f"{heading}: {value}", width) for heading, value in table.constants]
        lines += _print(_table(table, widths), width)
    elif answer.rows:
        lines += _records(answer, width)
    elif answer.columns:
        lines += _print(Text("columns: " + ", ".join(c.heading for c in answer.columns)), width)
    lines.append(f"{len(rows)} row{'' if len(rows) == 1 else 's'}" + (f": {empty}" if empty else ""))
    lines += [_cut(f"sum: {line}", width) for line in sums or []]
    if notes:
        lines += _note_lines(notes, width, more)
    if answer.notes:
        lines.append("sources:")
        lines += [_fit_note(n, note, width) for n, note in enumerate(answer.notes, start=1)]
    return "\n".join(line.rstrip() for line in lines)


def _cells(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else value.split("\n") if value else [""]


def _fit(answer: Prepared, width: int) -> list[int] | None:
    """Column widths that fit `width` (the widest columns cut first), or None when even the narrowest do not."""
    natural = [max([cell_len(c.heading), *(cell_len(line) for row in answer.rows for line in _cells(row[c.name]))])
               for c in answer.columns]
    floor = [max(cell_len(c.heading), min(n, MIN_CELLS)) for c, n in zip(answer.columns, natural)]
    room = width - (3 * len(natural) + 1)  # borders and one space of padding on each side of a cell
    if sum(floor) > room:
        return None
    if sum(natural) <= room:
        return natural
    low, high = 0, max(natural)  # the largest cap on column widths that fits
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(n, max(cap, f)) for n, f in zip(natural, floor)) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(n, max(low, f)) for n, f in zip(natural, floor)]


def _table(answer: Prepared, widths: list[int]) -> Table:
    # rows are told apart by their first cell; only when that one spans lines are rules drawn between rows
    first = answer.columns[0].name
    multi_line = any(len(_cells(row[first])) > 1 for row in answer.rows)
    table = Table(box=box.HEAVY_HEAD, show_lines=multi_line, pad_edge=True, expand=False)
    for column, w in zip(answer.columns, widths):
        table.add_column(column.heading, width=w, no_wrap=True, overflow="ellipsis",
                         justify="right" if column.kind in ("amount",) else "left")
    for row in answer.rows:
        table.add_row(*(Text("\n".join(_cut(line, w) for line in _cells(row[c.name])))
                        for c, w in zip(answer.columns, widths)))  # Text: brackets in the data are not markup
    return table


def _records(answer: Prepared, width: int) -> list[str]:
    """One record per block, one field per line (a list: one item per line); long values wrap at spaces."""
    label = max(cell_len(c.heading) for c in answer.columns)
    lines = []
    for number, row in enumerate(answer.rows, start=1):
        rule = f"─[ record {number} ]"
        lines.append(rule + "─" * max(0, min(width, 40) - cell_len(rule)))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=label, no_wrap=True)
        grid.add_column(width=1)
        grid.add_column(width=max(1, width - label - 4), overflow="fold")
        for column in answer.columns:
            grid.add_row(column.heading, "│", Text("\n".join(_cells(row[column.name]))))
        lines += _print(grid, width)
    return lines


def _print(renderable: Table | Text, width: int) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO(), highlight=False, color_system=None)
    console.print(renderable, crop=False)
    return console.export_text().rstrip("\n").split("\n")


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending with … when cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


_NOTE = re.compile(r"^(?P<title>.*?)(?P<rest> \([^()]*\)(?: L\d+ 「.*」)?)$", re.S)


def _fit_note(number: int, note: str, width: int) -> str:
    """`[n] note` on one line: a long document title is shortened first, so publisher, line and quote stay."""
    line = f"[{number}] {note}"
    if cell_len(line) <= width:
        return line
    if m := _NOTE.match(note):
        room = width - cell_len(f"[{number}] ") - cell_len(m["rest"])
        return _cut(f"[{number}] {_cut(m['title'], max(room, 12))}{m['rest']}", width)
    return _cut(line, width)


def _note_lines(notes: str, width: int, more: str | None) -> list[str]:
    """The query's notes, wrapped at spaces; a long one as its first sentence and where to read the rest."""
    wrapped = _print(Text(f"note: {notes}"), width)
    if len(wrapped) <= NOTE_LINES or not more:
        return wrapped
    first = notes.split(". ", 1)[0].rstrip(".")
    return _print(Text(f"note: {first} ({more})"), width)

