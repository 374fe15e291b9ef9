"""Record counts kept with the data (`data/record_counts.yaml`): a build may grow them, never shrink them silently.

A facts file emptied by mistake, or a merge that loses records, still parses and validates; comparing the
count of each class with the count the curators last recorded catches it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from soyaku.core.errors import DataError, DataProblem

from .curated import Curated

__all__ = ["COUNTS_FILE", "check_record_counts", "record_counts"]

COUNTS_FILE = "record_counts.yaml"


def record_counts(curated: Curated) -> dict[str, int]:
    """How many records of each class the curated data holds."""
    return dict(sorted(Counter(record.cls.name for record in curated.records).items()))


def check_record_counts(curated: Curated, *, allow_shrink: bool = False) -> None:
    """Raise a DataError if any class has fewer records than `record_counts.yaml` of the data directory says.

    With `allow_shrink` a smaller count is accepted (the curator then lowers the number in the file). A data
    directory without the file is refused too (the check would silently not happen), unless `allow_shrink`.
    """
    path = curated.data_dir / COUNTS_FILE
    if allow_shrink:
        return
    if not path.exists():
        raise DataError([DataProblem(_shown(path, curated), None, None, "missing: without it lost records would go "
                                     "unnoticed. Restore it (git checkout data/record_counts.yaml), or build with "
                                     "--allow-shrink to go without the check")])
    try:
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError([DataProblem(_shown(path, curated), None, None, f"cannot be read: {exc}")]) from None
    if not isinstance(expected, dict) or not all(isinstance(v, int) for v in expected.values()):
        raise DataError([DataProblem(_shown(path, curated), None, None, "expected a mapping of class name to count")])
    actual = record_counts(curated)
    problems = [
        DataProblem(_shown(path, curated), None, name,
                    f"{actual.get(name, 0)} {name} record(s), {count} expected: records were lost. Restore them, or "
                    f"if the shrink is intended, lower the count and build with --allow-shrink")
        for name, count in expected.items()
        if actual.get(name, 0) < count
    ]
    if problems:
        raise DataError(problems)


def _shown(path: Path, curated: Curated) -> str:
    return str(path.relative_to(curated.data_dir.parent))
