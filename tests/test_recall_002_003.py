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
    from soyaku.japanese import match_key

    assert match_key("基礎から**社会実装**へ") == match_key("基礎から社会実装へ")
    mention = _edge(compiled, "doc-002", "MENTIONS", "pm-ls-interim-2024-implementation")
    assert mention.properties["quotes"] == ["(2) 基礎から**社会実装、イノベーションの実装、社会貢献**へ"]
