"""Where a Soyaku home is, how big the engine's heap may be, and the JVM's quick-start flag.

A command, the MCP server and the build read them before any engine or driver is loaded, so this module imports
neither.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

from soyaku.core.errors import EngineError

__all__ = ["HEAP", "MIN_HEAP_MB", "QUICK_COMPILER", "QUICK_START_MAX_ROWS", "default_heap", "default_home"]

#: The smallest heap accepted: below it the JVM crashes or runs out of memory at start (8m: a native crash, or a
#: hang past 120 s); the seed graph builds with 64m.
MIN_HEAP_MB = 128
HEAP = "1g"  # plenty for the seed graph (peak RSS ~350 MB); graphs of 100k nodes load faster with 4g
#: A JVM's quick start, for both engines: the C1 compiler only. In a short process on two cores, C2's compile
#: threads compete with the work (`soyaku build` median 8.75 s vs 10.79 s; Neo4j's first seed load 7.4 s vs
#: 18.3 s); in long work C2's code wins (a 100k-node load 411 s vs 370 s, path queries 2.07 ms vs 0.84 ms).
#: See docs/engine.md.
QUICK_COMPILER = "-XX:TieredStopAtLevel=1"
#: A graph of at most this many rows (nodes + relationships) is loaded by a JVM with the quick compiler only: a
#: build's, and a Neo4j's that `serve --engine neo4j` fills (loading is then most of what it does).
QUICK_START_MAX_ROWS = 20_000


def default_home() -> Path:
    """The Soyaku home: `$SOYAKU_HOME`, else the platform's user data directory for "soyaku"."""
    return Path(os.environ.get("SOYAKU_HOME") or platformdirs.user_data_dir("soyaku")).expanduser()


def default_heap() -> str:
    """The JVM heap of the embedded engine: `$SOYAKU_HEAP` (e.g. `4g`, `2048m`), else 1g; at least `MIN_HEAP_MB`."""
    heap = os.environ.get("SOYAKU_HEAP") or HEAP
    if not re.fullmatch(r"[1-9][0-9]{0,6}[gGmM]", heap):
        raise EngineError(f"SOYAKU_HEAP={heap!r} is not a heap size: use a whole number and g or m, e.g. 4g or 2048m")
    megabytes = int(heap[:-1]) * (1024 if heap[-1] in "gG" else 1)
    if megabytes < MIN_HEAP_MB:
        raise EngineError(f"SOYAKU_HEAP={heap} is below the {MIN_HEAP_MB}m the engine needs to start: use e.g. 1g "
                          f"(the default) or 4g for graphs of 100k nodes")
    return heap
