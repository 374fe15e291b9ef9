"""Network analysis of the graph: who is central, which VCs invest together, how the graph falls apart.

Pure functions: a networkx MultiDiGraph (see `soyaku.views.network.to_networkx`) in, plain dicts and lists out,
so the CLI can print them as a table or JSON.

Documents and their MENTIONS edges are left out of every measure by default: they say where a fact was read, not
how money or people connect, and a document that names 60 entities would otherwise be the most "central" node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx

from soyaku.views.network import BARRIER_LABELS, BARRIER_TYPES, display_name, without

__all__ = [
    "ANALYSED_LABELS",
    "betweenness_ranking",
    "co_investment_graph",
    "co_investment_pairs",
    "component_summary",
    "degree_ranking",
    "graph_stats",
    "structural",
    "vc_portfolios",
]

#: The labels the rankings report on by default.
ANALYSED_LABELS = ("VentureCapital", "Program")


def structural(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`g` without Document nodes and MENTIONS edges: the graph the measures are taken on."""
    return without(g, labels=BARRIER_LABELS, types=BARRIER_TYPES)


def _row(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    attrs = g.nodes[node]
    return {"id": node, "label": attrs.get("label"), "name": display_name(attrs), "name_en": attrs.get("name_en")}


def degree_ranking(
    g: nx.MultiDiGraph, labels: Iterable[str] = ANALYSED_LABELS, top: int | None = 10, *, include_documents: bool = False
) -> list[dict[str, Any]]:
    """Nodes of `labels` by degree (relationships in + out, parallel ones counted), highest first.

    Each row: id, label, name, name_en, degree, in_degree, out_degree, and degree per relationship type.
    Ties are broken by name, then id.
    """
    h = g if include_documents else structural(g)
    wanted = set(labels)
    rows = []
    for node, label in h.nodes(data="label"):
        if label not in wanted:
            continue
        by_type: dict[str, int] = defaultdict(int)
        for _, _, t in h.in_edges(node, data="type"):
            by_type[t] += 1
        for _, _, t in h.out_edges(node, data="type"):
            by_type[t] += 1
        rows.append({**_row(h, node), "degree": h.degree(node), "in_degree": h.in_degree(node),
                     "out_degree": h.out_degree(node), "by_type": dict(sorted(by_type.items()))})
    rows.sort(key=lambda r: (-r["degree"], r["name"], r["id"]))
    return rows if top is None else rows[:top]


def betweenness_ranking(
    g: nx.MultiDiGraph, labels: Iterable[str] = ANALYSED_LABELS, top: int | None = 10, *, include_documents: bool = False
) -> list[dict[str, Any]]:
    """Nodes of `labels` by betweenness centrality, highest first.

    Measured on the undirected simple graph (funding flows both ways in what a user asks: "what connects X and Y"),
    normalised to 0..1 over all nodes of the graph, Documents left out unless `include_documents`.
    """
    h = g if include_documents else structural(g)
    simple = nx.Graph(h.to_undirected(as_view=True))
    centrality = nx.betweenness_centrality(simple, normalized=True)
    wanted = set(labels)
    rows = [{**_row(h, n), "betweenness": round(value, 6)} for n, value in centrality.items() if h.nodes[n].get("label") in wanted]
    rows.sort(key=lambda r: (-r["betweenness"], r["name"], r["id"]))
    return rows if top is None else rows[:top]


def vc_portfolios(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Each VentureCapital with the startups it BACKED (distinct startups), most startups first."""
    rows = []
    for node, label in g.nodes(data="label"):
        if label != "VentureCapital":
            continue
        startups = sorted({v for _, v, t in g.out_edges(node, data="type") if t == "BACKED"})
        rows.append({**_row(g, node), "startups": len(startups),
                     "startup_ids": startups, "startup_names": [display_name(g.nodes[s]) for s in startups]})
    rows.sort(key=lambda r: (-r["startups"], r["name"], r["id"]))
    return rows


def co_investment_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """VCs as nodes, linked when they BACKED the same startup; edge `weight` = number of shared startups and
    `startups` = their ids. Every VC is a node, also one that shares no startup.

    (Being CERTIFIED_FOR the same program would link nearly all VCs, so shared startups are the signal.)
    """
    backers: dict[str, set[str]] = defaultdict(set)
    for u, v, t in g.edges(data="type"):
        if t == "BACKED":
            backers[v].add(u)
    co = nx.Graph()
    co.add_nodes_from((n, {"name": display_name(a)}) for n, a in g.nodes(data=True) if a.get("label") == "VentureCapital")
    for startup, vcs in sorted(backers.items()):
        for a, b in combinations(sorted(vcs), 2):
            if co.has_edge(a, b):
                co[a][b]["startups"].append(startup)
                co[a][b]["weight"] += 1
            else:
                co.add_edge(a, b, weight=1, startups=[startup])
    return co


def co_investment_pairs(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The pairs of VCs that backed at least one startup together, most shared startups first."""
    co = co_investment_graph(g)
    rows = []
    for a, b, data in co.edges(data=True):
        a, b = sorted((a, b))
        rows.append({"vc_a": a, "vc_a_name": co.nodes[a]["name"], "vc_b": b, "vc_b_name": co.nodes[b]["name"],
                     "shared": data["weight"], "startup_ids": sorted(data["startups"]),
                     "startup_names": [display_name(g.nodes[s]) for s in sorted(data["startups"])]})
    rows.sort(key=lambda r: (-r["shared"], r["vc_a_name"], r["vc_b_name"]))
    return rows


def component_summary(g: nx.MultiDiGraph, *, include_documents: bool = False) -> dict[str, Any]:
    """Weakly connected components: how many, their sizes (largest first), and the members of the small ones.

    Without Documents by default: with them, MENTIONS would join nearly everything into one component.
    """
    h = g if include_documents else structural(g)
    comps = sorted(nx.weakly_connected_components(h), key=lambda c: (-len(c), min(c)))
    small = []
    for comp in comps[1:]:
        labels: dict[str, int] = defaultdict(int)
        for n in comp:
            labels[h.nodes[n].get("label")] += 1
        small.append({"size": len(comp), "labels": dict(sorted(labels.items())),
                      "members": sorted(display_name(h.nodes[n]) for n in comp)})
    return {
        "nodes": h.number_of_nodes(),
        "edges": h.number_of_edges(),
        "count": len(comps),
        "sizes": [len(c) for c in comps],
        "isolated": sum(1 for c in comps if len(c) == 1),
        "largest_share": round(len(comps[0]) / h.number_of_nodes(), 4) if comps else 0.0,
        "others": small,
    }


def co_investment_summary(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The co-investment network in numbers: VCs, VCs that share a startup, pairs, components with 2+ VCs."""
    co = co_investment_graph(g)
    linked = [c for c in nx.connected_components(co) if len(c) > 1]
    return {"vcs": co.number_of_nodes(), "vcs_sharing_a_startup": sum(len(c) for c in linked),
            "pairs": co.number_of_edges(), "clusters": sorted((len(c) for c in linked), reverse=True)}


def graph_stats(g: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """Everything `soyaku stats` shows, as one JSON-ready dict."""
    return {
        "graph": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "measured_without": {"labels": sorted(BARRIER_LABELS), "types": sorted(BARRIER_TYPES)}},
        "degree": {label: degree_ranking(g, [label], top) for label in ANALYSED_LABELS},
        "betweenness": {label: betweenness_ranking(g, [label], top) for label in ANALYSED_LABELS},
        "vc_portfolios": vc_portfolios(g)[:top] if top else vc_portfolios(g),
        "co_investment": {**co_investment_summary(g), "top_pairs": co_investment_pairs(g)[:top]},
        "components": component_summary(g),
    }
