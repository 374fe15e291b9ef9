"""The one name resolver (soyaku.core.names) on the real seed data, and every CLI command that takes a name."""

from __future__ import annotations

import json

import pytest

from soyaku.core.names import AmbiguousName, NameIndex, NameNotFound, entity_from_properties
from soyaku.queries.library import named_queries


@pytest.fixture(scope="module")
def index(compiled) -> NameIndex:
    return NameIndex(entity_from_properties(n.label, n.properties) for n in compiled.graph.nodes)


def ids(matches) -> list[str]:
    return [m.entity.id for m in matches]


@pytest.mark.parametrize("text, expected, kind", [
    ("vc-jafco", "vc-jafco", "id"),
    ("ＡＭＥＤ", "amed", "id"),                # full width, case
    ("utek", "vc-utec", "name"),               # case, the seed's misspelling kept as an alias
    ("Kyoto University", "univ-kyoto", "name"),  # English name
    ("シノビセラピューティクス", "su-shinobi-therapeutics", "name"),  # without the middle dot
    ("tregem", "su-tregem-biopharma", "id word"),
    ("トレジェム", "su-tregem-biopharma", "prefix"),
    ("東大", "univ-tokyo", "name"),             # the seed's abbreviation, an alias
])
def test_resolves_ids_names_aliases_and_parts(index, text, expected, kind):
    match = index.resolve(text)
    assert (match.entity.id, match.kind) == (expected, kind)


def test_an_abbreviation_does_not_match_as_a_substring_of_another_name(index):
    found = index.search("京大")
    assert found[0].entity.id == "univ-kyoto" and found[0].kind == "abbreviation"
    # 東京大学 and the 東大 VCs contain 京大, but 京大 is short for 京都大学: they are not listed
    assert set(ids(found)) == {"univ-kyoto", "vc-kyoto-icap"}
    assert "contains" in {m.kind for m in index.search("ゲノム")}  # a plain part of names still finds them


def test_ids_match_whole_never_as_substrings(index):
    found = ids(index.search("AMED"))
    assert found[0] == "amed"
    assert "univ-shiga-med" not in found  # its id, without hyphens, contains "amed"
    assert index.search("shigamed") == [] or "univ-shiga-med" not in ids(index.search("shigamed"))


@pytest.mark.parametrize("text", ["Tregm", "トレジェン"])
def test_near_misses_suggest_the_closest_names(index, text):
    assert index.search(text) == []
    assert index.suggest(text)[0].id == "su-tregem-biopharma"
    with pytest.raises(NameNotFound, match=r"did you mean トレジェムバイオファーマ株式会社 \(Startup, id su-tregem-biopharma\)"):
        index.resolve(text)


def test_a_label_narrows_and_explains(index):
    assert index.resolve("京都", "VentureCapital").entity.id == "vc-kyoto-icap"
    with pytest.raises(NameNotFound, match="no VentureCapital is named '滋賀医科大学'; it names 滋賀医科大学 .*not a VentureCapital"):
        index.resolve("滋賀医科大学", "VentureCapital")


def test_equally_good_matches_are_ambiguous_and_listed_with_ids(index):
    with pytest.raises(AmbiguousName, match=r"京都大学 \(University, id univ-kyoto\); 京都大学イノベーションキャピタル"):
        index.resolve("京大")


def test_every_entity_parameter_declares_its_label():
    labelled = {(q.name, p.name): p.entity for q in named_queries().values() for p in q.parameters if p.entity}
    assert labelled == {
        ("facts-about", "name"): "entity", ("programs-by-ministry", "ministry"): "Ministry",
        ("ministry-totals", "ministry"): "Ministry",
        ("startups-by-round", "program"): "Program", ("trace-startup", "startup"): "Startup",
        ("vaccine-hubs", "program"): "Program", ("vc-backed-startups", "vc"): "VentureCapital",
    }


# -- the CLI (one served engine for the session, see conftest) ------------------------------------------------


def test_find_ranks_kyoto_first_and_says_how_it_matched(soyaku):
    result = soyaku("find", "京大", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "univ-kyoto" and rows[0]["match"] == "abbreviation"
    assert "univ-shiga-med" not in result.stdout


def test_find_amed_does_not_return_a_university_by_its_id(soyaku):
    rows = json.loads(soyaku("find", "AMED", "--format", "json").stdout)
    assert rows[0]["id"] == "amed" and not any(r["label"] == "University" for r in rows)


@pytest.mark.parametrize("text", ["Tregm", "トレジェン"])
def test_find_suggests_close_names_when_nothing_matches(soyaku, text):
    result = soyaku("find", text)
    assert result.exit_code == 1
    assert "did you mean トレジェムバイオファーマ株式会社 (Startup, id su-tregem-biopharma)?" in result.output


@pytest.mark.parametrize("value", ["JAFCO", "ジャフコ", "vc-jafco", "jafco group"])
def test_query_parameters_resolve_like_find_and_say_what_they_picked(soyaku, value):
    result = soyaku("query", "vc-backed-startups", "--param", f"vc={value}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert "vc: " in result.stderr and "ジャフコグループ (VentureCapital, id vc-jafco)" in result.stderr


def test_full_width_parameter_values_match(soyaku):
    full = soyaku("query", "vc-backed-startups", "--param", "vc=ＵＴＥＫ", "--format", "csv")
    assert full.exit_code == 0, full.output
    assert full.stdout == soyaku("query", "vc-backed-startups", "--param", "vc=UTEK", "--format", "csv").stdout
    assert len(full.stdout.splitlines()) == 5


def test_unknown_and_ambiguous_parameters_fail_clearly_instead_of_an_empty_table(soyaku):
    unknown = soyaku("query", "trace-startup", "--param", "startup=Tregm")
    assert unknown.exit_code == 1
    assert "--param startup: no Startup is named 'Tregm'; did you mean トレジェムバイオファーマ株式会社" in unknown.output
    ambiguous = soyaku("query", "facts-about", "--param", "name=京大")
    assert ambiguous.exit_code == 1 and "univ-kyoto" in ambiguous.output and "vc-kyoto-icap" in ambiguous.output
    wrong_label = soyaku("query", "vc-backed-startups", "--param", "vc=滋賀医科大学")
    assert wrong_label.exit_code == 1 and "not a VentureCapital" in wrong_label.output


def test_path_resolves_both_ends_and_prints_one_hop_per_line_with_sources(soyaku):
    result = soyaku("path", "橋渡し研究支援プロ", "創薬ベンチャーエコシステム強化事業", "--via", "Startup", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "from: '橋渡し研究支援プロ' → 橋渡し研究支援プログラム (Program, id prog-bridging-research)" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. 橋渡し研究支援プログラム (Program)"
    assert lines[1].strip() == "─[SUPPORTED start_year 2022]→ トレジェムバイオファーマ株式会社 (Startup)"
    assert "004_766c4c58fa799f87.txt#L278 「2022年～ 橋渡し研究支援プログラム (文)」" in result.stdout
    assert sum(1 for line in lines if line.lstrip().startswith(("─[", "←["))) == 2


def test_path_with_an_unknown_end_suggests(soyaku):
    result = soyaku("path", "Tregm", "AMED")
    assert result.exit_code == 1 and "did you mean トレジェムバイオファーマ株式会社" in result.output


def test_viz_focus_resolves_through_the_same_resolver(tmp_path, soyaku):
    out = tmp_path / "g.html"
    result = soyaku("viz", "--focus", "tregem", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "focus: 'tregem' → トレジェムバイオファーマ株式会社 (Startup, id su-tregem-biopharma)" in result.stderr
    bad = soyaku("viz", "--focus", "トレジェン", "-o", str(out))
    assert bad.exit_code == 1 and "did you mean トレジェムバイオファーマ株式会社" in bad.output


def test_only_the_names_you_gave_are_reported(soyaku):
    default = soyaku("query", "facts-about", "--format", "json")
    assert default.exit_code == 0 and default.stderr == ""
    given = soyaku("query", "facts-about", "--param", "name=Tregem", "--format", "json")
    assert given.exit_code == 0, given.output
    assert given.stderr.strip() == ("name: 'Tregem' → トレジェムバイオファーマ株式会社 (Startup, id su-tregem-biopharma), "
                                    "by id word")
    assert json.loads(given.stdout) == json.loads(default.stdout)


def test_find_with_an_unknown_label_lists_the_labels(soyaku):
    result = soyaku("find", "京大", "--label", "Univ")
    assert result.exit_code == 1
    assert "no node has the label 'Univ'; labels: " in result.output and "University" in result.output
    assert soyaku("find", "京大", "--label", "University", "--format", "json").exit_code == 0
