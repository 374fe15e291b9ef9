"""The engine's socket, `<home>/engine.sock`: typed, size- and time-limited questions from `soyaku` commands.

Framing and authentication are the standard library's (`multiprocessing.connection`: length-prefixed messages, a
mutual HMAC challenge with the key in `<home>/engine.key`, mode 0600, in a home that is 0700). Nothing is ever
unpickled: a request is one JSON message of at most `MAX_REQUEST` bytes, `{"question": name, "args": {...}}`, read
by `parse_request` and then checked field by field by the engine's `check` (soyaku.app.host) in the connection's own
thread, before anything runs. Each connection gets a thread of its own with a deadline (`REQUEST_S` to
authenticate, ask and confirm, `ANSWER_S` to take the answer), so a slow or silent client holds only its own thread.
The questions themselves run one at a time in the engine process's main thread (`serve`): a request that finds it
busy hears BUSY at once and its client asks over Bolt instead, so a question never waits behind a long one. The
home is the engine's own: a request names a question and its arguments, never a home or a directory.

Exchange, client → engine after the challenge: a request; engine → client: TAKEN, BUSY or an error reply; on TAKEN
the client confirms with GO (a client that gave up sends nothing and runs the question itself, so exactly one of
the two runs it) and then receives the reply: `{"code": 0, "result": ...}` or `{"code": n, "error": "one line"}`.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import socket
import stat
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import (AuthenticationError, Connection, Listener, answer_challenge,
                                        deliver_challenge)
from pathlib import Path
from typing import Any, TypeVar

from soyaku.core.interrupts import MESSAGE

__all__ = ["ACK_S", "BadRequest", "INTERRUPTED", "Reply", "Request", "ask", "parse_request", "serve"]

T = TypeVar("T")
SOCKET_FILE = "engine.sock"
KEY_FILE = "engine.key"
TAKEN, BUSY, GO = b"T", b"B", b"G"
#: A client waits this long for TAKEN or BUSY before it runs the question itself.
ACK_S = 1.0
#: Bytes a request may hold; seconds a client has to authenticate, send it and confirm; to take the answer.
MAX_REQUEST = 1 << 20
REQUEST_S = 5.0
ANSWER_S = 60.0
#: Connections handled at once; more are closed at once (their clients ask over Bolt).
MAX_CONNECTIONS = 32

#: What the client of a question that the engine's stop interrupted prints.
INTERRUPTED = MESSAGE


class BadRequest(ValueError):
    """A request that is not what the socket accepts; answered with an error, the engine keeps serving."""


@dataclass(frozen=True)
class Request:
    """A question for the engine of this home: its name and its arguments (checked by the engine before use)."""

    question: str
    args: dict[str, Any]

    def to_bytes(self) -> bytes:
        return json.dumps({"question": self.question, "args": self.args}, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Reply:
    """The engine's reply: exit code 0 and the question's result as JSON-ready data, or a code and one line."""

    code: int
    result: Any = None
    error: str | None = None

    def to_bytes(self) -> bytes:
        body = {"code": self.code, "result": self.result} if self.code == 0 else {"code": self.code,
                                                                                    "error": self.error}
        return json.dumps(body, ensure_ascii=False).encode()


def parse_request(data: bytes) -> Request:
    """The request in DATA: a JSON object with `question` (a name) and `args` (an object), nothing else."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("the request is not a JSON object") from None
    if not isinstance(raw, dict) or set(raw) != {"question", "args"}:
        raise BadRequest("the request must be an object with question and args only")
    question, args = raw["question"], raw["args"]
    if not isinstance(question, str) or not question.isidentifier():
        raise BadRequest("question must be the name of a question")
    if not isinstance(args, dict):
        raise BadRequest("args must be an object")
    return Request(question, args)


def engine_key(home: Path, *, create: bool = False) -> bytes | None:
    """The socket's key: 32 random bytes in `home/engine.key`, readable by its owner only (made if CREATE and
    missing or unsafe); None if there is none to read."""
    path = home / KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            key = f.read(64)
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077 and len(key) == 32:
            return key
    except OSError:
        pass
    if not create:
        return None
    path.unlink(missing_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def ask(home: Path, request: Request) -> Reply | None:
    """Send REQUEST to the engine of HOME; its reply, or None when no engine takes it (the caller then runs it).

    Raises EOFError/OSError when the engine took the question and went away before answering.
    """
    key = engine_key(home)
    if key is None:
        return None
    try:
        conn = _connect(home / SOCKET_FILE)
    except OSError:
        return None
    with conn:
        try:
            if not conn.poll(ACK_S):
                return None
            answer_challenge(conn, key)
            deliver_challenge(conn, key)
            conn.send_bytes(request.to_bytes())
            if not conn.poll(ACK_S):
                return None  # busy or stopping: run the question here
            first = conn.recv_bytes()
            if first == BUSY:
                return None
            if first == TAKEN:
                conn.send_bytes(GO)
                first = None
        except (OSError, EOFError, AuthenticationError, AssertionError):
            return None  # no engine behind the socket, or not ours, or stopping
        data = first if first is not None else conn.recv_bytes()  # the question may take as long as it takes
    raw = json.loads(data)
    return Reply(int(raw["code"]), raw.get("result"), raw.get("error"))


def _connect(path: Path) -> Connection:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(ACK_S)
        sock.connect(str(path))
        sock.setblocking(True)
        return Connection(sock.detach())
    finally:
        sock.close()


@dataclass
class _Job:
    question: Any  # what `check` made of the request
    reply: Reply | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Engine:
    """The listening side: an accepting thread, a thread per connection, and the queue the main thread runs."""

    def __init__(self, home: Path, check: Callable[[Request], Any]) -> None:
        self.check = check
        self.path = home / SOCKET_FILE
        self.key = engine_key(home, create=True)
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.free = threading.BoundedSemaphore(1)  # held from TAKEN until the main thread has run the question
        self.stopping = threading.Event()
        self.handlers: set[threading.Thread] = set()
        self.lock = threading.Lock()
        self.path.unlink(missing_ok=True)
        self.listener = Listener(str(self.path), family="AF_UNIX", backlog=16)  # authenticated per connection
        os.chmod(self.path, 0o600)
        self.acceptor = threading.Thread(target=self._accept, name="soyaku-engine-socket", daemon=True)
        self.acceptor.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.handlers = {t for t in self.handlers if t.is_alive()}
                if self.stopping.is_set() or len(self.handlers) >= MAX_CONNECTIONS:
                    conn.close()
                    continue
                handler = threading.Thread(target=self._handle, args=(conn,), name="soyaku-engine-client",
                                           daemon=True)
                self.handlers.add(handler)
            handler.start()

    def _handle(self, conn: Connection) -> None:
        cut = socket.socket(fileno=os.dup(conn.fileno()))  # shutting it down wakes a read blocked on `conn`
        deadline = threading.Timer(REQUEST_S, _shut, (cut,))
        deadline.start()
        taken = False
        try:
            deliver_challenge(conn, self.key)
            answer_challenge(conn, self.key)
            try:
                question = self.check(parse_request(conn.recv_bytes(MAX_REQUEST)))
            except BadRequest as exc:
                conn.send_bytes(Reply(2, error=f"bad request to the graph engine: {exc}").to_bytes())
                return
            if not self.free.acquire(blocking=False):
                conn.send_bytes(BUSY)
                return
            taken = True
            conn.send_bytes(TAKEN)
            if conn.recv_bytes(16) != GO:
                return
            job = _Job(question)
            self.jobs.put(job)
            taken = False  # the main thread frees the slot once it has run the job
            deadline.cancel()
            while not job.done.wait(0.5):
                if self.stopping.is_set():  # taken and confirmed, never run: the engine stopped first
                    conn.send_bytes(Reply(130, error=INTERRUPTED).to_bytes())
                    return
            deadline = threading.Timer(ANSWER_S, _shut, (cut,))
            deadline.start()
            conn.send_bytes(job.reply.to_bytes())  # type: ignore[union-attr]
        except (OSError, EOFError, AuthenticationError, AssertionError):
            pass  # the client went away, was too slow, sent too much or does not hold the key
        finally:
            deadline.cancel()
            if taken:
                self.free.release()
            cut.close()
            conn.close()

    def close(self) -> None:
        """Stop accepting, let answers being sent finish (up to 2 s), and remove the socket."""
        self.stopping.set()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as wake:  # ends the acceptor's accept()
                wake.settimeout(0.5)
                wake.connect(str(self.path))
        except OSError:
            pass
        self.acceptor.join(timeout=2)
        self.listener.close()
        with self.lock:
            handlers = list(self.handlers)
        for handler in handlers:
            handler.join(timeout=2 / max(1, len(handlers)))


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def serve(home: Path, check: Callable[[Request], T], execute: Callable[[T], Reply], should_stop: Callable[[], bool],
          tick_s: float = 0.2) -> None:
    """Answer questions on `home/engine.sock`: CHECK each request in its connection's thread (BadRequest refuses
    it), then EXECUTE what CHECK made of it in this (main) thread, until `should_stop()` or Ctrl-C/SIGTERM; wakes
    every `tick_s` so signals are handled (see EmbeddedServer.wait).

    A signal that arrives while a question runs ends that question (its client hears "interrupted") and then this
    loop, by re-raising it: the command's own handling must not swallow the engine's stop.
    """
    from soyaku.core.interrupts import Terminated, hosting_engine

    hosting_engine()
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt if signum == signal.SIGINT else Terminated(128 + signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    engine = _Engine(home, check)
    try:
        while not should_stop():
            try:
                job = engine.jobs.get(timeout=tick_s)
            except queue.Empty:
                continue
            try:
                job.reply = execute(job.question)
            except Exception as exc:  # a defect, not the question's fault: logged, answered, the engine goes on
                traceback.print_exc()
                job.reply = Reply(1, error=f"{type(exc).__name__}: {exc} (a defect in soyaku; the engine's log "
                                           "has the details); ask again with --no-background")
            finally:
                if job.reply is None or received:  # a signal stopping the engine ended the question: its client
                    job.reply = Reply(130, error=INTERRUPTED)  # says so
                job.done.set()
                engine.free.release()
            if received:
                raise KeyboardInterrupt if received[0] == signal.SIGINT else Terminated(128 + received[0])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        engine.close()
