"""Answers for people, on any surface: column metadata, amounts in 億円, and sources as numbered notes.

A query answers with columns of plain values. Before a surface shows them to a person, this module says what each
column is (an amount in yen, a list of citations, a list of documents, a copy of another column) and turns the
citations of every row into numbered notes: each distinct source once, referenced by number from its rows. Surfaces
that render (the terminal table, a web page) use the result; JSON and CSV keep the values as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from soyaku.core.japanese import BUDGET_TERMS, budget_term

__all__ = ["Citation", "Column", "Prepared", "SOURCE_MODES", "columns_of", "compress_refs", "lift_constants", "oku",
           "grand_totals", "oku_text", "parse_citation", "prepare", "yen_text"]

SOURCE_MODES = ("notes", "inline", "none")
Kind = Literal["text", "amount", "list", "citations", "documents", "hidden", "refs"]

#: `title (publisher, date), 004_xxx.txt#L228: 「quote」`: how the queries cite a fact (queries/*.cypher).
_CITATION = re.compile(r"^(?P<document>.+?), (?P<file>[\w.-]+\.txt)#L(?P<line>\d+): 「(?P<quote>.*)」$", re.S)
#: A trailing `[file#L1, file#L2]` of locators (ministry-totals' counted lines): cited by the notes instead.
_LOCATORS = re.compile(r"\s*\[[^\[\]]*\.txt#L\d+[^\[\]]*\]$")


@dataclass(frozen=True)
class Citation:
    """One source of a fact: the document (`title (publisher, date)`), its seed file and line, and the quote."""

    document: str
    file: str
    line: int
    quote: str

    def label(self) -> str:
        """`骨太特集 (経済産業省 生物化学産業課) L228 「<第4回採択> 5社」` (an undated document shows no date)."""
        return f"{_without_undated(self.document)} L{self.line} 「{self.quote}」"


def _without_undated(document: str) -> str:
    return document.replace(", undated)", ")").replace(" (undated)", "")


def parse_citation(text: str) -> Citation | None:
    """The citation a query wrote as `document, file#Lline: 「quote」`, or None for any other text."""
    m = _CITATION.match(text)
    return Citation(m["document"], m["file"], int(m["line"]), m["quote"]) if m else None


def oku(yen: int) -> Decimal:
    """Yen in 億円 (exact): 227,380,000,000 → 2273.8."""
    return Decimal(yen).scaleb(-8).normalize()


def oku_text(yen: int) -> str:
    """An amount in 億円 for a column headed 億円: `2,673`, `2,273.8`, `0.5`."""
    return f"{oku(yen):,f}"


def yen_text(yen: int) -> str:
    """An amount with its full yen: `267,700,000,000円 (2,677億円)`."""
    return f"{yen:,}円 ({oku_text(yen)}億円)"


@dataclass(frozen=True)
class Column:
    """A result column as people see it: its name, what it holds, and its heading."""

    name: str
    kind: Kind
    heading: str


def _kind(name: str, names: list[str], rows: list[dict[str, Any]]) -> Kind:
    values = [row.get(name) for row in rows if row.get(name) is not None]
    if name.endswith("_jpy"):
        return "amount"
    if name.endswith("_oku_yen") and f"{name.removesuffix('_oku_yen')}_jpy" in names:
        return "hidden"  # the amount column already shows it in 億円
    if name == "documents" or name.endswith("_documents"):
        return "documents"
    if name == "sources" or name.endswith("_sources"):
        return "citations"
    if values and all(isinstance(v, list) for v in values):
        items = [i for v in values for i in v]
        if items and all(isinstance(i, str) and parse_citation(i) for i in items):
            return "citations"  # ad-hoc Cypher that cites the way the named queries do
        return "list"
    return "text"


def columns_of(names: list[str], rows: list[dict[str, Any]]) -> list[Column]:
    """What each column holds: amounts (`*_jpy`, headed `… (億円)`), citations (`sources`, `*_sources`),
    documents, copies of an amount in 億円 text (`*_oku_yen`, hidden), lists and plain text."""
    out = []
    for name in names:
        kind = _kind(name, names, rows)
        heading = f"{name.removesuffix('_jpy')} (億円)" if kind == "amount" else name
        out.append(Column(name, kind, heading))
    return out


def compress_refs(numbers: list[int]) -> str:
    """Note numbers as a reader scans them: [1, 2, 3, 7, 8] → `1-3, 7, 8`."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.extend([str(ordered[i])] if i == j else [str(ordered[i]), str(ordered[j])] if j == i + 1
                     else [f"{ordered[i]}-{ordered[j]}"])
        i = j + 1
    return ", ".join(parts)


@dataclass
class Prepared:
    """An answer ready to show: display columns, rows of display strings (lists as lists), and numbered notes."""

    columns: list[Column]
    rows: list[dict[str, str | list[str]]]
    notes: list[str] = field(default_factory=list)
    constants: list[tuple[str, str]] = field(default_factory=list)


def _display(column: Column, value: Any) -> str | list[str]:
    if value is None:
        return ""
    if isinstance(value, list):
        return [_LOCATORS.sub("", str(_display(column, v))) for v in value]
    if column.kind == "amount" and isinstance(value, int) and not isinstance(value, bool):
        return oku_text(value)
    if column.name in BUDGET_TERMS and isinstance(value, str):
        return budget_term(column.name, value)  # 補正 supplementary, 事業規模 business scale
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def prepare(names: list[str], rows: list[dict[str, Any]], sources: str = "notes") -> Prepared:
    """The answer as people read it. `sources`: `notes` (the citation and document columns become one column of
    note numbers, the notes listing each distinct source once), `inline` (kept in the rows) or `none` (left out)."""
    if sources not in SOURCE_MODES:
        raise ValueError(f"sources must be one of {', '.join(SOURCE_MODES)}")
    columns = [c for c in columns_of(names, rows) if c.kind != "hidden"]
    cited = [c for c in columns if c.kind in ("citations", "documents")]
    shown = [c for c in columns if c not in cited] if sources != "inline" else columns
    numbers: dict[str, int] = {}
    out_rows = []
    for row in rows:
        out = {c.name: _display(c, row.get(c.name)) for c in shown}
        if sources == "notes" and cited:
            refs = []
            for column in cited:
                for item in row.get(column.name) or []:
                    citation = parse_citation(str(item)) if column.kind == "citations" else None
                    note = citation.label() if citation else _without_undated(str(item))
                    refs.append(numbers.setdefault(note, len(numbers) + 1))
            out["sources"] = compress_refs(refs)
        out_rows.append(out)
    if sources == "notes" and cited:
        shown = [*shown, Column("sources", "refs", "sources")]
    return Prepared(shown, out_rows, list(numbers))


def lift_constants(answer: Prepared) -> Prepared:
    """The answer with each column that holds one value in every row (of two or more; not an amount or the
    sources) said once, as a (heading, value) pair, instead of in every row: `fiscal_year 2025` above the table."""
    if len(answer.rows) < 2:
        return answer
    constants, kept = [], []
    for column in answer.columns:
        values = {repr(row[column.name]) for row in answer.rows}
        value = answer.rows[0][column.name]
        if len(values) == 1 and column.kind not in ("amount", "refs") and (value == [] or isinstance(value, str)):
            constants.append((column.heading, value or "(none)"))
        else:
            kept.append(column)
    rows = [{c.name: row[c.name] for c in kept} for row in answer.rows]
    return Prepared(kept, rows, answer.notes, answer.constants + constants)


def grand_totals(rows: list[dict[str, Any]]) -> list[str]:
    """For ministry totals (rows with total_jpy per ministry, fiscal year, budget type, basis and stage): the sum of
    each year, type, basis and stage, which the counting rule lets one add; amounts of different bases or stages
    are never added together. `FY2025 補正 supplementary, 事業規模 business scale, 成立 enacted: 3,293億円 (5 rows)`."""
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        key = tuple(row.get(k) for k in ("fiscal_year", "budget_type", "basis", "stage"))
        groups.setdefault(key, []).append(row["total_jpy"])
    return [f"FY{year} {budget_term('budget_type', kind)}, {budget_term('basis', basis)}, {budget_term('stage', stage)}: "
            f"{oku_text(sum(totals))}億円 ({len(totals)} row{'' if len(totals) == 1 else 's'})"
            for (year, kind, basis, stage), totals in groups.items()]
