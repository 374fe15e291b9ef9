"""soyaku.views: networkx conversion, subgraphs, analysis, the HTML page (offline, escaped), and the commands."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from soyaku.loaders.curated import default_data_dir
from soyaku.loaders.property_graph import Edge, Node, PropertyGraph
from soyaku.views.analysis import (
    betweenness_ranking,
    co_investment_graph,
    co_investment_pairs,
    component_summary,
    degree_ranking,
    graph_stats,
    vc_portfolios,
)
from soyaku.views.html import ministry_groups, page_data, render_html, round_groups, vis_assets
from soyaku.core.names import AmbiguousName, NameNotFound
from soyaku.views.network import find_nodes, focus, resolve_node, subgraph, to_networkx

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "<script>window.pwned=1</script>"


def node(id: str, label: str, name: str | None = None, **props) -> Node:
    name = name or id
    return Node(id, label, {"id": id, "name": name, "name_ja": name, "aliases": props.pop("aliases", []),
                            "sources": [f"x.txt#L{len(id)}"], "quotes": [f"quote about {name}"], **props})


def edge(type: str, source: str, target: str, **props) -> Edge:
    return Edge(f"{source}/{type}/{target}", type, source, target, {"sources": ["x.txt#L1"], "quotes": ["q"], **props})


@pytest.fixture(scope="module")
def g(compiled) -> nx.MultiDiGraph:
    return to_networkx(compiled.graph)


@pytest.fixture()
def tiny() -> nx.MultiDiGraph:
    """Three VCs, three startups, a program, a ministry, a document that mentions everything, one loner."""
    nodes = [node("m", "Ministry", "厚生労働省"), node("p", "Program", "事業P"),
             node("a", "VentureCapital", "VC A", aliases=["エー"]), node("b", "VentureCapital", "VC B"),
             node("c", "VentureCapital", "VC C"), node("s1", "Startup", "S1"), node("s2", "Startup", "S2"),
             node("s3", "Startup", "S3"), node("d", "Document", "資料"), node("lone", "Organization", "Lone")]
    edges = [edge("RESPONSIBLE_FOR", "m", "p"), edge("SUPPORTED", "p", "s1", start_year=2021),
             edge("BACKED", "a", "s1", round=1), edge("BACKED", "b", "s1", round=1),
             edge("BACKED", "a", "s2", round=2), edge("BACKED", "b", "s2", round=2), edge("BACKED", "c", "s2", round=2),
             edge("BACKED", "c", "s3", round=3)]
    edges += [edge("MENTIONS", "d", n.id) for n in nodes if n.id != "d"]
    return to_networkx(PropertyGraph(tuple(nodes), tuple(edges)))


# ---------------------------------------------------------------- network


def test_to_networkx_keeps_every_node_edge_and_property(compiled, g):
    assert g.number_of_nodes() == len(compiled.graph.nodes)
    assert g.number_of_edges() == len(compiled.graph.edges)
    first = compiled.graph.edges[0]
    assert g.edges[first.source, first.target, first.id]["type"] == first.type
    assert g.nodes["vc-jafco"]["label"] == "VentureCapital"
    assert isinstance(g.nodes["prog-venture-ecosystem-round-1"]["announced"], date)


@pytest.mark.parametrize("text, expected", [
    ("ジャフコ", "vc-jafco"), ("UTEK", "vc-utec"), ("UTEC", "vc-utec"), ("ＡＭＥＤ", "amed"),
    ("トレジェム", "su-tregem-biopharma"), ("su-tregem-biopharma", "su-tregem-biopharma"),
])
def test_resolve_node_by_id_name_alias_and_part(g, text, expected):
    assert resolve_node(g, text) == expected


def test_resolve_node_refuses_unknown_and_ambiguous_names(g):
    with pytest.raises(NameNotFound, match="nothing is named"):
        resolve_node(g, "存在しない会社")
    with pytest.raises(AmbiguousName, match="matches .* entities"):
        resolve_node(g, "ベンチャー")
    assert len(find_nodes(g, "ベンチャー")) > 1


def test_focus_walks_hops_but_not_through_documents(g):
    one = focus(g, "トレジェムバイオファーマ株式会社", 1)
    assert "su-tregem-biopharma" in one and "prog-venture-ecosystem" in one
    assert not any(label == "Document" for _, label in one.nodes(data="label"))
    assert all(nx.has_path(one.to_undirected(), "su-tregem-biopharma", n) for n in one)
    two = focus(g, "su-tregem-biopharma", 2)
    assert set(one) < set(two)
    assert "vc-jafco" in two  # certified for the same program
    assert focus(g, "su-tregem-biopharma", 0).number_of_nodes() == 1
    with_docs = focus(g, "su-tregem-biopharma", 1, through_documents=True)
    assert any(label == "Document" for _, label in with_docs.nodes(data="label"))


def test_subgraph_from_ids(g):
    h = subgraph(g, ["vc-jafco", "su-prd-therapeutics", "no-such-id"])
    assert set(h) == {"vc-jafco", "su-prd-therapeutics"}
    assert [t for *_, t in h.edges(data="type")] == ["BACKED"]


# ---------------------------------------------------------------- analysis on tiny graphs


def test_co_investment_on_a_tiny_graph(tiny):
    pairs = co_investment_pairs(tiny)
    assert [(p["vc_a"], p["vc_b"], p["shared"]) for p in pairs] == [("a", "b", 2), ("a", "c", 1), ("b", "c", 1)]
    assert pairs[0]["startup_ids"] == ["s1", "s2"]
    co = co_investment_graph(tiny)
    assert set(co) == {"a", "b", "c"} and co["a"]["b"]["weight"] == 2


def test_rankings_on_a_tiny_graph(tiny):
    degree = degree_ranking(tiny, ["VentureCapital"], top=None)
    assert [(r["id"], r["degree"]) for r in degree] == [("a", 2), ("b", 2), ("c", 2)]  # ties by name
    assert degree_ranking(tiny, ["Program"])[0]["by_type"] == {"RESPONSIBLE_FOR": 1, "SUPPORTED": 1}
    # with the document, every node gains one MENTIONS edge
    assert degree_ranking(tiny, ["Program"], include_documents=True)[0]["degree"] == 3
    between = {r["id"]: r["betweenness"] for r in betweenness_ranking(tiny, ["VentureCapital", "Startup", "Program"], None)}
    assert between["s2"] > between["s3"] == 0.0
    assert between["p"] > 0  # the only way from the ministry to the startups


def test_components_leave_documents_out(tiny):
    comps = component_summary(tiny)
    assert comps["count"] == 2 and comps["sizes"] == [8, 1] and comps["isolated"] == 1
    assert comps["others"] == [{"size": 1, "labels": {"Organization": 1}, "members": ["Lone"]}]
    assert component_summary(tiny, include_documents=True)["count"] == 1


def test_path_graph_betweenness():
    nodes = [node(f"v{i}", "VentureCapital") for i in range(5)]
    edges = [edge("BACKED", f"v{i}", f"v{i + 1}") for i in range(4)]
    ranking = betweenness_ranking(to_networkx(PropertyGraph(tuple(nodes), tuple(edges))), top=None)
    assert ranking[0]["id"] == "v2" and ranking[0]["betweenness"] == pytest.approx(4 / 6)
    assert ranking[-1]["betweenness"] == 0.0


# ---------------------------------------------------------------- analysis on the real data


@pytest.fixture(scope="module")
def adoptions() -> list[dict]:
    return yaml.safe_load((default_data_dir() / "004" / "facts" / "adoptions.yaml").read_text(encoding="utf-8"))


def test_vc_portfolios_match_the_adoption_table(g, adoptions):
    expected: dict[str, set[str]] = defaultdict(set)
    for row in adoptions:
        for backer in row.get("backed_by") or []:
            expected[resolve_node(g, backer)].add(row["startup"])
    portfolios = {r["id"]: set(r["startup_ids"]) for r in vc_portfolios(g)}
    assert {k: v for k, v in portfolios.items() if v} == dict(expected)
    assert portfolios["vc-jafco"] == {"su-prd-therapeutics", "su-atransen-pharma", "su-arrowsmith"}
    assert len(portfolios["vc-utec"]) == 4  # written UTEK three times and UTEC once
    top = vc_portfolios(g)[0]
    assert (top["id"], top["startups"]) == ("vc-utec", 4)


def test_co_investment_on_the_real_data_matches_the_adoption_table(g, adoptions):
    shared = Counter()
    for row in adoptions:
        vcs = sorted({resolve_node(g, b) for b in row.get("backed_by") or []})
        for i, a in enumerate(vcs):
            for b in vcs[i + 1:]:
                shared[a, b] += 1
    pairs = {(p["vc_a"], p["vc_b"]): p["shared"] for p in co_investment_pairs(g)}
    assert pairs == dict(shared)  # the seed names one VC per adopted startup, so today this is empty
    assert co_investment_graph(g).number_of_nodes() == 30


def test_real_rankings_and_components(g):
    programs = degree_ranking(g, ["Program"], top=3)
    assert programs[0]["id"] == "prog-venture-ecosystem"
    assert programs[0]["by_type"]["CERTIFIED_FOR"] == 30
    assert betweenness_ranking(g, ["Program"], top=1)[0]["id"] == "prog-venture-ecosystem"
    vcs = degree_ranking(g, ["VentureCapital"], top=1)
    assert vcs[0]["id"] == "vc-utec" and vcs[0]["by_type"] == {"BACKED": 4, "CERTIFIED_FOR": 1}
    comps = component_summary(g)
    assert comps["nodes"] == g.number_of_nodes() - 5
    assert sum(comps["sizes"]) == comps["nodes"] and comps["sizes"] == sorted(comps["sizes"], reverse=True)
    assert comps["largest_share"] > 0.8
    stats = graph_stats(g, 5)
    json.dumps(stats, ensure_ascii=False)  # JSON-ready
    assert len(stats["degree"]["VentureCapital"]) == 5


# ---------------------------------------------------------------- the page


def test_page_data_formats_amounts_dates_and_sources(g):
    data = page_data(g)
    nodes = {n["id"]: n for n in data["nodes"]}
    budget = nodes["budgetline-05080dbb9777"]
    assert ["amount", "¥200,000,000 (2億円)"] in budget["fields"]
    assert ["fiscal year", "FY2025 (令和7年度)"] in budget["fields"]
    assert budget["caption"] == "2億円 FY2025補正"
    # budget types in the words every surface uses (soyaku.core.japanese.BUDGET_TERMS)
    assert nodes["budgetline-9c19eb934acd"]["caption"] == "77.0億円 FY2022概算要求"
    assert budget["sources"] == [["001_52890c991147c935.txt#L158", g.nodes["budgetline-05080dbb9777"]["quotes"][0]]]
    round1 = nodes["prog-venture-ecosystem-round-1"]
    assert ["announced", "2022-12-23 (R4.12.23)"] in round1["fields"]
    backed = next(e for e in data["edges"] if e["type"] == "BACKED" and e["from"] == "vc-jafco" and e["to"] == "su-prd-therapeutics")
    assert backed["caption"] == "BACKED · 第4回"
    assert {"ジャフコ", "jafco"} & set(nodes["vc-jafco"]["keys"])
    assert data["meta"] == {"title": "Soyaku KG", "focus": None, "showDocuments": False, "lang": "ja", "entityLink": None, "nodes": len(data["nodes"]), "edges": len(data["edges"])}


def test_page_fields_follow_the_model_field_order(g):
    """A tooltip lists a node's (or relationship's) fields in model.yaml's order, its own fields first."""
    data = page_data(g)
    cao = next(n for n in data["nodes"] if n["id"] == "cao")
    assert [name for name, _ in cao["fields"]][:3] == ["code", "ror", "ror source"]  # then the other identifiers
    round1 = next(n for n in data["nodes"] if n["id"] == "prog-venture-ecosystem-round-1")
    assert [name for name, _ in round1["fields"]] == ["number", "application start", "application end", "announced"]
    adopted = next(e for e in data["edges"] if e["type"] == "ADOPTED")
    assert [name for name, _ in adopted["fields"]] == ["status", "round", "announced"]


def test_ministry_and_round_groups(g):
    ministries = {m["id"]: set(m["members"]) for m in ministry_groups(g)}
    assert {"cao", "cas", "meti", "mext", "mhlw"} == set(ministries)
    assert {"meti", "prog-venture-ecosystem", "vc-jafco"} <= ministries["meti"]
    assert "su-tregem-biopharma" in ministries["meti"]  # adopted by a round of a METI program
    rounds = {r["number"]: set(r["members"]) for r in round_groups(g)}
    assert set(rounds) == set(range(1, 9))
    assert {"prog-venture-ecosystem", "su-prd-therapeutics", "vc-jafco", "su-tregem-biopharma"} <= rounds[4]
    assert "su-editforce" not in rounds[4]


def _script_blocks(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>", page)


def test_page_is_one_offline_file(g):
    page = render_html(g)
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", page, re.I)
    assert "<script src" not in page and "<link" not in page
    js, _ = vis_assets()
    assert js in page
    assert _script_blocks(page.replace(js, "")) == ["<script>", '<script type="application/json" id="soyaku-data">', "<script>", "<script>"]
    assert page.count('<script type="application/json" id="soyaku-data">') == 1
    assert "vis-network" in page and "stabilizationIterationsDone" in page and "physics: {enabled: false}" in page


def test_hostile_names_are_escaped():
    nodes = (node("evil", "Startup", HOSTILE, aliases=[HOSTILE_SCRIPT]), node("evil2", "VentureCapital", HOSTILE_SCRIPT))
    edges = (edge("BACKED", "evil2", "evil", quotes=["</script><script>window.pwned=4</script>"]),)
    page = render_html(to_networkx(PropertyGraph(nodes, edges)), title=f"x {HOSTILE}")
    assert HOSTILE not in page and HOSTILE_SCRIPT not in page and "window.pwned=4</script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the title
    block = re.search(r'<script type="application/json" id="soyaku-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names == {"evil": HOSTILE, "evil2": HOSTILE_SCRIPT}
    page_js = page[page.rindex("<script>"):]
    assert "innerHTML" not in page_js and "insertAdjacentHTML" not in page_js and "document.write" not in page_js


# ---------------------------------------------------------------- commands


def test_viz_command_writes_the_page(tmp_path):
    from soyaku.cli.views import viz

    out = tmp_path / "g.html"
    result = CliRunner().invoke(viz, ["-o", str(out), "--focus", "トレジェム", "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and out.exists()
    data = json.loads(re.search(r'id="soyaku-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1))
    assert data["meta"]["focus"] == "su-tregem-biopharma"
    assert "トレジェムバイオファーマ株式会社 (1 hop)" in data["meta"]["title"]

    only = tmp_path / "vc.html"
    result = CliRunner().invoke(viz, ["-o", str(only), "--label", "VentureCapital", "--label", "Startup"])
    assert result.exit_code == 0, result.output
    assert "64 nodes, 34 relationships" in result.output


def test_viz_command_errors_are_clear(tmp_path):
    from soyaku.cli.views import viz

    result = CliRunner().invoke(viz, ["-o", str(tmp_path / "x.html"), "--focus", "存在しない会社"])
    assert result.exit_code != 0 and "nothing is named" in str(result.exception or result.output)
    result = CliRunner().invoke(viz, ["-o", str(tmp_path / "x.html"), "--label", "Nope"])
    assert result.exit_code == 2 and "unknown label" in result.output


def test_stats_command(tmp_path):
    from soyaku.cli.views import stats

    result = CliRunner().invoke(stats, ["--format", "json", "--top", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["vc_portfolios"][0]["id"] == "vc-utec"
    assert data["co_investment"]["pairs"] == 0 and data["components"]["count"] >= 1
    table = CliRunner().invoke(stats, [])
    assert table.exit_code == 0 and "Betweenness" in table.output and "Co-investment" in table.output


def test_english_captions_are_whole_and_cover_ministries_rounds_and_amounts(g):
    data = page_data(g, lang="en")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["mhlw"]["caption"] == "Ministry of Health, Labour and Welfare"  # not cut at ~15 characters
    assert nodes["mhlw"]["name"] == "Ministry of Health, Labour and Welfare"
    assert ["name", "厚生労働省"] in nodes["mhlw"]["header"]  # the source name stays in the details
    assert nodes["prog-venture-ecosystem-round-4"]["caption"] == "Round 4 2024-06-14"
    assert nodes["budgetline-05080dbb9777"]["caption"] == "¥200M FY2025 supplementary"
    assert nodes["vc-jafco"]["caption"] == "JAFCO Group Co., Ltd."
    backed = next(e for e in data["edges"] if e["type"] == "BACKED" and e["from"] == "vc-jafco" and e["to"] == "su-prd-therapeutics")
    assert backed["caption"] == "BACKED · round 4"
    ministries = {m["id"]: m for m in data["ministries"]}
    assert ministries["cao"]["caption"] == "Cabinet Office" and ministries["mhlw"]["caption"] == "MHLW"
    rounds = {r["number"]: r for r in data["rounds"]}
    assert rounds[4]["caption"] == "Round 4 2024-06-14"
    assert rounds[4]["program"] == "Strengthening Program for Pharmaceutical Startup Ecosystem"
    ja = {n["id"]: n for n in page_data(g)["nodes"]}
    assert ja["mhlw"]["caption"] == "厚生労働省" and ja["prog-venture-ecosystem-round-4"]["caption"] == "第4回 2024-06-14"


def test_every_label_of_the_model_has_a_legend_style():
    from soyaku.ontology.model import load_model
    from soyaku.views.html import label_styles

    assert set(load_model().node_labels.values()) <= set(label_styles())
