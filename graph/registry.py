"""The server registry: `home/server.json` says which `soyaku serve` process owns the graph and where it listens."""

from __future__ import annotations

import json
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from soyaku.core.atomic import write_text_atomic

__all__ = ["RunningServer", "find_running_server", "process_alive", "publish_server", "unpublish_server"]

SERVER_FILE = "server.json"


@dataclass(frozen=True)
class RunningServer:
    """A `soyaku serve` process: its pid and the Bolt address, user and database to use."""

    pid: int
    uri: str
    user: str
    database: str


def publish_server(home: Path, server: RunningServer) -> None:
    """Announce a running server in `home/server.json`."""
    write_text_atomic(home / SERVER_FILE, json.dumps(asdict(server), indent=2) + "\n", mode=0o644)


def unpublish_server(home: Path, pid: int) -> None:
    """Remove `home/server.json` if it announces the process `pid`."""
    found = _read(home / SERVER_FILE)
    if found is not None and found.pid == pid:
        (home / SERVER_FILE).unlink(missing_ok=True)


def find_running_server(home: Path) -> RunningServer | None:
    """The server announced in `home/server.json` if its process is alive and its Bolt port answers.

    A stale file (dead process, closed port, unreadable content) is removed.
    """
    path = home / SERVER_FILE
    if not path.exists():
        return None
    found = _read(path)
    if found is not None and process_alive(found.pid) and _port_open(found.uri):
        return found
    path.unlink(missing_ok=True)
    return None


def _read(path: Path) -> RunningServer | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunningServer(int(data["pid"]), str(data["uri"]), str(data["user"]), str(data["database"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs (an exited process waiting to be reaped, a zombie, does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # alive, owned by another user
        return True


def _port_open(uri: str) -> bool:
    parts = urlsplit(uri)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 7687), timeout=1.0):
            return True
    except (OSError, ValueError):
        return False
