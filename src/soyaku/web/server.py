"""Run the explorer beside a running engine: uvicorn in a thread of the `soyaku serve` process.

`soyaku serve` finds this through the entry point group "soyaku.serve" (pyproject.toml), so the command line and
the web stay independent surfaces.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soyaku.app.linked import DEFAULT_BASE, check_base_url
from soyaku.core.errors import EngineError, first_line
from soyaku.graph.connect import Connection

__all__ = ["WebServer", "start", "serve_app", "PREFERRED_PORT"]

#: Port tried first (a bookmark keeps working across restarts), then any free one.
PREFERRED_PORT = 8765
#: Requests answered at once; the rest wait in the listen queue (the engine answers a few queries at a time).
CONCURRENCY = 64


@dataclass
class WebServer:
    """The explorer's HTTP server: its URL, and `stop()`."""

    url: str
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)



def _socket(host: str, port: int | None) -> socket.socket:
    """A socket already listening on `port`, or on PREFERRED_PORT else any free one. It listens before it is
    returned: with SO_REUSEADDR two processes may both bind a port no one listens on yet, and only `listen` says
    which one has it, so the loser tries the next port instead of failing later in uvicorn's thread."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in ([port] if port else [PREFERRED_PORT, 0]):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by each connection: no 40 ms waits
        try:
            sock.bind((host, candidate))
            sock.listen(CONCURRENCY)
            return sock
        except OSError as exc:
            sock.close()
            if port:
                raise EngineError(f"the web explorer cannot listen on {host}:{port} ({exc.strerror}): pick another "
                                  "--web-port, or leave it out for a free one") from None
    raise EngineError(f"the web explorer found no free port on {host}")


def start(server: Any, home: Path, *, host: str = "127.0.0.1", port: int | None = None,
          base_url: str | None = None, data_dir: Path | None = None) -> WebServer:
    """Start the explorer for the running EmbeddedServer `server`, logged in as its read-only user."""
    from soyaku.web.site import create_app

    base = check_base_url(base_url) if base_url else DEFAULT_BASE
    conn = Connection(server.driver(read_only=True), server.database, server.uri, "served")
    return serve_app(create_app(conn, home, base_url=base, data_dir=data_dir), host, port)


def serve_app(app: Any, host: str = "127.0.0.1", port: int | None = None) -> WebServer:
    """Serve the ASGI `app` with uvicorn in a daemon thread; returns once it listens."""
    import uvicorn

    sock = _socket(host, port)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                            limit_concurrency=CONCURRENCY, timeout_graceful_shutdown=5)
    web = uvicorn.Server(config)
    failed: list[BaseException] = []

    def run() -> None:  # a failure is one line (below, or here once serving), not a thread's traceback
        try:
            web.run(sockets=[sock])
        except Exception as exc:  # noqa: BLE001 - any failure is reported in one line
            failed.append(exc)
            if web.started:
                print(f"error: the web explorer stopped: {first_line(exc)}", file=sys.stderr)

    thread = threading.Thread(target=run, name="soyaku-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not web.started:
        web.should_exit = True
        sock.close()
        why = f" ({first_line(failed[0])})" if failed else ""
        raise EngineError(f"the web explorer did not start{why}: see the messages above, or pass --no-web")
    bound_host, bound_port = sock.getsockname()[:2]
    shown = "127.0.0.1" if bound_host in ("0.0.0.0", "::") else bound_host
    shown = f"[{shown}]" if ":" in shown else shown
    return WebServer(f"http://{shown}:{bound_port}/", web, thread)
