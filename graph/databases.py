"""The databases of a home's embedded engine on disk: the home's lock, the build-then-swap steps and their recovery.

    <home>/engine.lock                 held by the one process that has the database open (engine.pid: its pid)
    <home>/arcadedb/databases/kg       the graph; kg_build while a build runs; kg.old during a swap
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from filelock import BaseFileLock, FileLock, Timeout

from soyaku.core.atomic import write_text_atomic
from soyaku.core.errors import EngineError

__all__ = ["BUILD_DATABASE", "DATABASE", "OLD_DATABASE", "lock_home", "recover", "require_graph", "swap"]

DATABASE = "kg"
BUILD_DATABASE = "kg_build"
OLD_DATABASE = "kg.old"
LOCK_FILE = "engine.lock"
PID_FILE = "engine.pid"


def require_graph(home: Path) -> None:
    """An EngineError unless `home` holds a built graph (so that nothing creates an empty one by asking)."""
    databases = home / "arcadedb" / "databases"
    if not (databases / DATABASE).is_dir() and not (databases / OLD_DATABASE).is_dir():  # kg.old: a swap to undo
        raise EngineError(f"no graph here yet: run `soyaku build` (home {home})")


def lock_home(home: Path) -> BaseFileLock:
    """Take the home's exclusive lock (filelock: an flock the kernel releases when the process dies) and note this
    process's pid beside it for the message another process gets; release it with `.release()`."""
    lock = FileLock(home / LOCK_FILE, blocking=False, thread_local=False)  # a stop may run in another thread
    try:
        lock.acquire()
    except Timeout:
        try:
            holder = (home / PID_FILE).read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            holder = "unknown"
        raise EngineError(
            f"The graph in {home} is open in another Soyaku process (pid {holder}); only one process can open "
            f"it. Wait for that one to finish, or run `soyaku serve` so that every command shares one server."
        ) from None
    write_text_atomic(home / PID_FILE, f"{os.getpid()}\n")
    return lock


def recover(databases: Path) -> None:
    """Finish or undo an interrupted swap and drop an unfinished build (the home lock is held)."""
    current, old, build = databases / DATABASE, databases / OLD_DATABASE, databases / BUILD_DATABASE
    if old.exists():
        if current.exists():
            shutil.rmtree(old)  # the swap got as far as moving the build in
        else:
            old.rename(current)  # the swap stopped half way: put the old graph back
    if build.exists():
        shutil.rmtree(build)


def swap(databases: Path) -> None:
    """Replace `kg` with `kg_build`; each step leaves a state that `recover` can finish or undo."""
    current, old, build = databases / DATABASE, databases / OLD_DATABASE, databases / BUILD_DATABASE
    if current.exists():
        current.rename(old)
    build.rename(current)
    if old.exists():
        shutil.rmtree(old)
