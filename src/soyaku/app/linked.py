"""Linked data: the RDF of one entity (its triples, the labels of what they point to, its sources), under a base
IRI of the reader's choosing.

The triples come from the Turtle that `soyaku build` writes (home/build/soyaku.ttl), read once per process.
"""

from __future__ import annotations

import threading
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from soyaku.app.entities import NotFound
from soyaku.core.errors import QueryError
from soyaku.ontology.model import load_model

__all__ = ["DEFAULT_BASE", "LinkedData", "check_base_url", "rebase"]

#: The namespace of entity IRIs in the shipped RDF (the ontology's `ids`) is DEFAULT_BASE + "/id/".
DEFAULT_BASE = "https://w3id.org/soyaku-kg"
FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}


def check_base_url(base: str) -> str:
    """`base` without a trailing slash; a QueryError unless it is an http(s) URL without query or fragment."""
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise QueryError(f"--base-url {base!r} is not an http(s) URL such as https://kg.example.org")
    return base.rstrip("/")


def rebase(graph: Graph, base: str) -> Graph:
    """A copy of `graph` whose entity IRIs start with `base`/id/ instead of the default namespace."""
    old, new = str(load_model().ids), f"{check_base_url(base)}/id/"
    if old == new:
        return graph

    def move(term):  # type: ignore[no-untyped-def]
        return URIRef(new + term[len(old):]) if isinstance(term, URIRef) and term.startswith(old) else term

    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, URIRef(new) if str(namespace) == old else namespace, replace=True)
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    return out


class LinkedData:
    """The built RDF of a home, served under `base` (default: the shipped namespace)."""

    def __init__(self, home: Path, base: str = DEFAULT_BASE):
        self.path = Path(home) / "build" / "soyaku.ttl"
        self.base = check_base_url(base)
        self._graph: Graph | None = None
        self._lock = threading.Lock()

    def iri(self, entity_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/{entity_id}")

    def graph(self) -> Graph:
        with self._lock:
            if self._graph is None:
                if not self.path.is_file():
                    raise QueryError(f"no RDF at {self.path}: run `soyaku build` to write it")
                self._graph = rebase(Graph().parse(self.path, format="turtle"), self.base)
            return self._graph

    def entity(self, entity_id: str) -> Graph:
        """The triples about `entity_id`, its sources (derivations, quotes, lines), the facts naming it, and the
        labels of every entity they mention; NotFound when the RDF has no such entity."""
        full, iri = self.graph(), self.iri(entity_id)
        if (iri, RDF.type, None) not in full:
            raise NotFound(f"no entity has the id {entity_id!r}")
        out = Graph()
        for prefix, namespace in full.namespaces():
            out.bind(prefix, namespace)
        for s, p, o in full.triples((iri, None, None)):
            out.add((s, p, o))
            if isinstance(o, URIRef) and str(o).startswith(str(iri) + "#"):
                for triple in full.triples((o, None, None)):
                    out.add(triple)
        for fact in set(full.subjects(None, iri)):  # the facts naming it (an adoption, a support): whole
            for triple in full.triples((fact, None, None)):
                out.add(triple)
        for term in {t for triple in out for t in (triple[0], triple[2]) if isinstance(t, URIRef)}:
            for predicate in (RDFS.label, SKOS.prefLabel):
                for label in full.objects(term, predicate):
                    if isinstance(label, Literal):
                        out.add((term, predicate, label))
        return out

    def serialize(self, entity_id: str, media_type: str) -> str:
        return self.entity(entity_id).serialize(format=FORMATS[media_type])
