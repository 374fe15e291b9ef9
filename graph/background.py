"""The background engine: started by the first question, kept warm for the next ones, gone when idle.

Starting the JVM and ArcadeDB costs a one-shot command about 3–4 s; a query on a warm engine takes milliseconds.
So when no `soyaku serve` runs, `soyaku query`/`find`/`path`/`shell` start this process (detached, in its own
session), which runs an `EmbeddedServer`, announces it in `server.json` like `soyaku serve` (so every command uses
it over Bolt) and in `background.json` (pid, idle timeout), and stops when no command has used it for
`idle_s` seconds (`$SOYAKU_BACKGROUND_IDLE`, default 900). Commands mark their use by touching `server.used`.

Off with `soyaku --no-background …` or `SOYAKU_BACKGROUND=0`: each command then starts and stops its own engine.
`soyaku status` shows it; `soyaku stop` or SIGTERM stops it; `soyaku build` stops it before rebuilding.
Its output goes to `<home>/logs/background.log`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from soyaku.core.atomic import write_text_atomic
from soyaku.core.errors import EngineError

from .registry import RunningServer, find_running_server, process_alive

__all__ = ["Background", "IDLE_S", "enabled", "find_background", "mark_used", "process_alive", "start_background",
           "stop_server"]

IDLE_S = 900
STATE_FILE = "background.json"
USED_FILE = "server.used"
LOG_FILE = "background.log"
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Background:
    """A running background engine: its pid, idle timeout and seconds since a command last used it."""

    pid: int
    idle_s: int
    idle_for_s: float


def enabled() -> bool:
    """Whether commands may start the background engine (`$SOYAKU_BACKGROUND`: 0/false/no/off turn it off)."""
    return os.environ.get("SOYAKU_BACKGROUND", "1").strip().lower() not in ("0", "false", "no", "off")


def idle_seconds() -> int:
    """`$SOYAKU_BACKGROUND_IDLE` (seconds), else 900."""
    text = os.environ.get("SOYAKU_BACKGROUND_IDLE") or str(IDLE_S)
    if not text.isdigit() or int(text) < 1:
        raise EngineError(f"SOYAKU_BACKGROUND_IDLE={text!r} is not a number of seconds: use e.g. 900.")
    return int(text)


def mark_used(home: Path) -> None:
    """Tell the background engine that a command is using it (it stops after `idle_s` seconds without)."""
    (home / USED_FILE).touch()


def find_background(home: Path) -> Background | None:
    """The background engine of `home` if it is the running server."""
    running = find_running_server(home)
    state = _read_state(home)
    if running is None or state is None or state.get("pid") != running.pid:
        return None
    try:
        used = (home / USED_FILE).stat().st_mtime
    except FileNotFoundError:
        used = time.time()
    return Background(running.pid, int(state.get("idle_s", IDLE_S)), max(0.0, time.time() - used))


def start_background(home: Path, host_module: str) -> RunningServer:
    """Start the background engine for `home` and wait until it answers; returns the running server.

    The process runs `python -m host_module HOME IDLE_S`: the module that answers the commands' questions (it calls
    `serve_until_idle` with its request loop: soyaku.app.host). If another command starts one at the same moment, the first to
    take the home's lock serves both.
    """
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    mark_used(home)
    with open(logs / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", host_module, str(home), str(idle_seconds())],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    exited_at = None
    while time.monotonic() < deadline:
        running = find_running_server(home)
        if running is not None:
            return running
        if exited_at is None and process.poll() is not None:
            exited_at = time.monotonic()  # lost the race for the lock, or failed: give a winner a moment
        if exited_at is not None and time.monotonic() - exited_at > 5.0:
            break
        time.sleep(0.05)
    raise EngineError(f"The background graph engine did not start (see {logs / LOG_FILE}): "
                      f"{_last_line(logs / LOG_FILE)}. Run with --no-background to use a one-shot engine.")


def stop_server(home: Path, pid: int, timeout_s: float = 30.0) -> bool:
    """SIGTERM the server process `pid` and wait until it has exited; False if it was not running."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.05)
    raise EngineError(f"The graph engine (pid {pid}) did not stop within {timeout_s:.0f} s: stop it with kill {pid}.")


RequestLoop = Callable[[Path, Callable[[], bool]], None]


def serve_until_idle(home: Path, idle_s: int, answer_requests: RequestLoop) -> None:
    """The background process: serve `home` until no command has used it for `idle_s` seconds, or SIGTERM.

    `answer_requests(home, idle)` answers the commands' questions until `idle()` is true.
    """
    from .arcadedb import EmbeddedServer

    server = EmbeddedServer(home)
    with server:
        write_text_atomic(home / STATE_FILE, json.dumps({"pid": os.getpid(), "idle_s": idle_s}) + "\n")
        mark_used(home)
        server.publish()

        def idle() -> bool:
            try:
                return time.time() - (home / USED_FILE).stat().st_mtime > idle_s
            except FileNotFoundError:
                mark_used(home)
                return False

        try:
            answer_requests(home, idle)
        finally:
            state = _read_state(home)
            if state is not None and state.get("pid") == os.getpid():
                (home / STATE_FILE).unlink(missing_ok=True)


def _read_state(home: Path) -> dict | None:
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1].strip() if lines else "no output"

