"""The subgraphs the views show (a node's neighbourhood, a set of ids) of the networkx graph that
`to_networkx` (soyaku.loaders.property_graph) makes of the property graph.

Nodes keep their id as the networkx key, with `label` and every property as attributes; edges are keyed by their
stable edge id and carry `type` and every property.

Documents MENTION almost every entity, so walking through them would make every neighbourhood the whole graph:
`focus` does not expand through `Document` nodes or `MENTIONS` edges unless asked to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from soyaku.core.japanese import match_key
from soyaku.loaders.property_graph import to_networkx
from soyaku.core.names import NameIndex, entity_from_properties

__all__ = [
    "NAME_FIELDS",
    "display_name",
    "find_nodes",
    "focus",
    "name_index",
    "node_keys",
    "resolve_node",
    "subgraph",
    "to_networkx",
    "without",
]

#: Properties a name search looks at (besides the id).
NAME_FIELDS = ("name", "name_ja", "name_en", "aliases")
#: What `focus` does not walk through by default.
BARRIER_LABELS = frozenset({"Document"})
BARRIER_TYPES = frozenset({"MENTIONS"})


def display_name(attrs: dict[str, Any]) -> str:
    """The name a person reads: the source spelling, else the Japanese or English name, else the id."""
    for key in ("name", "name_ja", "name_en", "title"):
        value = attrs.get(key)
        if value:
            return str(value)
    return str(attrs.get("id", ""))


def node_keys(attrs: dict[str, Any]) -> set[str]:
    """The match keys (soyaku.core.japanese.match_key) of a node's id, names and aliases."""
    texts: list[str] = [str(attrs.get("id", ""))]
    for field in (*NAME_FIELDS, "title", "title_en"):
        value = attrs.get(field)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list | tuple):
            texts.extend(str(v) for v in value)
    return {key for key in map(match_key, texts) if key}


def name_index(g: nx.MultiDiGraph) -> NameIndex:
    """The graph's nodes for the one name resolver (soyaku.core.names), as `find`, `path` and the queries use it."""
    return NameIndex(entity_from_properties(attrs["label"], attrs) for _, attrs in g.nodes(data=True))


def find_nodes(g: nx.MultiDiGraph, text: str) -> list[str]:
    """Ids of the nodes `text` names or partly names, best first (see soyaku.core.names for the ranking)."""
    return [m.entity.id for m in name_index(g).search(text)]


def resolve_node(g: nx.MultiDiGraph, text: str) -> str:
    """The id of the one node `text` names; NameNotFound (with suggestions) or AmbiguousName otherwise."""
    if text in g:
        return text
    return name_index(g).resolve(text).entity.id


def subgraph(g: nx.MultiDiGraph, node_ids: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of `g` with only `node_ids` (unknown ids are ignored) and the edges among them."""
    return g.subgraph([n for n in node_ids if n in g]).copy()


def without(g: nx.MultiDiGraph, *, labels: Iterable[str] = (), types: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A copy of `g` without the nodes of `labels` and the edges of `types`."""
    labels, types = set(labels), set(types)
    h = g.subgraph([n for n, label in g.nodes(data="label") if label not in labels]).copy()
    h.remove_edges_from([(u, v, k) for u, v, k, t in h.edges(keys=True, data="type") if t in types])
    return h


def focus(
    g: nx.MultiDiGraph,
    center: str,
    hops: int = 1,
    *,
    through_documents: bool = False,
) -> nx.MultiDiGraph:
    """The neighbourhood of `center` (an id, or a name resolved with `resolve_node`): nodes within `hops` edges,
    in either direction, and every edge among them.

    Unless `through_documents`, the walk does not pass through Document nodes or MENTIONS edges (a document
    mentions almost everything); the documents that mention the center are still not added.
    """
    if hops < 0:
        raise ValueError(f"hops must be 0 or more, got {hops}")
    start = resolve_node(g, center)
    walk = g if through_documents else without(g, labels=BARRIER_LABELS - {g.nodes[start]["label"]}, types=BARRIER_TYPES)
    reached = nx.single_source_shortest_path_length(walk.to_undirected(as_view=True), start, cutoff=hops)
    return subgraph(g if through_documents else walk, reached)
