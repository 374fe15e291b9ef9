"""Japanese text as the seeds write it: era years, fiscal years, dates, yen amounts, and matching keys.

Every parser takes the source text and returns a typed value; the text itself is kept by the caller.

>>> parse_fiscal_year("令和7年度")
2025
>>> parse_date("R4.12.23")
datetime.date(2022, 12, 23)
>>> parse_yen("1,688億円程度")
YenAmount(yen=168800000000, approximate=True, text='1,688億円程度')
>>> match_key("ＡＭＥＤ ") == match_key("amed")
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation, localcontext

__all__ = [
    "ERAS",
    "ERA_SPANS",
    "MAX_YEN",
    "YenAmount",
    "match_key",
    "normalize",
    "era_to_year",
    "parse_fiscal_year",
    "parse_date",
    "parse_yen",
    "ShareAmount",
    "parse_share",
    "BUDGET_TERMS",
    "budget_term",
    "parse_budget_term",
]

#: First Gregorian year of each era (era year 1 = 元年).
ERAS: dict[str, int] = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
#: First and last day of each era; a date or fiscal year outside its era never existed (平成40年, R1.1.1).
ERA_SPANS: dict[str, tuple[date, date | None]] = {
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), None),
}
#: Largest amount a graph engine stores exactly (int64); larger amounts are an error, never rounded.
MAX_YEN = 2**63 - 1
_MAX_DIGITS = 30  # longer numbers are refused before any arithmetic
_ERA_LETTERS: dict[str, str] = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_UNITS: dict[str, int] = {"兆": 10**12, "億": 10**8, "百万": 10**6, "千万": 10**7, "万": 10**4, "千": 10**3}


def normalize(text: str) -> str:
    """NFKC-normalise (full-width digits and letters become ASCII) and trim."""
    return unicodedata.normalize("NFKC", text).strip()


_SEPARATORS = re.compile(r"[\s・･\-‐‑–—_*]+")


def match_key(text: str) -> str:
    """The form names are matched on: NFKC, case-folded, without spaces, middle dots, hyphens or emphasis marks (_ *).

    >>> match_key("シノビ・セラピューティクス") == match_key("シノビセラピューティクス")
    True
    """
    return _SEPARATORS.sub("", normalize(text)).casefold()


def _era_name(era: str) -> str:
    era = _ERA_LETTERS.get(era.upper(), era) if len(era) == 1 else era
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; expected one of {', '.join(ERAS)}")
    return era


def era_to_year(era: str, year: int) -> int:
    """Gregorian year of `year` in `era` (a name such as 令和, or its letter R/H/S/T/M); the year must exist in the era.

    >>> era_to_year("平成", 31)
    2019
    >>> era_to_year("平成", 40)
    Traceback (most recent call last):
    ValueError: 平成40年 never existed: 平成 ended on 2019-04-30 (its last year is 平成31年)
    """
    era = _era_name(era)
    if year < 1:
        raise ValueError(f"era year must be 1 or more, got {year}")
    last = ERA_SPANS[era][1]
    gregorian = ERAS[era] + year - 1
    if last is not None and gregorian > last.year:
        raise ValueError(f"{era}{year}年 never existed: {era} ended on {last.isoformat()} "
                         f"(its last year is {era}{last.year - ERAS[era] + 1}年)")
    if gregorian > 9999:
        raise ValueError(f"{era}{year}年 is beyond the year 9999")
    return gregorian


def _era_year(text: str) -> int:
    """`元` or digits as an era year; absurdly long digit runs are refused before conversion."""
    if text == "元":
        return 1
    if len(text) > 4:
        raise ValueError(f"era year {text} is out of range")
    return int(text)


_ERA = "|".join([*ERAS, *_ERA_LETTERS])
_FY = re.compile(rf"^(?:(?P<era>{_ERA})\s*(?P<ey>元|\d+)|(?:FY\s*)?(?P<y>\d{{4}}))\s*年?度?$", re.I)


def parse_fiscal_year(text: str) -> int:
    """The fiscal year (April to March) as its starting Gregorian year: 令和7年度 → 2025, R3 → 2021, FY2025 → 2025."""
    m = _FY.match(normalize(text))
    if not m:
        raise ValueError(f"not a fiscal year: {text!r} (expected e.g. 令和7年度, 平成27年度, R3, FY2025 or 2025年度)")
    if m["y"]:
        return int(m["y"])
    return era_to_year(m["era"], _era_year(m["ey"]))


_DATE = re.compile(
    rf"^(?:(?P<era>{_ERA})\s*(?P<ey>元|\d+)|(?P<y>\d{{4}}))\s*[年.．/]\s*(?P<m>\d{{1,2}})\s*[月.．/]\s*(?P<d>\d{{1,2}})\s*日?$"
)


def parse_date(text: str) -> date:
    """A calendar date: 令和8年2月3日, R4.12.23, 2025年6月26日, 2025/6/26."""
    m = _DATE.match(normalize(text))
    if not m:
        raise ValueError(f"not a date: {text!r} (expected e.g. 令和8年2月3日, R4.12.23 or 2025年6月26日)")
    try:
        year = int(m["y"]) if m["y"] else era_to_year(m["era"], _era_year(m["ey"]))
    except ValueError as exc:
        raise ValueError(f"not a valid date: {text!r} ({exc})") from None
    try:
        day = date(year, int(m["m"]), int(m["d"]))
    except ValueError as exc:
        raise ValueError(f"not a valid date: {text!r} ({exc})") from None
    if m["era"]:
        era = _era_name(m["era"])
        first, last = ERA_SPANS[era]
        if day < first or (last is not None and day > last):
            span = f"{first.isoformat()} to {last.isoformat()}" if last else f"from {first.isoformat()}"
            raise ValueError(f"not a valid date: {text!r} ({day.isoformat()} is outside {era}, which ran {span})")
    return day


@dataclass(frozen=True)
class YenAmount:
    """An amount of money in integer yen, with the source text it came from."""

    yen: int
    approximate: bool
    text: str


_PART = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>兆|億|千万|百万|万|千)?")
_APPROX = ("程度", "約", "超", "弱", "強")


def parse_yen(text: str) -> YenAmount:
    """An amount such as 481億円, 3,500億円, 2,273.8億円, 1兆2,000億円, 500百万円 or 1,800億円程度 in yen."""
    s = normalize(text).replace(",", "")
    approximate = any(word in s for word in _APPROX)
    for word in _APPROX:
        s = s.replace(word, "")
    s = s.strip()
    if not s.endswith("円"):
        raise ValueError(f"not a yen amount: {text!r} (expected e.g. 481億円 or 1,688億円程度)")
    body = s[:-1].strip()
    if sum(c.isdigit() for c in body) > _MAX_DIGITS:
        raise ValueError(f"amount {text!r} is too large: at most {MAX_YEN:,} yen can be stored")
    total = Decimal(0)
    pos = 0
    last_unit = None
    for m in _PART.finditer(body):
        if m.start() != pos or not m.group(0):
            break
        unit = m["unit"]
        if unit is None and m.end() != len(body):
            break
        try:
            value = Decimal(m["num"])
        except InvalidOperation:
            break
        factor = _UNITS[unit] if unit else 1
        if last_unit is not None and factor >= last_unit:
            break
        with localcontext() as exact:
            exact.prec = 2 * _MAX_DIGITS  # enough digits that no sum or product is rounded
            total += value * factor
        last_unit = factor
        pos = m.end()
    if pos != len(body) or not body:
        raise ValueError(f"not a yen amount: {text!r} (expected e.g. 481億円 or 1,688億円程度)")
    if total != total.to_integral_value():
        raise ValueError(f"amount {text!r} is not a whole number of yen")
    if total > MAX_YEN:
        raise ValueError(f"amount {text!r} is too large: at most {MAX_YEN:,} yen can be stored")
    return YenAmount(yen=int(total), approximate=approximate, text=text)


@dataclass(frozen=True)
class ShareAmount:
    """A share of a whole (0 to 1), with the source text it came from (約3割 → 0.3, approximate)."""

    ratio: float
    approximate: bool
    text: str


_SHARE = re.compile(r"(?:(?P<wari>\d+(?:\.\d+)?)割|(?P<pct>\d+(?:\.\d+)?)%|(?P<den>\d+)分の(?P<num>\d+))")


def parse_share(text: str) -> ShareAmount:
    """A share as a source writes it: 約3割 (tenths), 30%, 3分の1, with 約/程度/超/弱/強 marking it approximate."""
    s = normalize(text).replace(" ", "")
    approximate = any(word in s for word in _APPROX)
    for word in _APPROX:
        s = s.replace(word, "")
    m = _SHARE.fullmatch(s)
    if not m:
        raise ValueError(f"not a share: {text!r} (expected e.g. 約3割, 30%, 3分の1)")
    if m["wari"]:
        ratio = Decimal(m["wari"]) / 10
    elif m["pct"]:
        ratio = Decimal(m["pct"]) / 100
    else:
        if int(m["den"]) == 0:
            raise ValueError(f"not a share: {text!r} (a denominator of 0)")
        ratio = Decimal(m["num"]) / Decimal(m["den"])
    if not 0 <= ratio <= 1:
        raise ValueError(f"not a share: {text!r} ({ratio} is not between 0 and 1)")
    return ShareAmount(ratio=float(ratio), approximate=approximate, text=text)


#: The words of a budget line's fields (ontology/model.yaml, BudgetLine): each value in Japanese and English.
BUDGET_TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "budget_type": {"initial": ("当初", "initial"), "supplementary": ("補正", "supplementary"),
                    "request": ("概算要求", "budget request"), "fund_total": ("基金総額", "fund total"),
                    "unstated": ("区分の記載なし", "type not stated")},
    "basis": {"business_scale": ("事業規模", "business scale"), "national_expenditure": ("国費", "national expenditure"),
              "unstated": ("基準の記載なし", "basis not stated")},
    "stage": {"requested": ("概算要求", "requested"), "proposed": ("予算案", "proposed"), "enacted": ("成立", "enacted")},
}
#: How sources and people write them, most specific first (a key word found in the text decides).
_BUDGET_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "budget_type": (("補正", "supplementary"), ("概算要求", "request"), ("要求", "request"), ("基金", "fund_total"),
                    ("当初", "initial"), ("本予算", "initial"), ("予算案", "initial")),
    "basis": (("事業規模", "business_scale"), ("国費", "national_expenditure")),
    "stage": (("要求", "requested"), ("予算案", "proposed"), ("案", "proposed"), ("成立", "enacted"), ("予算額", "enacted"), ("予算", "enacted")),
}


def budget_term(field: str, value: str | None) -> str:
    """A budget field's value in both languages: `補正 supplementary`, `事業規模 business scale`."""
    ja, en = BUDGET_TERMS[field].get(value or "", ("", value or ""))
    return f"{ja} {en}".strip()


def parse_budget_term(field: str, text: str) -> str:
    """A budget field's value from how people write it: 補正 / 補正予算 / supplementary → supplementary, 当初 →
    initial, 概算要求 → request, 事業規模 → business_scale, 予算案 (stage) → proposed; ValueError if none.

    >>> parse_budget_term("budget_type", "令和7年度補正予算"), parse_budget_term("basis", "national expenditure")
    ('supplementary', 'national_expenditure')
    """
    terms = BUDGET_TERMS[field]
    key = match_key(text).replace("_", "")
    for value, (ja, en) in terms.items():
        if key in (match_key(value).replace("_", ""), match_key(en), match_key(ja)):
            return value
    for word, value in _BUDGET_WORDS[field]:
        if word in normalize(text):
            return value
    allowed = ", ".join(f"{value} ({ja})" for value, (ja, _) in terms.items())
    raise ValueError(f"not a {field.replace('_', ' ')}: {text!r}; allowed: {allowed}")
