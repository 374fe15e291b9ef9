"""The running engine's side of the socket: typed questions answered with the app layer's plain results.

A running engine (the background engine, `soyaku serve`) is a Python process that has the driver loaded and an
open connection, so it answers `soyaku query|find|path` for the commands (soyaku.app.remote): each request names a
question (`ask`, `find`, `trace`) and its arguments, which are checked against the models below before anything runs
(pydantic, strict: unknown fields, wrong types and out-of-range numbers are refused). The answer is the same
function's result a command would compute itself (soyaku.app.questions), as JSON; the command renders it. No click
and no command line run here. The home is the engine's own: no argument names a home or a directory.

Run as `python -m soyaku.app.host HOME IDLE_S`, this module is the background engine's process (graph/background.py
starts it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from soyaku.app.questions import ask, find, trace
from soyaku.app.results import Result, to_wire
from soyaku.core.errors import EngineError, SoyakuError
from soyaku.core.interrupts import run_read_only
from soyaku.graph.connect import Connection, connect
from soyaku.graph.engine_socket import BadRequest, Reply, Request, serve

__all__ = ["AskQuestion", "FindQuestion", "Host", "TraceQuestion", "serve_questions"]

_Text = Annotated[str, Field(max_length=100_000)]


class _Question(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AskQuestion(_Question):
    """`soyaku query`: a named query, a Cypher file's text or a statement, with parameters (app.questions.ask)."""

    name: _Text | None = None
    cypher: _Text | None = None
    file_text: _Text | None = None
    file_name: _Text = "file"
    params: dict[str, JsonValue] = {}
    write: bool = False
    timeout: Annotated[float, Field(gt=0)] | None = None


class FindQuestion(_Question):
    """`soyaku find`: entities by id, name, English name, alias or identifier (app.questions.find)."""

    text: _Text
    label: _Text | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 50


class TraceQuestion(_Question):
    """`soyaku path`: the shortest paths between two entities (app.questions.trace)."""

    source: _Text
    target: _Text
    via: _Text | None = None
    max_hops: Annotated[int, Field(ge=1, le=8)] = 4
    limit: Annotated[int, Field(ge=1, le=100)] = 5


QUESTIONS: dict[str, type[_Question]] = {"ask": AskQuestion, "find": FindQuestion, "trace": TraceQuestion}


def check(request: Request) -> _Question:
    """The request's question, typed; BadRequest (one line) for an unknown question or a bad argument."""
    model = QUESTIONS.get(request.question)
    if model is None:
        raise BadRequest(f"no question {request.question[:40]!r} here; questions: {', '.join(QUESTIONS)}")
    try:
        return model.model_validate(request.args)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "args"
        raise BadRequest(f"{request.question} {where}: {first['msg']}") from None


class Host:
    """Answers typed questions for one home through connections it keeps open (read-only, and for --write)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._open = ExitStack()
        self._connections: dict[bool, Connection] = {}

    def __enter__(self) -> Host:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._open.close()

    def connection(self, *, read_only: bool = True) -> Connection:
        if read_only not in self._connections:
            self._connections[read_only] = self._open.enter_context(connect(self.home, read_only=read_only))
        return self._connections[read_only]

    def answer(self, question: _Question) -> Reply:
        """Run QUESTION; its result, or the one line a command would print for its SoyakuError."""
        try:
            return Reply(0, to_wire(self._run(question)))
        except SoyakuError as exc:
            return Reply(exc.exit_code, error=str(exc))

    def _run(self, question: _Question) -> Result:
        if isinstance(question, AskQuestion):
            conn = self.connection(read_only=not question.write)

            def work() -> Result:
                return ask(conn, name=question.name, cypher=question.cypher, file_text=question.file_text,
                           file_name=question.file_name, params=dict(question.params), write=question.write)

            # a write is never cut short; a read-only question stops at --timeout (the engine ends it at its limit)
            return work() if question.write else run_read_only(work, question.timeout)
        conn = self.connection()
        if isinstance(question, FindQuestion):
            return run_read_only(lambda: find(conn, question.text, question.label, question.limit))
        assert isinstance(question, TraceQuestion)
        return run_read_only(lambda: trace(conn, question.source, question.target, via=question.via,
                                           max_hops=question.max_hops, limit=question.limit))


def serve_questions(home: Path, should_stop: Callable[[], bool]) -> None:
    """Answer the commands' questions for `home` on its socket until `should_stop()` or Ctrl-C/SIGTERM."""
    with Host(home) as host:
        serve(home, check, host.answer, should_stop)


if __name__ == "__main__":  # the background engine's process (graph/background.py starts it)
    from soyaku.graph.background import serve_until_idle

    try:
        serve_until_idle(Path(sys.argv[1]), int(sys.argv[2]), serve_questions)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
