"""Budget arithmetic: a budget line `itemised_as` programs states the same money as their own lines, which must
exist (one each, of the same fiscal year, budget type and basis) and add up to it."""

from __future__ import annotations

from soyaku.core.japanese import YenAmount

from .curated_records import Problems, Record, Typed

__all__ = ["check_itemised"]

#: The fields the arithmetic reads; a line missing one of them (or whose value was refused) is already reported.
_NEEDED = ("for", "budget_type", "basis", "amount")


def check_itemised(problems: Problems, records: list[Record]) -> None:
    """A budget line `itemised_as` programs states the same money as their own lines: each of them must have
    exactly one line of the same fiscal year and budget type (and basis, unless one is unstated), and together
    they must add up to the line's amount. Checked once every budget line has the fields the arithmetic reads."""
    budget_lines = [r for r in records if r.cls.name == "BudgetLine"]
    checked = [r for r in budget_lines if all(r.values.get(f) for f in _NEEDED)]
    if len(checked) < len(budget_lines):
        return  # a line lacks one of them (already reported): the sums wait for it, rather than mislead
    lines: dict[str, list[Record]] = {}
    for record in checked:
        lines.setdefault(record.values["for"], []).append(record)

    def year(record: Record) -> int | None:
        fy = record.values.get("fiscal_year")
        return fy.value if isinstance(fy, Typed) else None

    for record in checked:
        if not record.values.get("itemised_as"):
            continue
        v = record.values
        parts: list[YenAmount] = []
        for target in v["itemised_as"]:
            same = [r for r in lines.get(target, []) if r is not record and year(r) == year(record)
                    and r.values["budget_type"] == v["budget_type"] and not r.values.get("itemised_as")]
            exact = [r for r in same if r.values["basis"] == v["basis"]]
            same = exact or [r for r in same if "unstated" in (r.values["basis"], v["basis"])]
            if len(same) != 1:
                found = "no" if not same else f"{len(same)}"
                problems.add(record.file, record.line, "itemised_as", f"{target!r} has {found} budget line of the same fiscal "
                             f"year, budget type and basis; `itemised_as` names programs whose own lines state this money")
                break
            parts.append(same[0].values["amount"])
        else:
            _check_sum(problems, record, parts)


def _check_sum(problems: Problems, record: Record, parts: list[YenAmount]) -> None:
    """The itemised lines add up to the line's amount (within 5 % when an amount is approximate, else exactly)."""
    v = record.values
    total = sum(a.yen for a in parts)
    stated: YenAmount = v["amount"]
    tolerance = 0.05 if stated.approximate or any(a.approximate for a in parts) else 0.0
    if abs(total - stated.yen) > tolerance * stated.yen:
        problems.add(record.file, record.line, "itemised_as", f"the itemised lines add up to {total / 1e8:g}億円, "
                     f"but this line states {stated.text}; check the programs listed")
