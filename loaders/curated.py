"""Read the curated YAML under data/: check every record, quote and reference, and return typed records.

Every problem is collected with its file, line and field; if there is any, `read_curated` raises one
`DataError` listing them all, so a curator fixes a whole batch at once. The checks are one job per module:
YAML files (curated_yaml), seed quotes (curated_quotes), field values (curated_values), ids and references
(curated_refs), budget arithmetic (curated_budget), external identifiers (curated_identifiers).
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from soyaku.core.errors import DataError, DataProblem
from soyaku.ontology.model import ClassSpec, Model, load_model

from .curated_budget import check_itemised
from .curated_identifiers import IDENTIFIER_SOURCES, IDENTIFIERS_FILE, with_identifiers
from .curated_quotes import Seeds
from .curated_records import Curated, Problems, Record, Source, Typed
from .curated_refs import Pending, resolve
from .curated_values import Fields
from .curated_yaml import LINE

__all__ = ["IDENTIFIER_SOURCES", "IDENTIFIERS_FILE", "Curated", "Record", "Source", "Typed", "default_data_dir",
           "read_curated"]


def default_data_dir() -> Path:
    """The data directory shipped with the package (data/ of the repository)."""
    return Path(str(files("soyaku.data")))


class _Reader:
    """The steps that turn one raw YAML mapping into a record, sharing one list of problems."""

    def __init__(self, data_dir: Path):
        self.problems = Problems(data_dir)
        self.seeds = Seeds(self.problems)
        self.fields = Fields(self.problems)

    def record(self, cls: ClassSpec, raw: Any, folder: str, file: Path) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.problems.add(file, None, None, f"each record must be a mapping, got {raw!r}")
            return None
        line = raw.pop(LINE)
        values = self.fields.of(cls, raw, file, line)
        sources = self.seeds.sources(raw.get("sources"), folder, file, line)
        self.seeds.check_amounts_quoted(values, sources, file, line)
        return {"values": values, "id": raw.get("id"), "line": line, "sources": sources}


def read_curated(data_dir: Path | None = None, model: Model | None = None) -> Curated:
    """Read and check every folder of `data_dir`; raise `DataError` listing all problems."""
    data_dir = Path(data_dir or default_data_dir())
    model = model or load_model()
    reader = _Reader(data_dir)
    problems = reader.problems
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and re.fullmatch(r"\d{3}", p.name))
    if not folders:
        raise DataError([DataProblem(str(data_dir), None, None, "no source folders (000, 001, …) found")])
    pending: list[Pending] = []
    seeds = {folder: reader.seeds.load(folder) for folder in folders}  # every seed first: quotes cross folders
    for folder, seed in seeds.items():
        pending += _read_document(reader, model, folder, seed)
        for sub in ("entities", "facts"):
            for file in sorted((folder / sub).glob("*.yaml")):
                pending += _read_records(reader, model, folder, sub, file)
    records = resolve(problems, pending)
    check_itemised(problems, records)
    records = with_identifiers(problems, records, data_dir / IDENTIFIERS_FILE)
    if problems.found:
        raise DataError(problems.found)
    return Curated(tuple(records), data_dir)


def _read_document(reader: _Reader, model: Model, folder: Path, seed: str | None) -> list[Pending]:
    """The Document record of a source folder, from its source.yaml (its `url` only where the seed states it)."""
    source_file = folder / "source.yaml"
    if not seed:
        return []
    if not source_file.exists():
        reader.problems.add(source_file, None, None, "missing: every source folder needs a source.yaml")
        return []
    raw = reader.problems.read_yaml(source_file)
    if not isinstance(raw, dict):
        reader.problems.add(source_file, None, None, "source.yaml must be one mapping (title, publisher, date_text, ...)")
        return []
    raw.setdefault("file", seed)
    raw.setdefault("sources", [{"quote": raw.get("title", "")}])
    url = raw.get("url")
    if isinstance(url, str) and not reader.seeds.states(folder.name, url):
        reader.problems.add(source_file, raw.get(LINE), "url", f"{url!r} is not in {seed}: give a document's "
                            "url only where its own text states it, never one looked up or guessed")
    rec = reader.record(model.classes["Document"], raw, folder.name, source_file)
    if not rec:
        return []
    rec["id"] = f"doc-{folder.name}"
    return [(model.classes["Document"], rec, source_file)]


def _read_records(reader: _Reader, model: Model, folder: Path, sub: str, file: Path) -> list[Pending]:
    """The records of one file under entities/ or facts/, whose name says their class."""
    problems = reader.problems
    cls = model.by_file(file.stem)
    if cls is None or (sub == "facts") != cls.fact:
        known = sorted(c.file for c in model.classes.values() if c.file and (sub == "facts") == c.fact)
        problems.add(file, None, None, f"unknown file name for {sub}/; expected one of: {', '.join(known)}")
        return []
    before = len(problems)
    raw = problems.read_yaml(file)
    if raw is None or raw == []:
        if len(problems) == before:  # readable, but empty or only comments
            problems.add(file, None, None, "the file holds no records: restore its records, "
                         "or delete the file if it is meant to be empty")
        return []
    if not isinstance(raw, list):
        problems.add(file, None, None, "the file must hold a list of records (lines starting with '- ')")
        return []
    pending: list[Pending] = []
    for item in raw:
        rec = reader.record(cls, item, folder.name, file)
        if rec:
            pending.append((cls, rec, file))
    return pending
