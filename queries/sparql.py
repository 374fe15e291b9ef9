"""SPARQL over the built RDF (facts, provenance and the ontology): an Oxigraph store read into memory, queries bounded
by a time limit (they run in worker processes, sparql_workers.py, ended at the limit), updates refused, answers serialised for people (rows) and programs (SPARQL JSON, CSV, TSV; Turtle or
JSON-LD for CONSTRUCT and DESCRIBE). The CLI (`soyaku sparql`), the web endpoint (`/sparql`) and the MCP server all
come here through soyaku.app.sparql.

Named SPARQL queries are queries/*.rq with the header of the Cypher ones (`#` instead of `//`): a parameter `p`
is bound to the variable `?param_p` (an entity parameter to the entity's IRI), left unbound when not given, so a
query uses it as a pattern variable (all when unbound). A `# lists:` line names the columns that are GROUP_CONCATs
joined by LIST_SEPARATOR: they come back as lists, like the Cypher twin's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from soyaku.core.errors import QueryError
from soyaku.queries.library import NamedQuery, parse_header, shipped_queries

__all__ = ["DEFAULT_PREFIXES", "GRAPH_FORMATS", "LIST_SEPARATOR", "RESULT_FORMATS", "SparqlAnswer", "SparqlError",
           "SparqlStore", "SparqlTimeout", "bind_parameters", "named_sparql_queries", "named_sparql_query"]

#: Prefixes a query may use without declaring them.
DEFAULT_PREFIXES = {
    "sy": "https://w3id.org/soyaku-kg/ontology#", "id": "https://w3id.org/soyaku-kg/id/",
    "prov": "http://www.w3.org/ns/prov#", "schema": "https://schema.org/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#", "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "eurio": "http://data.europa.eu/s66#", "sh": "http://www.w3.org/ns/shacl#", "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
#: SELECT/ASK result formats (name → media type) and CONSTRUCT/DESCRIBE formats.
RESULT_FORMATS = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json"}
LIST_SEPARATOR = " ‖ "
_OX_RESULT = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE)
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class SparqlError(QueryError):
    """A query that cannot be answered: malformed, an update, an unknown prefix, a missing store."""


class SparqlTimeout(SparqlError):
    """A query that ran past its time limit."""


@dataclass
class SparqlAnswer:
    """What a query gave: `kind` select | ask | graph; rows of plain values, or the serialised document."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    document: bytes | None = None
    media_type: str | None = None


def _strip(text: str) -> str:
    """The query without comments, IRIs and string literals (for recognising its form and keywords)."""
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)


def _refuse_updates(text: str) -> None:
    bare = _strip(text)
    form = _QUERY_FORM.search(bare)
    update = _UPDATE.search(bare)
    if update and (form is None or update.start() < form.start() or re.search(r"\bDATA\s*\{|\bWHERE\s*\{", bare[update.end():update.end() + 12], re.I)):
        raise SparqlError(f"{update[1].upper()} is a SPARQL update: the graph is read-only here; "
                          "ask with SELECT, ASK, CONSTRUCT or DESCRIBE")
    if form is None:
        raise SparqlError("not a SPARQL query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")


def _syntax_message(text: str, error: SyntaxError) -> str:
    message = str(error)
    where = re.search(r"at (\d+):(\d+)", message)
    line, column = (int(where[1]), int(where[2])) if where else (None, None)
    place = f" at line {line}, column {column}" if where else ""
    if "Prefix not found" in message:
        bare = _strip(text)
        declared = set(re.findall(r"PREFIX\s+([A-Za-z][\w.-]*)?:", bare, re.IGNORECASE)) | set(DEFAULT_PREFIXES)
        used = [p for p in re.findall(r"(?<![\w?$])([A-Za-z][\w.-]*):(?=[\w\s(])", bare) if p not in declared]
        prefix = f"{used[0]}:" if used else "a prefix"
        return (f"unknown prefix {prefix}{place}: declare it (PREFIX {prefix} <…>) or use one of "
                f"{', '.join(p + ':' for p in DEFAULT_PREFIXES)}")
    brief = re.sub(r"\s+", " ", re.sub(r"^SyntaxError\s*|error at \d+:\d+:?\s*", "", message)).strip()
    return f"malformed SPARQL{place}: {brief[:120]}{'…' if len(brief) > 120 else ''}"


def _plain(term: Any) -> Any:
    """A plain Python value of an RDF term: IRIs and strings as str, numbers, booleans, dates as ISO strings."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        value = term.value
        if datatype in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(value)
        if datatype == "decimal":
            return float(Decimal(value))
        if datatype in ("double", "float"):
            return float(value)
        if datatype == "boolean":
            return value == "true"
        if datatype == "date":
            return date.fromisoformat(value).isoformat()
        if datatype == "dateTime":
            return datetime.fromisoformat(value).isoformat()
        return value
    return term.value


class SparqlStore:
    """The built Oxigraph store, read once into memory (questions are answered 5-20× faster there than from the
    database on disk: benchmarks/sparql.py); only queries are run on it, never an update."""

    def __init__(self, path: Path):
        if not (path / "CURRENT").is_file():
            raise SparqlError(f"no SPARQL store at {path}: run `soyaku build` first")
        try:
            built = ox.Store.read_only(str(path))
            self._store = ox.Store()
            self._store.extend(list(built))
            del built
        except OSError as exc:
            raise SparqlError(f"cannot open the SPARQL store at {path}: {exc}; run `soyaku build` again") from None
        self.path = path

    def answer(self, text: str, *, output: str = "rows", graph_output: str | None = None,
               bindings: dict[str, Any] | None = None, lists: tuple[str, ...] = ()) -> SparqlAnswer:
        """Answer `text`, however long it takes (soyaku.queries.sparql_workers bounds it). `output`: rows (plain
        values), or a format name of RESULT_FORMATS (SELECT, ASK) or GRAPH_FORMATS (CONSTRUCT, DESCRIBE; rows gives
        Turtle); `graph_output`, when given, is the format of a CONSTRUCT/DESCRIBE answer whatever `output` is.
        `bindings` bind ?param_<name>."""
        _refuse_updates(text)
        given = {k: v for k, v in (bindings or {}).items() if v is not None}
        if given:  # a VALUES block at the top of the outer WHERE binds the parameters
            text = bind_parameters(text, given)
        try:
            return self._evaluate(text, output, graph_output, lists)
        except SyntaxError as error:
            raise SparqlError(_syntax_message(text, error)) from None
        except (OSError, ValueError, TypeError) as error:
            raise SparqlError(f"the query failed: {error}") from None

    def _evaluate(self, text: str, output: str, graph_output: str | None, lists: tuple[str, ...]) -> SparqlAnswer:
        result = self._store.query(text, prefixes=DEFAULT_PREFIXES, use_default_graph_as_union=True)
        try:  # the result's iterator belongs to this thread: it is read and dropped here
            return self._read(result, output, graph_output, lists)
        finally:
            del result

    @staticmethod
    def _read(result: Any, output: str, graph_output: str | None, lists: tuple[str, ...]) -> SparqlAnswer:
        if isinstance(result, ox.QueryBoolean):
            if output in _OX_RESULT:
                return SparqlAnswer("ask", boolean=bool(result), media_type=RESULT_FORMATS[output],
                                    document=result.serialize(format=_OX_RESULT[output]))
            return SparqlAnswer("ask", columns=["answer"], rows=[{"answer": bool(result)}], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            name = graph_output or (output if output in _OX_GRAPH else "turtle" if output == "rows" else None)
            if name is None:
                raise SparqlError(f"a CONSTRUCT or DESCRIBE answer is a graph: use --format "
                                  f"{' or '.join(GRAPH_FORMATS)}, not {output}")
            return SparqlAnswer("graph", media_type=GRAPH_FORMATS[name],
                                document=ox.serialize(list(result), format=_OX_GRAPH[name], prefixes=DEFAULT_PREFIXES))
        columns = [v.value for v in result.variables]
        if output in _OX_RESULT:
            return SparqlAnswer("select", columns=columns, media_type=RESULT_FORMATS[output],
                                document=result.serialize(format=_OX_RESULT[output]))
        if output in _OX_GRAPH:
            raise SparqlError(f"a SELECT or ASK answer is a table: use --format {', '.join(RESULT_FORMATS)} or table, "
                              f"not {output}")
        rows = []
        for solution in result:
            row = {c: _plain(solution[c]) for c in columns}
            for name in lists:
                value = row.get(name)
                row[name] = [] if not value else str(value).split(LIST_SEPARATOR)
            rows.append(row)
        return SparqlAnswer("select", columns=columns, rows=rows)


def bind_parameters(text: str, given: dict[str, Any]) -> str:
    """`text` with `VALUES (?param_a ...) { (...) }` opening its outer WHERE block."""
    blanked = re.sub(r"#[^\n]*", lambda m: " " * len(m[0]), text)
    where = re.search(r"\bWHERE\s*\{", blanked, re.IGNORECASE) or re.search(r"\{", blanked)
    if where is None:
        raise SparqlError("the query has no WHERE block to bind its parameters in")
    values = (f" VALUES ({' '.join(f'?param_{k}' for k in given)}) "
              f"{{ ({' '.join(_term(v) for v in given.values())}) }} ")
    return text[:where.end()] + values + text[where.end():]


def _term(value: Any) -> str:
    """A parameter value as a SPARQL term: an IRI, an integer, a boolean or a string literal."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        return f"<{value}>"
    return str(ox.Literal(str(value)))


_LISTS = re.compile(r"^# ?lists:\s*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class NamedSparql:
    """A queries/*.rq file: its header (as a NamedQuery) and the columns that come back as lists."""

    query: NamedQuery
    lists: tuple[str, ...]


def _parse(text: str, fallback: str) -> NamedSparql:
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append("//" + line[1:])
    query = parse_header("\n".join(header), fallback)
    query = NamedQuery(query.name, query.question, query.question_ja, query.parameters, query.columns, query.notes, text)
    found = _LISTS.search(text)
    return NamedSparql(query, tuple(c.strip() for c in found[1].split(",")) if found else ())


def named_sparql_queries() -> dict[str, NamedSparql]:
    """Every named SPARQL query shipped in queries/, by name."""
    found = {}
    for stem, text in shipped_queries(".rq"):
        named = _parse(text, stem)
        found[named.query.name] = named
    return found


def named_sparql_query(name: str) -> NamedSparql:
    """The named SPARQL query `name`, or a SparqlError listing the known ones."""
    queries = named_sparql_queries()
    if name not in queries:
        raise SparqlError(f"no named SPARQL query {name!r}; known: {', '.join(queries)}")
    return queries[name]
