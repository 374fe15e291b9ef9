"""Questions answered by the warm process: `soyaku query|find|path` forwarded to the running engine's process.

Importing the neo4j driver alone costs a command ~0.3 s of CPU, more than the question. A running engine (the
background engine or `soyaku serve`) is a Python process that has the driver loaded, so it also listens on the
Unix socket `<home>/engine.sock` (the home is 0700: only its owner reaches it). The `soyaku` script sends such a
command there (its arguments, working directory, terminal size) and prints what comes back; the engine's process
runs it, one at a time, in its main thread, exactly as the command line would (click's test runner captures the
output and the exit code). When no engine listens, the engine is busy with another command (it did not take the
request within `ACK_S`), or `--no-background`/`SOYAKU_BACKGROUND=0` is given, the command runs in its own process
and reaches the engine over Bolt. Nothing here imports click or the driver on the client side.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["SOCKET_FILE", "FORWARDED", "listen", "serve_requests", "try_forward"]

SOCKET_FILE = "engine.sock"
FORWARDED = ("query", "find", "path")
_PASSED_ENV = ("COLUMNS", "LINES", "NO_COLOR", "SOYAKU_HEAP")
#: The engine answers a request at once with TAKEN when its loop is free; the client then confirms with GO, and only
#: then does the engine run the command. A client that hears nothing within ACK_S (the engine is busy with another
#: command) closes the socket and runs the command itself over Bolt, so exactly one of the two runs it.
TAKEN, GO = b"T", b"G"
ACK_S = 1.0


def try_forward(argv: list[str]) -> int | None:
    """Run `soyaku ARGV` in the running engine's process; the exit code, or None to run it here instead."""
    home = _forwardable_home(argv)
    if home is None:
        return None
    path = home / SOCKET_FILE
    if not path.exists():
        return None
    size = shutil.get_terminal_size((100, 24))
    env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
    env.setdefault("COLUMNS", str(size.columns))
    command = argv[next(i for i, a in enumerate(argv) if a in FORWARDED):]
    request = json.dumps({"argv": ["--home", str(home), *command], "cwd": os.getcwd(), "env": env}).encode() + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            try:
                (home / "server.used").touch()
                client.settimeout(5.0)
                client.connect(str(path))
                client.sendall(request)
                client.settimeout(ACK_S)
                if client.recv(1) != TAKEN:
                    return None
                client.sendall(GO)
            except OSError:
                return None  # no engine behind the socket, or it is busy or stopping: run the command here
            try:
                client.settimeout(None)  # the question itself may take as long as it takes
                reply = json.loads(_read_all(client))
            except (OSError, ValueError):
                print("error: the graph engine stopped while answering; ask again", file=sys.stderr)
                return 1
    except (KeyboardInterrupt, SystemExit) as exc:
        from soyaku.core.interrupts import announce, exit_code

        announce()  # a question the engine took ends at its time limit
        return exit_code(exc)
    sys.stdout.write(reply["stdout"])
    sys.stderr.write(reply["stderr"])
    return int(reply["code"])


def _forwardable_home(argv: list[str]) -> Path | None:
    """The home, if ARGV is `[--home H] [--background] query|find|path …` without --help and background is on."""
    if os.environ.get("SOYAKU_BACKGROUND", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    home = os.environ.get("SOYAKU_HOME")
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i] == "--home" and i + 1 < len(argv):
            home, i = argv[i + 1], i + 2
        elif argv[i].startswith("--home="):
            home, i = argv[i].split("=", 1)[1], i + 1
        elif argv[i] == "--background":
            i += 1
        else:
            return None  # --no-background, --help, --version, or something to let click explain
    if i >= len(argv) or argv[i] not in FORWARDED or {"-h", "--help"} & set(argv[i:]):
        return None
    if not home:
        import platformdirs

        home = platformdirs.user_data_dir("soyaku")
    return Path(home).expanduser()


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def listen(home: Path) -> socket.socket:
    """The engine side: a listening socket at `home/engine.sock` (replacing a stale one)."""
    path = home / SOCKET_FILE
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(16)
    server.setblocking(False)
    return server


def serve_requests(home: Path, server: socket.socket, should_stop: Callable[[], bool], tick_s: float = 0.2) -> None:
    """Answer forwarded commands in this (main) thread until `should_stop()` or Ctrl-C/SIGTERM; wakes every `tick_s`
    so signals are handled (see EmbeddedServer.wait).

    A signal that arrives while a forwarded command runs ends that command (its client hears "interrupted") and
    then this loop, by re-raising it: the command's own handling must not swallow the engine's stop.
    """
    from soyaku.core.interrupts import Terminated, hosting_engine

    hosting_engine()
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt if signum == signal.SIGINT else Terminated(128 + signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    try:
        while not should_stop():
            if not selector.select(timeout=tick_s):
                continue
            try:
                conn, _ = server.accept()
            except BlockingIOError:
                continue
            with conn:
                conn.setblocking(True)
                conn.settimeout(10.0)
                try:
                    request = json.loads(_read_line(conn))
                    conn.sendall(TAKEN)
                    if conn.recv(1) == GO:  # else the client gave up waiting and runs the command itself
                        reply = _run(request)
                        conn.settimeout(None)
                        conn.sendall(json.dumps(reply).encode())
                except (OSError, ValueError, KeyError):
                    pass  # the client went away or sent nonsense; it falls back to running the command itself
            if received:
                raise KeyboardInterrupt if received[0] == signal.SIGINT else Terminated(128 + received[0])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        selector.close()
        server.close()
        path = home / SOCKET_FILE
        path.unlink(missing_ok=True)


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _run(request: dict[str, Any]) -> dict[str, Any]:
    """Run one forwarded command as the command line would; its output and exit code."""
    import traceback

    from click.testing import CliRunner

    from soyaku.cli.main import cli

    argv = [str(a) for a in request["argv"]]
    if argv[:1] != ["--home"] or len(argv) < 3 or argv[2] not in FORWARDED:
        return {"code": 2, "stdout": "", "stderr": "Error: only query, find and path are forwarded\n"}
    env = {str(k): str(v) for k, v in dict(request.get("env", {})).items() if k in _PASSED_ENV}
    before = os.getcwd()
    try:
        os.chdir(str(request.get("cwd") or before))
        result = CliRunner().invoke(cli, argv, env=env, prog_name="soyaku")
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return {"code": result.exit_code, "stdout": result.stdout, "stderr": stderr}


if __name__ == "__main__":  # the background engine's process (graph/background.py starts it)
    from soyaku.core.errors import EngineError
    from soyaku.graph.background import serve_until_idle

    try:
        serve_until_idle(Path(sys.argv[1]), int(sys.argv[2]), lambda home, idle: serve_requests(home, listen(home), idle))
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
