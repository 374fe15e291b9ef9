"""GraphML writer: the property graph for networkx, Gephi and yEd, as APOC writes it (node attribute `labels`
":Label", edge attribute `label` = the type). GraphML has string, int/long, double and boolean: dates become ISO
strings, lists JSON arrays in a string (`["a","b"]`)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soyaku.loaders.property_graph import PropertyGraph, to_networkx
from soyaku.loaders.writers import ExportError
from soyaku.loaders.writers.files import write_file

if TYPE_CHECKING:
    import networkx as nx

    from soyaku.loaders.pipeline import Compiled

__all__ = ["write_graphml"]


def _graphml_value(value: Any) -> Any:
    """GraphML has string, int/long, double and boolean: dates become ISO strings, lists JSON strings."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps([_graphml_value(v) for v in value], ensure_ascii=False)
    return value


def _graphml_graph(graph: PropertyGraph) -> nx.MultiDiGraph:
    """`to_networkx(graph)` with APOC's attribute names and every value GraphML-encoded."""
    g = to_networkx(graph)
    for node, attrs in g.nodes(data=True):
        if "labels" in attrs:
            raise ExportError(f"node {node} has a property named 'labels', which GraphML export uses for its label")
        label = attrs.pop("label")
        encoded = {k: _graphml_value(v) for k, v in attrs.items()}
        attrs.clear()
        attrs.update({"labels": f":{label}", **encoded})
    for *_, key, attrs in g.edges(keys=True, data=True):
        if "label" in attrs:
            raise ExportError(f"relationship {key} has a property named 'label', which GraphML export uses for its type")
        kind, edge_id = attrs.pop("type"), attrs.pop("edge_id")
        encoded = {k: _graphml_value(v) for k, v in attrs.items()}
        attrs.clear()
        attrs.update({"label": kind, **encoded, "id": edge_id})  # as load_graph stores it: the edge id
    return g


_CR = "\ue00d"  # stands for "\r" inside the GraphML writer


def write_graphml(compiled: Compiled, path: Path) -> None:
    """The property graph as GraphML (lists as JSON strings, dates as ISO strings)."""
    import networkx as nx

    g = _graphml_graph(compiled.graph)
    # networkx's writer splits lines (dropping "\r") and XML parsers turn a raw "\r" into "\n": carry it through
    # the writer as a private-use character, then write it as the character reference &#13;, which survives.
    for attributes in [*(d for _, d in g.nodes(data=True)), *(d for *_, d in g.edges(keys=True, data=True))]:
        for key, value in attributes.items():
            if isinstance(value, str) and ("\r" in value or _CR in value):
                if _CR in value:
                    raise ExportError(f"value {value!r} holds U+E00D, which GraphML export reserves")
                attributes[key] = value.replace("\r", _CR)
    text = "\n".join(nx.generate_graphml(g)) + "\n"
    write_file(path, text.replace(_CR, "&#13;").replace(f"&#{ord(_CR)};", "&#13;"))
