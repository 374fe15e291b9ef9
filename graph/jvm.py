"""The in-process JVM that runs ArcadeDB: started once per process, with its logs kept under the Soyaku home."""

from __future__ import annotations

import os
from pathlib import Path

import jpype
from arcadedb_embedded.jvm import start_jvm

__all__ = ["prepare_jvm"]

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


def prepare_jvm(logs: Path, heap: str) -> None:
    """Start the JVM if needed, then send its logs to `logs/`.

    The first call in a process fixes the heap and the crash-file location (a JVM cannot be reconfigured);
    the log files follow each call, so a later server in another home logs into that home.
    """
    logs.mkdir(parents=True, exist_ok=True)
    properties = logs / "logging.properties"
    properties.write_text(_LOGGING.format(pattern=(logs / "arcadedb.log").as_posix()), encoding="utf-8")
    if not jpype.isJVMStarted():
        saved = os.environ.get("ARCADEDB_JVM_ERROR_FILE")
        os.environ["ARCADEDB_JVM_ERROR_FILE"] = str(logs / "hs_err_pid%p.log")
        try:
            start_jvm(heap_size=heap, jvm_args=[f"-Djava.util.logging.config.file={properties}"])
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
