"""The databases of a home's embedded engine on disk: the home's lock, the build-then-swap steps and their recovery.

    <home>/engine.lock                 held by the one process that has the database open
    <home>/arcadedb/databases/kg       the graph; kg_build while a build runs; kg.old during a swap
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import IO

from soyaku.core.errors import EngineError

__all__ = ["BUILD_DATABASE", "DATABASE", "OLD_DATABASE", "lock_home", "recover", "require_graph", "swap"]

DATABASE = "kg"
BUILD_DATABASE = "kg_build"
OLD_DATABASE = "kg.old"
LOCK_FILE = "engine.lock"


def require_graph(home: Path) -> None:
    """An EngineError unless `home` holds a built graph (so that nothing creates an empty one by asking)."""
    databases = home / "arcadedb" / "databases"
    if not (databases / DATABASE).is_dir() and not (databases / OLD_DATABASE).is_dir():  # kg.old: a swap to undo
        raise EngineError(f"no graph here yet: run `soyaku build` (home {home})")


def lock_home(home: Path) -> IO[str]:
    """Take the home's exclusive lock (released when the returned file is closed or the process dies)."""
    lock = open(home / LOCK_FILE, "a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        raise EngineError(
            f"The graph in {home} is open in another Soyaku process (pid {holder}); only one process can open "
            f"it. Wait for that one to finish, or run `soyaku serve` so that every command shares one server."
        ) from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
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
