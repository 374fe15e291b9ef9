"""Paths between two entities: the shortest chains of facts, optionally through a node of a given label."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import neo4j
import networkx as nx

from soyaku.core.errors import QueryError
from soyaku.core.paths import PathStep
from soyaku.queries.run import run_cypher
from soyaku.queries.search import resolve

__all__ = ["find_paths"]

#: Relationship properties worth showing in a chain, in this order.
KEY_PROPERTIES = ("round", "announced", "start_year", "year", "role", "status", "fiscal_year", "amount_text")


#: Paths examined at most when `via` filters them (each is one step of a k-shortest-paths search).
MAX_CANDIDATES = 20_000

_RELATIONSHIPS = """
MATCH (x)-[r]->(y)
WHERE type(r) <> 'MENTIONS' AND x.id IS NOT NULL AND y.id IS NOT NULL
RETURN x.id AS start, y.id AS end, type(r) AS type, properties(r) AS properties
"""
_NODES = "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, n.name AS name, labels(n) AS labels"


def _shortest_chains(relationships: list[dict[str, Any]], source: str, target: str, max_hops: int,
                     accept: Callable[[list[str]], bool], limit: int) -> list[list[dict[str, Any]]]:
    """Up to `limit` chains of relationships from `source` to `target`, shortest first, never longer than `max_hops`.

    A k-shortest simple paths search (Yen's algorithm, networkx) over the graph without MENTIONS: it yields paths
    in order of length, so it stops at the first one too long; its work grows with `limit`, not with the number of
    all paths (which explodes with the length: enumerating every path of up to 8 hops ran for over 10 minutes).
    """
    graph = nx.Graph()
    for rel in relationships:
        if rel["start"] != rel["end"]:
            graph.add_edge(rel["start"], rel["end"])
            graph.edges[rel["start"], rel["end"]].setdefault("rels", []).append(rel)
    if source not in graph or target not in graph or source == target:
        return []
    chains: list[list[dict[str, Any]]] = []
    try:
        for examined, nodes in enumerate(nx.shortest_simple_paths(graph, source, target)):
            if len(nodes) - 1 > max_hops or examined >= MAX_CANDIDATES:
                break
            if not accept(nodes):
                continue
            options = [graph.edges[u, v]["rels"] for u, v in zip(nodes, nodes[1:])]
            for chain in itertools.product(*options):  # parallel relationships make several chains of one path
                chains.append(list(chain))
                if len(chains) == limit:
                    return chains
    except nx.NetworkXNoPath:
        pass
    return chains


def find_paths(driver: neo4j.Driver, database: str | None, source: str, target: str, *,
               via: str | None = None, max_hops: int = 4, limit: int = 5) -> list[PathStep]:
    """Resolve both names, then the shortest paths between them (at most `limit`)."""
    a = resolve(driver, database, source).entity
    b = resolve(driver, database, target).entity
    if not 1 <= max_hops <= 8:
        raise QueryError(f"--max-hops must be between 1 and 8, got {max_hops}")
    relationships = run_cypher(driver, database, _RELATIONSHIPS).rows
    via_ids: set[str] = set()
    if via is not None:
        labelled = run_cypher(driver, database, "MATCH (n) WHERE $via IN labels(n) RETURN n.id AS id", {"via": via}).rows
        via_ids = {row["id"] for row in labelled}

    def through_via(nodes: list[str]) -> bool:
        return via is None or any(node in via_ids for node in nodes[1:-1])

    chains = _shortest_chains(relationships, a.id, b.id, max_hops, through_via, limit)
    ids = sorted({end for chain in chains for rel in chain for end in (rel["start"], rel["end"])})
    described = {row["id"]: row for row in run_cypher(driver, database, _NODES, {"ids": ids}).rows}
    paths = []
    for chain in chains:
        nodes = [a.id]
        for rel in chain:
            nodes.append(rel["end"] if rel["start"] == nodes[-1] else rel["start"])
        relationships = [
            {"type": r["type"], "forward": r["start"] == nodes[i],
             "properties": {k: r["properties"][k] for k in KEY_PROPERTIES if r["properties"].get(k) is not None},
             "sources": r["properties"].get("sources") or [], "quotes": r["properties"].get("quotes") or []}
            for i, r in enumerate(chain)
        ]
        paths.append(PathStep([{"id": n, "name": described[n]["name"], "labels": described[n]["labels"]} for n in nodes],
                              relationships))
    return paths
