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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

__all__ = ["Stages", "QUIET"]


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
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            console = Console(file=file, force_terminal=True)
            self._progress = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"),
                                      TimeElapsedColumn(), console=console)
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @contextmanager
    def stage(self, description: str) -> Iterator[Callable[[str], None]]:
        """Report `description` while the block runs and, when it finishes, the summary passed to `done`."""
        summary: list[str] = []
        if not self._enabled:
            yield summary.append
            return
        start = time.perf_counter()
        task = self._progress.add_task(description, total=None) if self._progress is not None else None
        yield summary.append
        text = f"{description}: {summary[-1]}" if summary else description
        if self._progress is not None:
            self._progress.update(task, description=text, total=1, completed=1)
        else:
            print(f"{text} ({time.perf_counter() - start:.1f} s)", file=self._file or sys.stderr, flush=True)


#: Reports nothing (library use).
QUIET = Stages(enabled=False)
