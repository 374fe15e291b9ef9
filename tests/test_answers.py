"""Answers a researcher reads at a glance, on the real seed graph: the figures docs/answers.md promises."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from soyaku.app.answers import compress_refs, parse_citation, prepare


def lines_of(soyaku, monkeypatch, width: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = soyaku(*args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_vc_backed_startups_fits_80_columns_in_100_lines(soyaku, monkeypatch):
    lines = lines_of(soyaku, monkeypatch, 80, "query", "vc-backed-startups")
    assert len(lines) <= 100 and max(cell_len(line) for line in lines) <= 80
    assert "┃ vc " in lines[2] and "34 rows" in lines
    # each distinct source once: the round's quote is one note, not one per startup
    assert sum("「<第4回採択> 8社」" in line for line in lines) == 1


def test_ministry_totals_fits_100_columns_in_40_lines(soyaku, monkeypatch):
    lines = lines_of(soyaku, monkeypatch, 100, "query", "ministry-totals", "--param", "fiscal_year=2025",
                     "--param", "budget_type=supplementary")
    assert len(lines) <= 40 and max(cell_len(line) for line in lines) <= 100
    assert not any("fiscal_ye" in line and "fiscal_year" not in line for line in lines)  # headings whole
    assert any("2,673" in line for line in lines)


@pytest.mark.parametrize("width", [80, 100, 120])
def test_every_named_query_fits_the_terminal(soyaku, monkeypatch, width):
    from soyaku.queries.library import named_queries

    for name in named_queries():
        lines = lines_of(soyaku, monkeypatch, width, "query", name)
        assert max(cell_len(line) for line in lines) <= width, name


def test_json_keeps_full_source_lists(soyaku):
    rows = json.loads(soyaku("query", "vc-backed-startups", "--format", "json", "--sources", "none").stdout)
    assert all(len(r["sources"]) == 2 and all(parse_citation(s) for s in r["sources"]) for r in rows)


def test_refs_and_notes_are_surface_neutral():
    source = "骨太特集 (経済産業省 生物化学産業課, undated), 004_766c4c58fa799f87.txt#L228: 「<第1回採択> 2社」"
    answer = prepare(["startup", "total_jpy", "sources"], [{"startup": "A", "total_jpy": 227_380_000_000,
                                                             "sources": [source]}])
    assert answer.notes == ["骨太特集 (経済産業省 生物化学産業課) L228 「<第1回採択> 2社」"]
    assert answer.rows == [{"startup": "A", "total_jpy": "2,273.8", "sources": "1"}]
    assert [c.heading for c in answer.columns] == ["startup", "total (億円)", "sources"]
    assert compress_refs([7, 1, 2, 3, 9, 10]) == "1-3, 7, 9, 10"
