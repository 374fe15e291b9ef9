"""Every named query on the real seed graph, path tracing, search, and the query CLI's refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from soyaku.app.questions import ask
from soyaku.queries.library import named_queries
from soyaku.queries.run import run_cypher
from soyaku.queries.paths import find_paths
from soyaku.core.names import AmbiguousName, NameNotFound
from soyaku.queries.search import find, resolve


def run(conn, query_name, /, **params):
    return ask(conn, name=query_name, params=params)


def columns_of(query) -> list[str]:
    """The documented column names (text before any parenthesis)."""
    return [re.sub(r"\s*\(.*", "", c).strip() for c in re.split(r",\s*(?![^()]*\))", query.columns)]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_runs_and_returns_its_documented_columns(conn, name):
    query = named_queries()[name]
    assert query.question and query.question_ja and query.columns
    result = run(conn, name)
    assert result.rows, f"{name} returned nothing on the seed graph"
    assert result.columns == columns_of(query)


CITATION = re.compile(r"^.+ \((?:.+, )?(?:\d{4}-\d{2}-\d{2}|undated)\), \d{3}_[0-9a-f]+\.txt#L\d+: 「.+」$")


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_cites_the_source_of_each_fact(conn, name):
    """Document title (publisher, date), seed file and line, and the quote, for every fact a query returns."""
    rows = run(conn, name).rows
    if name == "facts-about":
        assert all(r["document"] and re.search(r"\.txt#L\d+$", r["source"]) and r["quote"] for r in rows)
        return
    if name == "ministry-totals":  # a total cites the lines it counts and their documents
        assert all(r["documents"] and all(re.search(r"\[.*\.txt#L\d+.*\]$", c) for c in r["counted"]) for r in rows)
        return
    cited = [c for c in rows[0] if c.endswith("sources")]
    assert cited, f"{name} returns no sources column"
    for row in rows:
        for column in cited:
            assert row[column] and all(CITATION.match(c) for c in row[column]), (name, column, row[column])


def test_vc_backed_startups(conn, expected):
    rows = run(conn, "vc-backed-startups").rows
    assert len(rows) == expected["startups"]
    assert {r["status"] for r in rows} == {"active", "discontinued"}
    utek = run(conn, "vc-backed-startups", vc="UTEK").rows
    assert {r["startup"] for r in utek} == {"ユナイテッド・イミュニティ株式会社", "株式会社セルージュ",
                                            "セレイドセラピューティクス株式会社", "レグセル株式会社"}
    assert run(conn, "vc-backed-startups", vc="京都iCAP").rows == run(conn, "vc-backed-startups", vc="vc-kyoto-icap").rows
    round4 = run(conn, "vc-backed-startups", round=4).rows
    assert len(round4) == expected["startups_per_round"][4]
    assert {r["announced"] for r in round4} == {"2024-06-14"}


def test_discontinued_adoptions(conn):
    rows = run(conn, "vc-backed-startups").rows
    assert {r["startup"] for r in rows if r["status"] == "discontinued"} == {"株式会社Immunohelix", "株式会社セルージュ"}


def test_startups_by_round(conn, expected):
    rows = run(conn, "startups-by-round").rows
    assert {r["round"]: len(r["startups"]) for r in rows} == expected["startups_per_round"]
    first = rows[0]
    assert (first["application_start"], first["application_end"], first["announced"]) == ("2022-08-05", "2022-09-15", "2022-12-23")


def test_trace_startup_finds_tregem(conn):
    rows = run(conn, "trace-startup", startup="トレジェムバイオフーマ").rows
    assert {(r["from_program"], r["from_year"], r["to_program"], r["to_year"]) for r in rows} >= {
        ("橋渡し研究支援プログラム", 2022, "創薬ベンチャーエコシステム強化事業", 2024)}


def test_vaccine_hub_leaders(conn, expected):
    rows = run(conn, "vaccine-hubs").rows
    roles: dict[str, int] = {}
    for r in rows:
        roles[r["role"]] = roles.get(r["role"], 0) + 1
    assert roles == expected["vaccine_hub_roles"]
    assert ("東京大学", "flagship", "河岡 義裕") in {(r["university"], r["role"], r["leader"]) for r in rows}


# FY2025 supplementary budget (令和7年度補正予算, 事業規模) per ministry, in 億円, as a careful reader adds up the 18 ●
# lines of 001's 個別施策 list (L113-L178), each amount once. The overview lines of 000/001 state the same money
# again (41億円程度 = 12+22+5+3, 43億円程度 = the biobank line, 4億円程度 = 2【厚】+2【文】) and must not add to it.
FY2025_SUPPLEMENTARY_OKU = {
    "厚生労働省": 481 + 3 + 12 + 22 + 5 + 3 + 58 + 115 + 2 + 158 + 1688 + 126,  # = 2,673
    "文部科学省": 70 + 43 + 2,  # = 115: 感染症拠点, バイオバンク情報基盤, 脳神経科学統合プログラム
    "内閣府": 210,
    "経済産業省": 293,
    "(no ministry stated)": 2,  # ●その他、ドラッグロス解消の取組 2億円: the line names no ministry
}


def test_ministry_totals_count_every_yen_once(conn):
    rows = run(conn, "ministry-totals", fiscal_year=2025, budget_type="supplementary").rows
    assert {(r["fiscal_year"], r["budget_type"]) for r in rows} == {(2025, "supplementary")}
    scale = {r["ministry"]: r for r in rows if r["basis"] == "business_scale"}
    assert {m: r["total_jpy"] for m, r in scale.items()} == {m: oku * 10**8 for m, oku in FY2025_SUPPLEMENTARY_OKU.items()}
    assert FY2025_SUPPLEMENTARY_OKU["厚生労働省"] == 2673 and sum(FY2025_SUPPLEMENTARY_OKU.values()) == 3293  # ≈ 3,300億円程度
    assert scale["文部科学省"]["total_oku_yen"] == "115億円" and scale["文部科学省"]["lines"] == 3
    # the one program also stated under another basis (its own page: 120億円, basis unstated) is disputed
    assert {m: r["disputed_programs"] for m, r in scale.items() if r["disputed_programs"]} == {
        "内閣府": ["難病・希少疾病治療グローバル研究開発支援事業"]}
    counted = [c for r in scale.values() for c in r["counted"]]
    assert len(counted) == 18 and all(re.search(r"\[.*001_\w+\.txt#L1[1-7]\d.*\]$", c) for c in counted)
    # the program's own page gives another figure of unstated basis: a different basis, its own row
    cao = [r for r in rows if r["ministry"] == "内閣府"]
    assert {(r["basis"], r["total_jpy"]) for r in cao} == {("business_scale", 21_000_000_000), ("unstated", 12_000_000_000)}


def test_ministry_totals_leave_out_multi_year_and_undated_amounts(conn):
    rows = run(conn, "ministry-totals").rows
    # 004 L385: 令和6年度補正予算案額 100億円 (国庫債務負担行為含め総額383億円): one year's money is 100億円
    meti_2024 = next(r for r in rows if r["ministry"] == "経済産業省" and r["fiscal_year"] == 2024)
    assert meti_2024["total_jpy"] == 10_000_000_000 and meti_2024["disputed_programs"] == []
    # the 500億円 of 令和3年度補正 is stated for the fund (004) and for the program (003): counted once
    meti_2021 = next(r for r in rows if r["ministry"] == "経済産業省" and r["fiscal_year"] == 2021)
    assert meti_2021["total_jpy"] == 50_000_000_000 + 227_380_000_000 and meti_2021["lines"] == 2
    assert all(r["fiscal_year"] is not None for r in rows)
    # 002: B-cure's 令和7年度予算額 43億円 includes its ③ 14億円 and ④ 2億円: the parent counts, not its parts again
    mext_2025 = next(r for r in rows if r["ministry"] == "文部科学省" and (r["fiscal_year"], r["budget_type"]) == (2025, "initial"))
    assert mext_2025["total_jpy"] == (43 + 92) * 10**8 and mext_2025["lines"] == 2
    assert not [r for r in rows if (r["fiscal_year"], r["budget_type"]) == (2025, "initial") and r["ministry"] != "文部科学省"]


def test_money_flow_counts_the_fund_once(conn):
    flow = run(conn, "money-flow").rows
    assert {r["fund_total_jpy"] for r in flow} == {350_000_000_000}


def test_facts_about_quotes_every_fact(conn):
    rows = run(conn, "facts-about", name="トレジェムバイオフーマ").rows  # the seed's misspelling
    assert rows and all(r["entity"] == "トレジェムバイオファーマ株式会社" and r["quote"] for r in rows)


def test_path_traces_tregem_from_bridging_to_venture_ecosystem(conn):
    paths = find_paths(conn.driver, conn.database, "橋渡し研究支援プログラム", "創薬ベンチャーエコシステム強化事業", via="Startup")
    first = paths[0]
    assert [n["name"] for n in first.nodes] == ["橋渡し研究支援プログラム", "トレジェムバイオファーマ株式会社", "創薬ベンチャーエコシステム強化事業"]
    assert [r["properties"].get("start_year") for r in first.relationships] == [2022, 2024]


def test_find_is_bilingual_and_alias_aware(conn):
    assert resolve(conn.driver, conn.database, "UTEK").entity.id == "vc-utec"
    assert resolve(conn.driver, conn.database, "Kyoto iCAP").entity.id == "vc-kyoto-icap"
    assert find(conn.driver, conn.database, "tregem")[0].entity.id == "su-tregem-biopharma"
    assert resolve(conn.driver, conn.database, "ＡＭＥＤ").entity.id == "amed"  # full-width


def test_ambiguous_and_unknown_names_list_candidates(conn):
    with pytest.raises(AmbiguousName, match=r"\(University, id univ-.*Give the id"):
        resolve(conn.driver, conn.database, "大学", "University")
    with pytest.raises(NameNotFound, match="nothing is named"):
        resolve(conn.driver, conn.database, "存在しない会社")


# -- the CLI, sharing the session's engine over Bolt like `soyaku serve` (fixture `soyaku` in conftest) ------


def test_cli_json_output_matches_documented_columns(soyaku):
    result = soyaku("query", "vc-backed-startups", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 34 and list(rows[0]) == ["vc", "startup", "round", "announced", "status", "sources"]
    assert isinstance(rows[0]["round"], int) and re.fullmatch(r"\d{4}-\d\d-\d\d", rows[0]["announced"])


def test_cli_params_and_csv(soyaku):
    result = soyaku("query", "vc-backed-startups", "--param", "vc=JIC-VGI", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "vc,startup,round,announced,status,sources"
    assert "トレジェムバイオファーマ株式会社" in result.output


def test_cli_refuses_writes_without_write_flag(soyaku, conn):
    result = soyaku("query", "--cypher", "CREATE (n:Intruder {id: 'x'}) RETURN n")
    assert result.exit_code == 1 and "read-only unless you pass --write" in result.output
    count = run_cypher(conn.driver, conn.database, "MATCH (n:Intruder) RETURN count(n) AS n").rows[0]["n"]
    assert count == 0


def test_cli_syntax_error_shows_engine_message(soyaku):
    result = soyaku("query", "--cypher", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert "syntax error" in result.output.lower() and "1:9" in result.output


def test_cli_unknown_query_lists_known_ones(soyaku):
    result = soyaku("query", "who-funds-me")
    assert result.exit_code == 1 and "vc-backed-startups" in result.output


def test_cli_unknown_parameter_is_refused(soyaku):
    result = soyaku("query", "vc-backed-startups", "--param", "colour=red")
    assert result.exit_code == 1 and "no parameter colour" in result.output


def test_cli_path_json(soyaku):
    result = soyaku("path", "橋渡し研究支援プログラム", "創薬ベンチャーエコシステム強化事業", "--via", "Startup", "--format", "json")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)[0]
    assert set(first) == {"nodes", "relationships"}
    assert set(first["nodes"][0]) == {"id", "name", "labels"}
    assert first["nodes"][1]["labels"] == ["Startup"]


def test_cli_path_text_shows_years(soyaku):
    result = soyaku("path", "橋渡し研究支援プログラム", "創薬ベンチャーエコシステム強化事業", "--via", "Startup")
    assert result.exit_code == 0, result.output
    assert "start_year 2022" in result.output and "トレジェムバイオファーマ株式会社 (Startup)" in result.output


def test_cli_find(soyaku):
    result = soyaku("find", "UTEK", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "vc-utec"
    assert soyaku("find", "zzzz-nothing").exit_code == 1


def test_cli_queries_lists_questions(soyaku):
    result = soyaku("queries")
    assert result.exit_code == 0 and "Which certified VCs backed" in result.output


# -- optional parameters, from the CLI, from files and from drivers ---------------------------------------------

PARAMETER = re.compile(r"\$(\w+)")


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_defaults_give_a_driver_every_parameter_the_query_uses(conn, name):
    """A driver (or Neo4j Browser) passing `named_query(name).bind({})`, or every declared parameter, never
    meets ParameterMissing: the header declares every $parameter the Cypher uses."""
    query = named_queries()[name]
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    assert set(PARAMETER.findall(body)) == {p.name for p in query.parameters}
    assert run_cypher(conn.driver, conn.database, query.text, query.bind({})).rows


def test_query_file_applies_header_defaults_and_resolves_names(soyaku):
    from soyaku import queries

    folder = Path(queries.__file__).parent
    hubs = soyaku("query", "--file", str(folder / "vaccine-hubs.cypher"), "--format", "json")
    assert hubs.exit_code == 0, hubs.output
    assert {"hub", "university", "role", "leader", "sources"} == set(json.loads(hubs.stdout)[0])
    jafco = soyaku("query", "--file", str(folder / "vc-backed-startups.cypher"), "--param", "vc=JAFCO", "--format", "json")
    assert jafco.exit_code == 0, jafco.output
    assert len(json.loads(jafco.stdout)) == 3 and "id vc-jafco" in jafco.stderr


def test_query_file_without_a_header_passes_parameters_through(soyaku, tmp_path):
    plain_file = tmp_path / "count.cypher"
    plain_file.write_text("MATCH (v:VentureCapital) WHERE v.id = $id RETURN v.name AS name", encoding="utf-8")
    result = soyaku("query", "--file", str(plain_file), "--param", "id=vc-jafco", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["name", "ジャフコグループ"]


def test_an_answer_that_leaves_things_out_says_why(soyaku):
    result = soyaku("query", "startup-origins")
    assert result.exit_code == 0, result.output
    assert "note: only startups whose sources name a university of origin" in result.stdout


def test_an_empty_answer_for_a_named_entity_says_so(soyaku):
    result = soyaku("query", "trace-startup", "--param", "startup=エディットフォース")
    assert result.exit_code == 0, result.output
    assert "0 rows: nothing matched startup = エディットフォース株式会社 (su-editforce)" in result.stdout


def test_queries_lists_defaults_and_notes(soyaku):
    result = soyaku("queries")
    assert 'program="prog-vaccine-hubs"' in result.output and "vc=null, round=null" in result.output
    assert "note: only startups whose sources name" in result.output
