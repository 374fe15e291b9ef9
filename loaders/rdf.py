"""Checked records → an rdflib Graph that follows the ontology (PROV-O for sources, SKOS for names)."""

from __future__ import annotations

import string

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from soyaku.core.identifiers import SCHEMES
from soyaku.core.japanese import ShareAmount, YenAmount
from soyaku.loaders.curated import IDENTIFIER_SOURCES, Curated, Record, Typed
from soyaku.ontology.model import ClassSpec, FieldSpec, Model, camel, load_model

__all__ = ["to_rdf", "entity_iri"]

SCHEMA = Namespace("https://schema.org/")
SCHEMA_CURRENCY = SCHEMA.currency


def entity_iri(model: Model, record_id: str) -> URIRef:
    """The IRI of a record: the id namespace plus its id."""
    return model.ids[record_id]


def _emit_field(graph: Graph, model: Model, subject: URIRef, spec: FieldSpec, value: object) -> None:
    sy = model.sy
    if spec.type in ("ref", "refs"):
        for target in value if isinstance(value, list) else [value]:
            graph.add((subject, spec.predicate, entity_iri(model, target)))
    elif spec.type == "texts":
        for text in value:
            graph.add((subject, spec.predicate, Literal(text)))
    elif spec.type == "yen":
        assert isinstance(value, YenAmount)
        graph.add((subject, sy[camel(spec.name) + "Jpy"], Literal(value.yen, datatype=XSD.integer)))
        graph.add((subject, sy[camel(spec.name) + "Text"], Literal(value.text)))
        graph.add((subject, sy[camel(spec.name) + "Approximate"], Literal(value.approximate)))
        graph.add((subject, SCHEMA_CURRENCY, Literal("JPY")))
    elif spec.type == "share":
        assert isinstance(value, ShareAmount)
        graph.add((subject, sy[camel(spec.name) + "Ratio"], Literal(value.ratio, datatype=XSD.double)))
        graph.add((subject, sy[camel(spec.name) + "Text"], Literal(value.text)))
        graph.add((subject, sy[camel(spec.name) + "Approximate"], Literal(value.approximate)))
    elif spec.type in ("date", "fiscal_year"):
        assert isinstance(value, Typed)
        datatype = XSD.date if spec.type == "date" else XSD.integer
        graph.add((subject, spec.predicate, Literal(value.value, datatype=datatype)))
        graph.add((subject, sy[camel(spec.name) + "Text"], Literal(value.text)))
    elif spec.type == "int":
        graph.add((subject, spec.predicate, Literal(value, datatype=XSD.integer)))
    else:
        graph.add((subject, spec.predicate, Literal(value, lang=spec.language)))


def _emit_identifiers(graph: Graph, subject: URIRef, record: Record) -> None:
    """External identifiers as links to the world: a schema:identifier PropertyValue per identifier, derived from
    the page it was read from, and owl:sameAs the registry's URI (ROR, Crossref Funder ID, Wikidata, ISNI,
    OpenAlex) for a scheme's one id, or for its preferred one where a scheme has several (the others may be
    parts of the organisation: schema:identifier only)."""
    listed = record.values.get(IDENTIFIER_SOURCES, {})
    for field, scheme in SCHEMES.items():
        if field not in record.values:
            continue
        values = record.values[field] if isinstance(record.values[field], list) else [record.values[field]]
        default = record.values.get(f"{field}_source")
        sources = dict(listed.get(field, [])) or {v: default if isinstance(default, str) else None for v in values}
        preferred = record.values.get(f"{field}_preferred") or (values[0] if len(values) == 1 else None)
        for value in values:
            uri = scheme.uri(value)
            identifier = URIRef(f"{subject}#{field}" + (f"-{value}" if scheme.multiple else ""))
            if uri:
                graph.add((identifier, SCHEMA.url, URIRef(uri)))
                if value == preferred:
                    graph.add((subject, OWL.sameAs, URIRef(uri)))
            graph.add((subject, SCHEMA.identifier, identifier))
            graph.add((identifier, RDF.type, SCHEMA.PropertyValue))
            graph.add((identifier, SCHEMA.propertyID, Literal(scheme.name)))
            graph.add((identifier, SCHEMA.value, Literal(value)))
            if scheme.multiple and value == record.values.get(f"{field}_preferred"):
                graph.add((identifier, SCHEMA.description, Literal("preferred")))
            if sources.get(value):
                graph.add((identifier, PROV.wasDerivedFrom, URIRef(sources[value])))


def _emit_record(graph: Graph, model: Model, record: Record) -> None:
    subject = entity_iri(model, record.id)
    graph.add((subject, RDF.type, model.class_iri(record.cls.name)))
    for name, spec in record.cls.fields.items():
        if name in record.values:
            _emit_field(graph, model, subject, spec, record.values[name])
    if not record.cls.fact:  # bilingual labels for generic RDF tools
        for key, lang in (("name_ja", "ja"), ("name_en", "en"), ("title", "ja"), ("title_en", "en")):
            if key in record.values:
                graph.add((subject, RDFS.label, Literal(record.values[key], lang=lang)))
    _emit_identifiers(graph, subject, record)
    for index, source in enumerate(record.sources, start=1):
        document = entity_iri(model, f"doc-{source.doc}")
        derivation = URIRef(f"{subject}#source-{index}")
        graph.add((subject, PROV.wasDerivedFrom, document))
        graph.add((subject, PROV.qualifiedDerivation, derivation))
        graph.add((derivation, RDF.type, PROV.Derivation))
        graph.add((derivation, PROV.entity, document))
        graph.add((derivation, model.sy.quote, Literal(source.quote, lang="ja")))
        graph.add((derivation, model.sy.line, Literal(source.line, datatype=XSD.integer)))
        graph.add((derivation, model.sy.locator, Literal(source.locator)))
        for named in source.names:
            graph.add((derivation, model.sy.names, entity_iri(model, named)))


def _fact_label(graph: Graph, model: Model, cls: ClassSpec, subject: URIRef) -> str:
    """The display name of a node-shaped fact: its class's name template filled from the RDF, `{field}` from the
    fact (a typed field's `_text` form too, e.g. `{amount_text}`), `{ref.name}` from the thing it refers to."""
    name = cls.name_template or ""
    for _, key, _, _ in string.Formatter().parse(name):
        if not key:
            continue
        ref, _, inner = key.partition(".")
        if inner:
            target = graph.value(subject, cls.fields[ref].predicate)
            value = graph.value(target, SCHEMA.name) if target is not None else None
        else:
            value = graph.value(subject, cls.fields[key].predicate if key in cls.fields else model.sy[camel(key)])
        text = "" if value is None else str(value.toPython() if isinstance(value, Literal) else value)
        name = name.replace("{" + key + "}", text)
    return name.replace(" ()", "")  # a bracketed part whose fields are all absent (an outcome without a period)


def _label_facts(graph: Graph, model: Model) -> None:
    """Every node-shaped fact (a round, a budget line) gets its display name as rdfs:label: the name the property
    graph shows, which SPARQL answers can then show too."""
    for cls in model.classes.values():
        if cls.name_template:
            for subject in graph.subjects(RDF.type, model.class_iri(cls.name)):
                graph.add((subject, RDFS.label, Literal(_fact_label(graph, model, cls, subject))))


def to_rdf(curated: Curated, model: Model | None = None) -> Graph:
    """Every record as RDF; the graph binds the ontology's prefixes for readable Turtle."""
    model = model or load_model()
    graph = Graph()
    for prefix, namespace in model.prefixes.items():
        graph.bind(prefix, namespace)
    graph.bind("id", model.ids)
    graph.bind("prov", PROV)
    graph.bind("skos", SKOS)
    graph.bind("owl", OWL)
    for record in curated.records:
        _emit_record(graph, model, record)
    _label_facts(graph, model)
    return graph
