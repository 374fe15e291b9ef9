"""External identifiers (links to the world): offline checks (ROR checksum, 法人番号 check digit, forms), the curated
list data/links/identifiers.yaml with a source URL per identifier, the export as owl:sameAs / schema:identifier and
as node properties, and `find` (and every name resolver) accepting them.

The identifiers in these tests are test vectors put into a copy of the data, with example.org sources: they are
not facts, and the shipped list holds only identifiers read on a public page (see docs/identifiers.md).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, Literal, URIRef
from rdflib.namespace import PROV

from soyaku.cli.main import cli
from soyaku.core.errors import DataError
from soyaku.core.identifiers import check, corporate_number_check_digit, isni_check_character, parse_reference, ror_checksum
from soyaku.loaders.curated import IDENTIFIERS_FILE, default_data_dir
from soyaku.loaders.pipeline import compile_graph
from soyaku.ontology.model import check_identifier_fields, load_model
from soyaku.views.network import find_nodes, resolve_node, to_networkx

SCHEMA_IDENTIFIER = URIRef("https://schema.org/identifier")
ROR = "057zh3y96"  # a well-formed ROR id (its checksum holds), used as a test vector
CORPORATE = "4011001098993"  # the worked example of a 法人番号 check digit (qiita.com/mziyut/items/bab37dbce1c23771c817)


# ------------------------------------------------------------------ offline checks


def test_ror_checksum() -> None:
    assert ror_checksum("57zh3y") == "96" and check("ror", ROR) is None
    assert "checksum 00 does not match (it should be 96)" in check("ror", "057zh3y00")
    # the example id in a public schema document (funder "https://ror.org/01b9y6c26") fails its checksum:
    # exactly the kind of copied id the check exists for
    assert "should be 61" in check("ror", "01b9y6c26")
    assert "six characters" in check("ror", "0iiiiiiii") and "six characters" in check("ror", "57zh3y96")


def test_corporate_number_check_digit() -> None:
    assert corporate_number_check_digit("011001098993") == 4 and check("corporate_number", CORPORATE) is None
    assert corporate_number_check_digit("123456789012") == 7  # 国税庁's worked example: 7123456789012
    assert "should be 4" in check("corporate_number", "5011001098993")
    assert "13 digits" in check("corporate_number", "011001098993")


def test_isni_check_character() -> None:
    # ISO 7064 MOD 11-2; 0000 0001 2151 536X is one of the University of Tokyo's ISNIs in its ROR record
    assert isni_check_character("000000012151536") == "X" and check("isni", "000000012151536X") is None
    assert "should be X" in check("isni", "0000000121515360")
    assert "16 characters" in check("isni", "00000001215153")


def test_other_forms() -> None:
    assert check("wikidata", "Q42") is None and check("wikidata", "Q042") and check("wikidata", "42")
    assert check("crossref_funder_id", "501100001691") is None and check("crossref_funder_id", "10.13039/5011")
    assert check("grid", "grid.26999.3d") is None and check("grid", "grid.26999") and check("grid", "26999.3d")
    assert check("openalex_funder", "F4320311405") is None and check("openalex_funder", "I4320311405")
    assert check("openalex_institution", "I74801974") is None and check("openalex_institution", "F74801974")


@pytest.mark.parametrize("text, expected", [
    ("https://ror.org/057zh3y96", ("ror", ROR)), ("ror:057ZH3Y96", ("ror", ROR)), ("057zh3y96", ("ror", ROR)),
    ("https://www.wikidata.org/wiki/Q42", ("wikidata", "Q42")), ("wd:q42", ("wikidata", "Q42")), ("Q42", ("wikidata", "Q42")),
    ("https://doi.org/10.13039/501100001691", ("crossref_funder_id", "501100001691")),
    ("10.13039/501100001691", ("crossref_funder_id", "501100001691")),
    (CORPORATE, ("corporate_number", CORPORATE)), ("４０１１００１０９８９９３", ("corporate_number", CORPORATE)),
    ("法人番号 " + CORPORATE, ("corporate_number", CORPORATE)),
    ("057zh3y00", None), ("https://ror.org/057zh3y00", None), ("5011001098993", None), ("AMED", None),
    ("501100001691", None),  # bare digits could be anything: a Funder ID needs its 10.13039/ prefix
    ("0000 0001 2151 536X", ("isni", "000000012151536X")), ("https://isni.org/isni/000000012151536X", ("isni", "000000012151536X")),
    ("isni 0000 0001 2151 5360", None),  # check character fails
    ("grid.26999.3d", ("grid", "grid.26999.3d")), ("F4320311405", ("openalex_funder", "F4320311405")),
    ("https://openalex.org/I74801974", ("openalex_institution", "I74801974")),
    ("https://openalex.org/funders/F4320311405", ("openalex_funder", "F4320311405")),
])
def test_parse_reference(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_reference(text) == expected


# ------------------------------------------------------------------ the curated list


def _data_with(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    (data / IDENTIFIERS_FILE).write_text(text, encoding="utf-8")
    return data


GOOD = f"""\
- entity: univ-tokyo
  ror: {ROR}
  source: https://example.org/ror-record
  quote: "test vector"
- entity: univ-tokyo
  wikidata: Q42
  source: https://example.org/wikidata-item
- entity: vc-jafco
  corporate_number: "{CORPORATE}"
  source: https://example.org/houjin-bangou
- entity: amed
  crossref_funder_id: "501100001691"
  source: https://example.org/funder-registry
- entity: amed
  crossref_funder_id: "100009619"
  preferred: true
  source: https://example.org/ror-record-2
- entity: amed
  isni: 0000 0001 2151 536X
  source: https://example.org/ror-record-2
- entity: amed
  openalex_funder: F4320311405
  source: https://example.org/openalex
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory):
    return compile_graph(_data_with(tmp_path_factory.mktemp("linked"), GOOD))


def test_identifiers_become_node_properties(linked) -> None:
    node = next(n for n in linked.graph.nodes if n.id == "univ-tokyo")
    assert node.properties["ror"] == ROR and node.properties["ror_source"] == "https://example.org/ror-record"
    assert node.properties["wikidata"] == "Q42"
    jafco = next(n for n in linked.graph.nodes if n.id == "vc-jafco")
    assert jafco.properties["corporate_number"] == CORPORATE


def test_identifiers_in_rdf_as_same_as_and_schema_identifier(linked) -> None:
    rdf = linked.rdf
    tokyo = next(s for s in rdf.subjects() if str(s).endswith("/univ-tokyo"))
    assert (tokyo, OWL.sameAs, URIRef(f"https://ror.org/{ROR}")) in rdf
    assert (tokyo, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q42")) in rdf
    ror = URIRef(f"{tokyo}#ror")
    assert (tokyo, SCHEMA_IDENTIFIER, ror) in rdf
    assert (ror, URIRef("https://schema.org/propertyID"), Literal("ROR")) in rdf
    assert (ror, URIRef("https://schema.org/value"), Literal(ROR)) in rdf
    assert (ror, PROV.wasDerivedFrom, URIRef("https://example.org/ror-record")) in rdf
    jafco = next(s for s in rdf.subjects() if str(s).endswith("/vc-jafco"))
    assert not list(rdf.objects(jafco, OWL.sameAs))  # a 法人番号 has no entity URI: schema:identifier only
    assert (URIRef(f"{jafco}#corporate_number"), URIRef("https://schema.org/value"), Literal(CORPORATE)) in rdf
    amed = next(s for s in rdf.subjects() if str(s).endswith("/amed"))
    # several Funder IDs: each a schema:identifier with its own source; owl:sameAs only the preferred one
    assert (amed, OWL.sameAs, URIRef("https://doi.org/10.13039/100009619")) in rdf
    assert (amed, OWL.sameAs, URIRef("https://doi.org/10.13039/501100001691")) not in rdf
    other = URIRef(f"{amed}#crossref_funder_id-501100001691")
    assert (amed, SCHEMA_IDENTIFIER, other) in rdf
    assert (other, PROV.wasDerivedFrom, URIRef("https://example.org/funder-registry")) in rdf
    assert (URIRef(f"{amed}#crossref_funder_id-100009619"), PROV.wasDerivedFrom,
            URIRef("https://example.org/ror-record-2")) in rdf
    assert (amed, OWL.sameAs, URIRef("https://isni.org/isni/000000012151536X")) in rdf
    assert (amed, OWL.sameAs, URIRef("https://openalex.org/F4320311405")) in rdf


def test_several_funder_ids_as_a_list_with_the_preferred_one(linked) -> None:
    amed = next(n for n in linked.graph.nodes if n.id == "amed").properties
    assert sorted(amed["crossref_funder_id"]) == ["100009619", "501100001691"]
    assert amed["crossref_funder_id_preferred"] == "100009619"
    assert sorted(amed["crossref_funder_id_source"]) == ["https://example.org/funder-registry",
                                                        "https://example.org/ror-record-2"]
    assert amed["isni"] == ["000000012151536X"] and amed["openalex_funder"] == "F4320311405"


def test_the_name_resolver_takes_identifiers(linked) -> None:
    g = to_networkx(linked.graph)
    for text in (f"https://ror.org/{ROR}", ROR, "Q42", "https://www.wikidata.org/wiki/Q42"):
        assert resolve_node(g, text) == "univ-tokyo"
    assert resolve_node(g, CORPORATE) == "vc-jafco" and resolve_node(g, "10.13039/501100001691") == "amed"
    for text in ("10.13039/100009619", "0000 0001 2151 536X", "F4320311405", "https://openalex.org/F4320311405"):
        assert resolve_node(g, text) == "amed", text
    assert find_nodes(g, "057zh3y00") == []  # a mistyped id names nothing


@pytest.mark.parametrize("entry, field, message", [
    ("- {entity: univ-tokyo, ror: 057zh3y00, source: 'https://example.org/x'}", "ror", "checksum 00 does not match"),
    ("- {entity: vc-jafco, corporate_number: '5011001098993', source: 'https://example.org/x'}", "corporate_number",
     "check digit 5 does not match"),
    (f"- {{entity: univ-tokyo, ror: {ROR}}}", "ror_source", "give the URL of the public page"),
    (f"- {{entity: univ-tokyo, ror: {ROR}, source: 'from memory'}}", "ror_source", "give the URL"),
    (f"- {{entity: univ-nowhere, ror: {ROR}, source: 'https://example.org/x'}}", "entity", "no entity has the id"),
    (f"- {{entity: prog-venture-ecosystem, ror: {ROR}, source: 'https://example.org/x'}}", "ror", "not an organisation"),
    (f"- {{entity: univ-tokyo, ror: {ROR}, wikidata: Q42, source: 'https://example.org/x'}}", None, "exactly one"),
    (f"- {{entity: univ-tokyo, ror: {ROR}, source: 'https://example.org/x'}}\n"
     f"- {{entity: univ-kyoto, ror: {ROR}, source: 'https://example.org/y'}}", "ror", "also given to univ-tokyo"),
    ("- {entity: univ-tokyo, orcid: '0000', source: 'https://example.org/x'}", "orcid", "unknown field"),
    ("- {entity: univ-tokyo, isni: '0000 0001 2151 5360', source: 'https://example.org/x'}", "isni",
     "check character 0 does not match"),
    (f"- {{entity: univ-tokyo, ror: {ROR}, source: 'https://example.org/x'}}\n"
     "- {entity: univ-tokyo, ror: 02kpeqv85, source: 'https://example.org/y'}", "ror", "already has a ROR id"),
    ("- {entity: amed, crossref_funder_id: '100009619', preferred: true, source: 'https://example.org/x'}\n"
     "- {entity: amed, crossref_funder_id: '501100001691', preferred: true, source: 'https://example.org/y'}",
     "crossref_funder_id", "another preferred"),
    (f"- {{entity: univ-tokyo, ror: {ROR}, preferred: true, source: 'https://example.org/x'}}", "preferred",
     "marks one of several"),
])
def test_bad_identifiers_are_refused_with_file_and_line(tmp_path: Path, entry: str, field: str | None,
                                                        message: str) -> None:
    data = _data_with(tmp_path, entry + "\n")
    with pytest.raises(DataError) as caught:
        compile_graph(data)
    problems = [p for p in caught.value.problems if message in p.message]
    assert problems, str(caught.value)
    assert problems[0].file.endswith("links/identifiers.yaml") and problems[0].line is not None
    assert problems[0].field == field


#: Organisations of these kinds for which no citable page with an identifier was found (docs/identifiers.md).
UNLINKED = {"cas", "univ-yamanashi"}


def test_organisations_are_the_classes_the_model_aligns_to_w3c_org() -> None:
    """Organisation ids (all but Wikidata) are allowed on the classes model.yaml aligns to org:Organization or its
    subclasses, and only there."""
    classes = load_model().classes.values()
    assert {c.name for c in classes if c.organisation} == {
        "Ministry", "GovernmentBody", "FundingAgency", "Organization", "University", "ResearchHub", "Council",
        "VentureCapital", "Startup"}
    assert {p for c in classes if not c.organisation for p in c.subclass_of if p.startswith("org:")} == {"org:Membership"}


def test_the_model_states_the_identifier_fields_the_scheme_table_implies() -> None:
    """soyaku.core.identifiers.SCHEMES is the one table of schemes; model.yaml's identifier fields are checked against
    it when the model loads, so the two cannot drift apart."""
    fields = load_model().classes["Ministry"].fields
    check_identifier_fields(fields)
    for drift, wrong in ((lambda f: f.pop("isni_preferred"), "isni_preferred"),
                         (lambda f: f.update(ror=replace(f["ror"], type="texts")), "'ror', 'texts'"),
                         (lambda f: f.pop("grid_source"), "grid_source")):
        drifted = dict(fields)
        drift(drifted)
        with pytest.raises(ValueError, match=wrong):
            check_identifier_fields(drifted)


def test_every_budget_value_the_model_allows_has_the_names_every_surface_shows() -> None:
    """Budget values are named once, in soyaku.core.japanese.BUDGET_TERMS; model.yaml's enums are checked against it
    when the model loads."""
    from soyaku.ontology.model import check_budget_terms

    classes = load_model().classes
    check_budget_terms(classes)
    line = classes["BudgetLine"]
    drifted = replace(line, fields={**line.fields, "basis": replace(line.fields["basis"], values=("business_scale",
                                                                                                  "per_capita"))})
    with pytest.raises(ValueError, match="basis=per_capita"):
        check_budget_terms({**classes, "BudgetLine": drifted})


def test_the_shipped_list_is_valid_sourced_and_links_every_ministry_agency_and_university() -> None:
    import yaml

    entries = yaml.safe_load((default_data_dir() / IDENTIFIERS_FILE).read_text(encoding="utf-8")) or []
    for entry in entries:  # compile_graph checks form and source; here: each names the page's words too
        assert entry["source"].startswith("https://") and entry.get("quote"), entry
        value = str(next(entry[k] for k in entry if k not in ("entity", "source", "quote", "note", "preferred")))
        assert value.replace(" ", "") in entry["quote"].replace(" ", ""), entry  # the id is in the quoted words
    graph = compile_graph(default_data_dir()).graph
    kinds = {n.id for n in graph.nodes if n.label in ("Ministry", "FundingAgency", "University")}
    linked = {n.id for n in graph.nodes if n.properties.get("ror")}
    assert kinds - linked == UNLINKED and not UNLINKED & linked
    g = to_networkx(graph)  # every recorded id finds its entity through the one resolver
    for entry in entries:
        field = next(k for k in entry if k not in ("entity", "source", "quote", "note", "preferred"))
        text = {"ror": "https://ror.org/{}", "crossref_funder_id": "10.13039/{}"}.get(field, "{}").format(entry[field])
        assert resolve_node(g, text) == entry["entity"], entry


@pytest.mark.engine
def test_find_accepts_identifiers_in_the_engine(tmp_path: Path) -> None:
    """`soyaku find` over a built graph: a ROR URL, a bare QID and a 法人番号 find their entities."""
    data = _data_with(tmp_path, GOOD)
    home = tmp_path / "home"
    built = CliRunner().invoke(cli, ["--home", str(home), "build", "--data", str(data)])
    assert built.exit_code == 0, built.output
    for text, expected in ((f"https://ror.org/{ROR}", "univ-tokyo"), ("Q42", "univ-tokyo"),
                           (CORPORATE, "vc-jafco"), ("doi:10.13039/501100001691", "amed"),
                           ("10.13039/100009619", "amed"), ("isni:000000012151536X", "amed"), ("F4320311405", "amed")):
        result = CliRunner().invoke(cli, ["--home", str(home), "find", text, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert f'"{expected}"' in result.output and "identifier" in result.output, result.output
