"""The in-process JVM that runs ArcadeDB: started once per process, with its logs kept under the Soyaku home."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jpype
from arcadedb_embedded.jvm import start_jvm

from soyaku.core.home import QUICK_COMPILER

__all__ = ["console_quiet", "prepare_jvm"]

# A JVM out of heap is never waited on: it ends the process at once, with the JVM's one line ("Terminating due to
# java.lang.OutOfMemoryError: Java heap space") and exit code 3, instead of limping on (seen: hangs past 120 s). A
# build then leaves the previous graph (its half-written kg_build is deleted at the next start).
_EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError"

# The package always adds --add-modules=jdk.incubator.vector, and the JVM then prints this line at every start.
_INCUBATOR_WARNING = b"WARNING: Using incubator modules"

#: The root logger's console handlers and Level.OFF, looked up when the logging is configured (console_quiet).
_console: dict[str, Any] = {}

# ArcadeDB's own logging.properties sends INFO lines to stderr and ./log/ in the current directory;
# this one keeps only severe errors on stderr and everything else in <home>/logs/.
_LOGGING = """\
handlers = java.util.logging.FileHandler, java.util.logging.ConsoleHandler
.level = INFO
io.undertow.level = WARNING
org.xnio.level = WARNING
org.jboss.level = WARNING
java.util.logging.ConsoleHandler.level = SEVERE
java.util.logging.ConsoleHandler.formatter = com.arcadedb.log.LogFormatter
java.util.logging.FileHandler.level = INFO
java.util.logging.FileHandler.pattern = {pattern}
java.util.logging.FileHandler.formatter = com.arcadedb.log.LogFormatter
java.util.logging.FileHandler.limit = 10000000
java.util.logging.FileHandler.count = 3
java.util.logging.FileHandler.append = true
"""


def prepare_jvm(logs: Path, heap: str, quick_start: bool = False) -> None:
    """Start the JVM if needed, then send its logs to `logs/`.

    The first call in a process fixes the heap, the compiler choice (`quick_start`: C1 only, for short processes
    on small graphs) and the crash-file location (a JVM cannot be reconfigured); the log files follow each call,
    so a later server in another home logs into that home.
    """
    logs.mkdir(parents=True, exist_ok=True)
    properties = logs / "logging.properties"
    properties.write_text(_LOGGING.format(pattern=(logs / "arcadedb.log").as_posix()), encoding="utf-8")
    if not jpype.isJVMStarted():
        saved = os.environ.get("ARCADEDB_JVM_ERROR_FILE")
        os.environ["ARCADEDB_JVM_ERROR_FILE"] = str(logs / "hs_err_pid%p.log")
        try:
            with _without_incubator_warning():
                jvm_args = [f"-Djava.util.logging.config.file={properties}", _EXIT_ON_OOM,
                            *([QUICK_COMPILER] if quick_start else [])]
                start_jvm(heap_size=heap, jvm_args=jvm_args)
        finally:
            if saved is None:
                del os.environ["ARCADEDB_JVM_ERROR_FILE"]
            else:
                os.environ["ARCADEDB_JVM_ERROR_FILE"] = saved
    stream = jpype.JClass("java.io.FileInputStream")(str(properties))
    try:
        jpype.JClass("java.util.logging.LogManager").getLogManager().readConfiguration(stream)
    finally:
        stream.close()
    console = jpype.JClass("java.util.logging.ConsoleHandler")
    _console["handlers"] = [h for h in jpype.JClass("java.util.logging.Logger").getLogger("").getHandlers()
                            if isinstance(h, console)]
    _console["off"] = jpype.JClass("java.util.logging.Level").OFF


@contextmanager
def console_quiet() -> Iterator[None]:
    """Keep the engine's own log lines off stderr meanwhile (they still reach `<home>/logs/`): for a stop that an
    error or Ctrl-C caused, whose one line is the command's (e.g. ArcadeDB's SEVERE "not all pages reached the
    disk" when a build is interrupted mid-write: the unfinished database is discarded anyway).

    Only methods of objects looked up at the JVM's configuration are called: after Ctrl-C the thread's interrupt flag
    makes a class lookup fail (InterruptedException); if even a call fails, the stop goes on and the line may show."""
    saved = []
    try:
        for handler in _console["handlers"]:
            saved.append((handler, handler.getLevel()))
            handler.setLevel(_console["off"])
    except (jpype.JException, KeyError):
        pass
    try:
        yield
    finally:
        for handler, level in saved:
            try:
                handler.setLevel(level)
            except jpype.JException:
                pass


@contextmanager
def _without_incubator_warning() -> Iterator[None]:
    """Hold back the JVM's boot-time incubator warning from stderr; anything else it prints passes through."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().splitlines(keepends=True) if not line.startswith(_INCUBATOR_WARNING)]
            os.write(2, b"".join(kept))
