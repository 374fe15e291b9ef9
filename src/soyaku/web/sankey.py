"""A Sankey picture's geometry (columns, node boxes, link bands) for a soyaku.app.money.Flow, drawn as SVG by the
money template. Bands are as wide as their amounts; links whose amount no source states are thin dashed lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from soyaku.app.money import Flow

__all__ = ["Layout", "layout", "STAGES"]

STAGES = ("ministry", "program", "fund", "vc", "startup")
WIDTH, HEIGHT, NODE_W, GAP, UNSTATED_H, TOP = 1200, 640, 14, 6, 10, 30


@dataclass
class Layout:
    """Boxes (x, y, w, h, name, id, stage) and bands (path, width, amount, stated) in a WIDTH × height canvas."""

    width: int
    height: int
    columns: list[dict[str, Any]] = field(default_factory=list)
    boxes: list[dict[str, Any]] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)


def layout(flow: Flow) -> Layout:
    stages = [s for s in STAGES if any(n["stage"] == s for n in flow.nodes.values())]
    amount: dict[str, int] = {}
    for link in flow.links:
        if link.jpy is not None:
            for end in (link.source, link.target):
                amount[end] = amount.get(end, 0)
            amount[link.source] += link.jpy if link.source.startswith("ministry:") else 0
            amount[link.target] += link.jpy
    for node in amount:  # a ministry's box: what it sends
        if node.startswith("ministry:"):
            amount[node] = sum(l.jpy or 0 for l in flow.links if l.source == node)
    columns = {s: [n for n in flow.nodes.values() if n["stage"] == s] for s in stages}
    for nodes in columns.values():
        nodes.sort(key=lambda n: (-amount.get(n["id"], 0), n["name"]))
    biggest = max([sum(amount.get(n["id"], 0) for n in nodes) for nodes in columns.values()] + [1])
    scale = (HEIGHT - TOP - GAP * 12) / biggest
    height = HEIGHT
    step = min(400, (WIDTH - 300) / max(1, len(stages) - 1))
    out = Layout(WIDTH, HEIGHT)
    place: dict[str, dict[str, Any]] = {}
    for i, stage in enumerate(stages):
        x, y = 10 + i * step, TOP
        out.columns.append({"stage": stage, "x": x})
        for node in columns[stage]:
            h = max(3.0, amount[node["id"]] * scale) if amount.get(node["id"]) else UNSTATED_H
            box = {**node, "x": x, "y": y, "w": NODE_W, "h": h, "jpy": amount.get(node["id"]), "out": 0.0, "in": 0.0}
            place[node["id"]] = box
            out.boxes.append(box)
            y += h + GAP
        height = max(height, int(y + GAP))
    out.height = height
    for link in sorted(flow.links, key=lambda l: (place[l.source]["y"], place[l.target]["y"])):
        a, b = place[link.source], place[link.target]
        width = link.jpy * scale if link.jpy is not None else 1.5
        y0 = a["y"] + (a["out"] + width / 2 if link.jpy is not None else a["h"] / 2)
        y1 = b["y"] + (b["in"] + width / 2 if link.jpy is not None else b["h"] / 2)
        if link.jpy is not None:
            a["out"] += width
            b["in"] += width
        x0, x1 = a["x"] + NODE_W, b["x"]
        mid = (x0 + x1) / 2
        out.bands.append({"d": f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}",
                          "width": max(1.0, width), "jpy": link.jpy, "stated": link.jpy is not None,
                          "source": a["name"], "target": b["name"], "text": link.text, "disputed": link.disputed})
    return out
