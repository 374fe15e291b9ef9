"""The validated RDF graph → property-graph nodes and relationships, following ontology/model.yaml.

`Node` and `Edge` are the one hand-off type between RDF and every writer (engine, Neo4j, CSV, Cypher, GraphML).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from soyaku.core.japanese import match_key
from soyaku.ontology.model import (AMOUNT_SUFFIX, ClassSpec, FieldSpec, Model, basis_field, camel, load_model,
                                   relationship_type)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Node", "Edge", "PropertyGraph", "to_networkx", "to_property_graph"]

SCHEMA_NAME = URIRef("https://schema.org/name")


@dataclass(frozen=True)
class Node:
    """A property-graph node: stable id, one label, and plain-Python properties."""

    id: str
    label: str
    properties: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Edge:
    """A property-graph relationship between two node ids; `id` makes loading idempotent."""

    id: str
    type: str
    source: str
    target: str
    properties: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class PropertyGraph:
    """All nodes and relationships, in a stable order."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type."""
        labels: dict[str, int] = {}
        types: dict[str, int] = {}
        for node in self.nodes:
            labels[node.label] = labels.get(node.label, 0) + 1
        for edge in self.edges:
            types[edge.type] = types.get(edge.type, 0) + 1
        return {"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))}


#: Attributes `to_networkx` sets itself; a property of the same name would be lost.
NODE_ATTRIBUTES = ("label",)
EDGE_ATTRIBUTES = ("type", "edge_id")


def to_networkx(graph: PropertyGraph) -> nx.MultiDiGraph:
    """Every node and relationship of `graph` as a networkx MultiDiGraph keyed by node id and edge id: nodes carry
    every property plus `label` and `id`, edges every property plus `type` and `edge_id` (values as they are)."""
    import networkx as nx

    g = nx.MultiDiGraph(name="Soyaku KG")
    for node in graph.nodes:
        _refuse_reserved(node.properties, NODE_ATTRIBUTES, f"node {node.id}")
        g.add_node(node.id, **{**node.properties, "label": node.label, "id": node.id})
    for edge in graph.edges:
        _refuse_reserved(edge.properties, EDGE_ATTRIBUTES, f"relationship {edge.id}")
        g.add_edge(edge.source, edge.target, key=edge.id, **{**edge.properties, "type": edge.type, "edge_id": edge.id})
    return g


def _refuse_reserved(properties: dict[str, Any], reserved: tuple[str, ...], what: str) -> None:
    clash = [k for k in reserved if k in properties]
    if clash:
        raise ValueError(f"{what} has a property named {clash[0]!r}, which the graph's own attribute of that name "
                         "would hide; rename it in the model")


class _Reader:
    """Reads typed values of one subject back out of the RDF graph."""

    def __init__(self, graph: Graph, model: Model):
        self.graph = graph
        self.model = model
        self._documents: dict[URIRef, str] = {}

    def local_id(self, iri: URIRef) -> str:
        return str(iri)[len(str(self.model.ids)):]

    def one(self, subject: URIRef, predicate: URIRef) -> Any:
        value = self.graph.value(subject, predicate)
        return None if value is None else self.python(value)

    def python(self, value: Any) -> Any:
        return self.local_id(value) if isinstance(value, URIRef) else value.toPython() if isinstance(value, Literal) else value

    def many(self, subject: URIRef, predicate: URIRef) -> list[Any]:
        return sorted(self.python(v) for v in self.graph.objects(subject, predicate))

    def field(self, subject: URIRef, spec: FieldSpec) -> dict[str, Any]:
        """The property-graph properties of one field (absent values are left out)."""
        sy = self.model.sy
        if spec.type in ("texts", "refs"):
            values = self.many(subject, spec.predicate)
            return {spec.name: values} if values or spec.type == "texts" else {}
        if spec.type in AMOUNT_SUFFIX:
            base, suffix = camel(spec.name), AMOUNT_SUFFIX[spec.type]
            amount = self.one(subject, sy[base + suffix.capitalize()])
            if amount is None:
                return {}
            return {f"{spec.name}_{suffix}": amount, f"{spec.name}_text": self.one(subject, sy[base + "Text"]),
                    f"{spec.name}_approximate": self.one(subject, sy[base + "Approximate"])}
        value = self.one(subject, spec.predicate)
        if value is None:
            return {}
        if spec.type in ("date", "fiscal_year"):
            return {spec.name: value, f"{spec.name}_text": self.one(subject, sy[camel(spec.name) + "Text"])}
        return {spec.name: value}

    def derivations(self, subject: URIRef) -> list[URIRef]:
        """The subject's qualified derivations (one per source), in the curated order."""
        return sorted(self.graph.objects(subject, PROV.qualifiedDerivation), key=lambda d: int(str(d).rsplit("-", 1)[1]))

    def sources(self, subject: URIRef, derivations: list[URIRef] | None = None) -> dict[str, list[str]]:
        """`sources` (seed locators), `quotes` and `documents` (title, publisher, date) of the given
        derivations (default: all of the subject's), in the same order."""
        chosen = self.derivations(subject) if derivations is None else derivations
        return {"sources": [str(self.graph.value(d, self.model.sy.locator)) for d in chosen],
                "quotes": [str(self.graph.value(d, self.model.sy.quote)) for d in chosen],
                "documents": [self.document(self.graph.value(d, PROV.entity)) for d in chosen]}

    def document(self, doc: URIRef) -> str:
        """How a reader finds a source document: its title, publisher and date (`title (publisher, 2026-01-21)`)."""
        if doc not in self._documents:
            fields = self.model.classes["Document"].fields
            title = self.one(doc, fields["title"].predicate)
            publisher = self.graph.value(doc, fields["publisher"].predicate)
            date = self.one(doc, fields["date"].predicate)
            about = [self.publisher_label(publisher) if publisher is not None else None,
                     date.isoformat() if date else "undated"]
            self._documents[doc] = f"{title} ({', '.join(a for a in about if a)})"
        return self._documents[doc]

    def publisher_label(self, publisher: URIRef) -> str:
        """A publisher as readers place it: its ministry beside a division (`経済産業省 生物化学産業課`)."""
        name = str(self.one(publisher, SCHEMA_NAME))
        unit_of = self.model.classes["GovernmentBody"].fields["part_of"].predicate
        ministry, seen = publisher, {publisher}
        while (ministry, RDF.type, self.model.class_iri("Ministry")) not in self.graph:
            ministry = self.graph.value(ministry, unit_of)
            if ministry is None or ministry in seen:
                return name
            seen.add(ministry)
        return name if ministry == publisher else f"{self.one(ministry, SCHEMA_NAME)} {name}"

    def sources_naming(self, subject: URIRef, target: str, document: URIRef | None = None) -> dict[str, list[str]]:
        """The subject's sources that state a relationship to `target`: those whose quote names it (within
        `document` if given). A record whose quotes never name it (a page that describes a program without
        printing its name) keeps all its sources (of that document), so no relationship is left unsourced."""
        pool = [d for d in self.derivations(subject) if document is None or self.graph.value(d, PROV.entity) == document]
        naming = [d for d in pool if (d, self.model.sy.names, self.model.ids[target]) in self.graph]
        return self.sources(subject, naming or pool)


def to_property_graph(graph: Graph, model: Model | None = None) -> PropertyGraph:
    """Map every node class to nodes, reference fields and facts to relationships, documents to MENTIONS."""
    model = model or load_model()
    reader = _Reader(graph, model)
    nodes: list[Node] = []
    edges: list[Edge] = []
    for cls in model.classes.values():
        for subject in sorted(graph.subjects(RDF.type, model.class_iri(cls.name))):
            rid = reader.local_id(subject)
            sources = reader.sources(subject)
            own: dict[str, Any] = {}
            for spec in cls.fields.values():
                if not (spec.is_ref and spec.edge_type) and (not spec.is_ref or cls.node):
                    own.update(reader.field(subject, spec))
            for spec in cls.fields.values():
                if spec.is_ref and spec.edge_type:
                    basis = _basis(own, basis_field(cls, spec.name))
                    for target in reader.many(subject, spec.predicate):
                        a, b = (target, rid) if spec.edge_reverse else (rid, target)
                        cited = reader.sources_naming(subject, target) if not cls.fact else dict(sources)
                        edges.append(Edge(f"{rid}/{spec.edge_type}/{target}", spec.edge_type, a, b, cited | basis))
            if cls.node:
                nodes.append(Node(rid, cls.node, _node_properties(reader, cls, subject, rid, own, sources)))
                if cls.is_entity:
                    for doc in reader.many(subject, PROV.wasDerivedFrom):
                        cited = reader.sources_naming(subject, rid, model.ids[doc])
                        edges.append(Edge(f"{doc}/MENTIONS/{rid}", "MENTIONS", doc, rid, cited))
            for index, edge in enumerate(cls.edges):
                kind = relationship_type(edge, own)
                props = _edge_properties(reader, cls, subject, edge.properties, own) | sources
                props |= _basis(own, basis_field(cls, edge.target, edge.source))
                for a in reader.many(subject, cls.fields[edge.source].predicate):
                    for b in reader.many(subject, cls.fields[edge.target].predicate):
                        edges.append(Edge(f"{rid}/{kind}/{index}/{a}", kind, a, b, {"id": rid, **props}))
    return PropertyGraph(tuple(nodes), tuple(sorted(edges, key=lambda e: e.id)))


def _basis(own: dict[str, Any], field: str | None) -> dict[str, str]:
    """`basis` for a relationship whose record says why it holds (`<ref>_basis`), else nothing."""
    return {"basis": own[field]} if field and own.get(field) else {}


def _node_properties(reader: _Reader, cls: ClassSpec, subject: URIRef, rid: str, own: dict[str, Any],
                     sources: dict[str, list[str]]) -> dict[str, Any]:
    """id, name, name_ja, name_en, aliases and sources for every node, then the class's own fields."""
    if cls.name == "Document":
        names = {"name": own["title"], "name_ja": own["title"], "name_en": own.get("title_en"), "aliases": []}
    elif cls.fact:  # a node-shaped fact: its display name (the class's name template), written by loaders/rdf.py
        name = str(reader.graph.value(subject, RDFS.label))
        names = {"name": name, "name_ja": name, "name_en": None, "aliases": []}
    else:
        names = {}
    props = {"id": rid, **names, **own, **sources}
    props.setdefault("aliases", [])
    keys = [rid, props.get("name"), props.get("name_ja"), props.get("name_en"), *props["aliases"]]
    props["search_keys"] = sorted({match_key(k) for k in keys if k})
    return {k: v for k, v in props.items() if v is not None}


def _edge_properties(reader: _Reader, cls: ClassSpec, subject: URIRef, names: tuple[str, ...],
                     own: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name in names:
        ref, _, inner = name.partition(".")
        if inner:
            target = reader.graph.value(subject, cls.fields[ref].predicate)
            target_cls = cls.fields[ref].to[0]
            spec = reader.model.classes[target_cls].fields[inner]
            value = reader.field(target, spec) if target is not None else {}
            props.update({ref if inner == "number" else k: v for k, v in value.items()})
        elif cls.fields[name].is_ref:
            props[name] = reader.one(subject, cls.fields[name].predicate)
        else:
            props.update({k: v for k, v in own.items() if k == name or k.startswith(f"{name}_")})
    return props
