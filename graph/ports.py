"""TCP ports for an engine: a preferred or any free one, a fixed one checked, and whether this process listens."""

from __future__ import annotations

import socket
import time

import psutil

from soyaku.core.errors import EngineError

__all__ = ["LOCALHOST", "fixed_port", "free_port", "listens_here"]

LOCALHOST = "127.0.0.1"


def free_port(preferred: int | None = None, host: str = LOCALHOST) -> int:
    """`preferred` if it can be bound on `host`, else any free port there."""
    for port in ((preferred,) if preferred else ()) + (0,):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise EngineError(f"No free TCP port on {host} for the graph engine.")


def listens_here(port: int, wait_s: float = 2.0) -> bool:
    """Whether this process listens on TCP `port` (within `wait_s`, while the Bolt plugin binds)."""
    deadline = time.monotonic() + wait_s
    while True:
        if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port
               for c in psutil.Process().net_connections(kind="tcp")):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def fixed_port(host: str, port: int, what: str) -> int:
    """`port`, checked to be free on `host`; an EngineError saying what to do otherwise."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise EngineError(f"Cannot listen for {what} on {host}:{port} ({exc.strerror}): the port is in use or the "
                              "address is not this machine's; choose another.") from None
    return port
