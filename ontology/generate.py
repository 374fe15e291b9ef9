"""Generate the OWL ontology, the SHACL shapes and docs/schema.md from ontology/model.yaml.

Run `python -m soyaku.ontology.generate` after editing model.yaml; a test fails while the committed files
differ from what this writes.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, SKOS

from soyaku.ontology.model import (ClassSpec, FieldSpec, Model, basis_field, camel, edge_property_names, load_model,
                                   pg_property_names, relationship_type)

__all__ = ["ontology_graph", "shapes_graph", "schema_markdown", "edges_of", "main"]

SH = Namespace("http://www.w3.org/ns/shacl#")
HERE = Path(__file__).parent
_XSD = {"text": XSD.string, "texts": XSD.string, "enum": XSD.string, "int": XSD.integer, "bool": XSD.boolean}


def _bind(graph: Graph, model: Model) -> None:
    for prefix, namespace in model.prefixes.items():
        graph.bind(prefix, namespace)
    graph.bind("prov", PROV)
    graph.bind("skos", SKOS)
    graph.bind("owl", OWL)


def _labels(graph: Graph, subject: URIRef, label: dict[str, str]) -> None:
    for lang, text in label.items():
        graph.add((subject, RDFS.label, Literal(text, lang=lang)))


def _derived_predicates(model: Model, spec: FieldSpec) -> list[tuple[URIRef, URIRef, str]]:
    """(predicate, datatype, what) for the extra literals a typed field becomes."""
    sy = model.sy
    if spec.type == "yen":
        base = camel(spec.name)
        return [(sy[base + "Jpy"], XSD.integer, "in yen"), (sy[base + "Text"], XSD.string, "as written"),
                (sy[base + "Approximate"], XSD.boolean, "is approximate (程度)")]
    if spec.type == "share":
        base = camel(spec.name)
        return [(sy[base + "Ratio"], XSD.double, "as a ratio from 0 to 1"), (sy[base + "Text"], XSD.string, "as written"),
                (sy[base + "Approximate"], XSD.boolean, "is approximate (約)")]
    if spec.type in ("date", "fiscal_year"):
        return [(sy[camel(spec.name) + "Text"], XSD.string, "as written")]
    return []


def ontology_graph(model: Model | None = None) -> Graph:
    """The OWL ontology: classes aligned to ORG, schema.org, PROV-O, SKOS and EURIO, labelled in ja and en."""
    model = model or load_model()
    sy = model.sy
    g = Graph()
    _bind(g, model)
    onto = URIRef(str(sy).rstrip("#"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, OWL.versionInfo, Literal(model.version)))
    _labels(g, onto, {"ja": "創薬エコシステム知識グラフ オントロジー", "en": "Soyaku KG ontology"})
    for prop, label in PG_ANNOTATIONS.items():
        g.add((sy[prop], RDF.type, OWL.AnnotationProperty))
        g.add((sy[prop], RDFS.label, Literal(label, lang="en")))
    for prop, datatype, label in ((sy.quote, XSD.string, "verbatim quote from the source"),
                                  (sy.line, XSD.integer, "line of the quote in the seed text"),
                                  (sy.locator, XSD.string, "seed file and line")):
        g.add((prop, RDF.type, OWL.DatatypeProperty))
        g.add((prop, RDFS.range, datatype))
        g.add((prop, RDFS.label, Literal(label, lang="en")))
    g.add((sy.names, RDF.type, OWL.ObjectProperty))
    g.add((sy.names, RDFS.domain, PROV.Derivation))
    g.add((sy.names, RDFS.label, Literal("the quote names this thing (the record itself or a thing it refers to); "
                                         "a relationship cites the quotes that name its far end", lang="en")))
    declared: set[URIRef] = set()
    for cls in model.classes.values():
        iri = model.class_iri(cls.name)
        g.add((iri, RDF.type, OWL.Class))
        _labels(g, iri, cls.label)
        if cls.comment:
            g.add((iri, RDFS.comment, Literal(cls.comment, lang="en")))
        for parent in cls.subclass_of:
            g.add((iri, RDFS.subClassOf, model.expand(parent)))
        if cls.node:
            g.add((iri, sy.pgLabel, Literal(cls.node)))
        for spec in cls.fields.values():
            if spec.predicate in declared or not str(spec.predicate).startswith(str(sy)):
                continue
            declared.add(spec.predicate)
            kind = OWL.ObjectProperty if spec.is_ref else OWL.DatatypeProperty
            g.add((spec.predicate, RDF.type, kind))
            _labels(g, spec.predicate, spec.label)
            if not spec.is_ref and spec.type not in ("yen", "share"):
                g.add((spec.predicate, RDFS.range, XSD.date if spec.type == "date" else _XSD.get(spec.type, XSD.integer)))
            if spec.edge_type:
                g.add((spec.predicate, sy.pgRelationship, Literal(spec.edge_type)))
            for predicate, datatype, what in _derived_predicates(model, spec):
                if predicate not in declared:
                    declared.add(predicate)
                    g.add((predicate, RDF.type, OWL.DatatypeProperty))
                    g.add((predicate, RDFS.range, datatype))
                    g.add((predicate, RDFS.label, Literal(f"{spec.label.get('en', spec.name)} ({what})", lang="en")))
        _edge_descriptions(g, model, cls)
    return g


#: The annotations that map the RDF to the property graph (loaders/property_graph.py), for RDF tools and the
#: SPARQL twins of the named queries (queries/facts-about.rq).
PG_ANNOTATIONS = {
    "pgLabel": "property-graph label",
    "pgRelationship": "property-graph relationship type",
    "pgEdge": "a relationship the property graph draws for each thing of this class",
    "pgFrom": "the relationship starts at each value of this property (absent: at the thing itself)",
    "pgTo": "the relationship ends at each value of this property (absent: at the thing itself)",
    "pgTypeField": "the relationship has this type only where the thing's value of this property is sy:pgTypeValue",
    "pgTypeValue": "the value sy:pgTypeField needs for this relationship type",
    "pgCitesNaming": "the relationship cites only the thing's sources whose quotes name its far end (all where none does)",
}


def _edge_descriptions(g: Graph, model: Model, cls: ClassSpec) -> None:
    """`sy:<Class>-<TYPE>`, one per relationship type the class's things become (a reference field with an edge, or
    an edge of a fact; a type taken from an enum field: one per value), linked from the class by sy:pgEdge."""
    sy = model.sy
    described: list[tuple[str, dict[URIRef, URIRef], tuple[URIRef, str] | None, bool]] = []
    for spec in cls.fields.values():
        if spec.is_ref and spec.edge_type:
            ends = {sy.pgFrom: spec.predicate} if spec.edge_reverse else {sy.pgTo: spec.predicate}
            described.append((spec.edge_type, ends, None, not cls.fact))
    for edge in cls.edges:
        ends = {sy.pgFrom: cls.fields[edge.source].predicate, sy.pgTo: cls.fields[edge.target].predicate}
        if edge.type:
            described.append((edge.type, ends, None, False))
            continue
        field = cls.fields[edge.type_from]
        for value in field.values:
            described.append((relationship_type(edge, {edge.type_from: value}), ends, (field.predicate, value), False))
    for kind, ends, condition, naming in described:
        node = sy[f"{cls.name}-{kind}"]
        if (model.class_iri(cls.name), sy.pgEdge, node) in g:
            raise ValueError(f"model.yaml: class {cls.name} has two relationships of type {kind}; "
                             "the ontology names each by class and type")
        g.add((model.class_iri(cls.name), sy.pgEdge, node))
        g.add((node, sy.pgRelationship, Literal(kind)))
        for end, predicate in ends.items():
            g.add((node, end, predicate))
        if condition:
            g.add((node, sy.pgTypeField, condition[0]))
            g.add((node, sy.pgTypeValue, Literal(condition[1])))
        if naming:
            g.add((node, sy.pgCitesNaming, Literal(True)))


def _property_shape(g: Graph, model: Model, path: URIRef, *, required: bool, single: bool,
                    datatype: URIRef | None = None, classes: tuple[str, ...] = (), values: tuple[str, ...] = (),
                    language: str | None = None) -> BNode:
    shape = BNode()
    g.add((shape, SH.path, path))
    if required:
        g.add((shape, SH.minCount, Literal(1)))
    if single:
        g.add((shape, SH.maxCount, Literal(1)))
    if language:
        g.add((shape, SH.datatype, RDF.langString))
        Collection(g, langs := BNode(), [Literal(language)])
        g.add((shape, SH.languageIn, langs))
    elif datatype is not None:
        g.add((shape, SH.datatype, datatype))
    if len(classes) == 1:
        g.add((shape, SH["class"], model.class_iri(classes[0])))
    elif classes:
        options = []
        for name in classes:
            option = BNode()
            g.add((option, SH["class"], model.class_iri(name)))
            options.append(option)
        Collection(g, alternatives := BNode(), options)
        g.add((shape, SH["or"], alternatives))
    if values:
        Collection(g, allowed := BNode(), [Literal(v) for v in values])
        g.add((shape, SH["in"], allowed))
    return shape


def shapes_graph(model: Model | None = None) -> Graph:
    """SHACL shapes for every class: required fields, datatypes, cardinalities, allowed values and sources."""
    model = model or load_model()
    sy = model.sy
    g = Graph()
    _bind(g, model)
    g.bind("sh", SH)
    for cls in model.classes.values():
        shape = sy[f"{cls.name}Shape"]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, model.class_iri(cls.name)))
        shapes = []
        for spec in cls.fields.values():
            single = not spec.many
            if spec.is_ref:
                shapes.append(_property_shape(g, model, spec.predicate, required=spec.required, single=single, classes=spec.to))
            elif spec.type in ("yen", "share"):
                for predicate, datatype, _ in _derived_predicates(model, spec):
                    shapes.append(_property_shape(g, model, predicate, required=spec.required, single=True, datatype=datatype))
            elif spec.type in ("date", "fiscal_year"):
                datatype = XSD.date if spec.type == "date" else XSD.integer
                shapes.append(_property_shape(g, model, spec.predicate, required=spec.required, single=True, datatype=datatype))
                (text, _, _), = _derived_predicates(model, spec)
                shapes.append(_property_shape(g, model, text, required=spec.required, single=True, datatype=XSD.string))
            else:
                shapes.append(_property_shape(g, model, spec.predicate, required=spec.required, single=single,
                                              datatype=_XSD[spec.type], values=spec.values, language=spec.language))
        shapes.append(_property_shape(g, model, PROV.wasDerivedFrom, required=True, single=False, classes=("Document",)))
        shapes.append(_property_shape(g, model, PROV.qualifiedDerivation, required=True, single=False))
        for node in shapes:
            g.add((shape, SH.property, node))
    derivation = sy.DerivationShape
    g.add((derivation, RDF.type, SH.NodeShape))
    g.add((derivation, SH.targetClass, PROV.Derivation))
    for path, datatype in ((sy.quote, None), (sy.line, XSD.integer), (sy.locator, XSD.string)):
        g.add((derivation, SH.property, _property_shape(g, model, path, required=True, single=True,
                                                        datatype=datatype, language="ja" if datatype is None else None)))
    g.add((derivation, SH.property, _property_shape(g, model, PROV.entity, required=True, single=True, classes=("Document",))))
    return g


def edges_of(model: Model) -> list[tuple[str, str, str, list[str]]]:
    """(from label, type, to label, properties) for every relationship the property graph can hold."""
    labels = model.node_labels
    rows: list[tuple[str, str, str, list[str]]] = []

    def targets(spec: FieldSpec) -> list[str]:
        return [labels[t] for t in spec.to if t in labels]

    for cls in model.classes.values():
        for spec in cls.fields.values():
            if spec.edge_type and cls.node:
                for other in targets(spec):
                    a, b = (other, cls.node) if spec.edge_reverse else (cls.node, other)
                    rows.append((a, spec.edge_type, b, ["sources", "quotes", *(["basis"] if basis_field(cls, spec.name) else [])]))
        for edge in cls.edges:
            props = [p for name in edge.properties for p in edge_property_names(cls, name)] + ["id", "sources", "quotes"]
            props += ["basis"] if basis_field(cls, edge.target, edge.source) else []
            types = [edge.type] if edge.type else [v.upper().replace("-", "_") for v in cls.fields[edge.type_from].values]
            for kind in types:
                for a in targets(cls.fields[edge.source]):
                    for b in targets(cls.fields[edge.target]):
                        rows.append((a, kind, b, props))
    for entity in (c.node for c in model.classes.values() if c.is_entity):
        rows.append(("Document", "MENTIONS", entity, ["sources", "quotes"]))
    return sorted(set((a, t, b, tuple(p)) for a, t, b, p in rows))  # type: ignore[misc]


def schema_markdown(model: Model | None = None) -> str:
    """docs/schema.md: node labels with properties, relationship types, and a metagraph (Mermaid)."""
    model = model or load_model()
    out = ["# Graph schema (generated)", "",
           "Generated by `python -m soyaku.ontology.generate` from `ontology/model.yaml`; do not edit by hand.",
           "This is the public contract of the property graph: labels, relationship types and properties.", "",
           "Every node has `id` (stable), `name` (source spelling), `name_ja`, `name_en` (where known), `aliases`",
           "(list), `search_keys` (NFKC-normalised, case-folded, space-free forms of id, names and aliases: match",
           "`toLower(replace(replace(replace($text, ' ', ''), '-', ''), '・', '')) IN n.search_keys`), `sources` (list of seed locators `file#Lline`)",
           "`quotes` (the verbatim quotes, same order) and `documents` (each source's document as",
           "`title (publisher, date)`, same order).",
           "Every relationship has `sources`, `quotes` and `documents`, citing only the quotes that state it.",
           "Dates are Cypher `date` values, yen amounts integers, shares floats from 0 to 1 (`share_ratio`);",
           "`*_text` properties keep the source text (`令和7年度`, `481億円程度`, `約3割`).", "", "## Node labels", ""]
    for cls in model.classes.values():
        if not cls.node:
            continue
        props = []
        for spec in cls.fields.values():
            if spec.is_ref and spec.edge_type:
                continue
            props += pg_property_names(spec)
        out.append(f"### `{cls.node}` — {cls.label['en']} / {cls.label['ja']}")
        out.append("")
        if cls.comment:
            out.append(cls.comment)
            out.append("")
        out.append(f"RDF class `sy:{cls.name}` (subclass of {', '.join(f'`{p}`' for p in cls.subclass_of)}).")
        out.append("")
        out.append("Properties: " + ", ".join(f"`{p}`" for p in ["id", "search_keys", "sources", "quotes", *props]))
        out.append("")
    out += ["## Relationship types", "", "| from | type | to | properties |", "|---|---|---|---|"]
    edges = edges_of(model)
    for a, kind, b, props in edges:
        out.append(f"| `{a}` | `{kind}` | `{b}` | {', '.join(f'`{p}`' for p in props)} |")
    out += ["", "## Metagraph", "", "```mermaid", "graph LR"]
    for a, kind, b in sorted({(a, k, b) for a, k, b, _ in edges if k != "MENTIONS"}):
        out.append(f"  {a} -->|{kind}| {b}")
    out += ["```", "", "`Document -[:MENTIONS]-> *` links every entity to the documents that name it.", ""]
    return "\n".join(out)


def generated_files(model: Model | None = None) -> dict[Path, str]:
    """Path → content of every generated file."""
    model = model or load_model()
    return {
        HERE / "soyaku.ttl": ontology_graph(model).serialize(format="turtle"),
        HERE / "shapes.ttl": shapes_graph(model).serialize(format="turtle"),
        HERE.parent / "docs" / "schema.md": schema_markdown(model),
    }


def main() -> None:
    """Write the generated files."""
    for path, content in generated_files().items():
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
