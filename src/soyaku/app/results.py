"""What the questions return (`Answer`, `Trace`, a list of `Match`), and the same as JSON for the engine's socket.

Plain data only, and no driver: a `soyaku` command that hands its question to the running engine decodes the
answer here and renders it itself, exactly as it renders an answer it computed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from soyaku.core.names import Entity, Match, Resolved
from soyaku.core.paths import PathStep

__all__ = ["Answer", "Result", "Trace", "from_wire", "to_wire"]


@dataclass(frozen=True)
class Answer:
    """A query's answer: its columns and rows, the entity parameters resolved from names, and notes for the reader
    (the query's notes, why it is empty, warnings about names the graph lacks, the money's grand totals)."""

    columns: list[str]
    rows: list[dict[str, Any]]
    resolved: list[Resolved] = field(default_factory=list)
    notes: str | None = None
    empty: str | None = None
    warnings: list[str] = field(default_factory=list)
    sums: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Trace:
    """How one entity reaches another: the two ends as resolved, and the paths found, shortest first."""

    ends: tuple[Match, Match]
    paths: list[PathStep]


#: What a question returns: `ask` an Answer, `trace` a Trace, `find` the matches, best first.
Result = Answer | Trace | list[Match]


def to_wire(result: Result) -> Any:
    """RESULT as JSON-ready data (rows are plain values already: dates as ISO text)."""
    if isinstance(result, list):
        return [asdict(m) for m in result]
    return asdict(result)


def from_wire(question: str, data: Any) -> Result:
    """The result of QUESTION (`ask`, `find` or `trace`) from what `to_wire` made of it."""
    if question == "find":
        return [_match(m) for m in data]
    if question == "trace":
        start, end = (_match(m) for m in data["ends"])
        return Trace((start, end), [PathStep(p["nodes"], p["relationships"]) for p in data["paths"]])
    return Answer(data["columns"], data["rows"], [Resolved(r["parameter"], r["text"], _match(r["match"]))
                                                  for r in data["resolved"]],
                  data["notes"], data["empty"], data["warnings"], data["sums"])


def _match(data: dict[str, Any]) -> Match:
    entity = data["entity"]
    return Match(Entity(entity["id"], entity["label"], entity["name"], entity["name_en"], tuple(entity["names"]),
                        tuple((scheme, value) for scheme, value in entity["identifiers"])),
                 data["kind"], data["matched"])
