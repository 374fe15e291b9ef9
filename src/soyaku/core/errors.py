"""All errors that Soyaku KG raises on purpose; the CLI turns each into one clear message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SoyakuError",
    "DataProblem",
    "DataError",
    "EngineError",
    "QueryError",
    "ParameterError",
    "first_line",
]


class SoyakuError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code = 1


@dataclass(frozen=True)
class DataProblem:
    """One problem in the curated data: where it is and what to do about it."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class DataError(SoyakuError):
    """The curated data is invalid; carries every problem found, not just the first."""

    #: Problems listed in the message; the rest are counted (all are in `problems`).
    SHOWN = 100

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems[:self.SHOWN])
        more = f"\n  … and {len(problems) - self.SHOWN} more" if len(problems) > self.SHOWN else ""
        super().__init__(f"{len(problems)} problem(s) in the curated data; nothing was written:\n{lines}{more}")


class EngineError(SoyakuError):
    """The graph engine cannot be started, reached or written to."""


class QueryError(SoyakuError):
    """A query is unknown, malformed, refused (a write without --write) or failed in the engine."""


class ParameterError(QueryError):
    """A query parameter's value is impossible (not of its type, not an allowed value): a usage error."""

    exit_code = 2


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name if it has none): for one-line errors."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
