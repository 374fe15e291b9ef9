"""Query output: tables for people (terminal width, wrapped cells, 億円, lists per line), csv/json unchanged."""

from __future__ import annotations

import json

from soyaku.cli.output import render, yen_text

ROWS = [{"program": "創薬ベンチャーエコシステム強化事業 " * 4, "total_jpy": 267_700_000_000,
         "startups": ["トレジェムバイオファーマ株式会社", "レグセル株式会社"]}]
COLUMNS = ["program", "total_jpy", "startups"]


def test_yen_shows_oku_alongside():
    assert yen_text(267_700_000_000) == "267,700,000,000円 (2,677億円)"
    assert yen_text(227_380_000_000) == "227,380,000,000円 (2,273.8億円)"
    assert yen_text(350_000_000_000) == "350,000,000,000円 (3,500億円)"


def test_tables_follow_the_width_and_wrap_long_cells():
    for width in (60, 120):
        lines = render(COLUMNS, ROWS, "table", width=width).splitlines()
        assert max(len(line) for line in lines) <= width
    assert "267,700,000,000円 (2,677億円)" in render(COLUMNS, ROWS, "table", width=160)
    assert render(COLUMNS, ROWS, "table", width=60).endswith("1 row(s)")


def test_tables_follow_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    assert max(len(line) for line in render(COLUMNS, ROWS, "table").splitlines()) <= 70


def test_lists_one_item_per_line_and_notes_under_the_table():
    text = render(COLUMNS, ROWS, "table", width=200, notes="the sources name no origin for the rest")
    lines = text.splitlines()
    assert any("• トレジェムバイオファーマ株式会社" in line and "レグセル" not in line for line in lines)
    assert any("• レグセル株式会社" in line for line in lines)
    assert lines[-1] == "note: the sources name no origin for the rest"


def test_csv_and_json_keep_the_values():
    assert json.loads(render(COLUMNS, ROWS, "json")) == ROWS
    csv_text = render(COLUMNS, ROWS, "csv")
    assert "267700000000" in csv_text and "億円" not in csv_text
    assert '"[""トレジェムバイオファーマ株式会社"", ""レグセル株式会社""]"' in csv_text


def test_brackets_in_data_are_not_markup():
    assert "[文]" in render(["x"], [{"x": "[文] 事業"}], "table", width=80)
