"""What reading the curated data produces and shares between its steps: sources, typed values, records, and the
list of problems found so far (each with its file, line and field)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soyaku.core.errors import DataProblem
from soyaku.core.japanese import match_key
from soyaku.ontology.model import ClassSpec

from .curated_yaml import YamlProblem, read_yaml_file

__all__ = ["Curated", "Problems", "Record", "Source", "Typed", "squash"]


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


_SQUASH = re.compile(r"\s+")


def squash(text: str) -> str:
    """TEXT as quotes are compared: NFKC match key, without any white space."""
    return _SQUASH.sub("", match_key(text))


class Problems:
    """The problems found so far, each located by file (shown relative to the data directory's parent), line and
    field."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.found: list[DataProblem] = []
        self._shown: dict[Path, str] = {}

    def __len__(self) -> int:
        return len(self.found)

    def add(self, file: Path | str, line: int | None, field: str | None, message: str) -> None:
        self.found.append(DataProblem(self.where(file) if isinstance(file, Path) else file, line, field, message))

    def where(self, file: Path) -> str:
        """FILE as problems show it (relative to the data directory's parent)."""
        if file not in self._shown:
            self._shown[file] = str(file.relative_to(self.data_dir.parent))
        return self._shown[file]

    def read_yaml(self, file: Path) -> Any:
        """The values of the YAML file FILE, or None (and a problem) if it cannot be read as curated YAML."""
        try:
            return read_yaml_file(file)
        except YamlProblem as exc:
            self.add(file, exc.line, None, str(exc))
            return None
