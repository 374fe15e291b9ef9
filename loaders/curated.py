"""Read the curated YAML under data/: check every record, quote and reference, and return typed records.

Every problem is collected with its file, line and field; if there is any, `read_curated` raises one
`DataError` listing them all, so a curator fixes a whole batch at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from soyaku.core.errors import DataError, DataProblem
from soyaku.core.japanese import ShareAmount, YenAmount, match_key, parse_date, parse_fiscal_year, parse_share, parse_yen
from soyaku.ontology.model import ClassSpec, FieldSpec, Model, load_model

from .curated_yaml import LINE, MAX_BYTES, YamlProblem, load_yaml

__all__ = ["Source", "Record", "Curated", "default_data_dir", "read_curated"]

#: External identifiers of entities (ROR, Crossref Funder ID, 法人番号, Wikidata) with the URLs they were read from.
IDENTIFIERS_FILE = Path("links") / "identifiers.yaml"
#: Record value (not a model field) holding each listed identifier's own source: {field: [(value, source), ...]}.
IDENTIFIER_SOURCES = "_identifier_sources"


@dataclass(frozen=True)
class Source:
    """Where a record's fact is stated: a seed document, a verbatim quote and its line."""

    doc: str
    file: str
    quote: str
    line: int
    names: tuple[str, ...] = ()  # ids of the record and of the things it refers to that this quote names

    @property
    def locator(self) -> str:
        return f"{self.file}#L{self.line}"


@dataclass(frozen=True)
class Typed:
    """A parsed value with the source text it was parsed from (dates, fiscal years)."""

    value: Any
    text: str


@dataclass(frozen=True)
class Record:
    """One checked record: its class, stable id, typed field values and sources."""

    cls: ClassSpec
    id: str
    values: dict[str, Any]
    sources: tuple[Source, ...]
    file: str
    line: int


@dataclass(frozen=True)
class Curated:
    """All records of the data directory, documents first."""

    records: tuple[Record, ...]
    data_dir: Path


def default_data_dir() -> Path:
    """The data directory shipped with the package (data/ of the repository)."""
    return Path(str(files("soyaku.data")))


_SQUASH = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SQUASH.sub("", match_key(text))


def _occurrences(text: str, needle: str, lines: list[int]) -> list[tuple[int, int]]:
    """(first line, last line) of every occurrence of `needle` in the squashed seed text, overlapping ones included."""
    spans: list[tuple[int, int]] = []
    pos = text.find(needle) if needle else -1
    while pos >= 0:
        spans.append((lines[pos], lines[pos + len(needle) - 1]))
        pos = text.find(needle, pos + 1)
    return spans


class _Reader:
    """Collects problems while turning raw YAML mappings into records."""

    def __init__(self, data_dir: Path, model: Model):
        self.data_dir = data_dir
        self.model = model
        self.problems: list[DataProblem] = []
        self.seeds: dict[str, tuple[str, list[int], str]] = {}  # doc → (squashed text, line of each char, file)
        self.shown: dict[Path, str] = {}  # file → as problems show it
        self.parsed: dict[tuple[str, str], Any] = {}  # (type, text) → parsed date, fiscal year or amount

    def problem(self, file: Path | str, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(DataProblem(self.where(file) if isinstance(file, Path) else file, line, field, message))

    def where(self, file: Path) -> str:
        """FILE as problems show it (relative to the data directory's parent)."""
        if file not in self.shown:
            self.shown[file] = str(file.relative_to(self.data_dir.parent))
        return self.shown[file]

    # -- seeds and quotes -------------------------------------------------------------------------
    def load_seed(self, folder: Path) -> str | None:
        seeds = sorted(folder.glob(f"{folder.name}_*.txt"))
        if len(seeds) != 1:
            self.problem(folder, None, None, f"expected exactly one seed text {folder.name}_*.txt, found {len(seeds)}")
            return None
        text = seeds[0].read_text(encoding="utf-8")
        squashed: list[str] = []
        lines: list[int] = []
        for number, line in enumerate(text.splitlines(), start=1):
            piece = _squash(line)
            squashed.append(piece)
            lines.extend([number] * len(piece))
        self.seeds[folder.name] = ("".join(squashed), lines, seeds[0].name)
        return seeds[0].name

    def sources(self, raw: Any, folder: str, file: Path, line: int) -> tuple[Source, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(file, line, "sources", "every record needs `sources`: a list of {doc, quote}")
            return ()
        found: list[Source] = []
        for item in raw:
            at = item.get(LINE, line) if isinstance(item, dict) else line
            if not isinstance(item, dict) or not isinstance(item.get("quote"), str) or not item["quote"].strip():
                self.problem(file, at, "sources", "each source needs a non-empty `quote` (and optionally `doc`, `line`, `near`)")
                continue
            for key in sorted(set(item) - {"doc", "quote", "line", "near", LINE}):
                self.problem(file, at, f"sources.{key}", "unknown key in a source; known: doc, quote, line, near")
            doc = str(item.get("doc", folder)).zfill(3)
            if doc not in self.seeds:
                self.problem(file, at, "sources.doc", f"unknown document {doc!r}; known: {', '.join(sorted(self.seeds))}")
                continue
            located = self.locate(doc, item, file, at)
            if located is not None:
                found.append(Source(doc, self.seeds[doc][2], item["quote"], located))
        return tuple(found)

    def locate(self, doc: str, item: dict[str, Any], file: Path, at: int) -> int | None:
        """The line where the quote starts: its one occurrence, or the one its `line` or `near` pin selects."""
        text, lines, seed_file = self.seeds[doc]
        quote = item["quote"]
        spans = _occurrences(text, _squash(quote), lines)
        if not spans:
            self.problem(file, at, "sources.quote", f"quote not found in {seed_file}: {quote!r}; copy it verbatim from the seed")
            return None
        starts = ", ".join(str(s) for s, _ in spans)
        pin, near = item.get("line"), item.get("near")
        if pin is not None:
            if isinstance(pin, bool) or not isinstance(pin, int):
                self.problem(file, at, "sources.line", f"`line` must be a line number of {seed_file}, got {pin!r}")
                return None
            hits = [s for s, e in spans if s <= pin <= e]
            if not hits:
                self.problem(file, at, "sources.line", f"{quote!r} is not at line {pin} of {seed_file}; it occurs at line(s) {starts}")
                return None
            return hits[0]
        if near is not None:
            anchors = _occurrences(text, _squash(near), lines) if isinstance(near, str) and near.strip() else []
            if len(anchors) != 1:
                what = "not found" if not anchors else f"occurs {len(anchors)} times"
                self.problem(file, at, "sources.near", f"`near` must be a quote that occurs once in {seed_file}; {near!r} {what}")
                return None
            anchor = anchors[0][0]
            distance = sorted((abs(s - anchor), s) for s, _ in spans)
            if len(distance) > 1 and distance[0][0] == distance[1][0]:
                self.problem(file, at, "sources.near", f"{quote!r} occurs as near to {near!r} at lines {distance[0][1]} and {distance[1][1]}; pin it with `line`")
                return None
            return distance[0][1]
        if len(spans) > 1:
            self.problem(file, at, "sources.quote", f"{quote!r} occurs {len(spans)} times in {seed_file} (lines {starts}); "
                         "pin the one meant with `line: N` or `near: <a quote next to it>`")
            return None
        return spans[0][0]

    # -- values -----------------------------------------------------------------------------------
    def value(self, spec: FieldSpec, raw: Any, file: Path, line: int) -> Any:
        """Check and parse one field value; references stay raw until every id is known."""
        def bad(message: str) -> None:
            self.problem(file, line, spec.name, message)

        kind = spec.type
        if kind in ("text", "enum") or (kind == "ref" and spec.to != ("Round",)):
            if not isinstance(raw, str) or not raw.strip():
                return bad(f"expected a non-empty text, got {raw!r}")
            if kind == "enum" and raw not in spec.values:
                return bad(f"{raw!r} is not one of: {', '.join(spec.values)}")
            return raw
        if kind in ("texts", "refs"):
            if not isinstance(raw, list) or not raw or not all(isinstance(v, str) and v.strip() for v in raw):
                return bad(f"expected a list of texts, got {raw!r}")
            return list(raw)
        if kind == "int" or kind == "ref":  # a Round is referred to by its number
            if isinstance(raw, bool) or not isinstance(raw, int):
                return bad(f"expected a whole number, got {raw!r}")
            return raw
        if kind == "bool":
            if not isinstance(raw, bool):
                return bad(f"expected true or false, got {raw!r}")
            return raw
        parsers = {"date": parse_date, "fiscal_year": parse_fiscal_year, "yen": parse_yen, "share": parse_share}
        if not isinstance(raw, str):
            return bad(f"expected the text as written in the source (e.g. 令和7年度, R4.12.23, 481億円, 約3割), got {raw!r}")
        if (kind, raw) in self.parsed:  # the parsers are pure and the same texts recur
            parsed = self.parsed[kind, raw]
        else:
            try:
                parsed = self.parsed[kind, raw] = parsers[kind](raw)
            except ValueError as exc:
                return bad(str(exc))
        return parsed if isinstance(parsed, (YenAmount, ShareAmount)) else Typed(parsed, raw)

    def record(self, cls: ClassSpec, raw: Any, folder: str, file: Path) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.problem(file, None, None, f"each record must be a mapping, got {raw!r}")
            return None
        line = raw.pop(LINE)
        for name in sorted(set(raw) - set(cls.fields) - {"id", "sources"}):
            self.problem(file, line, name, f"unknown field for {cls.name}; known fields: {', '.join(sorted(cls.fields))}")
        values: dict[str, Any] = {}
        for name, spec in cls.fields.items():
            if raw.get(name) is None:
                if spec.required:
                    self.problem(file, line, name, f"required field missing for {cls.name}")
                continue
            parsed = self.value(spec, raw[name], file, line)
            if parsed is not None:
                values[name] = parsed
        if cls.name == "Outcome":
            self.check_outcome_figure(values, file, line)
        sources = self.sources(raw.get("sources"), folder, file, line)
        self.check_amounts_quoted(values, sources, file, line)
        return {"values": values, "id": raw.get("id"), "line": line, "sources": sources}

    def check_outcome_figure(self, values: dict[str, Any], file: Path, line: int) -> None:
        """An outcome states a count (value and unit) or a share (約3割), one of the two."""
        count = [name for name in ("value", "unit") if name in values]
        if "share" in values and count:
            self.problem(file, line, "share", "give either share (e.g. 約3割) or value and unit (a count), not both")
        elif "share" not in values and len(count) != 2:
            self.problem(file, line, "value", "an outcome needs value and unit (a count, e.g. 8 件) or share (e.g. 約3割)")

    def check_amounts_quoted(self, values: dict[str, Any], sources: tuple[Source, ...], file: Path, line: int) -> None:
        """An amount must be written as one of the record's quotes writes it (NFKC, spaces ignored)."""
        if not sources:
            return  # the missing or unfound quotes are already reported
        quotes = [_squash(source.quote) for source in sources]
        for name, value in values.items():
            if isinstance(value, (YenAmount, ShareAmount)) and not any(_squash(value.text) in quote for quote in quotes):
                self.problem(file, line, name, f"the amount {value.text!r} does not occur in the record's quote(s): "
                             f"quote the text that states it, or write the amount as the quote does")


def _load_yaml(reader: _Reader, file: Path) -> Any:
    if file.stat().st_size > MAX_BYTES:
        reader.problem(file, None, None, f"larger than {MAX_BYTES >> 20} MiB ({file.stat().st_size >> 20} MiB): split "
                       "its records over more files or source folders")
        return None
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reader.problem(file, data[:exc.start].count(b"\n") + 1, None,
                       f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}): save the file as UTF-8")
        return None
    try:
        return load_yaml(text)
    except YamlProblem as exc:
        reader.problem(file, exc.line, None, f"not valid YAML: {exc}")
        return None


def _fact_id(cls: ClassSpec, values: dict[str, Any]) -> str:
    """A stable id for a fact, from its class and key fields (everything but the note and the `*_basis` texts)."""
    if cls.name == "Round":
        return f"{values['program']}-round-{values['number']}"
    key = {k: v for k, v in values.items() if k != "note" and not k.endswith("_basis")}
    digest = hashlib.sha1(json.dumps(key, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
    return f"{cls.name.lower()}-{digest[:12]}"


def read_curated(data_dir: Path | None = None, model: Model | None = None) -> Curated:
    """Read and check every folder of `data_dir`; raise `DataError` listing all problems."""
    data_dir = Path(data_dir or default_data_dir())
    model = model or load_model()
    reader = _Reader(data_dir, model)
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and re.fullmatch(r"\d{3}", p.name))
    if not folders:
        raise DataError([DataProblem(str(data_dir), None, None, "no source folders (000, 001, …) found")])
    pending: list[tuple[ClassSpec, dict[str, Any], Path]] = []
    seeds = {folder: reader.load_seed(folder) for folder in folders}  # every seed first: quotes cross folders
    for folder, seed in seeds.items():
        source_file = folder / "source.yaml"
        if seed and source_file.exists():
            raw = _load_yaml(reader, source_file)
            if isinstance(raw, dict):
                raw.setdefault("file", seed)
                raw.setdefault("sources", [{"quote": raw.get("title", "")}])
                url = raw.get("url")
                if isinstance(url, str) and _squash(url) not in reader.seeds[folder.name][0]:
                    reader.problem(source_file, raw.get(LINE), "url", f"{url!r} is not in {seed}: give a document's "
                                   "url only where its own text states it, never one looked up or guessed")
                rec = reader.record(model.classes["Document"], raw, folder.name, source_file)
                if rec:
                    rec["id"] = f"doc-{folder.name}"
                    pending.append((model.classes["Document"], rec, source_file))
            else:
                reader.problem(source_file, None, None, "source.yaml must be one mapping (title, publisher, date_text, ...)")
        elif seed:
            reader.problem(source_file, None, None, "missing: every source folder needs a source.yaml")
        for sub in ("entities", "facts"):
            for file in sorted((folder / sub).glob("*.yaml")):
                cls = model.by_file(file.stem)
                if cls is None or (sub == "facts") != cls.fact:
                    known = sorted(c.file for c in model.classes.values() if c.file and (sub == "facts") == c.fact)
                    reader.problem(file, None, None, f"unknown file name for {sub}/; expected one of: {', '.join(known)}")
                    continue
                before = len(reader.problems)
                raw = _load_yaml(reader, file)
                if raw is None or raw == []:
                    if len(reader.problems) == before:  # readable, but empty or only comments
                        reader.problem(file, None, None, "the file holds no records: restore its records, "
                                       "or delete the file if it is meant to be empty")
                    continue
                if not isinstance(raw, list):
                    reader.problem(file, None, None, "the file must hold a list of records (lines starting with '- ')")
                    continue
                for item in raw:
                    rec = reader.record(cls, item, folder.name, file)
                    if rec:
                        pending.append((cls, rec, file))
    records = _resolve(reader, model, pending)
    _check_itemised(reader, records)
    records = _with_identifiers(reader, records, data_dir / IDENTIFIERS_FILE)
    if reader.problems:
        raise DataError(reader.problems)
    return Curated(tuple(records), data_dir)


def _with_identifiers(reader: _Reader, records: list[Record], path: Path) -> list[Record]:
    """Add the external identifiers listed in `path` to their entities, and check every identifier an entity has:
    a known scheme, a valid form (soyaku.core.identifiers), an http(s) URL it was read from, organisations only (but
    Wikidata), one id per scheme unless the scheme allows several, no identifier given to two entities."""
    from soyaku.core.identifiers import SCHEMES, check, normalise

    by_id = {r.id: r for r in records}
    #: entity id -> field -> [(value, source, line, preferred)]
    added: dict[str, dict[str, list[tuple[str, str, int | None, bool]]]] = {}
    raw = _load_yaml(reader, path) if path.is_file() else []
    if raw is not None and not isinstance(raw, list):
        reader.problem(path, None, None, "the file must hold a list of records (lines starting with '- ')")
        raw = []
    for item in raw or []:
        line = item.get(LINE) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            reader.problem(path, line, None, "each record is a mapping: entity, one identifier (e.g. ror), source")
            continue
        schemes = [k for k in item if k in SCHEMES]
        extra = (LINE, "entity", "source", "quote", "note", "preferred")
        unknown = sorted(k for k in item if k not in SCHEMES and k not in extra)
        if unknown:
            reader.problem(path, line, unknown[0], f"unknown field; a record has entity, one of {', '.join(SCHEMES)}, "
                           "source (the URL it was read from), and optionally quote, note, preferred")
        if len(schemes) != 1:
            reader.problem(path, line, None, f"give exactly one identifier per record, one of {', '.join(SCHEMES)}")
            continue
        entity = by_id.get(str(item.get("entity")))
        if entity is None or not entity.cls.is_entity:
            reader.problem(path, line, "entity", f"no entity has the id {item.get('entity')!r}")
            continue
        field = schemes[0]
        scheme = SCHEMES[field]
        preferred = item.get("preferred", False)
        if preferred not in (True, False) or (preferred and not scheme.multiple):
            reader.problem(path, line, "preferred", f"preferred: true marks one of several {scheme.name} ids "
                           "(Crossref Funder ID, ISNI) as the one the registry prefers; leave it out otherwise")
            continue
        values = added.setdefault(entity.id, {}).setdefault(field, [])
        value = normalise(field, str(item[field]))
        if field in entity.values or (values and not scheme.multiple):
            reader.problem(path, line, field, f"{entity.id} already has a {scheme.name} id")
            continue
        if any(v == value for v, *_ in values) or (preferred and any(p for *_, p in values)):
            reader.problem(path, line, field, f"{entity.id} already has {scheme.name} {value}"
                           if any(v == value for v, *_ in values) else f"{entity.id} has another preferred {scheme.name}")
            continue
        values.append((value, str(item.get("source") or "").strip(), line, bool(preferred)))
    records = [replace(r, values={**r.values, **_identifier_values(added[r.id])}) if r.id in added else r
               for r in records]
    owners: dict[tuple[str, str], str] = {}
    for record in records:
        listed = added.get(record.id, {})
        for field, scheme in SCHEMES.items():
            if field in listed:
                entries = [(value, source, (path, line)) for value, source, line, _ in listed[field]]
            elif field in record.values:
                entries = [(str(record.values[field]), str(record.values.get(f"{field}_source", "")),
                            (record.file, record.line))]
            else:
                continue
            for value, source, where in entries:
                if problem := check(field, value):
                    reader.problem(*where, field, f"{value!r} is not a valid {scheme.name} id: {problem}")
                if not re.match(r"https?://\S+$", source):
                    reader.problem(*where, f"{field}_source", f"{scheme.name} id {value}: give the URL of the public "
                                   "page it was read from (source: https://...)")
                if scheme.organisations_only and not _is_organisation(record):
                    reader.problem(*where, field, f"{record.id} is a {record.cls.name}, not an organisation: "
                                   f"{scheme.name} ids are for organisations")
                if (field, value) in owners:
                    reader.problem(*where, field, f"{scheme.name} id {value} is also given to {owners[field, value]}")
                owners[field, value] = record.id
    return records


def _is_organisation(record: Record) -> bool:
    return any("Organization" in c or "Organisation" in c or "CollegeOrUniversity" in c or "Corporation" in c or
               "FundingAgency" in c for c in record.cls.subclass_of)


def _identifier_values(listed: dict[str, list[tuple[str, str, int | None, bool]]]) -> dict[str, Any]:
    """The entity values of its listed identifiers: `<field>` and `<field>_source`, lists for schemes that allow
    several ids (preferred first, then as listed; sources without repeats) with `<field>_preferred`."""
    from soyaku.core.identifiers import SCHEMES

    values: dict[str, Any] = {IDENTIFIER_SOURCES: {field: [(value, source) for value, source, *_ in entries]
                                                   for field, entries in listed.items()}}
    for field, entries in listed.items():
        if not SCHEMES[field].multiple:
            values[field], values[f"{field}_source"] = entries[0][0], entries[0][1]
            continue
        ordered = sorted(entries, key=lambda e: not e[3])
        values[field] = [value for value, *_ in ordered]
        values[f"{field}_source"] = list(dict.fromkeys(source for _, source, *_ in ordered))
        if ordered[0][3]:
            values[f"{field}_preferred"] = ordered[0][0]
    return values


def _resolve(reader: _Reader, model: Model, pending: list[tuple[ClassSpec, dict[str, Any], Path]]) -> list[Record]:
    """Give every record its id, check ids are unique, and resolve references by id or alias."""
    seen: dict[str, tuple[Path, int]] = {}
    names: dict[str, set[str]] = {}
    classes: dict[str, str] = {}
    for cls, rec, file in pending:
        if cls.fact and cls.name != "Document":
            continue
        rid = rec["id"]
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rid):
            reader.problem(file, rec["line"], "id", f"id must be kebab-case ascii (e.g. vc-jafco), got {rid!r}")
            continue
        if rid in seen:
            first = seen[rid]
            reader.problem(file, rec["line"], "id", f"duplicate id {rid!r}; first defined at {reader.where(first[0])}:{first[1]}")
            continue
        seen[rid] = (file, rec["line"])
        classes[rid] = cls.name
        v = rec["values"]
        for text in [rid, v.get("name"), v.get("name_ja"), v.get("name_en"), *v.get("aliases", [])]:
            if text:
                names.setdefault(match_key(text), set()).add(rid)
    for cls, rec, file in pending:  # rounds are referred to by (program, number)
        if cls.name == "Round" and "program" in rec["values"] and "number" in rec["values"]:
            rid = _fact_id(cls, {"program": _lookup(names, rec["values"]["program"]) or "?", "number": rec["values"]["number"]})
            classes[rid] = "Round"

    def lookup(value: str | int, spec: FieldSpec, rec: dict[str, Any], file: Path) -> str | None:
        if isinstance(value, int):  # a round number, within the record's program
            program = _lookup(names, rec["values"].get("program", ""))
            rid = f"{program}-round-{value}"
            if rid not in classes:
                reader.problem(file, rec["line"], spec.name, f"no round {value} of program {rec['values'].get('program')!r} in rounds.yaml")
                return None
            return rid
        hits = names.get(match_key(value), set())
        if len(hits) != 1:
            what = "ambiguous" if hits else "unknown"
            extra = f" (matches {', '.join(sorted(hits))})" if hits else "; add it as an entity or as an alias of one"
            reader.problem(file, rec["line"], spec.name, f"{what} reference {value!r}{extra}")
            return None
        rid = next(iter(hits))
        if classes[rid] not in spec.to:
            reader.problem(file, rec["line"], spec.name, f"{value!r} is a {classes[rid]}, expected {' or '.join(spec.to)}")
            return None
        return rid

    keys_of: dict[str, set[str]] = {}
    for key, ids in names.items():
        for rid in ids:
            keys_of.setdefault(rid, set()).add(key)
    for cls, rec, _ in pending:  # a ministry is also named by its code as budget lists write it: 【厚】
        if cls.name == "Ministry" and rec["values"].get("code") and isinstance(rec["id"], str):
            keys_of.setdefault(rec["id"], set()).add(match_key(f"【{rec['values']['code']}】"))
    records: list[Record] = []
    fact_keys: dict[str, tuple[Path, int]] = {}
    for cls, rec, file in pending:
        values = dict(rec["values"])
        for name, spec in cls.fields.items():
            if spec.is_ref and name in values:
                raw = values[name]
                resolved = [lookup(v, spec, rec, file) for v in (raw if isinstance(raw, list) else [raw])]
                if spec.type == "refs":
                    values[name] = [r for r in resolved if r]
                    if cls.name == "Adoption" and name == "backed_by":
                        values["backed_by_as_written"] = list(raw)
                else:
                    values[name] = resolved[0]
        rid = rec["id"] if not cls.fact or cls.name == "Document" else _fact_id(cls, values)
        if cls.fact and cls.name != "Document":
            if rid in fact_keys:
                first = fact_keys[rid]
                reader.problem(file, rec["line"], None, f"duplicate {cls.name}: same fields as {reader.where(first[0])}:{first[1]}; merge their sources into one record")
                continue
            fact_keys[rid] = (file, rec["line"])
        rel = reader.where(file)
        sources = rec["sources"] if cls.fact and cls.name != "Document" else _with_names(rec["sources"], rid, cls, values, keys_of)
        records.append(Record(cls, rid, values, sources, rel, rec["line"]))
    return records


def _with_names(sources: tuple[Source, ...], rid: str, cls: ClassSpec, values: dict[str, Any],
                keys_of: dict[str, set[str]]) -> tuple[Source, ...]:
    """Each source with the ids it names: the entity itself and the things its reference fields point at."""
    ids = [rid] + [v for name, spec in cls.fields.items() if spec.is_ref and name in values
                   for v in (values[name] if isinstance(values[name], list) else [values[name]]) if v]
    named = []
    for source in sources:
        quote = _squash(source.quote)
        hits = tuple(dict.fromkeys(i for i in ids if any(k and _squash(k) in quote for k in keys_of.get(i, ()))))
        named.append(Source(source.doc, source.file, source.quote, source.line, hits))
    return tuple(named)


def _lookup(names: dict[str, set[str]], value: Any) -> str | None:
    hits = names.get(match_key(value), set()) if isinstance(value, str) else set()
    return next(iter(hits)) if len(hits) == 1 else None



def _check_itemised(reader: _Reader, records: list[Record]) -> None:
    """A budget line `itemised_as` programs states the same money as their own lines: each of them must have
    exactly one line of the same fiscal year and budget type (and basis, unless one is unstated), and together
    they must add up to the line's amount."""
    lines: dict[str, list[Record]] = {}
    for record in records:
        if record.cls.name == "BudgetLine":
            lines.setdefault(record.values["for"], []).append(record)

    def year(record: Record) -> int | None:
        fy = record.values.get("fiscal_year")
        return fy.value if isinstance(fy, Typed) else None

    for record in records:
        if record.cls.name != "BudgetLine" or not record.values.get("itemised_as"):
            continue
        v = record.values
        parts: list[YenAmount] = []
        for target in v["itemised_as"]:
            same = [r for r in lines.get(target, []) if r is not record and year(r) == year(record)
                    and r.values["budget_type"] == v["budget_type"] and not r.values.get("itemised_as")]
            exact = [r for r in same if r.values["basis"] == v["basis"]]
            same = exact or [r for r in same if "unstated" in (r.values["basis"], v["basis"])]
            if len(same) != 1:
                found = "no" if not same else f"{len(same)}"
                reader.problem(record.file, record.line, "itemised_as", f"{target!r} has {found} budget line of the same fiscal "
                               f"year, budget type and basis; `itemised_as` names programs whose own lines state this money")
                break
            parts.append(same[0].values["amount"])
        else:
            _check_sum(reader, record, parts)


def _check_sum(reader: _Reader, record: Record, parts: list[YenAmount]) -> None:
    """The itemised lines add up to the line's amount (within 5 % when an amount is approximate, else exactly)."""
    v = record.values
    total = sum(a.yen for a in parts)
    stated: YenAmount = v["amount"]
    tolerance = 0.05 if stated.approximate or any(a.approximate for a in parts) else 0.0
    if abs(total - stated.yen) > tolerance * stated.yen:
        reader.problem(record.file, record.line, "itemised_as", f"the itemised lines add up to {total / 1e8:g}億円, "
                       f"but this line states {stated.text}; check the programs listed")
