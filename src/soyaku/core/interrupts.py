"""Ctrl-C and SIGTERM end a command promptly: one line, exit 130 or 143, never a traceback.

A read-only question runs in a worker thread so the main thread keeps handling signals (the kernel may hand a
signal to a JVM thread, and a thread blocked in a socket read never sees it). Once interrupted, the engine gets
`GRACE_S` to stop cleanly; if its stop blocks behind the running query, the process ends anyway (`os._exit`):
a read-only question has written nothing (docs/engine.md, "Stopping"). Writes and builds are never cut short.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from soyaku.core.errors import SoyakuError

__all__ = ["GRACE_S", "Terminated", "TimeLimitExceeded", "announce", "building", "exit_code", "hosting_engine",
           "install_sigterm", "raise_terminated", "run_read_only"]

#: Seconds the engine gets to stop after Ctrl-C or SIGTERM during a read-only question.
GRACE_S = 1.0
MESSAGE = "interrupted: nothing was changed by the unfinished step"
BUILD_NOTE = " (a build keeps the previous graph)"
HOST_MESSAGE = "stopped the graph engine; the graph is unchanged"

T = TypeVar("T")
_announced = threading.Lock()
_hosting_engine = threading.Event()
_building = threading.Event()


def building() -> None:
    """Mark this process as building a graph: an interruption then says that the previous graph is kept."""
    _building.set()


def hosting_engine() -> None:
    """Mark this process as the one hosting a shared engine (`serve`, the background engine): an interrupted
    question here must not end the process at once, as other clients may be writing through it."""
    _hosting_engine.set()


class Terminated(SystemExit):
    """SIGTERM, raised in the main thread so `finally` blocks (and the engine's stop) run."""


def raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(128 + signum)


def install_sigterm() -> None:
    """Turn SIGTERM into `Terminated` in this process (the default would end it without a word)."""
    signal.signal(signal.SIGTERM, raise_terminated)


def exit_code(exc: BaseException) -> int:
    return exc.code if isinstance(exc, Terminated) and isinstance(exc.code, int) else 130


def announce() -> None:
    """Print the one line, once per process: what an interruption left as it was (the previous graph, for a build;
    for a process hosting the engine, that it stopped)."""
    if _announced.acquire(blocking=False):
        text = HOST_MESSAGE if _hosting_engine.is_set() and not _building.is_set() else \
            MESSAGE + (BUILD_NOTE if _building.is_set() else "")
        print(text, file=sys.stderr, flush=True)


class TimeLimitExceeded(SoyakuError):
    """A read-only question ran past the time limit its command was given."""


def run_read_only(work: Callable[[], T], limit_s: float | None = None, *, exit_on_interrupt: bool = True) -> T:
    """Run `work` (a read-only question) in a worker thread; on Ctrl-C/SIGTERM end the process within `GRACE_S`
    (unless not `exit_on_interrupt`, or in a process hosting a shared engine: then the signal only propagates).

    With `limit_s`, stop waiting after that many seconds (TimeLimitExceeded); the abandoned worker is a daemon
    thread, ended by the engine's own time limit or with the process.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="soyaku-question", daemon=True)
    worker.start()
    deadline = None if limit_s is None else time.monotonic() + limit_s
    try:
        while worker.is_alive():
            worker.join(0.1)
            if deadline is not None and worker.is_alive() and time.monotonic() > deadline:
                raise TimeLimitExceeded(f"the query ran longer than --timeout {limit_s:g} s: stopped waiting for it "
                                        "(the shared engine ends it at its own limit); narrow it with labels, ids or "
                                        "LIMIT")
    except (KeyboardInterrupt, SystemExit) as exc:
        if exit_on_interrupt and not _hosting_engine.is_set():
            timer = threading.Timer(GRACE_S, _end_now, args=(exit_code(exc),))
            timer.daemon = True
            timer.start()  # the normal unwinding (driver close, engine stop) has GRACE_S to finish
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _end_now(code: int) -> None:
    announce()
    os._exit(code)
