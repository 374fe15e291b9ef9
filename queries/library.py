"""Named queries (queries/*.cypher, documented by their `//` header): their questions, typed parameters and
columns. Running them is soyaku.queries.run's job; this module needs no driver, so a command that only reads a
query (or forwards it to the running engine) does not load one.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable

from soyaku.core.errors import ParameterError, QueryError
from soyaku.core.japanese import BUDGET_TERMS, parse_budget_term, parse_fiscal_year

__all__ = ["Parameter", "NamedQuery", "VALUE_TYPES", "ValueType", "named_queries", "named_query", "parse_header",
           "read_cypher_file", "result_columns", "shipped_queries"]


@dataclass(frozen=True)
class ValueType:
    """What a parameter takes: how to read a value the way the data is written, what is allowed, an example."""

    name: str
    allowed: str
    example: str
    parse: Callable[[Any], Any]


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _term(field: str) -> ValueType:
    allowed = ", ".join(f"{value} ({ja})" for value, (ja, _) in BUDGET_TERMS[field].items())
    example = {"budget_type": "補正", "basis": "事業規模", "stage": "予算案"}[field]
    return ValueType(field.replace("_", " "), allowed, example, lambda v: parse_budget_term(field, str(v)))


#: The value types a query header may declare, as `//   name (type): default -- description`.
VALUE_TYPES: dict[str, ValueType] = {
    "integer": ValueType("integer", "a whole number", "4", _integer),
    "fiscal_year": ValueType("fiscal year", "a fiscal year as 2025, FY2025, R7 or 令和7年度 (its first calendar year)",
                             "令和7年度", lambda v: v if isinstance(v, int) and not isinstance(v, bool)
                             else parse_fiscal_year(str(v))),
    "budget_type": _term("budget_type"),
    "basis": _term("basis"),
    "stage": _term("stage"),
}


@dataclass(frozen=True)
class Parameter:
    """A query parameter: its default (None = optional filter), what it means, and what it takes: a value type
    (VALUE_TYPES) or, for a parameter that names an entity, the entity's label ("entity" for any label): such a
    value is resolved to an id before the query runs."""

    name: str
    default: Any
    description: str
    entity: str | None = None
    type: str | None = None

    @property
    def value_type(self) -> ValueType:
        """The type's rules; an entity parameter takes a name, alias, English name or id."""
        if self.type:
            return VALUE_TYPES[self.type]
        if self.entity:
            what = "any entity" if self.entity == "entity" else f"a {self.entity}"
            return ValueType(f"entity ({self.entity})", f"{what}: its id, name, English name or alias",
                             str(self.default or "UTEK"), lambda v: v)
        return ValueType("any", "any value (JSON where it parses)", "4", lambda v: v)

    def normalise(self, value: Any) -> Any:
        """`value` the way the data writes it (令和7年度 → 2025, 補正 → supplementary), else ParameterError."""
        if value is None:
            return None
        try:
            return self.value_type.parse(value)
        except ValueError:
            kind = self.value_type.name
            raise ParameterError(f"--param {self.name}={value}: not {'an' if kind[0] in 'aeiou' else 'a'} {kind}; "
                                 f"allowed: {self.value_type.allowed}") from None


@dataclass(frozen=True)
class NamedQuery:
    """A `.cypher` file with its documented question, parameters and columns."""

    name: str
    question: str
    question_ja: str
    parameters: tuple[Parameter, ...]
    columns: str
    notes: str
    text: str

    def column_names(self) -> list[str]:
        """The documented columns' names (`columns:` without the parenthesised explanations)."""
        return [re.sub(r"\s*\(.*", "", c).strip() for c in re.split(r",\s*(?![^()]*\))", self.columns) if c.strip()]

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults for every declared parameter, overridden by `given`; unknown names are an error."""
        declared = {p.name for p in self.parameters}
        unknown = sorted(set(given) - declared)
        if unknown:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {known}")
        by_name = {p.name: p for p in self.parameters}
        return {p.name: p.default for p in self.parameters} | {k: by_name[k].normalise(v) for k, v in given.items()}


_FIELD = re.compile(r"^// ?(name|question|question_ja|parameters|columns|notes):\s*(.*)$")
_PARAM = re.compile(r"^//\s{2,}(\w+)(?:\s*\((\w+)\))?:\s*(.*?)\s*(?:--\s*(.*))?$")


def _default(text: str | None, name: str, line: int) -> Any:
    """A parameter's default in a query header: JSON (null, 3, "x", [..]), or a QueryError saying where."""
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise QueryError(f"{name}, header line {line}: the default {text[:40]!r} is not JSON: write null, a number, "
                         "true/false or a quoted \"text\"") from None


#: The largest Cypher file `soyaku query --file` reads.
MAX_CYPHER_FILE = 1 << 20


def read_cypher_file(path: Path) -> str:
    """The text of a Cypher file: a regular UTF-8 text file of at most `MAX_CYPHER_FILE` bytes (QueryError else)."""
    with open(path, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise QueryError(f"{path} is not a regular file: give a Cypher text file to --file")
        data = f.read(MAX_CYPHER_FILE + 1)
    if len(data) > MAX_CYPHER_FILE:
        raise QueryError(f"{path} is larger than {MAX_CYPHER_FILE >> 20} MiB: --file takes one Cypher query")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise QueryError(f"{path}:{line}: not UTF-8 text (byte {exc.start}): --file takes a Cypher text file") from None
    if "\0" in text:
        raise QueryError(f"{path}:{text[:text.index(chr(0))].count(chr(10)) + 1}: holds a NUL character: --file takes "
                         "a Cypher text file")
    return text


def parse_header(text: str, fallback_name: str) -> NamedQuery:
    """Read the `//` header block: name, question, question_ja, parameters (indented), columns, notes.

    A parameter line is `//   name: default  -- description`, `//   name (type): …` for a value type of
    VALUE_TYPES (integer, fiscal_year, budget_type, basis, stage), or `//   name (Label): …` for one that names an
    entity of that label (`(entity)`: of any label).

    >>> q = parse_header('// name: demo\\n// parameters:\\n//   vc (VentureCapital): null  -- a VC\\nRETURN $vc', 'x')
    >>> q.name, q.parameters[0].name, q.parameters[0].default, q.parameters[0].entity
    ('demo', 'vc', None, 'VentureCapital')
    """
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("//"):
            break
        if m := _FIELD.match(line):
            current = m[1]
            fields[current] = m[2].strip()
        elif current == "parameters" and (p := _PARAM.match(line)):
            kind = p[2] if p[2] in VALUE_TYPES else None
            parameters.append(Parameter(p[1], _default(p[3], fallback_name, number), (p[4] or "").strip(),
                                        None if kind else p[2], kind))
        elif current:
            fields[current] += " " + line.lstrip("/ ").strip()
    return NamedQuery(
        name=fields.get("name", fallback_name),
        question=fields.get("question", ""),
        question_ja=fields.get("question_ja", ""),
        parameters=tuple(parameters),
        columns=fields.get("columns", ""),
        notes=fields.get("notes", ""),
        text=text,
    )


_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_RETURN = re.compile(r"\bRETURN\s+(?:DISTINCT\s+)?(.*?)(?:\bORDER\s+BY\b|\bSKIP\b|\bLIMIT\b|\bUNION\b|;|$)",
                     re.I | re.S)


def result_columns(cypher: str) -> list[str]:
    """The columns a statement's last RETURN names (`x AS name` → name, else the expression as written); [] when
    unknown (`RETURN *`, no RETURN). For the header of an empty answer, which the engine gives without columns."""
    masked = _STRINGS.sub(lambda m: "\0" * len(m[0]) if not m[0].startswith(("/", "`")) else m[0], cypher)
    found = list(_RETURN.finditer(masked))
    if not found:
        return []
    start, end = found[-1].span(1)
    items, depth, current = [], 0, ""
    for char, original in zip(masked[start:end], cypher[start:end]):
        depth += char in "([{" and 1 or char in ")]}" and -1 or 0
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += original
    items.append(current)
    names = []
    for item in (i.strip() for i in items):
        alias = re.search(r"\bAS\s+(`[^`]+`|\w+)\s*$", item, re.I)
        names.append(alias[1].strip("`") if alias else " ".join(item.split()))
    return [] if names == ["*"] else names


def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped in queries/, by name."""
    found = {}
    for stem, text in shipped_queries(".cypher"):
        query = parse_header(text, stem)
        found[query.name] = query
    return found


def shipped_queries(suffix: str) -> list[tuple[str, str]]:
    """(file stem, text) of every query file in queries/ ending in `suffix` (.cypher, .rq), by file name."""
    return [(entry.name.removesuffix(suffix), entry.read_text(encoding="utf-8"))
            for entry in sorted(files("soyaku.queries").iterdir(), key=lambda e: e.name) if entry.name.endswith(suffix)]


def named_query(name: str) -> NamedQuery:
    """The named query `name`, or a QueryError listing the known ones."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known queries: {', '.join(queries)} (see `soyaku queries`)")
    return queries[name]
