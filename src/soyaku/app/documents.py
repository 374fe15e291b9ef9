"""A source document: its text with line numbers and every fact of the graph that cites it, by line."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from soyaku.app.entities import NotFound
from soyaku.graph.connect import Connection
from soyaku.queries.run import run_cypher

__all__ = ["Citation", "Document", "document", "documents"]

_DOCUMENT = "MATCH (d:Document) WHERE d.id = $id RETURN properties(d) AS props"
_LIST = """
MATCH (d:Document)
OPTIONAL MATCH (d)-[m:MENTIONS]->()
RETURN d.id AS id, d.name AS name, d.name_en AS name_en, d.date AS date, d.date_text AS date_text,
       count(m) AS mentions
ORDER BY d.id
"""
#: Nodes and relationships that cite a file (their `sources` are "file#Lline").
_CITING_NODES = """
MATCH (n) WHERE any(s IN n.sources WHERE s STARTS WITH $prefix) AND NOT n:Document
RETURN n.id AS id, coalesce(n.name, n.title, n.id) AS name, labels(n)[0] AS label, n.sources AS sources,
       n.quotes AS quotes
"""
_CITING_RELATIONSHIPS = """
MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONS' AND any(s IN r.sources WHERE s STARTS WITH $prefix)
RETURN a.id AS start_id, coalesce(a.name, a.title) AS start_name, type(r) AS type,
       b.id AS end_id, coalesce(b.name, b.title) AS end_name, r.sources AS sources, r.quotes AS quotes
"""


@dataclass(frozen=True)
class Citation:
    """A fact citing the document at `line` with `quote`: a node's existence (`type` None) or a relationship."""

    line: int
    quote: str
    start_id: str
    start_name: str
    type: str | None = None
    end_id: str | None = None
    end_name: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Document:
    """A source document: its properties, its text lines (empty when the text is not shipped) and citations."""

    id: str
    name: str
    properties: dict[str, Any]
    lines: list[str]
    citations: list[Citation]

    def cited_lines(self) -> set[int]:
        return {c.line for c in self.citations}


def documents(conn: Connection) -> list[dict[str, Any]]:
    """Every source document with its title, date and how many entities it mentions."""
    return run_cypher(conn.driver, conn.database, _LIST).rows


def _text(props: dict[str, Any], data_dir: Path | None) -> list[str]:
    folder, file = str(props.get("id", "")).removeprefix("doc-"), props.get("file")
    if not file:
        return []
    root = data_dir if data_dir is not None else files("soyaku.data")
    path = root / folder / file
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []


def _at(props: dict[str, Any], prefix: str) -> list[tuple[int, str]]:
    found = []
    for locator, quote in zip(props["sources"] or [], props["quotes"] or []):
        if locator.startswith(prefix) and locator[len(prefix):].isdigit():
            found.append((int(locator[len(prefix):]), quote))
    return found


def document(conn: Connection, document_id: str, data_dir: Path | None = None) -> Document:
    """The document `document_id` with its text (from `data_dir`, default the shipped data) and citing facts."""
    rows = run_cypher(conn.driver, conn.database, _DOCUMENT, {"id": document_id}).rows
    if not rows:
        raise NotFound(f"no document has the id {document_id!r}: the documents are listed on the home page")
    props = rows[0]["props"]
    prefix = f"{props.get('file')}#L"
    citations = []
    for row in run_cypher(conn.driver, conn.database, _CITING_NODES, {"prefix": prefix}).rows:
        citations += [Citation(line, quote, row["id"], row["name"], label=row["label"])
                      for line, quote in _at(row, prefix)]
    for row in run_cypher(conn.driver, conn.database, _CITING_RELATIONSHIPS, {"prefix": prefix}).rows:
        citations += [Citation(line, quote, row["start_id"], row["start_name"], row["type"], row["end_id"],
                               row["end_name"]) for line, quote in _at(row, prefix)]
    citations = sorted(set(citations), key=lambda c: (c.line, c.type or "", c.start_name, c.end_name or ""))
    return Document(document_id, props.get("name") or document_id, props, _text(props, data_dir), citations)
