"""The command's side of the socket: hand a question to the running engine, get the app layer's result back.

`soyaku query|find|path` first offer their question to the home's running engine (soyaku.app.host), which has the
driver loaded and a connection open: importing the driver alone would cost the command ~0.3 s of CPU, more than the
question. When no engine listens, it is busy with another question, or the background engine is off, `ask_engine`
returns None and the command asks over Bolt itself. This module imports no driver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soyaku.app.results import Result, from_wire
from soyaku.core.errors import EngineError, SoyakuError
from soyaku.graph.background import mark_used
from soyaku.graph.engine_socket import Request, ask

__all__ = ["EngineReplyError", "ask_engine"]


class EngineReplyError(SoyakuError):
    """The engine's one-line answer to a question it could not answer (a bad parameter, an unknown name, ...)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def ask_engine(home: Path, question: str, **args: Any) -> Result | None:
    """The running engine's result for QUESTION (`ask`, `find` or `trace`, with the arguments of the function of
    that name in soyaku.app.questions); None when no engine takes it. A question the engine's stop interrupted
    raises KeyboardInterrupt, as Ctrl-C would have; an answer that is an error raises EngineReplyError."""
    try:
        mark_used(home)  # before asking, so an idle background engine does not stop meanwhile
        reply = ask(home, Request(question, args))
    except OSError:
        return None  # no usable home or socket: ask over Bolt
    except (EOFError, ValueError):
        raise EngineError("the graph engine stopped while answering; ask again") from None
    if reply is None:
        return None
    if reply.code == 130:
        raise KeyboardInterrupt  # the engine was stopped while it answered
    if reply.code:
        raise EngineReplyError(str(reply.error), reply.code)
    return from_wire(question, reply.result)
