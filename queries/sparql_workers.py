"""SPARQL questions answered in child processes, so that a question past its time limit is ended, not abandoned.

Oxigraph cannot cancel a query: a thread that stops waiting for one leaves it running, and each runaway question
sent to the web explorer or the MCP server would keep a core busy until it finished (if ever). So the questions
run in worker processes, each holding the store in its memory (`SparqlStore`): a question not answered within its
time limit ends its worker (SIGKILL; the next question starts a new one, ~0.5 s), and at most `size` questions
run at once (a question waits for a free worker within its own time limit). Workers are started with `spawn`: the
parent may run a JVM and threads, which do not survive a fork.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from soyaku.queries.sparql import SparqlAnswer, SparqlError, SparqlStore, SparqlTimeout

__all__ = ["SparqlWorkers"]

#: Seconds a new worker may take to read the store before the question is refused.
START_S = 60.0
_CONTEXT = multiprocessing.get_context("spawn")


class _Worker:
    """One child process holding the store, answering one question at a time over a pipe."""

    def __init__(self, path: Path) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_answer_questions, args=(str(path), child), name="soyaku-sparql",
                                        daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_S):
            self.end()
            raise SparqlError(f"the SPARQL store at {path} took longer than {START_S:g} s to open; try again")
        ok, value = self._receive()
        if not ok:
            self.end()
            raise value

    def ask(self, text: str, timeout: float, options: dict[str, Any]) -> SparqlAnswer:
        self.conn.send((text, options))
        if not self.conn.poll(timeout):
            self.end()
            raise SparqlTimeout(f"the query ran past its time limit of {timeout:g} s and was ended; narrow it "
                                "(LIMIT, a more specific pattern) or give a longer --timeout")
        ok, value = self._receive()
        if not ok:
            raise value
        return value

    def _receive(self) -> tuple[bool, Any]:
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.end()
            return False, SparqlError("the SPARQL worker process ended while answering (out of memory?); ask again")

    def end(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _answer_questions(path: str, conn: Connection) -> None:
    """The worker's loop: read the store, say so (or why not), then answer each question sent until the pipe ends."""
    try:
        store = SparqlStore(Path(path))
    except SparqlError as exc:
        conn.send((False, exc))
        return
    conn.send((True, None))
    while True:
        try:
            text, options = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((True, store.answer(text, **options)))
        except SparqlError as exc:
            conn.send((False, exc))
        except Exception as exc:  # a defect: one line back, the worker goes on
            conn.send((False, SparqlError(f"the query failed: {type(exc).__name__}: {exc}")))


class SparqlWorkers:
    """Answers SPARQL questions about the store at `path` in at most `size` worker processes (started on demand)."""

    def __init__(self, path: Path, size: int = 2) -> None:
        self.path = path
        self._idle: list[_Worker] = []
        self._free = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()

    def query(self, text: str, *, timeout: float, **options: Any) -> SparqlAnswer:
        """`SparqlStore.answer` to `text` (with its `options`), from a worker; SparqlTimeout, and that worker ended,
        past `timeout` seconds."""
        if not self._free.acquire(timeout=timeout):
            raise SparqlTimeout(f"every SPARQL worker stayed busy for the time limit of {timeout:g} s; ask again")
        try:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            worker = worker or _Worker(self.path)
            try:
                return worker.ask(text, timeout, options)
            finally:
                if worker.process.is_alive():  # one that did not answer in time was ended
                    with self._lock:
                        self._idle.append(worker)
        finally:
            self._free.release()

    def close(self) -> None:
        """End the idle workers (a busy one ends with its question's time limit)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.end()
