"""Versioned dataset releases: one directory per version with every export format, DCAT metadata, checksums and a
changelog against the previous release.

    <releases>/<version>/
        soyaku.ttl  soyaku.jsonld       RDF (the checked graph, as `soyaku export`)
        soyaku.graphml  soyaku.cypher   property graph for networkx/Gephi/yEd and for cypher-shell
        neo4j-csv/                      neo4j-admin import files and import.sh
        csv/nodes/<Label>.csv           one CSV per node label: id and every property (lists and maps as JSON)
        csv/relationships/<TYPE>.csv    one CSV per relationship type: id, source, target and every property
        graph.json                      nodes, relationships and fact records as plain JSON: what the changelog compares
        dcat.ttl                        DCAT: title, licence, version, issued, sources, every file with its checksum
        CHANGELOG.md  release.json      the changes against the previous release; version, counts, files, changes
        SHA256SUMS                      for `sha256sum -c SHA256SUMS`

The bundle is written into a temporary directory beside its final place and renamed into place when complete, so a
reader sees a whole release or none. A release is never overwritten: a new version needs a new number.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku import __version__
from soyaku.core.errors import SoyakuError

if TYPE_CHECKING:
    from soyaku.loaders.writers import Writer

__all__ = ["LICENSE", "ReleaseError", "Changes", "changes_between", "latest_release", "release", "write_release"]

TITLE = "Soyaku KG: Japan's drug-discovery ecosystem (who funds whom)"
TITLE_JA = "創薬KG：日本の創薬エコシステム（誰が誰に資金を出しているか）"
DESCRIPTION = ("Ministries, AMED, programs and budget lines by fiscal year, the AMED venture fund, certified VCs and "
               "the startups adopted in rounds 1-8, universities and research hubs, each fact with the document and "
               "the quote it comes from.")
#: The project's licence (pyproject.toml: license = "MIT"; a test keeps the two together). The quoted source
#: documents are Japanese government publications under their own terms: each is named as a dct:source.
LICENSE = "https://spdx.org/licenses/MIT.html"
RIGHTS = ("Soyaku KG's curation (structure, identifiers, English names marked as ours) is under the MIT licence. "
          "Quotes and figures come from the Japanese government documents listed as sources, under their terms.")
HOMEPAGE = "https://w3id.org/soyaku-kg/"
#: Media types of the files no writer makes (graph.json, the changelog, neo4j-csv's import.sh and README.md).
OTHER_MEDIA_TYPES = {".json": "application/json", ".md": "text/markdown", ".sh": "text/x-shellscript"}
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")


class ReleaseError(SoyakuError):
    """A release cannot be written (bad version, existing release, unreadable previous release)."""


@dataclass(frozen=True)
class Changes:
    """What changed between two releases, per kind (nodes, relationships, facts): ids added, removed, changed."""

    previous: str | None
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    changed: dict[str, dict[str, list[str]]]  # kind → id → names of the properties that differ

    def summary(self) -> dict[str, dict[str, int]]:
        return {kind: {"added": len(self.added[kind]), "removed": len(self.removed[kind]),
                       "changed": len(self.changed[kind])} for kind in self.added}


# ------------------------------------------------------------------ the release's plain JSON and its comparison


def graph_json(compiled: Any) -> dict[str, dict[str, Any]]:
    """Nodes, relationships and curated fact records as JSON-ready dicts keyed by their stable ids."""
    def plain(value: Any) -> Any:
        return json.loads(json.dumps(value, ensure_ascii=False, default=str))

    nodes = {n.id: {"label": n.label, "properties": plain(n.properties)} for n in compiled.graph.nodes}
    rels = {e.id: {"type": e.type, "source": e.source, "target": e.target, "properties": plain(e.properties)}
            for e in compiled.graph.edges}
    facts = {r.id: {"class": r.cls.name, "values": plain(r.values),
                    "sources": plain([asdict(s) for s in r.sources])}
             for r in compiled.curated.records if r.cls.fact and r.cls.name != "Document"}
    return {"nodes": nodes, "relationships": rels, "facts": facts}


def _differing(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the top-level keys (and of `properties`/`values` entries) whose values differ."""
    names = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if key in ("properties", "values") and isinstance(a, dict) and isinstance(b, dict):
            names += [f"{key}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        elif a != b:
            names.append(key)
    return names


def changes_between(previous: dict[str, dict[str, Any]] | None, current: dict[str, dict[str, Any]],
                    previous_version: str | None = None) -> Changes:
    """Compare two `graph_json` results (no previous release: everything is added)."""
    previous = previous or {kind: {} for kind in current}
    added, removed, changed = {}, {}, {}
    for kind in current:
        old, new = previous.get(kind, {}), current[kind]
        added[kind] = sorted(set(new) - set(old))
        removed[kind] = sorted(set(old) - set(new))
        changed[kind] = {i: _differing(old[i], new[i]) for i in sorted(set(old) & set(new)) if old[i] != new[i]}
    return Changes(previous_version, added, removed, changed)


def _changelog(version: str, issued: str, changes: Changes, current: dict[str, dict[str, Any]], limit: int = 200) -> str:
    lines = [f"# Soyaku KG {version} ({issued})", ""]
    lines.append(f"Compared with release {changes.previous}." if changes.previous
                 else "The first release: everything is new.")
    lines += ["", "| | added | removed | changed |", "|---|---:|---:|---:|"]
    for kind, counts in changes.summary().items():
        lines.append(f"| {kind} | {counts['added']} | {counts['removed']} | {counts['changed']} |")

    def name(kind: str, item_id: str) -> str:
        item = current[kind].get(item_id) or {}
        props = item.get("properties") or item.get("values") or {}
        label = item.get("label") or item.get("type") or item.get("class") or ""
        shown = props.get("name") or props.get("title")
        return f"`{item_id}` {label}" + (f" {shown}" if shown else "")

    for kind in current:
        if not changes.previous:
            break
        for title, ids in (("added", changes.added[kind]), ("removed", changes.removed[kind])):
            if ids:
                lines += ["", f"## {kind.capitalize()} {title} ({len(ids)})", ""]
                lines += [f"- {name(kind, i) if title == 'added' else f'`{i}`'}" for i in ids[:limit]]
                lines += [f"- … and {len(ids) - limit} more (release.json lists all)"] if len(ids) > limit else []
        if changes.changed[kind]:
            items = list(changes.changed[kind].items())
            lines += ["", f"## {kind.capitalize()} changed ({len(items)})", ""]
            lines += [f"- {name(kind, i)}: {', '.join(keys)}" for i, keys in items[:limit]]
            lines += [f"- … and {len(items) - limit} more (release.json lists all)"] if len(items) > limit else []
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ DCAT


def _media_types(writers: Iterable[Writer]) -> dict[str, str]:
    """Suffix → media type: the writers' data files, and the files no writer makes."""
    return {**OTHER_MEDIA_TYPES, **{w.suffix: w.media_type for w in writers}}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dcat(version: str, issued: str, files: dict[str, dict[str, Any]], sources: list[dict[str, Any]],
          counts: dict[str, Any]) -> str:
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, XSD

    spdx = Namespace("http://spdx.org/rdf/terms#")
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("spdx", spdx), ("owl", OWL)):
        g.bind(prefix, ns)
    dataset = URIRef(f"{HOMEPAGE}release/{version}")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((dataset, DCTERMS.title, Literal(TITLE_JA, lang="ja")))
    g.add((dataset, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((dataset, DCTERMS.license, URIRef(LICENSE)))
    g.add((dataset, DCTERMS.rights, Literal(RIGHTS, lang="en")))
    g.add((dataset, URIRef(f"{DCAT}version"), Literal(version)))  # DCAT 3 (rdflib's DCAT is DCAT 2)
    g.add((dataset, OWL.versionInfo, Literal(version)))
    g.add((dataset, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((dataset, DCAT.landingPage, URIRef(HOMEPAGE)))
    g.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/soyaku-kg/ontology")))
    g.add((dataset, RDFS.comment, Literal(
        f"{counts['nodes']} nodes, {counts['relationships']} relationships, {counts['facts']} fact records, "
        f"{counts['triples']} triples; built with soyaku-kg {__version__}", lang="en")))
    for src in sources:
        doc = URIRef(src["url"]) if src.get("url") else BNode()
        g.add((dataset, DCTERMS.source, doc))
        g.add((doc, RDF.type, DCTERMS.BibliographicResource))
        g.add((doc, DCTERMS.title, Literal(src["title"], lang="ja")))
        g.add((doc, DCTERMS.identifier, Literal(src["file"])))
    for rel, info in sorted(files.items()):
        dist = URIRef(f"{HOMEPAGE}release/{version}/{rel}")
        checksum = BNode()
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(rel)))
        g.add((dist, DCAT.downloadURL, URIRef(rel)))  # relative: resolved against where the bundle is published
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{info['media_type']}")))
        g.add((dist, DCAT.byteSize, Literal(info["bytes"], datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, URIRef(LICENSE)))
        g.add((dist, spdx.checksum, checksum))
        g.add((checksum, RDF.type, spdx.Checksum))
        g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
        g.add((checksum, spdx.checksumValue, Literal(info["sha256"], datatype=XSD.hexBinary)))
    _sparql_service(g, dataset)
    return g.serialize(format="turtle")


def _sparql_service(g: Any, dataset: Any) -> None:
    """The SPARQL endpoint (DCAT DataService, VoID) and the named SPARQL queries as SHACL executables (the form
    of SPARQL example collections), so a reader of the metadata knows where and how to ask."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

    from soyaku.queries.sparql import named_sparql_queries

    void, sh, schema = (Namespace("http://rdfs.org/ns/void#"), Namespace("http://www.w3.org/ns/shacl#"),
                        Namespace("https://schema.org/"))
    for prefix, ns in (("void", void), ("sh", sh), ("schema", schema)):
        g.bind(prefix, ns)
    endpoint = URIRef("sparql")  # relative, like the downloads: the /sparql path of the web explorer serving it
    service = URIRef(f"{dataset}#sparql")
    g.add((dataset, RDF.type, void.Dataset))
    g.add((dataset, void.sparqlEndpoint, endpoint))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, RDFS.comment, Literal(
        "SPARQL 1.1 Protocol endpoint (GET/POST; SPARQL JSON, CSV, TSV; Turtle, JSON-LD), read-only, at /sparql of "
        "the Soyaku KG web explorer serving this release; offline: `soyaku sparql`.", lang="en")))
    for name, named in named_sparql_queries().items():
        example = URIRef(f"{dataset}#query-{name}")
        g.add((service, schema.hasPart, example))
        g.add((example, RDF.type, sh.SPARQLSelectExecutable))
        g.add((example, RDFS.label, Literal(name)))
        g.add((example, RDFS.comment, Literal(named.query.question, lang="en")))
        g.add((example, RDFS.comment, Literal(named.query.question_ja, lang="ja")))
        g.add((example, sh.select, Literal(named.query.text)))
        g.add((example, schema.target, endpoint))


# ------------------------------------------------------------------ the bundle


def _version_key(name: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.+_-]", name))


def latest_release(releases: Path) -> Path | None:
    """The newest complete release under `releases` (a directory with release.json), by version number."""
    if not releases.is_dir():
        return None
    found = [p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "release.json").is_file()]
    return max(found, key=lambda p: _version_key(p.name)) if found else None


def _read_previous(previous: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    try:
        meta = json.loads((previous / "release.json").read_text(encoding="utf-8"))
        data = json.loads((previous / "graph.json").read_text(encoding="utf-8"))
        return str(meta["version"]), data
    except (OSError, ValueError, KeyError) as exc:
        raise ReleaseError(f"cannot read the previous release {previous}: {exc}; give another with --previous, "
                           f"or --no-previous for a first release") from None


def release(releases: Path, version: str | None = None, *, issued: date | None = None, previous: Path | None = None,
            compare: bool = True, data_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Check the arguments, then the curated facts (and the RDF against every shape: what is published is checked
    twice), and write a release (see `write_release`)."""
    from soyaku.loaders.pipeline import check_every_shape, compile_graph

    _target(releases, version, (issued or date.today()).isoformat())
    _previous(releases, previous, compare)
    compiled = compile_graph(data_dir)
    check_every_shape(compiled)
    return write_release(compiled, releases, version, issued=issued, previous=previous, compare=compare)


def _target(releases: Path, version: str | None, issued_text: str) -> tuple[Path, str]:
    """Where release `version` (default: the issue date) goes, refused if it cannot or must not be written."""
    version = version or issued_text.replace("-", ".")
    if not _VERSION.match(version):
        raise ReleaseError(f"version {version!r}: use letters, digits and . + _ - only (e.g. 2026.11.29 or 0.2.0)")
    if releases.exists() and not releases.is_dir():
        raise ReleaseError(f"{releases} is a file: -o takes the directory that holds the releases")
    target = releases / version
    if target.exists():
        raise ReleaseError(f"release {version} already exists at {target}: releases are never overwritten; "
                           f"give a new --version")
    return target, version


def _previous(releases: Path, previous: Path | None, compare: bool) -> tuple[str | None, dict[str, Any] | None]:
    """The version and graph.json of the release to compare with (`previous`, else the newest in `releases`)."""
    if not compare:
        return None, None
    previous = previous or latest_release(releases)
    return _read_previous(previous) if previous else (None, None)


def write_release(compiled: Any, releases: Path, version: str | None = None, *, issued: date | None = None,
                  previous: Path | None = None, compare: bool = True) -> tuple[Path, dict[str, Any]]:
    """Write release `version` (default: the issue date, 2026.11.29) of `compiled` to `releases/<version>`.

    The changelog compares with `previous`, else with the newest release already in `releases` (unless
    `compare` is false). Returns the release directory and its release.json content.
    """
    from soyaku.loaders.writers import WRITERS

    issued_text = (issued or date.today()).isoformat()
    target, version = _target(releases, version, issued_text)
    prev_version, prev_data = _previous(releases, previous, compare)

    current = graph_json(compiled)
    changes = changes_between(prev_data, current, prev_version)
    counts = {"nodes": len(current["nodes"]), "relationships": len(current["relationships"]),
              "facts": len(current["facts"]), "triples": len(compiled.rdf)}
    sources = [{"file": r.values.get("file"), "title": r.values.get("title"), "url": r.values.get("url"), "id": r.id}
               for r in compiled.curated.records if r.cls.name == "Document"]

    releases.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=releases, prefix=f".{version}.partial-"))
    try:
        os.chmod(work, 0o755)
        for writer in WRITERS.values():
            writer.write(compiled, work / writer.file_name)
        (work / "graph.json").write_text(json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                         encoding="utf-8")
        (work / "CHANGELOG.md").write_text(_changelog(version, issued_text, changes, current), encoding="utf-8")
        types = _media_types(WRITERS.values())
        files = {
            str(p.relative_to(work)): {"sha256": _sha256(p), "bytes": p.stat().st_size,
                                       "media_type": types.get(p.suffix, "application/octet-stream")}
            for p in sorted(work.rglob("*")) if p.is_file()
        }
        meta = {
            "name": "soyaku-kg", "title": TITLE, "version": version, "issued": issued_text, "license": LICENSE,
            "soyaku_version": __version__, "previous": prev_version, "counts": counts,
            "changes": {"summary": changes.summary(), "added": changes.added, "removed": changes.removed,
                        "changed": changes.changed},
            "sources": sources, "files": files,
        }
        (work / "dcat.ttl").write_text(_dcat(version, issued_text, files, sources, counts), encoding="utf-8")
        (work / "release.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        sums = {**{k: v["sha256"] for k, v in files.items()},
                **{n: _sha256(work / n) for n in ("dcat.ttl", "release.json")}}
        (work / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())), encoding="utf-8")
        for path in work.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.rename(work, target)  # fails if another writer created the version meanwhile: nothing is replaced
    except FileExistsError:
        shutil.rmtree(work, ignore_errors=True)
        raise ReleaseError(f"release {version} appeared at {target} while writing; nothing was replaced") from None
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        if exc.errno in (39, 66):  # ENOTEMPTY (Linux, macOS): the target appeared meanwhile
            raise ReleaseError(f"release {version} appeared at {target} while writing; nothing was replaced") from None
        raise
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target, meta
