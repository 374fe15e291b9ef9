"""Query output: tables for people (fit the terminal, cells cut with …, one 億円 column, sources as numbered notes,
records when the columns cannot fit), csv/json unchanged."""

from __future__ import annotations

import json

from rich.cells import cell_len

from soyaku.cli.output import render, yen_text

SOURCE = "骨太特集 (経済産業省 生物化学産業課, undated), 004_766c4c58fa799f87.txt#L228: 「<第4回採択> 8社」"
ROWS = [{"program": "創薬ベンチャーエコシステム強化事業 " * 4, "total_jpy": 267_700_000_000, "total_oku_yen": "2677億円",
         "startups": ["トレジェムバイオファーマ株式会社", "レグセル株式会社"], "sources": [SOURCE]}]
COLUMNS = ["program", "total_jpy", "total_oku_yen", "startups", "sources"]


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def test_yen_shows_oku_alongside():
    assert yen_text(267_700_000_000) == "267,700,000,000円 (2,677億円)"
    assert yen_text(227_380_000_000) == "227,380,000,000円 (2,273.8億円)"
    assert yen_text(350_000_000_000) == "350,000,000,000円 (3,500億円)"


def test_tables_fit_the_width_and_cut_long_cells():
    for width in (60, 80, 120):
        assert widest(render(COLUMNS, ROWS, "table", width=width)) <= width
    text = render(COLUMNS, ROWS, "table", width=80)
    assert "…" in text and "強化事業 創薬" not in text.split("\n", 3)[3]  # cut, not wrapped onto a second line
    assert text.splitlines()[0].startswith("┏")  # no title: the table starts at once


def test_one_amount_column_in_oku_yen():
    text = render(COLUMNS, ROWS, "table", width=160)
    assert "total (億円)" in text and "2,677" in text
    assert "267,700,000,000" not in text and "2677億円" not in text  # full yen stay in JSON/CSV; the copy is hidden


def test_headings_are_never_broken():
    rows = [{"fiscal_year": 2025, "budget_type": "supplementary", "program": "x" * 200}]
    text = render(["fiscal_year", "budget_type", "program"], rows, "table", width=50)
    assert "fiscal_year" in text and "budget_type" in text


def test_sources_are_numbered_notes_each_printed_once():
    rows = [{"startup": name, "sources": [SOURCE, SOURCE.replace("<第4回採択> 8社", name)]} for name in ("A社", "B社")]
    lines = render(["startup", "sources"], rows, "table", width=100).splitlines()
    assert lines[-4:] == ["sources:", "[1] 骨太特集 (経済産業省 生物化学産業課) L228 「<第4回採択> 8社」",
                          "[2] 骨太特集 (経済産業省 生物化学産業課) L228 「A社」",
                          "[3] 骨太特集 (経済産業省 生物化学産業課) L228 「B社」"]
    assert any("A社" in line and "1, 2" in line for line in lines)
    assert any("B社" in line and "1, 3" in line for line in lines)


def test_sources_inline_or_none():
    inline = render(["startup", "sources"], [{"startup": "A社", "sources": [SOURCE]}], "table", width=200, sources="inline")
    assert "004_766c4c58fa799f87.txt#L228" in inline and "sources:" not in inline
    none = render(["startup", "sources"], [{"startup": "A社", "sources": [SOURCE]}], "table", width=200, sources="none")
    assert "骨太特集" not in none and "A社" in none


def test_records_when_the_columns_cannot_fit():
    columns = [f"column_number_{i}" for i in range(8)]
    rows = [{c: "value" for c in columns}]
    text = render(columns, rows, "table", width=80)
    assert "─[ record 1 ]" in text and "column_number_7 │ value" in text
    assert widest(text) <= 80
    asked = render(["a"], [{"a": "x"}], "records", width=80)
    assert asked.splitlines()[:2] == ["─[ record 1 ]" + "─" * 27, "a │ x"]


def test_a_column_with_one_value_is_said_once():
    rows = [{"fiscal_year": 2025, "ministry": m} for m in ("内閣府", "文部科学省")]
    text = render(["fiscal_year", "ministry"], rows, "table", width=80, title="ministry-totals")
    assert text.splitlines()[:2] == ["ministry-totals", "fiscal_year: 2025"]


def test_lists_one_item_per_line_and_notes_under_the_table():
    text = render(COLUMNS, ROWS, "table", width=200, notes="the sources name no origin for the rest")
    lines = text.splitlines()
    assert any("トレジェムバイオファーマ株式会社" in line and "レグセル" not in line for line in lines)
    assert any("レグセル株式会社" in line for line in lines)
    assert "note: the sources name no origin for the rest" in lines
    assert all(line == line.rstrip() for line in lines)  # nothing padded


def test_csv_and_json_keep_the_values():
    assert json.loads(render(COLUMNS, ROWS, "json")) == ROWS
    csv_text = render(COLUMNS, ROWS, "csv")
    assert "267700000000" in csv_text and "004_766c4c58fa799f87.txt#L228" in csv_text
    assert '"[""トレジェムバイオファーマ株式会社"", ""レグセル株式会社""]"' in csv_text


def test_brackets_in_data_are_not_markup():
    assert "[文]" in render(["x"], [{"x": "[文] 事業"}], "table", width=80)
