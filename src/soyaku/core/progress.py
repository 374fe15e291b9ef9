"""Stages of a long command, reported as they finish: a rich spinner per stage on a terminal, one plain line per
stage otherwise (logs, pipes, CI). Reports go to stderr, so standard output keeps only the command's result.

>>> import io
>>> out = io.StringIO()
>>> with Stages(out) as stages, stages.stage("read") as done:
...     done("3 records")
>>> out.getvalue().startswith("read: 3 records (")
True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

T = TypeVar("T")

__all__ = ["Stage", "Stages", "QUIET"]


class Stages:
    """A context manager that reports stages; `stage(description)` yields `done(summary)` for the stage's result.

    `file` defaults to stderr; `live` (default: whether `file` is a terminal) shows rich spinners instead of lines.
    `Stages(enabled=False)` (`QUIET`) reports nothing.
    """

    def __init__(self, file: IO[str] | None = None, *, live: bool | None = None, enabled: bool = True):
        self._file = file
        self._live = live
        self._enabled = enabled
        self._progress = None

    def __enter__(self) -> Stages:
        if not self._enabled:
            return self
        file = self._file or sys.stderr
        live = self._live if self._live is not None else file.isatty()
        if live:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.table import Column

            console = Console(file=file, force_terminal=True)
            self._progress = Progress(
                SpinnerColumn(finished_text="✓"), TimeElapsedColumn(table_column=Column(min_width=7)),
                BarColumn(bar_width=20, table_column=Column(min_width=20)),
                TextColumn("{task.description}", table_column=Column(ratio=1, overflow="fold")), console=console)
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @contextmanager
    def stage(self, description: str, total: int | None = None) -> Iterator[Stage]:
        """Report `description` while the block runs and, when it finishes, the summary given to the yielded
        Stage (`done(summary)`); with a `total`, `done.advance(n)` moves a bar on a terminal."""
        task = None
        if self._progress is not None:
            task = self._progress.add_task(description, total=total)
        done = Stage(self._progress, task)
        start = time.perf_counter()
        yield done
        if not self._enabled:
            return
        text = f"{description}: {done.summary}" if done.summary else description
        if self._progress is not None:
            self._progress.update(task, description=text, total=1, completed=1)
        else:
            print(f"{text} ({time.perf_counter() - start:.1f} s)", file=self._file or sys.stderr, flush=True)


class Stage:
    """A running stage: call it with the stage's summary; `advance(n)` counts work done towards its total."""

    def __init__(self, progress: object | None, task: object | None):
        self._progress = progress
        self._task = task
        self.summary = ""

    def __call__(self, summary: str) -> None:
        self.summary = summary

    def advance(self, amount: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)

    def track(self, items: Iterable[T], every: int = 1000) -> Iterator[T]:
        """`items`, advancing this stage by one per item (in steps of `every`)."""
        count = 0
        for count, item in enumerate(items, start=1):
            yield item
            if count % every == 0:
                self.advance(every)
        self.advance(count % every)


#: Reports nothing (library use).
QUIET = Stages(enabled=False)
