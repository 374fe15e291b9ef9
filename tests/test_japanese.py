"""Japanese-era years, dates, yen amounts and matching keys, by example and by property."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soyaku.core.japanese import ERA_SPANS, ERAS, match_key, parse_date, parse_fiscal_year, parse_yen

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@pytest.mark.parametrize(
    ("text", "year"),
    [("令和7年度", 2025), ("令和３年度", 2021), ("平成27年度", 2015), ("R4", 2022), ("令和元年度", 2019), ("2025年度", 2025)],
)
def test_fiscal_years_from_the_seeds(text, year):
    assert parse_fiscal_year(text) == year


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和8年2月3日", date(2026, 2, 3)),
        ("R4.12.23", date(2022, 12, 23)),
        ("R6.6.14", date(2024, 6, 14)),
        ("2025年6月26日", date(2025, 6, 26)),
        ("令和5年12月27日", date(2023, 12, 27)),
    ],
)
def test_dates_from_the_seeds(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "yen", "approximate"),
    [
        ("481億円", 48_100_000_000, False),
        ("3,500億円", 350_000_000_000, False),
        ("1,688億円程度", 168_800_000_000, True),
        ("77.0億円", 7_700_000_000, False),
        ("2,273.8億円", 227_380_000_000, False),
        ("1兆2,000億円", 1_200_000_000_000, False),
        ("500百万円", 500_000_000, False),
        ("１５２億円", 15_200_000_000, False),
    ],
)
def test_amounts_from_the_seeds(text, yen, approximate):
    amount = parse_yen(text)
    assert (amount.yen, amount.approximate, amount.text) == (yen, approximate, text)


@pytest.mark.parametrize("text", ["", "481億", "億円", "abc円", "4.123456789億円", "100億1兆円"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(ValueError, match="yen amount|whole number"):
        parse_yen(text)


@pytest.mark.parametrize("text", ["R4.13.1", "令和4年2月30日", "昨年", "R4-12-23"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["天保3年度", "令和0年度", "来年度"])
def test_bad_fiscal_years_are_refused(text):
    with pytest.raises(ValueError):
        parse_fiscal_year(text)


@given(st.sampled_from(sorted(ERAS)), st.integers(min_value=1, max_value=60), st.booleans())
def test_era_year_round_trip(era, n, fullwidth):
    last = ERA_SPANS[era][1]
    n = min(n, last.year - ERAS[era] + 1) if last else n
    text = f"{era}{n}年度"
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert parse_fiscal_year(text) == ERAS[era] + n - 1


@given(st.dates(min_value=date(2019, 5, 1), max_value=date(2060, 12, 31)), st.booleans())
def test_reiwa_dates_round_trip(day, abbreviated):
    n = day.year - 2018
    text = f"R{n}.{day.month}.{day.day}" if abbreviated else f"令和{n}年{day.month}月{day.day}日"
    assert parse_date(text) == day


@given(st.integers(min_value=0, max_value=10**6), st.booleans(), st.booleans())
def test_oku_amounts_round_trip(oku, fullwidth, approx):
    text = f"{oku:,}億円" + ("程度" if approx else "")
    if fullwidth:
        text = text.translate(FULLWIDTH)
    amount = parse_yen(text)
    assert amount.yen == oku * 10**8
    assert amount.approximate is approx


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=9999))
def test_cho_oku_amounts_add_up(cho, oku):
    assert parse_yen(f"{cho}兆{oku:,}億円").yen == cho * 10**12 + oku * 10**8


@given(st.text(alphabet="ＡＢＣａｂｃABCabc０１２ 　", max_size=12))
def test_match_key_ignores_width_case_and_spaces(text):
    ascii_form = text.translate(str.maketrans("ＡＢＣａｂｃ０１２", "ABCabc012"))
    assert match_key(text) == match_key(ascii_form.upper())
