"""The model (ontology/model.yaml) as typed objects: classes, fields, and their property-graph mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

import yaml
from rdflib import Namespace, URIRef

from soyaku.core.identifiers import SCHEMES
from soyaku.core.japanese import BUDGET_TERMS

__all__ = ["AMOUNT_SUFFIX", "ORGANISATION_CLASSES", "basis_field", "check_identifier_fields", "EdgeSpec", "FieldSpec", "ClassSpec", "Model", "load_model", "camel", "edge_property_names", "pg_property_names"]

FIELD_TYPES = {"text", "texts", "int", "bool", "enum", "ref", "refs", "date", "fiscal_year", "yen", "share"}
#: Typed amounts: written as source text, stored as a value (property suffix), the text and an approximate flag.
AMOUNT_SUFFIX = {"yen": "jpy", "share": "ratio"}
_ORG = Namespace("http://www.w3.org/ns/org#")
#: W3C ORG's organisation classes (org:Organization and its subclasses): a class aligned to one is an organisation.
ORGANISATION_CLASSES = frozenset({_ORG.Organization, _ORG.FormalOrganization, _ORG.OrganizationalUnit})


def camel(name: str) -> str:
    """snake_case field name → camelCase RDF local name: fiscal_year → fiscalYear."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a class: its type, RDF predicate and, for references, its relationship."""

    name: str
    type: str
    predicate: URIRef
    label: dict[str, str]
    required: bool = False
    language: str | None = None
    values: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    edge_type: str | None = None
    edge_reverse: bool = False

    @property
    def is_ref(self) -> bool:
        return self.type in ("ref", "refs")

    @property
    def many(self) -> bool:
        return self.type in ("refs", "texts")


@dataclass(frozen=True)
class EdgeSpec:
    """A relationship that a fact becomes in the property graph."""

    source: str
    target: str
    properties: tuple[str, ...]
    type: str | None = None
    type_from: str | None = None


@dataclass(frozen=True)
class ClassSpec:
    """A class of the model: an entity, a node-shaped fact, or an edge-shaped fact."""

    name: str
    label: dict[str, str]
    comment: str
    subclass_of: tuple[str, ...]
    fields: dict[str, FieldSpec]
    file: str | None = None
    node: str | None = None
    fact: bool = False
    name_template: str | None = None
    edges: tuple[EdgeSpec, ...] = ()
    #: An organisation: its `subclass_of` aligns it to W3C ORG (org:Organization or a subclass).
    organisation: bool = False
    #: How views draw its nodes: `color` (CSS) and `shape` (a vis-network shape).
    style: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_entity(self) -> bool:
        return self.node is not None and not self.fact and self.name != "Document"


@dataclass(frozen=True)
class Model:
    """The whole model: namespaces, classes by name, and the field sets they share."""

    version: str
    sy: Namespace
    ids: Namespace
    prefixes: dict[str, Namespace]
    classes: dict[str, ClassSpec]
    #: The fields every entity (or every fact) has: `entity_fields` and `fact_fields` of model.yaml.
    shared_fields: frozenset[str] = frozenset()

    def by_file(self, file_stem: str) -> ClassSpec | None:
        """The class whose records live in `<file_stem>.yaml`."""
        return next((c for c in self.classes.values() if c.file == file_stem), None)

    def expand(self, curie: str) -> URIRef:
        """`schema:name` → full IRI."""
        return expand_curie(self.prefixes, curie)

    def class_iri(self, name: str) -> URIRef:
        return self.sy[name]

    @property
    def node_labels(self) -> dict[str, str]:
        """Class name → property-graph label, for every class shown as a node."""
        return {c.name: c.node for c in self.classes.values() if c.node}

    @cached_property
    def property_order(self) -> dict[str, tuple[str, ...]]:
        """Node label or relationship type → the properties its class gives it, in model.yaml's field order, its
        own fields before the shared ones (the order views list them in)."""
        order: dict[str, list[str]] = {}
        for cls in self.classes.values():
            if cls.node:
                specs = sorted(cls.fields.values(), key=lambda spec: spec.name in self.shared_fields)  # stable
                order.setdefault(cls.node, []).extend(
                    p for spec in specs if not (spec.is_ref and spec.edge_type) for p in pg_property_names(spec))
            for edge in cls.edges:
                kinds = [edge.type] if edge.type else [_rel_type(v) for v in cls.fields[str(edge.type_from)].values]
                for kind in kinds:
                    order.setdefault(kind, []).extend(p for name in edge.properties for p in edge_property_names(cls, name))
        return {key: tuple(dict.fromkeys(names)) for key, names in order.items()}

    @property
    def label_styles(self) -> dict[str, dict[str, str]]:
        """Property-graph label → colour, shape and Japanese name, in the model's order (the views' legend)."""
        return {c.node: {**c.style, "ja": c.label.get("ja", "")} for c in self.classes.values() if c.node and c.style}


def _rel_type(value: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", value.upper()).strip("_")


def relationship_type(edge: EdgeSpec, fact_values: dict[str, Any]) -> str:
    """The type of one relationship of a fact (fixed, or taken from an enum field)."""
    return edge.type or _rel_type(str(fact_values[edge.type_from]))


def basis_field(cls: ClassSpec, *refs: str) -> str | None:
    """The text field `<ref>_basis` that says why the relationship a reference field draws holds, where no quote
    names both its ends (e.g. the heading the row sits under); copied onto that relationship as `basis`."""
    return next((f"{ref}_basis" for ref in refs if f"{ref}_basis" in cls.fields), None)


def pg_property_names(spec: FieldSpec) -> list[str]:
    """The property-graph properties one field becomes (date/fiscal_year/yen/share keep their source text too)."""
    if spec.type in AMOUNT_SUFFIX:
        return [f"{spec.name}_{AMOUNT_SUFFIX[spec.type]}", f"{spec.name}_text", f"{spec.name}_approximate"]
    if spec.type in ("date", "fiscal_year"):
        return [spec.name, f"{spec.name}_text"]
    return [spec.name]


def edge_property_names(cls: ClassSpec, name: str) -> list[str]:
    """The relationship properties one entry of an edge's `properties` becomes: a field's, or for
    `<ref>.<field>` the referenced thing's field (its `number` named after the reference, e.g. round)."""
    if "." in name:
        ref, _, inner = name.partition(".")
        return [inner if inner != "number" else ref]
    return pg_property_names(cls.fields[name])


def expand_curie(prefixes: dict[str, Namespace], curie: str) -> URIRef:
    """`schema:name` → full IRI, with the model's prefixes."""
    prefix, _, local = curie.partition(":")
    if prefix not in prefixes:
        raise ValueError(f"unknown prefix in {curie!r}")
    return prefixes[prefix][local]


def _field(model_sy: Namespace, prefixes: dict[str, Namespace], name: str, raw: dict[str, Any]) -> FieldSpec:
    if raw["type"] not in FIELD_TYPES:
        raise ValueError(f"field {name}: unknown type {raw['type']!r}")
    edge = raw.get("edge") or {}
    return FieldSpec(
        name=name,
        type=raw["type"],
        predicate=expand_curie(prefixes, raw["predicate"]) if "predicate" in raw else model_sy[camel(name)],
        label=raw.get("label", {}),
        required=raw.get("required", False),
        language=raw.get("language"),
        values=tuple(raw.get("values", ())),
        to=tuple(raw.get("to", ())),
        edge_type=edge.get("type"),
        edge_reverse=edge.get("reverse", False),
    )


def check_identifier_fields(fields: dict[str, FieldSpec]) -> None:
    """The entity fields of the external identifiers are what soyaku.core.identifiers' scheme table (the one place
    schemes are defined) implies: per scheme `<field>` and `<field>_source`, lists where the scheme allows several
    ids, which also have `<field>_preferred`; ValueError naming the difference otherwise."""
    expected: dict[str, str] = {}
    for name, scheme in SCHEMES.items():
        kind = "texts" if scheme.multiple else "text"
        expected |= {name: kind, f"{name}_source": kind} | ({f"{name}_preferred": "text"} if scheme.multiple else {})
    suffixed = {n for n in fields if n.endswith(("_source", "_preferred")) and n.rsplit("_", 1)[0] in SCHEMES}
    stated = {n: fields[n].type for n in fields if n in SCHEMES or n in suffixed}
    if stated != expected:
        wrong = sorted(set(stated.items()) ^ set(expected.items()))
        raise ValueError(f"model.yaml entity_fields disagree with soyaku.core.identifiers.SCHEMES: {wrong} "
                         "(per scheme: <field> and <field>_source, texts if it allows several ids, with <field>_preferred)")


def check_budget_terms(classes: dict[str, ClassSpec]) -> None:
    """Every value model.yaml allows for a budget field (budget_type, basis, stage) has its Japanese and English
    names in soyaku.core.japanese.BUDGET_TERMS, the table every surface shows them with (core reads no model);
    ValueError naming the values without names otherwise."""
    missing = sorted({f"{spec.name}={value}" for cls in classes.values() for spec in cls.fields.values()
                      if spec.name in BUDGET_TERMS for value in spec.values if value not in BUDGET_TERMS[spec.name]})
    if missing:
        raise ValueError(f"model.yaml allows budget values that soyaku.core.japanese.BUDGET_TERMS does not name: "
                         f"{', '.join(missing)} (add their Japanese and English names there)")


@cache
def load_model() -> Model:
    """Read ontology/model.yaml (cached: the model does not change while a process runs)."""
    raw = yaml.safe_load(files("soyaku.ontology").joinpath("model.yaml").read_text(encoding="utf-8"))
    sy = Namespace(raw["namespace"])
    prefixes = {k: Namespace(v) for k, v in raw["prefixes"].items()} | {"sy": sy}

    entity_fields = {n: _field(sy, prefixes, n, f) for n, f in raw["entity_fields"].items()}
    check_identifier_fields(entity_fields)
    fact_fields = {n: _field(sy, prefixes, n, f) for n, f in raw["fact_fields"].items()}
    classes: dict[str, ClassSpec] = {}
    for section in ("classes", "facts"):
        for name, c in raw[section].items():
            own = {n: _field(sy, prefixes, n, f) for n, f in (c.get("fields") or {}).items()}
            is_fact = section == "facts" or c.get("fact", False)
            shared = {} if name == "Document" else (fact_fields if is_fact else entity_fields)
            classes[name] = ClassSpec(
                name=name,
                label=c["label"],
                comment=c.get("comment", ""),
                subclass_of=tuple(c.get("subclass_of", ())),
                fields=shared | own,
                file=c.get("file"),
                node=c.get("node"),
                fact=is_fact,
                name_template=c.get("name_template"),
                organisation=any(expand_curie(prefixes, p) in ORGANISATION_CLASSES for p in c.get("subclass_of", ())),
                style=c.get("style") or {},
                edges=tuple(
                    EdgeSpec(
                        source=e["from"],
                        target=e["to"],
                        properties=tuple(e.get("properties", ())),
                        type=e.get("type"),
                        type_from=e.get("type_from"),
                    )
                    for e in c.get("edges", ())
                ),
            )
    check_budget_terms(classes)
    return Model(
        version=raw["version"],
        sy=sy,
        ids=Namespace(raw["id_namespace"]),
        prefixes=prefixes,
        classes=classes,
        shared_fields=frozenset(entity_fields) | frozenset(fact_fields),
    )
