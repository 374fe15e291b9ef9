"""What 002 (MEXT life-science policy) and 003 (METI drug-discovery programs) state is in the graph: the records each
folder defines, per class, and spot checks of facts the first curation missed (issue 12 item 6)."""

from __future__ import annotations

from collections import Counter

import pytest


def _records_of(compiled, doc: str) -> Counter:
    return Counter(r.cls.name for r in compiled.curated.records if r.file.startswith(f"data/{doc}/"))


@pytest.mark.parametrize("doc", ["002", "003"])
def test_records_per_class_of_each_seed(compiled, expected, doc):
    assert dict(_records_of(compiled, doc)) == expected[f"records_{doc}"]


def _edge(compiled, source: str, type_: str, target: str):
    hits = [e for e in compiled.graph.edges if (e.source, e.type, e.target) == (source, type_, target)]
    assert len(hits) == 1, f"{source} -{type_}-> {target}: {len(hits)} relationship(s)"
    return hits[0]


def test_scarda_is_named_by_002_and_planned_by_003(compiled):
    node = next(n for n in compiled.graph.nodes if n.id == "org-scarda")
    assert "先進的研究開発センター" in node.properties["aliases"]
    assert any(s.startswith("003_") and "先進的研究開発センターをAMEDに新設" in q
               for s, q in zip(node.properties["sources"], node.properties["quotes"]))


def test_programs_link_to_the_policies_002_names_as_their_basis(compiled):
    bcure = _edge(compiled, "prog-bcure", "IMPLEMENTS", "pol-health-medical-strategy")
    assert bcure.properties["quotes"] == ["健康・医療戦略（令和2年3月閣議決定）に基づき、ゲノム研究の基盤となる大規模バイオバンクの構築・高度化"]
    for policy in ("pol-honebuto-2024", "pol-drug-discovery-council-interim"):
        bridging = _edge(compiled, "prog-bridging-research", "IMPLEMENTS", policy)
        assert [s.split("#")[1] for s in bridging.properties["sources"]] == ["L596"]
    _edge(compiled, "prog-infection-project", "IMPLEMENTS", "pm-health-medical-3-infection-preparedness")
    _edge(compiled, "pol-ls-committee-interim-2024", "ISSUED_BY", "council-life-science-committee")


def test_the_meti_division_of_each_003_program(compiled):
    for program in ("prog-next-gen-therapy-diagnosis-platform", "prog-vaccine-biopharma-manufacturing-hubs",
                    "prog-venture-ecosystem"):
        edge = _edge(compiled, "gb-meti-bio-chem-industry-div", "RESPONSIBLE_FOR", program)
        assert all(s.startswith("003_") for s in edge.properties["sources"])
    venture = _edge(compiled, "gb-meti-bio-chem-industry-div", "RESPONSIBLE_FOR", "prog-venture-ecosystem")
    assert [s.split("#")[1] for s in venture.properties["sources"]] == ["L374"]  # 商務サービスグループ, not L80/L267


def test_sub_projects_of_the_genome_platform(compiled):
    parts = {e.source for e in compiled.graph.edges if e.type == "PART_OF" and e.target == "prog-genome-platform"}
    assert parts == {"prog-grifin", "prog-genome-platform-utilization-system", "prog-genome-elsi"}


def test_a_quote_may_keep_the_seeds_bold_marks(compiled):
    """Names are written without the seeds' ** marks; the matcher ignores them, so the quote still names its record."""
    from soyaku.core.japanese import match_key

    assert match_key("基礎から**社会実装**へ") == match_key("基礎から社会実装へ")
    mention = _edge(compiled, "doc-002", "MENTIONS", "pm-ls-interim-2024-implementation")
    assert mention.properties["quotes"] == ["(2) 基礎から**社会実装、イノベーションの実装、社会貢献**へ"]


def test_scarda_is_part_of_amed(compiled):
    edge = _edge(compiled, "org-scarda", "PART_OF", "amed")
    assert "SCARDA等のAMEDによる研究開発の推進" in edge.properties["quotes"]
    assert any(q.startswith("先進的研究開発センターをAMEDに新設") for q in edge.properties["quotes"])


def test_international_bodies(compiled):
    international = {n.id for n in compiled.graph.nodes if n.properties.get("org_type") == "international"}
    assert international == {"org-icmra", "org-covax", "org-g7", "org-asean"}


def test_startup_program_selects_from_minister_certified_institutions(compiled):
    selects = _edge(compiled, "prog-univ-medical-startup", "SELECTS_FROM", "des-bridging-research-institution")
    assert selects.properties["quotes"][0].startswith("橋渡し研究支援機関から選抜した機関に対し")
    granted = _edge(compiled, "des-bridging-research-institution", "GRANTED_BY", "mext")
    assert any("文部科学大臣が認定" in q for q in granted.properties["quotes"])
    _edge(compiled, "prog-bridging-research", "WORKS_THROUGH", "des-bridging-research-institution")
    _edge(compiled, "prog-bridging-research", "COLLABORATES_WITH", "des-core-clinical-research-hospital")
    _edge(compiled, "des-core-clinical-research-hospital", "GRANTED_BY", "mhlw")


def test_numeric_targets_of_003(compiled):
    targets = [n for n in compiled.graph.nodes if n.label == "Target"]
    assert sorted((n.properties["value"], n.properties["unit"], n.properties["due_fiscal_year"]) for n in targets) == \
        [(3, "件", 2028), (3, "件", 2028)]
    assert {e.target for e in compiled.graph.edges if e.type == "HAS_TARGET"} == {n.id for n in targets}
    assert {e.source for e in compiled.graph.edges if e.type == "HAS_TARGET"} == {"prog-next-gen-therapy-diagnosis-platform"}


def test_researchers_with_their_university(compiled):
    for person in ("person-komuro", "person-yamauchi"):
        edge = _edge(compiled, person, "AFFILIATED_WITH", "univ-tokyo")
        assert edge.properties["affiliation_text"] == "東大"


def test_facilities_of_the_trip_projects(compiled):
    uses = {(e.source, e.target) for e in compiled.graph.edges if e.type == "USES"}
    assert uses == {("prog-trip1-research-dx", "fac-spring-8"), ("prog-trip1-research-dx", "fac-sacla"),
                    ("prog-trip3-computing", "fac-fugaku")}


def test_the_working_group_is_part_of_the_life_science_committee_and_ncbn_is_under_mhlw(compiled):
    """002 L476 signs the report 文部科学省ライフサイエンス委員会・次世代医療実現のための基盤形成に関する作業部会; 002 L448
    attributes NCBN to （厚生労働省）: both are relationships, each citing the line that names both ends."""
    group = _edge(compiled, "council-next-gen-medicine-wg", "PART_OF", "council-life-science-committee")
    assert all("ライフサイエンス委員会" in q and "作業部会" in q for q in group.properties["quotes"])
    assert any(s.endswith("#L476") for s in group.properties["sources"])
    ncbn = _edge(compiled, "org-ncbn", "PART_OF", "mhlw")
    assert ncbn.properties["quotes"] == ["NCBN：ナショナルセンターバイオバンクネットワーク（厚生労働省）"]
    assert ncbn.properties["sources"][0].endswith("#L448")


def test_source_labels_show_the_ministry_beside_the_division(compiled):
    documents = {d for e in compiled.graph.edges for d in e.properties.get("documents", [])}
    assert "骨太特集 (経済産業省 生物化学産業課, undated)" in documents
    assert not any(d.startswith("骨太特集 (生物化学産業課") for d in documents)


def test_the_venture_program_requires_an_investment_by_a_certified_vc(compiled):
    """003 L379-381: support requires a certain investment by a VC certified for it: a relationship to the status
    (認定VC), citing the line that states the requirement and the page's heading naming the program."""
    link = _edge(compiled, "prog-venture-ecosystem", "REQUIRES_INVESTMENT_FROM", "des-certified-vc")
    assert [s.split("#")[1] for s in link.properties["sources"]] == ["L380", "L331", "L353"]
    assert "による一定以上の出資を要件として" in link.properties["quotes"][0]
    _edge(compiled, "des-certified-vc", "GRANTED_BY", "amed")


def test_the_003_budget_lines_name_the_division_of_their_page_which_is_part_of_meti(compiled):
    """The 77.0億円 request (003 L72) and the 2,273.8億円 proposal (L265) are allocated by the division their page
    names (L80, L267), which is part of METI: the lines reach the ministry through their own statement, not only
    through the program."""
    nodes = {n.id: n for n in compiled.graph.nodes}
    lines = {n.properties["amount_text"]: n.id for n in nodes.values() if n.label == "BudgetLine"
             and n.properties["amount_text"] in ("77.0億円", "2,273.8億円")}
    assert len(lines) == 2
    for amount, division_line in (("77.0億円", "L80"), ("2,273.8億円", "L267")):
        edge = _edge(compiled, "gb-meti-bio-chem-industry-div", "ALLOCATES", lines[amount])
        assert any(s.endswith("#" + division_line) for s in edge.properties["sources"])
        assert any(amount in q for q in edge.properties["quotes"])
    parents = {e.source: e.target for e in compiled.graph.edges if e.type == "PART_OF"}
    assert parents[parents["gb-meti-bio-chem-industry-div"]] == "meti"


def test_the_venture_program_has_one_official_english_name_and_the_fund_follows_it(compiled):
    """The program and its fund once carried two English names of our own (…Strengthening Program, …Enhancement
    Project); the name is now AMED's (its English program page), the translations stay as aliases."""
    nodes = {n.id: n.properties for n in compiled.graph.nodes}
    program, fund = nodes["prog-venture-ecosystem"], nodes["fund-venture-ecosystem"]
    official = "Strengthening Program for Pharmaceutical Startup Ecosystem"
    assert program["name_en"] == official and not program.get("name_en_translated")
    assert {"Drug Discovery Venture Ecosystem Strengthening Program",
            "Drug Discovery Venture Ecosystem Enhancement Project"} <= set(program["aliases"])
    assert fund["name_en"].endswith(official)
    assert not any("Enhancement" in n.get("name_en", "") for n in nodes.values())


def test_an_outcome_may_be_an_approximate_share(compiled):
    """002 L329 reports 外国籍研究者(約3割) among the vaccine hubs' results: a share, typed like the yen amounts (a
    value, the source text and the approximate flag), not a count."""
    from soyaku.core.japanese import parse_share

    (share,) = [n for n in compiled.graph.nodes if n.label == "Outcome" and n.properties["indicator"] == "外国籍研究者"]
    p = share.properties
    assert (p["share_ratio"], p["share_text"], p["share_approximate"]) == (0.3, "約3割", True)
    assert "value" not in p and "period_text" not in p and p["name"] == "外国籍研究者 約3割"
    assert p["sources"][0].endswith("#L329")
    _edge(compiled, "prog-vaccine-hubs", "REPORTED", share.id)
    assert parse_share("30%").ratio == 0.3 and not parse_share("30%").approximate
    with pytest.raises(ValueError, match="not a share"):
        parse_share("12割")
