"""The graph's vocabulary (labels, relationship types, property keys) and warnings for names a statement uses
that the graph lacks, with the closest known names, as Neo4j's notifications do (`MATCH (v:VC)` → VentureCapital).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import neo4j

from soyaku.queries.run import run_cypher

__all__ = ["Vocabulary", "closest", "graph_vocabulary", "unknown_names"]

_VOCABULARY = {
    "label": "MATCH (n) UNWIND labels(n) AS name RETURN DISTINCT name",
    "type": "MATCH ()-[r]->() RETURN DISTINCT type(r) AS name",
    "property": "MATCH (n) UNWIND keys(n) AS name RETURN DISTINCT name",
    "relationship property": "MATCH ()-[r]->() UNWIND keys(r) AS name RETURN DISTINCT name",
}


@dataclass(frozen=True)
class Vocabulary:
    """The names the graph holds."""

    labels: frozenset[str]
    types: frozenset[str]
    properties: frozenset[str]


def graph_vocabulary(driver: neo4j.Driver, database: str | None) -> Vocabulary:
    """The labels, relationship types and property keys of the graph."""
    names = {kind: frozenset(row["name"] for row in run_cypher(driver, database, cypher).rows)
             for kind, cypher in _VOCABULARY.items()}
    return Vocabulary(names["label"], names["type"], names["property"] | names["relationship property"])


def _initials(name: str) -> str:
    return "".join(re.findall(r"[A-Z]", name)) or name[:1].upper()


def closest(name: str, known: frozenset[str], n: int = 3) -> list[str]:
    """The known names closest to `name`: same initials (VC → VentureCapital), then spelling (Startp → Startup)."""
    by_initials = sorted(k for k in known if _initials(k) == name.upper() or _initials(k) == _initials(name)
                         and len(name) <= 3)
    by_spelling = difflib.get_close_matches(name, sorted(known), n=n, cutoff=0.5)
    lowered = [k for k in sorted(known) if k.casefold() == name.casefold()]
    return list(dict.fromkeys([*lowered, *by_initials, *by_spelling]))[:n]


_MASK = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)
_NODE_LABELS = re.compile(r"\(\s*\w*\s*((?::\s*`?\w+`?\s*)+)")
_WHERE_LABEL = re.compile(r"\b(?:WHERE|AND|OR|NOT|XOR)\s+\(?\s*[a-zA-Z_]\w*((?::\w+)+)\b", re.I)
_REL_TYPES = re.compile(r"\[\s*\w*\s*:\s*(`?\w+`?(?:\s*\|\s*:?\s*`?\w+`?)*)")
_PROPERTY = re.compile(r"(?<![\w.])([a-zA-Z_]\w*)\.(\w+)\b(?!\s*\()")


def unknown_names(cypher: str, vocabulary: Vocabulary) -> list[str]:
    """A warning for each label, relationship type or property key `cypher` names that the graph lacks."""
    text = _MASK.sub("''", cypher)
    labels = {m.strip(" `") for group in _NODE_LABELS.findall(text) for m in group.split(":") if m.strip(" `")}
    labels |= {m for group in _WHERE_LABEL.findall(text) for m in group.split(":") if m}
    types = {t.strip(" :`") for group in _REL_TYPES.findall(text) for t in group.split("|") if t.strip(" :`")}
    variables = set(re.findall(r"[(\[,]\s*(\w+)\s*[:)\]{]", text)) | set(re.findall(r"\bAS\s+(\w+)", text, re.I))
    properties = {prop for var, prop in _PROPERTY.findall(text) if var in variables}
    warnings = []
    for kind, names, known in (("label", labels, vocabulary.labels), ("relationship type", types, vocabulary.types),
                               ("property", properties, vocabulary.properties)):
        for name in sorted(names - known):
            near = closest(name, known)
            warnings.append(f"warning: the graph has no {kind} {name}"
                            + (f"; closest: {', '.join(near)}" if near else ""))
    return warnings
