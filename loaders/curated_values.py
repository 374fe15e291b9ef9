"""The fields of one record: known names, required ones present, each value of its field's type (texts, numbers,
enum values; dates, fiscal years, 億円 amounts and shares parsed from the source's own text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soyaku.core.japanese import ShareAmount, YenAmount, parse_date, parse_fiscal_year, parse_share, parse_yen
from soyaku.ontology.model import ClassSpec, FieldSpec

from .curated_records import Problems, Typed

__all__ = ["Fields"]

_PARSERS = {"date": parse_date, "fiscal_year": parse_fiscal_year, "yen": parse_yen, "share": parse_share}


class Fields:
    """Checks and parses field values, reporting each problem at the record's file, line and field."""

    def __init__(self, problems: Problems):
        self.problems = problems
        self.parsed: dict[tuple[str, str], Any] = {}  # (type, text) → parsed date, fiscal year or amount

    def of(self, cls: ClassSpec, raw: dict[str, Any], file: Path, line: int) -> dict[str, Any]:
        """The checked values of the record `raw` of class `cls` (its `id` and `sources` are not fields)."""
        for name in sorted(set(raw) - set(cls.fields) - {"id", "sources"}):
            self.problems.add(file, line, name, f"unknown field for {cls.name}; known fields: {', '.join(sorted(cls.fields))}")
        values: dict[str, Any] = {}
        for name, spec in cls.fields.items():
            if raw.get(name) is None:
                if spec.required:
                    self.problems.add(file, line, name, f"required field missing for {cls.name}")
                continue
            parsed = self.value(spec, raw[name], file, line)
            if parsed is not None:
                values[name] = parsed
        if cls.name == "Outcome":
            self.check_outcome_figure(values, file, line)
        return values

    def value(self, spec: FieldSpec, raw: Any, file: Path, line: int) -> Any:
        """Check and parse one field value; references stay raw until every id is known."""
        def bad(message: str) -> None:
            self.problems.add(file, line, spec.name, message)

        kind = spec.type
        if kind in ("text", "enum") or (kind == "ref" and spec.to != ("Round",)):
            if not isinstance(raw, str) or not raw.strip():
                return bad(f"expected a non-empty text, got {raw!r}")
            if kind == "enum" and raw not in spec.values:
                return bad(f"{raw!r} is not one of: {', '.join(spec.values)}")
            return raw
        if kind in ("texts", "refs"):
            if not isinstance(raw, list) or not raw or not all(isinstance(v, str) and v.strip() for v in raw):
                return bad(f"expected a list of texts, got {raw!r}")
            return list(raw)
        if kind == "int" or kind == "ref":  # a Round is referred to by its number
            if isinstance(raw, bool) or not isinstance(raw, int):
                return bad(f"expected a whole number, got {raw!r}")
            return raw
        if kind == "bool":
            if not isinstance(raw, bool):
                return bad(f"expected true or false, got {raw!r}")
            return raw
        if not isinstance(raw, str):
            return bad(f"expected the text as written in the source (e.g. 令和7年度, R4.12.23, 481億円, 約3割), got {raw!r}")
        if (kind, raw) in self.parsed:  # the parsers are pure and the same texts recur
            parsed = self.parsed[kind, raw]
        else:
            try:
                parsed = self.parsed[kind, raw] = _PARSERS[kind](raw)
            except ValueError as exc:
                return bad(str(exc))
        return parsed if isinstance(parsed, (YenAmount, ShareAmount)) else Typed(parsed, raw)

    def check_outcome_figure(self, values: dict[str, Any], file: Path, line: int) -> None:
        """An outcome states a count (value and unit) or a share (約3割), one of the two."""
        count = [name for name in ("value", "unit") if name in values]
        if "share" in values and count:
            self.problems.add(file, line, "share", "give either share (e.g. 約3割) or value and unit (a count), not both")
        elif "share" not in values and len(count) != 2:
            self.problems.add(file, line, "value", "an outcome needs value and unit (a count, e.g. 8 件) or share (e.g. 約3割)")
