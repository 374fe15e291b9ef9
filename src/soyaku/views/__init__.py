"""Views of the property graph: networkx conversion and subgraphs, network analysis, and the interactive HTML page.

`network` and `analysis` need only networkx; `html` renders a self-contained page with the vis-network
library that pyvis ships (no CDN).
"""

from __future__ import annotations

from soyaku.views.analysis import (
    betweenness_ranking,
    co_investment_graph,
    co_investment_pairs,
    component_summary,
    degree_ranking,
    graph_stats,
    vc_portfolios,
)
from soyaku.views.network import (
    find_nodes,
    focus,
    name_index,
    resolve_node,
    subgraph,
    to_networkx,
)

__all__ = [
    "betweenness_ranking",
    "co_investment_graph",
    "co_investment_pairs",
    "component_summary",
    "degree_ranking",
    "find_nodes",
    "focus",
    "graph_stats",
    "name_index",
    "resolve_node",
    "subgraph",
    "to_networkx",
    "vc_portfolios",
]
