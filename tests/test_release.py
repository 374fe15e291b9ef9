"""`soyaku release`: a versioned bundle with every format, DCAT metadata whose checksums match the files, a CSV per
label, a changelog against the previous release, written whole or not at all."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from soyaku.cli.main import cli
from soyaku.loaders.curated import default_data_dir
from soyaku.app.release import LICENSE, ReleaseError, write_release

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # not rdflib's closed DCAT 2 namespace: dcat:version is DCAT 3
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(cli, ["release", *args])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first release of the shipped data."""
    releases = tmp_path_factory.mktemp("releases")
    result = run("-o", str(releases), "--version", "0.1.0", "--issued", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "wrote release 0.1.0" in result.output and "no previous release" in result.output
    return releases / "0.1.0"


def test_bundle_has_every_format(first: Path, compiled) -> None:
    for name in ("soyaku.ttl", "soyaku.jsonld", "soyaku.graphml", "soyaku.cypher", "neo4j-csv/import.sh",
                 "graph.json", "dcat.ttl", "CHANGELOG.md", "release.json", "SHA256SUMS"):
        assert (first / name).is_file() and (first / name).stat().st_size > 0, name
    assert len(Graph().parse(first / "soyaku.ttl")) == len(compiled.rdf)
    counts = compiled.graph.counts()
    for label, count in counts["nodes"].items():  # one CSV per label, one row per node
        with (first / "csv" / "nodes" / f"{label}.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == count and rows[0]["id"]
    for rel_type, count in counts["relationships"].items():
        with (first / "csv" / "relationships" / f"{rel_type}.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == count and {"id", "source", "target"} <= set(rows[0])
    with (first / "csv" / "nodes" / "VentureCapital.csv").open(encoding="utf-8") as handle:
        jafco = next(r for r in csv.DictReader(handle) if r["id"] == "vc-jafco")
    assert jafco["name"] == "ジャフコグループ" and "ジャフコ" in json.loads(jafco["aliases"])
    assert not list(first.parent.glob(".*"))  # no temporary directory left


def test_dcat_metadata_and_checksums(first: Path, compiled) -> None:
    meta = json.loads((first / "release.json").read_text(encoding="utf-8"))
    g = Graph().parse(first / "dcat.ttl")
    dataset = g.value(predicate=RDF.type, object=DCAT.Dataset)
    assert {str(t) for t in g.objects(dataset, DCTERMS.title)} >= {meta["title"]}
    assert g.value(dataset, DCTERMS.license) == URIRef(LICENSE)
    assert g.value(dataset, DCAT.version) == Literal("0.1.0")
    assert str(g.value(dataset, DCTERMS.issued)) == "2026-11-01" == meta["issued"]
    documents = [r for r in compiled.curated.records if r.cls.name == "Document"]
    titles = {str(g.value(s, DCTERMS.title)) for s in g.objects(dataset, DCTERMS.source)}
    assert titles == {r.values["title"] for r in documents} and len(meta["sources"]) == len(documents)
    checked = 0
    for dist in g.objects(dataset, DCAT.distribution):
        name = str(g.value(dist, DCTERMS.title))
        checksum = g.value(dist, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(checksum, SPDX.checksumValue)) == sha256(first / name) == meta["files"][name]["sha256"]
        assert int(g.value(dist, DCAT.byteSize)) == (first / name).stat().st_size
        checked += 1
    assert checked == len(meta["files"]) > 90  # every file but dcat.ttl, release.json, SHA256SUMS themselves
    sums = dict(reversed(line.split("  ", 1)) for line in (first / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == set(meta["files"]) | {"dcat.ttl", "release.json"}
    assert all(sha256(first / name) == digest for name, digest in sums.items())


def test_licence_is_the_projects() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert LICENSE == f"https://spdx.org/licenses/{declared}.html"


def _older_data(tmp_path: Path) -> Path:
    """The shipped data as it might have been before: one outcome less, one note on another outcome, another
    English name for Kyoto University."""
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    outcomes = data / "000" / "facts" / "outcomes.yaml"
    text = outcomes.read_text(encoding="utf-8")
    first_record = re.search(r"- organization: amed\n(?:  .*\n)+\n", text).group(0)
    assert "7390" in first_record
    text = text.replace(first_record, "", 1)
    text = text.replace("  indicator_en: Non-clinical proofs of concept obtained\n",
                        "  indicator_en: Non-clinical proofs of concept obtained\n  note: an older note\n", 1)
    outcomes.write_text(text, encoding="utf-8")
    counts = data / "record_counts.yaml"  # the older data had one outcome less
    counts.write_text(re.sub(r"(?m)^Outcome: (\d+)$", lambda m: f"Outcome: {int(m.group(1)) - 1}",
                             counts.read_text(encoding="utf-8")), encoding="utf-8")
    universities = data / "002" / "entities" / "universities.yaml"
    universities.write_text(universities.read_text(encoding="utf-8").replace(
        "name_en: Kyoto University\n", "name_en: Kyoto Univ.\n", 1), encoding="utf-8")
    return data


def test_changelog_against_the_previous_release(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    old = run("-o", str(releases), "--version", "2026.10.1", "--data", str(_older_data(tmp_path)))
    assert old.exit_code == 0, old.output
    new = run("-o", str(releases), "--version", "2026.11.1")  # compares with the newest release there
    assert new.exit_code == 0, new.output
    assert "changes since 2026.10.1: nodes +1 -0 ~2" in new.output
    meta = json.loads((releases / "2026.11.1" / "release.json").read_text(encoding="utf-8"))
    changes = meta["changes"]
    assert meta["previous"] == "2026.10.1"
    [added_outcome] = changes["added"]["nodes"]
    assert added_outcome.startswith("outcome-") and changes["added"]["facts"] == [added_outcome]
    assert changes["removed"] == {"nodes": [], "relationships": [], "facts": []}
    assert changes["changed"]["nodes"]["univ-kyoto"] == ["properties.name_en", "properties.search_keys"]
    [noted] = [i for i, keys in changes["changed"]["facts"].items() if keys == ["values.note"]]
    assert changes["changed"]["nodes"][noted] == ["properties.note"]
    assert changes["summary"]["relationships"]["added"] >= 1  # the new outcome's REPORTED (and MENTIONS)
    log = (releases / "2026.11.1" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Compared with release 2026.10.1." in log and "| nodes | 1 | 0 | 2 |" in log
    assert f"`{added_outcome}` Outcome" in log and "`univ-kyoto` University 京都大学: properties.name_en, properties.search_keys" in log
    # the order is by version number, not by name: 2026.11.1 is newer than 2026.9.30
    third = run("-o", str(releases), "--version", "2026.9.30", "--previous", str(releases / "2026.10.1"))
    assert third.exit_code == 0 and "changes since 2026.10.1" in third.output
    from soyaku.app.release import latest_release
    assert latest_release(releases) == releases / "2026.11.1"


def test_a_release_is_never_overwritten(first: Path) -> None:
    before = sha256(first / "release.json")
    result = run("-o", str(first.parent), "--version", "0.1.0")
    assert result.exit_code != 0 and "release 0.1.0 already exists" in result.output
    assert sha256(first / "release.json") == before


@pytest.mark.parametrize("version", ["../escape", "a b", ""])
def test_bad_versions_are_refused(tmp_path: Path, version: str) -> None:
    result = run("-o", str(tmp_path), "--version", version) if version else None
    if result is None:
        with pytest.raises(ReleaseError, match="use letters, digits"):
            write_release(None, tmp_path, ".hidden")
        return
    assert result.exit_code != 0 and "use letters, digits" in result.output
    assert not list(tmp_path.iterdir())


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "releases"
    target.write_text("keep me", encoding="utf-8")
    result = run("-o", str(target))
    assert result.exit_code != 0 and "is a file" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"


def _broken(compiled, path: Path) -> None:
    """A writer that fails half-way, as a full disk would."""
    path.write_text("half", encoding="utf-8")
    raise OSError(28, "No space left on device")


def test_a_failed_release_leaves_nothing(tmp_path: Path, compiled, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from soyaku.loaders import writers

    monkeypatch.setitem(writers.WRITERS, "graphml", replace(writers.WRITERS["graphml"], function=f"{__name__}:_broken"))
    with pytest.raises(OSError):
        write_release(compiled, tmp_path, "1.0.0", issued=date(2026, 11, 1))
    assert list(tmp_path.iterdir()) == []  # neither 1.0.0 nor a partial directory


def test_label_csvs_name_each_column_once(compiled, tmp_path):
    from soyaku.loaders.writers.label_csv import write_label_csvs

    tmp_path = tmp_path / "csv"
    write_label_csvs(compiled, tmp_path)
    for path in [*(tmp_path / "nodes").glob("*.csv"), *(tmp_path / "relationships").glob("*.csv")]:
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert len(header) == len(set(header)) and header[0] == "id", (path.name, header)
    assert (tmp_path / "nodes" / "University.csv").read_text(encoding="utf-8").startswith("id,aliases,")


def test_dcat_and_void_name_the_sparql_endpoint_and_example_queries(first: Path) -> None:
    from soyaku.queries.sparql import named_sparql_queries

    g = Graph().parse(first / "dcat.ttl")
    void, sh = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/shacl#"
    dataset = g.value(predicate=RDF.type, object=DCAT.Dataset)
    endpoint = g.value(dataset, URIRef(void + "sparqlEndpoint"))
    assert endpoint is not None and str(endpoint).endswith("/sparql")
    service = g.value(predicate=DCAT.servesDataset, object=dataset)
    assert g.value(service, DCAT.endpointURL) == endpoint
    examples = {str(g.value(e, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
                for e in g.subjects(RDF.type, URIRef(sh + "SPARQLSelectExecutable"))}
    assert examples == set(named_sparql_queries())
    assert all("SELECT" in str(q) for q in g.objects(None, URIRef(sh + "select")))
