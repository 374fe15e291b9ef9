"""Ids and references: every entity's id checked (kebab-case, unique), every fact given a stable id from its
fields, every reference resolved by id, name or alias to a thing of an allowed class, and every quote told which of
the record's things it names."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from soyaku.core.japanese import match_key
from soyaku.ontology.model import ClassSpec, FieldSpec

from .curated_records import Problems, Record, Source, squash

__all__ = ["Pending", "fact_id", "resolve"]

#: A record read but not yet resolved: its class, {"values", "id", "line", "sources"}, and its file.
Pending = tuple[ClassSpec, dict[str, Any], Path]


def fact_id(cls: ClassSpec, values: dict[str, Any]) -> str:
    """A stable id for a fact, from its class and key fields (everything but the note and the `*_basis` texts); a
    round's is its program and number (when both are valid)."""
    if cls.name == "Round" and values.get("program") and values.get("number") is not None:
        return f"{values['program']}-round-{values['number']}"
    key = {k: v for k, v in values.items() if k != "note" and not k.endswith("_basis")}
    digest = hashlib.sha1(json.dumps(key, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
    return f"{cls.name.lower()}-{digest[:12]}"


def _has_own_id(cls: ClassSpec) -> bool:
    """Entities and documents carry the id the curator gave; other facts get one from their fields."""
    return not cls.fact or cls.name == "Document"


def resolve(problems: Problems, pending: list[Pending]) -> list[Record]:
    """Give every record its id, check ids are unique, and resolve references by id or alias."""
    seen: dict[str, tuple[Path, int]] = {}
    names: dict[str, set[str]] = {}
    classes: dict[str, str] = {}
    for cls, rec, file in pending:
        if not _has_own_id(cls):
            continue
        rid = rec["id"]
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rid):
            problems.add(file, rec["line"], "id", f"id must be kebab-case ascii (e.g. vc-jafco), got {rid!r}")
            continue
        if rid in seen:
            first = seen[rid]
            problems.add(file, rec["line"], "id", f"duplicate id {rid!r}; first defined at {problems.where(first[0])}:{first[1]}")
            continue
        seen[rid] = (file, rec["line"])
        classes[rid] = cls.name
        v = rec["values"]
        for text in [rid, v.get("name"), v.get("name_ja"), v.get("name_en"), *v.get("aliases", [])]:
            if text:
                names.setdefault(match_key(text), set()).add(rid)
    for cls, rec, file in pending:  # rounds are referred to by (program, number)
        if cls.name == "Round" and "program" in rec["values"] and "number" in rec["values"]:
            rid = fact_id(cls, {"program": _lookup(names, rec["values"]["program"]) or "?", "number": rec["values"]["number"]})
            classes[rid] = "Round"

    def lookup(value: str | int, spec: FieldSpec, rec: dict[str, Any], file: Path) -> str | None:
        if isinstance(value, int):  # a round number, within the record's program
            program = _lookup(names, rec["values"].get("program", ""))
            rid = f"{program}-round-{value}"
            if rid not in classes:
                problems.add(file, rec["line"], spec.name, f"no round {value} of program {rec['values'].get('program')!r} in rounds.yaml")
                return None
            return rid
        hits = names.get(match_key(value), set())
        if len(hits) != 1:
            what = "ambiguous" if hits else "unknown"
            extra = f" (matches {', '.join(sorted(hits))})" if hits else "; add it as an entity or as an alias of one"
            problems.add(file, rec["line"], spec.name, f"{what} reference {value!r}{extra}")
            return None
        rid = next(iter(hits))
        if classes[rid] not in spec.to:
            problems.add(file, rec["line"], spec.name, f"{value!r} is a {classes[rid]}, expected {' or '.join(spec.to)}")
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
        rid = rec["id"] if _has_own_id(cls) else fact_id(cls, values)
        if not isinstance(rid, str):
            continue  # an id that is not text (e.g. a list) is already reported
        if not _has_own_id(cls):
            if rid in fact_keys:
                first = fact_keys[rid]
                problems.add(file, rec["line"], None, f"duplicate {cls.name}: same fields as {problems.where(first[0])}:{first[1]}; merge their sources into one record")
                continue
            fact_keys[rid] = (file, rec["line"])
        rel = problems.where(file)
        sources = rec["sources"] if not _has_own_id(cls) else _with_names(rec["sources"], rid, cls, values, keys_of)
        records.append(Record(cls, rid, values, sources, rel, rec["line"]))
    return records


def _with_names(sources: tuple[Source, ...], rid: str, cls: ClassSpec, values: dict[str, Any],
                keys_of: dict[str, set[str]]) -> tuple[Source, ...]:
    """Each source with the ids it names: the entity itself and the things its reference fields point at."""
    ids = [rid] + [v for name, spec in cls.fields.items() if spec.is_ref and name in values
                   for v in (values[name] if isinstance(values[name], list) else [values[name]]) if v]
    named = []
    for source in sources:
        quote = squash(source.quote)
        hits = tuple(dict.fromkeys(i for i in ids if any(k and squash(k) in quote for k in keys_of.get(i, ()))))
        named.append(Source(source.doc, source.file, source.quote, source.line, hits))
    return tuple(named)


def _lookup(names: dict[str, set[str]], value: Any) -> str | None:
    hits = names.get(match_key(value), set()) if isinstance(value, str) else set()
    return next(iter(hits)) if len(hits) == 1 else None
