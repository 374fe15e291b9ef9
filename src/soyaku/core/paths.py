"""A path between two entities as the questions return it: plain nodes and relationships, no driver types, so
it crosses the engine's socket and prints the same on every surface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PathStep"]


@dataclass(frozen=True)
class PathStep:
    """One path: nodes (id, name, labels) and the relationships between them (type, key properties, sources
    and quotes)."""

    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
