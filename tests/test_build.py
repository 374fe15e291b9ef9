"""The curated facts: counts against the seeds, a source for every fact, SHACL conformance, and bad data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from rdflib.namespace import PROV

from soyaku.cli.main import cli
from soyaku.loaders.curated import default_data_dir
from soyaku.ontology.model import load_model


def labelled(compiled, label):
    return [n for n in compiled.graph.nodes if n.label == label]


def test_counts_match_the_seeds(compiled, expected):
    assert len(labelled(compiled, "VentureCapital")) == expected["venture_capitals"]
    assert len(labelled(compiled, "Startup")) == expected["startups"]
    assert len(labelled(compiled, "Document")) == expected["documents"]
    rounds = {n.id: n.properties["number"] for n in labelled(compiled, "Round")}
    per_round: dict[int, int] = {}
    for edge in compiled.graph.edges:
        if edge.type == "ADOPTED":
            per_round[rounds[edge.source]] = per_round.get(rounds[edge.source], 0) + 1
    assert per_round == expected["startups_per_round"]
    discontinued = [e for e in compiled.graph.edges if e.type == "ADOPTED" and e.properties["status"] == "discontinued"]
    assert len(discontinued) == expected["discontinued_adoptions"]


def bullets_of_001() -> dict[str, str]:
    """The ● lines of seed 001's 個別施策 list, by locator (file#Lnumber)."""
    seed = next((default_data_dir() / "001").glob("001_*.txt"))
    return {f"{seed.name}#L{n}": line for n, line in enumerate(seed.read_text(encoding="utf-8").splitlines(), 1)
            if line.startswith("●")}


def test_every_supplementary_measure_of_001_has_its_amount(compiled, expected):
    bullets = bullets_of_001()
    assert len(bullets) == expected["supplementary_lines_001"]
    lines = [n for n in labelled(compiled, "BudgetLine")
             if n.properties.get("fiscal_year") == 2025 and n.properties["budget_type"] == "supplementary"]
    for locator, text in bullets.items():
        found = [n for n in lines if locator in n.properties["sources"]]
        assert found, f"no FY2025 supplementary budget line sourced from {locator}: {text}"
        amount = re.search(r"([\d,]+)億円", text).group(1).replace(",", "")
        assert any(n.properties["amount_jpy"] == int(amount) * 10**8 for n in found), text


MINISTRY_CODES = {"厚": "mhlw", "文": "mext", "内": "cao", "経": "meti"}


def test_the_17_measures_of_001_each_have_the_ministry_their_code_names(compiled, expected):
    coded: dict[str, str] = {}
    uncoded: list[str] = []
    for locator, line in bullets_of_001().items():
        code = re.search(r"【(.)】", line)
        if code:
            coded[locator] = MINISTRY_CODES[code.group(1)]
        else:
            uncoded.append(locator)
    assert len(coded) == expected["supplementary_measures_001"]
    responsible = [e for e in compiled.graph.edges if e.type == "RESPONSIBLE_FOR"]
    for locator, ministry in coded.items():
        assert any(e.source == ministry and locator in e.properties["sources"] for e in responsible), locator
    for locator in uncoded:  # a ● line without a code must not be given a ministry
        assert not any(locator in e.properties["sources"] for e in responsible), locator


def test_disagreeing_figures_are_both_kept(compiled):
    nanbyo = [n for n in labelled(compiled, "BudgetLine") if "難病・希少疾病" in n.properties["name"]]
    assert {(n.properties["amount_jpy"], n.properties["basis"]) for n in nanbyo} >= {
        (210 * 10**8, "business_scale"), (120 * 10**8, "unstated")}


def test_every_fact_has_a_source(compiled):
    for item in (*compiled.graph.nodes, *compiled.graph.edges):
        assert item.properties["sources"], item.id
        assert len(item.properties["sources"]) == len(item.properties["quotes"]), item.id
    model = load_model()
    typed = {s for s, o in compiled.rdf.subject_objects(RDF.type) if str(o).startswith(str(model.sy))}
    assert typed and all((s, PROV.wasDerivedFrom, None) in compiled.rdf for s in typed)


def test_aliases_resolve_misspelt_vc_names(compiled):
    backed = {(e.source, e.target) for e in compiled.graph.edges if e.type == "BACKED"}
    assert ("vc-utec", "su-regcell") in backed or any(s == "vc-utec" for s, _ in backed)
    utec = next(n for n in labelled(compiled, "VentureCapital") if n.id == "vc-utec")
    assert {"UTEC", "UTEK"} <= set(utec.properties["aliases"])


def test_tregem_trajectory(compiled):
    supports = {(e.source, e.properties["start_year"]) for e in compiled.graph.edges
                if e.type == "SUPPORTED" and e.target == "su-tregem-biopharma"}
    assert supports == {("prog-bridging-research", 2022), ("prog-venture-ecosystem", 2024)}


def test_a_strategy_is_a_policy_with_its_measures_not_a_program(compiled, expected):
    policies = {n.id: n for n in labelled(compiled, "Policy")}
    measures = labelled(compiled, "PolicyMeasure")
    assert len([p for p in policies if p == "pol-vaccine-strategy"]) == expected["policies_003"]
    assert len([m for m in measures if m.id.startswith("pm-vaccine-strategy-")]) == expected["policy_measures_003"]
    assert policies["pol-vaccine-strategy"].properties["decided"].isoformat() == "2021-06-01"
    assert not [n for n in labelled(compiled, "Program") if "戦略" in n.properties["name"]]
    part_of = {e.source for e in compiled.graph.edges if e.type == "PART_OF" and e.target == "pol-vaccine-strategy"}
    assert part_of == {m.id for m in measures if m.id.startswith("pm-vaccine-strategy-")}
    implementing = {e.source for e in compiled.graph.edges if e.type == "IMPLEMENTS" and e.target == "pol-vaccine-strategy"}
    # the two METI programs whose 003 pages name the strategy, and the MEXT hub program whose 002 page opens with it
    assert implementing == {"prog-venture-ecosystem", "prog-vaccine-biopharma-manufacturing-hubs", "prog-vaccine-hubs"}
    assert not any(e.type == "FUNDS" and e.target in policies for e in compiled.graph.edges)


def test_amounts_of_another_basis_are_typed_not_disputed(compiled):
    lines = labelled(compiled, "BudgetLine")
    multi = [n for n in lines if n.properties.get("multi_year")]
    assert [(n.properties["fiscal_year"], n.properties["amount_jpy"]) for n in multi] == [(2024, 38_300_000_000)]
    continuing = {n.properties["amount_text"]: n.properties["budget_type"] for n in lines
                  if any("（継続中）" in q for q in n.properties["quotes"])}
    assert continuing == {"3,500億円": "fund_total", "150億円": "unstated", "1,500億円": "unstated", "500億円": "unstated"}


# Where a relationship's quotes cannot name one of its ends, and why. Nothing else is exempt, but a relationship
# that carries a `basis` (the record's `<ref>_basis`: the heading structure or layout that places it) explains itself.
UNNAMED_END_BECAUSE = {
    "prog-vaccine-hubs": "002 describes the program (its hubs, outcomes, period) without printing its name",
    "fund-venture-ecosystem": "004 lists the fund's yearly amounts under 基金総額 on the program's page; the seed "
                              "gives the fund no name of its own",
    "GRANTED_BY": "002 names the minister who certifies or approves (文部科学大臣認定, 厚生労働大臣承認), not the ministry",
}


def _named_by(node) -> set[str]:
    """The forms a quote may use to name a node (match keys): names, aliases, 【code】, an amount, 第N回."""
    from soyaku.core.japanese import match_key

    p = node.properties
    forms = {p.get("name"), p.get("name_ja"), p.get("name_en"), *p.get("aliases", [])}
    if node.label == "Ministry" and p.get("code"):
        forms.add(f"【{p['code']}】")
    if node.label == "BudgetLine":
        forms.add(p["amount_text"].removesuffix("程度"))
    if node.label == "Round":
        forms.add(f"第{p['number']}回")
    if node.label in ("Outcome", "Target"):
        forms.add(p["indicator"])
    return {re.sub(r"\s+", "", match_key(f)) for f in forms if f}


def test_every_relationship_cites_quotes_that_state_it(compiled):
    """A relationship from a reference field (and MENTIONS) cites only quotes that name its far end; a
    relationship of a fact cites quotes that together name both its ends. Exceptions: UNNAMED_END_BECAUSE."""
    from soyaku.core.japanese import match_key

    model = load_model()
    nodes = {n.id: n for n in compiled.graph.nodes}
    forms = {i: _named_by(n) for i, n in nodes.items()}
    far_end = {"MENTIONS": "target", "PUBLISHED_BY": "target"}
    for cls in model.classes.values():
        for spec in cls.fields.values():
            if spec.is_ref and spec.edge_type and not cls.fact:
                far_end[spec.edge_type] = "source" if spec.edge_reverse else "target"

    def names(quote: str, end: str) -> bool:
        return end.startswith("doc-") or any(f in re.sub(r"\s+", "", match_key(quote)) for f in forms[end])

    unstated: dict[str, list[str]] = {}
    for edge in compiled.graph.edges:
        quotes = edge.properties.get("quotes", [])
        assert quotes, f"{edge.id} cites no source"
        exempt = {edge.type, edge.source, edge.target, f"{edge.source}/{edge.type}/{edge.target}"} & set(UNNAMED_END_BECAUSE)
        if exempt or edge.properties.get("basis"):
            continue
        if edge.type in far_end and "id" not in edge.properties:  # an entity's reference, a document's MENTIONS
            end = edge.target if far_end[edge.type] == "target" else edge.source
            bad = [q for q in quotes if not names(q, end)]
        else:  # from a fact (a budget line, a round, an adoption, ...)
            bad = [] if any(names(q, edge.source) for q in quotes) and any(names(q, edge.target) for q in quotes) else quotes
        if bad:
            unstated.setdefault(edge.type, []).append(f"{edge.source} -> {edge.target}: {bad}")
    assert not unstated, ("these relationships cite quotes that do not name their end: add to the record's "
                          "sources a quote that names it (a heading, a code such as 【厚】, the page title), "
                          f"or document why none can in UNNAMED_END_BECAUSE: {unstated}")
    mentions = [e for e in compiled.graph.edges if e.type == "MENTIONS"]
    docs = {n.id: n.properties["file"] for n in nodes.values() if n.label == "Document"}
    assert all(s.startswith(docs[e.source]) for e in mentions for s in e.properties["sources"]), "MENTIONS cites another document"


def test_links_placed_by_layout_say_why(compiled):
    """PART_OF, HUB_OF and ITEMISED_AS relationships whose quotes do not together name both ends carry a `basis`
    (issue 18 point 4: 132 relationships cited a quote naming one end only). Every basis names a seed line."""
    from soyaku.core.japanese import match_key

    nodes = {n.id: n for n in compiled.graph.nodes}
    forms = {i: _named_by(n) for i, n in nodes.items()}

    def named(quotes: list[str], end: str) -> bool:
        return any(f in re.sub(r"\s+", "", match_key(q)) for q in quotes for f in forms[end])

    links = [e for e in compiled.graph.edges if e.type in ("PART_OF", "HUB_OF", "ITEMISED_AS")]
    unexplained = [f"{e.source} -{e.type}-> {e.target}" for e in links if not e.properties.get("basis")
                   and not (named(e.properties["quotes"], e.source) and named(e.properties["quotes"], e.target))]
    assert unexplained == []
    based = [e for e in links if e.properties.get("basis")]
    assert {e.type for e in based} == {"PART_OF", "HUB_OF", "ITEMISED_AS"}
    assert all(e.properties["basis"] for e in links if e.type in ("HUB_OF", "ITEMISED_AS"))
    assert all(re.search(r"\bL\d+", e.properties["basis"]) for e in based), "a basis names the seed line it rests on"
    hub = next(e for e in based if e.type == "HUB_OF" and e.source == "hub-utopia")
    assert "採択機関" in hub.properties["basis"]


def _tree_triples(graph) -> set[tuple[str, str, str]]:
    """The triples with every blank node replaced by a description of what hangs from it: equal sets mean
    isomorphic graphs when blank nodes form trees, as in generated OWL and SHACL (rdflib's `isomorphic` takes ~10 s
    on shapes.ttl)."""
    from rdflib import BNode

    def term(node, seen=()) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        assert node not in seen, "blank nodes in a cycle"
        return "[" + ";".join(sorted(f"{p.n3()} {term(o, (*seen, node))}" for p, o in graph.predicate_objects(node))) + "]"

    return {(term(s), p.n3(), term(o)) for s, p, o in graph if not isinstance(s, BNode)}


def test_generated_ontology_files_are_current():
    from rdflib import Graph

    from soyaku.ontology.generate import generated_files

    for path, content in generated_files().items():
        if path.suffix == ".ttl":
            current, fresh = Graph().parse(path), Graph().parse(data=content, format="turtle")
            assert len(current) == len(fresh) and _tree_triples(current) == _tree_triples(fresh), \
                f"{path} is stale: run python -m soyaku.ontology.generate"
        else:
            assert path.read_text(encoding="utf-8") == content, f"{path} is stale: run python -m soyaku.ontology.generate"


# -- bad data: a clear message, exit 1, and the previous artifacts untouched ------------------------


def _contents(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (the SPARQL store is a directory of its own) and its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def home_with_artifacts(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    result = CliRunner().invoke(cli, ["--home", str(home), "build", "--rdf-only"])
    assert result.exit_code == 0, result.output
    return home


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = data / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"test fixture out of date: {old!r} not in {file}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("004/facts/rounds.yaml", "announced: R4.12.23", "", r"004/facts/rounds\.yaml:\d+ \[announced\]: required field missing"),
        ("004/facts/rounds.yaml", "announced: R4.12.23", "announced: R4.13.45", r"rounds\.yaml:\d+ \[announced\]: not a valid date: 'R4\.13\.45'"),
        ("004/facts/budget_amounts.yaml", "3,000億円", "三千億円", r"budget_amounts\.yaml:\d+ \[amount\]: not a yen amount: '三千億円'"),
        ("004/facts/adoptions.yaml", "- 京都iCAP", "- 京都ICAPX", r"adoptions\.yaml:\d+ \[backed_by\]: unknown reference '京都ICAPX'"),
        ("004/entities/startups.yaml", "id: su-regcell", "id: su-tregem-biopharma", r"startups\.yaml:\d+ \[id\]: duplicate id 'su-tregem-biopharma'; first defined at .*:\d+"),
        ("004/entities/startups.yaml", "id: su-regcell", "id: [su-regcell]",
         r"startups\.yaml:\d+ \[id\]: id must be kebab-case ascii \(e\.g\. vc-jafco\), got \['su-regcell'\]"),
        ("004/facts/adoptions.yaml", "quote: ", "quote: 存在しない引用文", r"adoptions\.yaml:\d+ \[sources\.quote\]: quote not found in 004_"),
        ("004/entities/venture_capitals.yaml", "quote: Newton Biocapital\n    line: 183", "quote: Newton Biocapital",
         r"venture_capitals\.yaml:\d+ \[sources\.quote\]: 'Newton Biocapital' occurs 2 times in 004_\w+\.txt \(lines 183, 228\); pin"),
        ("004/entities/venture_capitals.yaml", "quote: Newton Biocapital\n    line: 183", "quote: Newton Biocapital\n    line: 184",
         r"\[sources\.line\]: 'Newton Biocapital' is not at line 184 of 004_\w+\.txt; it occurs at line\(s\) 183, 228"),
        ("000/facts/budget_amounts.yaml", "itemised_as: [prog-biobank-info-infra]", "itemised_as: [prog-whole-genome]",
         r"000/facts/budget_amounts\.yaml:\d+ \[itemised_as\]: the itemised lines add up to 115億円, but this line states 43億円程度"),
        ("000/facts/budget_amounts.yaml", "itemised_as: [prog-biobank-info-infra]", "itemised_as: [prog-brain-science-integrated]",
         r"\[itemised_as\]: 'prog-brain-science-integrated' has no budget line of the same fiscal year, budget type and basis"),
        ("000/source.yaml", "date: 令和8年2月3日", "date: 令和8年2月3日\nurl: https://www.kantei.go.jp/x.pdf",
         r"000/source\.yaml:\d+ \[url\]: 'https://www\.kantei\.go\.jp/x\.pdf' is not in 000_\w+\.txt"),
        ("000/facts/budget_amounts.yaml", "basis: business_scale\n  amount: 43億円程度\n  itemised_as",
         "basis: 事業規模\n  amount: 43億円程度\n  itemised_as",
         r"budget_amounts\.yaml:\d+ \[basis\]: '事業規模' is not one of: business_scale, national_expenditure, unstated"),
        ("002/facts/outcomes.yaml", "share: 約3割", "share: 約13割", r"outcomes\.yaml:\d+ \[share\]: not a share: '約13割'"),
        ("002/facts/outcomes.yaml", "share: 約3割", "share: 約3割\n  value: 3\n  unit: 割",
         r"outcomes\.yaml:\d+ \[share\]: give either share \(e\.g\. 約3割\) or value and unit"),
    ],
    ids=["missing-field", "bad-date", "bad-amount", "unknown-alias", "duplicate-id", "id-not-text", "invented-quote", "ambiguous-quote",
         "wrong-line-pin", "itemised-sum", "itemised-without-line", "url-not-in-seed", "itemised-bad-basis", "bad-share", "share-and-count"],
)
def test_bad_data_is_refused_and_nothing_is_written(tmp_path, home_with_artifacts, file, old, new, expected):
    artifacts = home_with_artifacts / "build"
    before = _contents(artifacts)
    data = _broken_copy(tmp_path, file, old, new)
    result = CliRunner().invoke(cli, ["--home", str(home_with_artifacts), "build", "--rdf-only", "--data", str(data)])
    assert result.exit_code == 1
    assert re.search(expected, result.output), result.output
    assert "nothing was written" in result.output
    assert _contents(artifacts) == before


@pytest.mark.engine
def test_bad_data_in_a_full_build_leaves_the_previous_graph(tmp_path, compiled):
    from soyaku.graph.connect import connect
    from soyaku.loaders.cypher_load import graph_counts

    home = tmp_path / "home"
    assert CliRunner().invoke(cli, ["--home", str(home), "build"]).exit_code == 0
    with connect(home) as conn:
        before = graph_counts(conn.driver, conn.database)
    artifacts = _contents(home / "build")
    data = _broken_copy(tmp_path, "004/facts/rounds.yaml", "announced: R4.12.23", "announced: R4.13.45")
    result = CliRunner().invoke(cli, ["--home", str(home), "build", "--data", str(data)])
    assert result.exit_code == 1 and "nothing was written" in result.output
    with connect(home) as conn:
        assert graph_counts(conn.driver, conn.database) == before and sum(before["nodes"].values()) == len(compiled.graph.nodes)
    assert _contents(home / "build") == artifacts


def test_shacl_rule_catches_an_uncertified_backer(tmp_path, home_with_artifacts):
    data = _broken_copy(tmp_path, "004/facts/certifications.yaml", "vc: vc-jafco\n  program: prog-venture-ecosystem",
                        "vc: vc-jafco\n  program: prog-bridging-research")
    result = CliRunner().invoke(cli, ["--home", str(home_with_artifacts), "build", "--rdf-only", "--data", str(data)])
    assert result.exit_code == 1
    assert re.search(r"adoptions\.yaml:\d+: SHACL: the backing VC .*vc-jafco.* is not certified", result.output), result.output


SY = load_model().sy


def _first_of(rdf, cls):
    return next(rdf.subjects(RDF.type, SY[cls]))


def _round_of_another_program(rdf):
    round_ = next(rdf.objects(_first_of(rdf, "Adoption"), SY.round))
    own = rdf.value(round_, SY.program)
    other = next(p for p in rdf.subjects(RDF.type, SY.Program) if p != own)
    rdf.set((round_, SY.program, other))


def _round_announced_before_its_window_ends(rdf):
    round_ = _first_of(rdf, "Round")
    rdf.set((round_, SY.announced, rdf.value(round_, SY.applicationStart)))


def _budget_line_without_fiscal_year(rdf):
    line = next(s for s in rdf.subjects(SY.fiscalYear, None) if str(rdf.value(s, SY.budgetType)) != "fund_total")
    rdf.remove((line, SY.fiscalYear, None))


def test_a_near_pin_takes_the_occurrence_next_to_its_anchor(tmp_path):
    from soyaku.loaders.curated import read_curated

    data = _broken_copy(tmp_path, "004/entities/venture_capitals.yaml", "quote: Newton Biocapital\n    line: 183",
                        "quote: Newton Biocapital\n    near: 【参考】 認定VC (30社)")
    newton = next(r for r in read_curated(data).records if r.id == "vc-newton-biocapital")
    assert [s.line for s in newton.sources if s.quote == "Newton Biocapital"] == [183]  # not 228, the adoption table


def test_the_compiled_seed_graph_conforms_to_every_shape(compiled):
    """A build runs only the cross-record rules (rules.ttl); the generated shapes restate checks reading makes. This
    keeps them true of what the build compiles: the seed graph conforms to every shape, generated ones included
    (the check `soyaku release` runs before it publishes)."""
    from soyaku.loaders.pipeline import check_every_shape

    check_every_shape(compiled)


def test_a_graph_that_breaks_a_generated_shape_is_refused_by_the_full_check(compiled):
    """The full check is not empty: RDF that no checked record yields (a second name, a lost quote) fails it."""
    from rdflib import Literal

    from soyaku.core.errors import DataError
    from soyaku.ontology.validation import check_conforms, check_rules

    model = load_model()
    rdf = Graph()
    rdf += compiled.rdf
    startup = model.ids["su-editforce"]
    rdf.add((startup, model.expand("schema:name"), Literal("二つ目の名前")))
    derivation = next(rdf.objects(startup, PROV.qualifiedDerivation))
    rdf.remove((derivation, model.sy.quote, None))
    check_rules(rdf, {})  # the rules do not look at fields
    with pytest.raises(DataError) as refused:
        check_conforms(rdf, {startup: ("startups.yaml", 1)})
    fields = {p.field for p in refused.value.problems}
    assert {"name", "quote"} <= fields, refused.value


@pytest.mark.parametrize(("file", "old", "new", "field", "message"), [
    # each kind of constraint the generated shapes state, checked by reading at file, line and field instead
    ("004/facts/rounds.yaml", "  announced: R4.12.23\n", "", "announced", "required field missing for Round"),  # sh:minCount
    ("004/facts/rounds.yaml", "  number: 1\n", "  number: 一\n", "number", "expected a whole number, got '一'"),  # sh:datatype
    ("004/facts/adoptions.yaml", "  status: active\n", "  status: 採択\n", "status", "'採択' is not one of: "),  # sh:in
    ("004/facts/adoptions.yaml", "  startup: su-editforce\n", "  startup: vc-jafco\n", "startup",
     "'vc-jafco' is a VentureCapital, expected Startup"),  # sh:class
    ("004/entities/startups.yaml", "  name: エディットフォース株式会社\n", "  name: [エディットフォース株式会社, EditForce]\n",
     "name", "expected a non-empty text, got ["),  # sh:maxCount 1
    ("004/entities/startups.yaml", "  sources:\n  - quote: エディットフォース株式会社 (NEWTON BIOCAPITAL)\n", "",
     "sources", "every record needs `sources`"),  # prov:wasDerivedFrom sh:minCount
])
def test_each_kind_of_generated_shape_is_checked_when_reading(tmp_path, file, old, new, field, message):
    from soyaku.core.errors import DataError
    from soyaku.loaders.curated import read_curated

    with pytest.raises(DataError) as refused:
        read_curated(_broken_copy(tmp_path, file, old, new))
    assert any(p.file.endswith(file) and p.line and p.field == field and message in p.message
               for p in refused.value.problems), refused.value


@pytest.mark.parametrize(("break_it", "message"), [
    (_round_of_another_program, "the round of this adoption belongs to another program"),
    (_round_announced_before_its_window_ends, "the adoption must be announced after the application window ends"),
    (_budget_line_without_fiscal_year, "a budget amount needs a fiscal_year unless it is a fund total"),
])
def test_cross_record_rules(compiled, break_it, message):
    from soyaku.core.errors import DataError
    from soyaku.ontology.validation import check_rules

    rdf = Graph()
    rdf += compiled.rdf
    break_it(rdf)
    with pytest.raises(DataError, match=message):
        check_rules(rdf, {})


def test_build_writes_turtle_jsonld_and_receipt(home_with_artifacts):
    import json

    artifacts = home_with_artifacts / "build"
    assert sorted(p.name for p in artifacts.iterdir()) == ["receipt.json", "soyaku.jsonld", "soyaku.ttl", "sparql"]
    receipt = json.loads((artifacts / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["nodes"]["VentureCapital"] == 30
    assert any(name.endswith(".txt") for name in receipt["inputs"])
