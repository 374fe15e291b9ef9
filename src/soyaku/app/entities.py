"""Facts about one entity: its names, identifiers, every relationship with the sources that state it, and its
neighbourhood as a small network. Plain results for any surface (the web's entity page, an API)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from soyaku.core.errors import QueryError
from soyaku.core.identifiers import SCHEMES
from soyaku.graph.connect import Connection
from soyaku.ontology.model import load_model
from soyaku.queries.run import run_cypher

__all__ = ["Source", "Fact", "EntityFacts", "Identifier", "entity_facts", "neighbourhood", "sources_of",
           "stated_by", "document_files", "edges_among", "suggest", "NotFound"]

#: Properties shown in the page header rather than in the property list.
NAME_FIELDS = frozenset({"id", "name", "name_ja", "name_en", "name_en_translated", "aliases", "search_keys",
                         "sources", "quotes", "documents", "title", "title_en", "title_en_translated", "file"})

_NODE = "MATCH (n) WHERE n.id = $id RETURN labels(n) AS labels, properties(n) AS props"
_RELATIONSHIPS = """
MATCH (n)-[r]-(o) WHERE n.id = $id
RETURN type(r) AS type, startNode(r) = n AS outgoing, properties(r) AS props,
       o.id AS other_id, coalesce(o.name, o.title, o.id) AS other_name, coalesce(o.name_en, o.title_en) AS other_en,
       labels(o)[0] AS other_label
"""
_DOCUMENTS = "MATCH (d:Document) RETURN d.id AS id, d.file AS file, d.name AS name"
_STATED = """
MATCH (n) WHERE n.id IN $ids
RETURN n.id AS id, n.sources AS sources, n.quotes AS quotes, n.documents AS documents
"""
_AMONG = """
MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids AND type(r) <> 'MENTIONS'
RETURN a.id AS source, b.id AS target, type(r) AS type
"""


class NotFound(QueryError):
    """No entity (or document) has the id asked for."""


@dataclass(frozen=True)
class Source:
    """Where a fact is stated: the document (id and title line), the line in it, and the quote."""

    document_id: str | None
    document: str
    file: str
    line: int | None
    quote: str


@dataclass(frozen=True)
class Fact:
    """One relationship of the entity: its type, direction, the entity at the other end, its own properties and
    the sources that state it."""

    type: str
    outgoing: bool
    other_id: str
    other_name: str
    other_en: str | None
    other_label: str
    properties: dict[str, Any]
    sources: list[Source]


@dataclass(frozen=True)
class Identifier:
    """An external identifier: scheme name, value, and the registry's page (None where it has none)."""

    scheme: str
    value: str
    url: str | None
    #: Of several ids of one scheme (Crossref Funder IDs, ISNIs), the one the registry marks as preferred.
    preferred: bool = False


@dataclass(frozen=True)
class EntityFacts:
    """Everything the graph says about an entity; `facts` grouped by relationship type, `mentioned_in` the
    documents that mention it."""

    id: str
    label: str
    name: str
    name_ja: str | None
    name_en: str | None
    aliases: list[str]
    identifiers: list[Identifier]
    properties: dict[str, Any]
    sources: list[Source]
    facts: dict[str, list[Fact]] = field(default_factory=dict)
    mentioned_in: list[Source] = field(default_factory=list)


@lru_cache(maxsize=8)
def document_files(conn: Connection) -> dict[str, tuple[str, str]]:
    """Each source file name → (document id, document title); read once per connection (a served graph does not
    change while it is served: a new build is swapped in when the server stops)."""
    return {row["file"]: (row["id"], row["name"]) for row in run_cypher(conn.driver, conn.database, _DOCUMENTS).rows
            if row["file"]}


def sources_of(props: dict[str, Any], files: dict[str, tuple[str, str]]) -> list[Source]:
    """The sources of a node or relationship (its parallel `sources`, `quotes` and `documents` lists)."""
    out = []
    quotes, documents = props.get("quotes") or [], props.get("documents") or []
    for i, locator in enumerate(props.get("sources") or []):
        file, _, anchor = str(locator).partition("#L")
        doc_id, title = files.get(file, (None, file))
        out.append(Source(doc_id, documents[i] if i < len(documents) else title, file,
                          int(anchor) if anchor.isdigit() else None, quotes[i] if i < len(quotes) else ""))
    return out


def stated_by(conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each of `ids` that names a node: the sources that state it (its `sources`, `quotes` and `documents`)."""
    rows = run_cypher(conn.driver, conn.database, _STATED, {"ids": ids}).rows
    return {row.pop("id"): row for row in rows}


def _values(value: Any) -> list[str]:
    """An identifier property's ids: one, several (a list), or none."""
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _shown(props: dict[str, Any], label_or_type: str) -> dict[str, Any]:
    """The properties listed on a page, in model.yaml's field order (then any other, by name)."""
    order = {name: i for i, name in enumerate(load_model().property_order.get(label_or_type, ()))}
    return {k: v for k, v in sorted(props.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
            if k not in NAME_FIELDS and k not in SCHEMES and not k.endswith(("_source", "_sources", "_preferred"))
            and v not in (None, [], "")}


def entity_facts(conn: Connection, entity_id: str) -> EntityFacts:
    """What the graph says about `entity_id`; NotFound when no node has that id."""
    found = run_cypher(conn.driver, conn.database, _NODE, {"id": entity_id}).rows
    if not found:
        raise NotFound(f"no entity has the id {entity_id!r}: search for it by name")
    props, label = found[0]["props"], found[0]["labels"][0]
    files = document_files(conn)
    facts: dict[str, list[Fact]] = defaultdict(list)
    mentioned: list[Source] = []
    for row in run_cypher(conn.driver, conn.database, _RELATIONSHIPS, {"id": entity_id}).rows:
        rel = row["props"]
        if row["type"] == "MENTIONS" and not row["outgoing"]:
            mentioned.extend(sources_of(rel, files))
            continue
        facts[row["type"]].append(Fact(row["type"], row["outgoing"], row["other_id"], row["other_name"],
                                       row["other_en"], row["other_label"],
                                       {k: v for k, v in _shown(rel, row["type"]).items() if k != "edge_id"},
                                       sources_of(rel, files)))
    for group in facts.values():
        group.sort(key=lambda f: (not f.outgoing, f.other_label, f.other_name))
    identifiers = [Identifier(scheme.name, value, scheme.uri(value), value == props.get(f"{field}_preferred"))
                   for field, scheme in SCHEMES.items() for value in _values(props.get(field))]
    aliases = props.get("aliases") or []
    return EntityFacts(entity_id, label, props.get("name") or props.get("title") or entity_id,
                       props.get("name_ja") or props.get("title"), props.get("name_en") or props.get("title_en"),
                       [aliases] if isinstance(aliases, str) else list(aliases), identifiers, _shown(props, label),
                       sources_of(props, files), dict(sorted(facts.items())),
                       sorted(mentioned, key=lambda s: (s.document, s.line or 0)))


def neighbourhood(facts: EntityFacts, limit: int = 60) -> dict[str, list[dict[str, Any]]]:
    """The entity and the entities its facts join it to (at most `limit`), as nodes and edges to draw."""
    nodes = {facts.id: {"id": facts.id, "name": facts.name, "name_en": facts.name_en, "label": facts.label}}
    edges = []
    for group in facts.facts.values():
        for fact in group:
            if fact.other_id not in nodes:
                if len(nodes) > limit:
                    continue
                nodes[fact.other_id] = {"id": fact.other_id, "name": fact.other_name, "name_en": fact.other_en,
                                        "label": fact.other_label}
            ends = (facts.id, fact.other_id) if fact.outgoing else (fact.other_id, facts.id)
            edges.append({"source": ends[0], "target": ends[1], "type": fact.type})
    return {"nodes": list(nodes.values()), "edges": edges}


def edges_among(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
    """The relationships (except MENTIONS) between the entities `ids`, to draw them as a network."""
    return run_cypher(conn.driver, conn.database, _AMONG, {"ids": ids}).rows


def suggest(conn: Connection, text: str, limit: int = 5) -> list[Any]:
    """The entities whose names are closest to `text` (for "did you mean"), best first."""
    from soyaku.queries.search import name_index

    return name_index(conn.driver, conn.database).suggest(text)[:limit]
