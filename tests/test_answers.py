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


# -- 2. no silent empty answers ------------------------------------------------------------------------------------

def test_an_impossible_value_is_one_line_listing_what_is_allowed(soyaku):
    for param, allowed in (("round=five", "a whole number"), ("budget_type=five", "supplementary (補正)"),
                           ("fiscal_year=next", "令和7年度")):
        name = "vc-backed-startups" if param.startswith("round") else "ministry-totals"
        result = soyaku("query", name, "--param", param)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and allowed in result.output, result.output


def test_values_are_read_the_way_the_data_is_written(soyaku):
    def totals(*params: str) -> list:
        args = [a for p in params for a in ("--param", p)]
        result = soyaku("query", "ministry-totals", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    expected = totals("fiscal_year=2025", "budget_type=supplementary")
    assert expected
    for year in ("令和7年度", "R7", "FY2025", "2025年度"):
        for kind in ("補正", "補正予算", "supplementary"):
            assert totals(f"fiscal_year={year}", f"budget_type={kind}") == expected, (year, kind)
    assert {r["budget_type"] for r in totals("budget_type=当初")} == {"initial"}
    assert {r["budget_type"] for r in totals("budget_type=概算要求")} == {"request"}


def test_queries_name_shows_type_allowed_values_and_example(soyaku):
    result = soyaku("queries", "ministry-totals")
    assert result.exit_code == 0, result.output
    assert "budget_type (budget type; default null)" in result.output
    assert "allowed: initial (当初), supplementary (補正)" in result.output
    assert "example: --param fiscal_year=令和7年度" in result.output


def test_an_empty_answer_has_its_header_and_says_which_filter_matched_nothing(soyaku):
    result = soyaku("query", "vc-backed-startups", "--param", "round=9")
    assert result.exit_code == 0, result.output
    assert "┃ vc " in result.stdout and "0 rows: nothing matched round = 9" in result.stdout
    csv = soyaku("query", "vc-backed-startups", "--param", "round=9", "--format", "csv")
    assert csv.stdout.splitlines() == ["vc,startup,round,announced,status,sources"]
    adhoc = soyaku("query", "--cypher", "MATCH (v:VentureCapital) WHERE v.id = 'none' RETURN v.name AS name, v.id",
                   "--format", "csv")
    assert adhoc.stdout.splitlines() == ["name,v.id"]


def test_adhoc_cypher_naming_what_the_graph_lacks_gets_the_closest_names(soyaku):
    result = soyaku("query", "--cypher", "MATCH (v:VC)-[:BACKD]->(s) RETURN v.nmae AS name")
    assert result.exit_code == 0, result.output
    assert "warning: the graph has no label VC; closest: VentureCapital" in result.stderr
    assert "no relationship type BACKD; closest: BACKED" in result.stderr
    assert "no property nmae; closest: name" in result.stderr
    clean = soyaku("query", "--cypher", "MATCH (v:VentureCapital)-[b:BACKED]->(s) WHERE s:Startup RETURN v.name, b.round")
    assert clean.exit_code == 0 and "warning" not in clean.stderr


def test_path_via_an_unknown_label_suggests_the_known_one(soyaku):
    result = soyaku("path", "橋渡し研究支援プログラム", "創薬ベンチャーエコシステム強化事業", "--via", "Startp")
    assert result.exit_code == 2
    assert "no label 'Startp'; did you mean Startup" in result.output


# -- 3. money answers that agree and add up ------------------------------------------------------------------------

KEY = ("ministry", "fiscal_year", "budget_type", "basis", "stage")


def test_counted_program_lines_add_up_to_the_ministry_totals(conn):
    from soyaku.app.questions import ask

    totals = {tuple(r[k] for k in KEY): r["total_jpy"] for r in ask(conn, name="ministry-totals").rows}
    counted: dict[tuple, int] = {}
    for row in ask(conn, name="programs-by-ministry").rows:
        if row["counted"]:
            key = tuple(row[k] for k in KEY)
            counted[key] = counted.get(key, 0) + row["amount_jpy"]
    assert totals and counted == totals  # every ministry, year, type, basis and stage
    # the same holds for one ministry, year and type asked for by name, as people write them
    mhlw = ask(conn, name="programs-by-ministry", params={"ministry": "厚労省", "fiscal_year": "令和7年度",
                                                         "budget_type": "補正"}).rows
    assert sum(r["amount_jpy"] for r in mhlw if r["counted"]) == 2673 * 10**8
    assert sum(r["amount_jpy"] for r in mhlw) != 2673 * 10**8  # the uncounted overview lines are shown, marked


def test_both_money_queries_take_the_same_filters(conn):
    from soyaku.app.questions import ask

    params = {"ministry": "METI", "fiscal_year": "R3", "budget_type": "補正", "basis": "unstated", "stage": "予算案"}
    for name in ("programs-by-ministry", "ministry-totals"):
        rows = ask(conn, name=name, params=params).rows
        assert rows and {(r["ministry"], r["fiscal_year"], r["stage"]) for r in rows} == {("経済産業省", 2021, "proposed")}


def test_totals_never_add_bases_and_list_a_program_stated_under_two(soyaku, conn, monkeypatch):
    from soyaku.app.questions import ask

    monkeypatch.setenv("COLUMNS", "120")  # a table, not the records view a narrow (or absent) terminal gets
    rows = ask(conn, name="ministry-totals", params={"fiscal_year": 2025, "budget_type": "supplementary"}).rows
    cao = [r for r in rows if r["ministry"] == "内閣府"]
    assert {r["basis"] for r in cao} == {"business_scale", "unstated"}
    assert all(r["disputed_programs"] == ["難病・希少疾病治療グローバル研究開発支援事業"] for r in cao)
    # proposed (予算案額) amounts are never summed with enacted ones
    meti = ask(conn, name="ministry-totals", params={"ministry": "経済産業省"}).rows
    assert {(r["fiscal_year"], r["stage"]) for r in meti} >= {(2021, "proposed"), (2024, "proposed")}
    result = soyaku("query", "ministry-totals", "--param", "fiscal_year=2025", "--param", "budget_type=supplementary")
    lines = result.stdout.splitlines()
    assert "sum: FY2025 補正 supplementary, 事業規模 business scale, 成立 enacted: 3,293億円 (5 rows)" in lines
    assert "sum: FY2025 補正 supplementary, 国費 national expenditure, 成立 enacted: 1,800億円 (1 row)" in lines
    assert not any("5,213" in line for line in lines)
