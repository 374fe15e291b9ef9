"""Load a property graph into any Bolt engine (embedded ArcadeDB or Neo4j 5) through the neo4j driver.

Batched `UNWIND … MERGE` in explicit transactions, keyed on `id`, so loading twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import neo4j

from soyaku.loaders.property_graph import Edge, Node, PropertyGraph

__all__ = ["constraint_statements", "node_statement", "edge_statement", "batches", "load_graph", "wipe_graph", "graph_counts"]

T = TypeVar("T")
BATCH_SIZE = 1000


def constraint_statements(labels: Iterable[str]) -> list[str]:
    """One uniqueness constraint on `id` per label (Neo4j 5 syntax, idempotent)."""
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in sorted(set(labels))
    ]


def node_statement(label: str) -> str:
    """MERGE a batch of nodes of one label; `SET n = row` replaces all properties."""
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row"


def edge_statement(kind: str, source_label: str, target_label: str, *, fresh: bool = False) -> str:
    """MERGE a batch of relationships of one type between labelled endpoints (the index is used).

    Into a database known to be empty (`fresh`), CREATE is used instead: MERGE has to scan every relationship
    of a node, which grows with the node's degree (a ministry with thousands of budget lines).
    """
    verb = "CREATE" if fresh else "MERGE"
    return (
        f"UNWIND $rows AS row MATCH (a:{source_label} {{id: row.source}}) MATCH (b:{target_label} {{id: row.target}}) "
        f"{verb} (a)-[r:{kind} {{id: row.id}}]->(b) SET r = row.properties, r.id = row.id"
    )


def batches(items: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def grouped_statements(graph: PropertyGraph, *, fresh: bool = False) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(statement, rows) for every label and every (type, endpoint labels), nodes first."""
    by_label: dict[str, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        by_label[node.label].append(node)
    for label, nodes in sorted(by_label.items()):
        yield node_statement(label), [dict(n.properties) for n in nodes]
    labels = {n.id: n.label for n in graph.nodes}
    by_type: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in graph.edges:
        by_type[(edge.type, labels[edge.source], labels[edge.target])].append(edge)
    for (kind, a, b), edges in sorted(by_type.items()):
        rows = [{"id": e.id, "source": e.source, "target": e.target, "properties": dict(e.properties)} for e in edges]
        yield edge_statement(kind, a, b, fresh=fresh), rows


def load_graph(driver: neo4j.Driver, database: str, graph: PropertyGraph, batch_size: int = BATCH_SIZE, *,
               fresh: bool = False) -> None:
    """Create constraints, then MERGE every node and relationship in batched transactions.

    `fresh=True` promises an empty database (a rebuild) and creates relationships instead of merging them.
    """
    with driver.session(database=database) as session:
        for statement in constraint_statements(n.label for n in graph.nodes):
            session.run(statement).consume()
        for statement, rows in grouped_statements(graph, fresh=fresh):
            for batch in batches(rows, batch_size):
                with session.begin_transaction() as tx:
                    tx.run(statement, rows=batch).consume()
                    tx.commit()


def wipe_graph(driver: neo4j.Driver, database: str) -> None:
    """Delete every node and relationship (asked for explicitly with --wipe)."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


def graph_counts(driver: neo4j.Driver, database: str) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, as the engine reports them."""
    with driver.session(database=database) as session:
        nodes = {r["label"]: r["n"] for r in session.run("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")}
        rels = {r["type"]: r["n"] for r in session.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
    return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items()))}
