"""External identifiers of entities (ROR, Crossref Funder ID, 法人番号, Wikidata, ...): those listed in
data/links/identifiers.yaml added to their entities, and every identifier an entity has checked."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from soyaku.core.identifiers import SCHEMES, check, normalise

from .curated_records import Problems, Record
from .curated_yaml import LINE

__all__ = ["IDENTIFIERS_FILE", "IDENTIFIER_SOURCES", "with_identifiers"]

#: External identifiers of entities (ROR, Crossref Funder ID, 法人番号, Wikidata) with the URLs they were read from.
IDENTIFIERS_FILE = Path("links") / "identifiers.yaml"
#: Record value (not a model field) holding each listed identifier's own source: {field: [(value, source), ...]}.
IDENTIFIER_SOURCES = "_identifier_sources"


def with_identifiers(problems: Problems, records: list[Record], path: Path) -> list[Record]:
    """Add the external identifiers listed in `path` to their entities, and check every identifier an entity has:
    a known scheme, a valid form (soyaku.core.identifiers), an http(s) URL it was read from, organisations only (but
    Wikidata), one id per scheme unless the scheme allows several, no identifier given to two entities."""
    by_id = {r.id: r for r in records}
    #: entity id -> field -> [(value, source, line, preferred)]
    added: dict[str, dict[str, list[tuple[str, str, int | None, bool]]]] = {}
    raw = problems.read_yaml(path) if path.is_file() else []
    if raw is not None and not isinstance(raw, list):
        problems.add(path, None, None, "the file must hold a list of records (lines starting with '- ')")
        raw = []
    for item in raw or []:
        line = item.get(LINE) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.add(path, line, None, "each record is a mapping: entity, one identifier (e.g. ror), source")
            continue
        schemes = [k for k in item if k in SCHEMES]
        extra = (LINE, "entity", "source", "quote", "note", "preferred")
        unknown = sorted(k for k in item if k not in SCHEMES and k not in extra)
        if unknown:
            problems.add(path, line, unknown[0], f"unknown field; a record has entity, one of {', '.join(SCHEMES)}, "
                         "source (the URL it was read from), and optionally quote, note, preferred")
        if len(schemes) != 1:
            problems.add(path, line, None, f"give exactly one identifier per record, one of {', '.join(SCHEMES)}")
            continue
        entity = by_id.get(str(item.get("entity")))
        if entity is None or not entity.cls.is_entity:
            problems.add(path, line, "entity", f"no entity has the id {item.get('entity')!r}")
            continue
        field = schemes[0]
        scheme = SCHEMES[field]
        preferred = item.get("preferred", False)
        if preferred not in (True, False) or (preferred and not scheme.multiple):
            problems.add(path, line, "preferred", f"preferred: true marks one of several {scheme.name} ids "
                         "(Crossref Funder ID, ISNI) as the one the registry prefers; leave it out otherwise")
            continue
        values = added.setdefault(entity.id, {}).setdefault(field, [])
        value = normalise(field, str(item[field]))
        if field in entity.values or (values and not scheme.multiple):
            problems.add(path, line, field, f"{entity.id} already has a {scheme.name} id")
            continue
        if any(v == value for v, *_ in values) or (preferred and any(p for *_, p in values)):
            problems.add(path, line, field, f"{entity.id} already has {scheme.name} {value}"
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
                    problems.add(*where, field, f"{value!r} is not a valid {scheme.name} id: {problem}")
                if not re.match(r"https?://\S+$", source):
                    problems.add(*where, f"{field}_source", f"{scheme.name} id {value}: give the URL of the public "
                                 "page it was read from (source: https://...)")
                if scheme.organisations_only and not record.cls.organisation:
                    problems.add(*where, field, f"{record.id} is a {record.cls.name}, not an organisation: "
                                 f"{scheme.name} ids are for organisations")
                if (field, value) in owners:
                    problems.add(*where, field, f"{scheme.name} id {value} is also given to {owners[field, value]}")
                owners[field, value] = record.id
    return records


def _identifier_values(listed: dict[str, list[tuple[str, str, int | None, bool]]]) -> dict[str, Any]:
    """The entity values of its listed identifiers: `<field>` and `<field>_source`, lists for schemes that allow
    several ids (preferred first, then as listed; sources without repeats) with `<field>_preferred`."""
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
