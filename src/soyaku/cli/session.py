"""Asking questions fast: the warm connection every query command uses, `soyaku status`, `soyaku stop`, `soyaku shell`.

`warm_connect` connects to the home's running server (`soyaku serve` or the background engine); when none runs it
starts the background engine (see graph/background.py) unless that is turned off, in which case the command runs a
one-shot engine of its own.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from soyaku.app.results import Answer

__all__ = ["keep_dataframes_out", "shell", "status", "stop", "warm_connect"]


def keep_dataframes_out() -> None:
    """Stop the neo4j driver importing numpy, pandas and pyarrow in this process (0.4–1 s of the CLI's start).

    The driver imports them whenever they are installed, only for `Result.to_df()` and vector types, which the
    command line never uses. Called by the `soyaku` console script only, before the driver is imported; library
    use, notebooks and tests keep the driver as it is.
    """
    import types

    if "neo4j" not in sys.modules and "neo4j._optional_deps" not in sys.modules:
        stub = types.ModuleType("neo4j._optional_deps")
        stub.np = stub.pd = stub.pa = stub.pa_compute = None  # type: ignore[attr-defined]
        stub.__all__ = ["np", "pa", "pa_compute", "pd"]  # type: ignore[attr-defined]
        sys.modules["neo4j._optional_deps"] = stub


@contextmanager
def warm_connect(home: Path, background: bool, *, read_only: bool = True,
                 query_timeout_s: float | None = None) -> Iterator[Any]:
    """A `Connection` to the home's graph: the running server, else a background engine started now (if
    `background`), else a one-shot engine in this process (whose queries end after `query_timeout_s`); as the
    engine's read-only user unless not `read_only`."""
    from soyaku.graph import background as bg
    from soyaku.graph.connect import connect
    from soyaku.graph.registry import find_running_server

    if background:
        if home.exists():
            bg.mark_used(home)  # before looking, so the engine found does not time out in between
        if find_running_server(home) is None:
            from soyaku.graph.databases import require_graph

            require_graph(home)
            click.echo("starting the background graph engine (it stops after "
                       f"{bg.idle_seconds() // 60} idle minutes; `soyaku stop` stops it now)…", err=True)
            bg.start_background(home, "soyaku.app.host")
    try:
        with connect(home, quick_start=True, read_only=read_only, query_timeout_s=query_timeout_s) as conn:
            yield conn
    finally:
        if background and home.exists():
            bg.mark_used(home)  # idle time counts from the end of the command


@click.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Where the graph lives and which engine serves it (soyaku serve, the background engine, or none)."""
    from soyaku.graph import background as bg
    from soyaku.graph.registry import find_running_server

    home: Path = ctx.obj["home"]
    graph = home / "arcadedb" / "databases" / "kg"
    click.echo(f"home:       {home}")
    click.echo(f"graph:      {graph if graph.exists() else 'not built yet (run soyaku build)'}")
    running = find_running_server(home)
    found = bg.find_background(home)
    if found is not None:
        left = max(0, found.idle_s - found.idle_for_s)
        click.echo(f"engine:     background engine, pid {found.pid}, at {running.uri}; idle for {found.idle_for_s:.0f} s, "
                   f"stops after {found.idle_s} s idle ({left:.0f} s left); `soyaku stop` stops it now")
    elif running is not None:
        click.echo(f"engine:     soyaku serve, pid {running.pid}, at {running.uri}")
    else:
        click.echo("engine:     none running; a question starts the background engine"
                   if ctx.obj.get("background", bg.enabled()) else "engine:     none running")
    click.echo(f"background: {'on' if ctx.obj.get('background', bg.enabled()) else 'off'} "
               "(--no-background or SOYAKU_BACKGROUND=0 turn it off; SOYAKU_BACKGROUND_IDLE sets the idle seconds)")


@click.command()
@click.pass_context
def stop(ctx: click.Context) -> None:
    """Stop the engine serving this home (the background engine, or a `soyaku serve`)."""
    from soyaku.graph import background as bg
    from soyaku.graph.registry import find_running_server

    home: Path = ctx.obj["home"]
    running = find_running_server(home)
    if running is None:
        click.echo("no engine is running for this home")
        return
    bg.stop_server(home, running.pid)
    click.echo(f"stopped the engine (pid {running.pid})")


SHELL_HELP = """\
Type Cypher; a statement ends with `;` (or an empty line), so it may span lines. Read-only unless :write is on.
  :help                 this help
  :queries              the named queries, with their questions and parameters
  :NAME [k=v …]         run a named query, e.g.  :vc-backed-startups   :trace-startup startup=tregem
  :param k=v [k=v …]    set parameters for the Cypher you type ($k); also cypher-shell's  :param k => 5
  :params               list them (:param clear forgets them)
  :format table|json|csv
  :write on|off         allow writes (off by default)
  :quit                 leave (or Ctrl-D)
Ctrl-C cancels a running statement (the engine ends it at its time limit) and brings the prompt back.
"""


class Shell:
    """The state of `soyaku shell` and the handling of one complete input (a command or a statement)."""

    def __init__(self, conn: Any, fmt: str = "table"):
        from soyaku.queries.library import named_queries

        self.conn = conn
        self.fmt = fmt
        self.write = False
        self.params: dict[str, Any] = {}
        self.queries = named_queries()

    def handle(self, text: str) -> str | None:
        """The output for one input; None means quit."""
        from soyaku.core.errors import SoyakuError

        text = text.strip().rstrip(";").strip()
        if not text:
            return ""
        try:
            if text.startswith(":"):
                return self._command(text[1:])
            return self._run(text)
        except SoyakuError as exc:  # the shell's switch for writes is :write on, not the command line's --write
            return f"error: {exc}".replace("unless you pass --write", "unless you turn writes on with :write on")
        except click.BadParameter as exc:
            return f"error: {exc.format_message()}"

    def _command(self, text: str) -> str | None:
        from soyaku.cli.params import parse_params

        name, _, rest = text.partition(" ")
        args = tuple(rest.split())
        if name in ("quit", "exit", "q"):
            return None
        if name in ("help", "h", "?"):
            return SHELL_HELP
        if name == "queries":
            return "\n".join(f":{q.name}  {q.question}  (parameters: {', '.join(p.name for p in q.parameters) or 'none'})"
                             for q in self.queries.values())
        if name == "param" and "=>" in rest:  # cypher-shell's form: :param name => value
            key, _, value = rest.partition("=>")
            self.params.update(parse_params((f"{key.strip()}={value.strip()}",)))
        elif name == "param" and args == ("clear",):
            self.params.clear()
        elif name == "param":
            self.params.update(parse_params(args))
        if name in ("param", "params"):
            return ", ".join(f"{k}={v!r}" for k, v in self.params.items()) or "no parameters set"
        if name == "format" and args and args[0] in ("table", "json", "csv"):
            self.fmt = args[0]
            return f"format: {self.fmt}"
        if name == "write" and args and args[0] in ("on", "off"):
            self.write = args[0] == "on"
            return f"writes {'allowed' if self.write else 'refused'}"
        if name in self.queries:
            from soyaku.app.questions import ask

            answer = ask(self.conn, name=name, params=parse_params(args), write=self.write)
            picked = "\n".join(str(p) for p in answer.resolved)
            out = self._render(answer, title=name)
            return f"{picked}\n{out}" if picked else out
        return f"unknown command :{name} (type :help)"

    def _run(self, cypher: str) -> str:
        from soyaku.app.questions import ask

        return self._render(ask(self.conn, cypher=cypher, params=dict(self.params), write=self.write), title=None)

    def _render(self, answer: Answer, title: str | None) -> str:
        from soyaku.cli.output import render

        out = render(answer.columns, answer.rows, self.fmt, title=title, notes=answer.notes, empty=answer.empty,
                     sums=answer.sums)
        return "\n".join([*answer.warnings, out])


def complete_inputs(lines: Iterator[str]) -> Iterator[str]:
    """Whole inputs from lines: a `:command` is one line; a statement runs until `;` or an empty line."""
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not pending and stripped.startswith(":"):
            yield stripped
            continue
        if not stripped:
            if pending:
                yield "\n".join(pending)
                pending = []
            continue
        pending.append(line.rstrip("\n"))
        if stripped.endswith(";"):
            yield "\n".join(pending)
            pending = []
    if pending:
        yield "\n".join(pending)


def _keep_warm(home: Path, stop_event: threading.Event) -> None:
    """While the shell is open, keep the background engine from timing out."""
    from soyaku.graph.background import mark_used

    while not stop_event.wait(30):
        mark_used(home)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
def shell(ctx: click.Context, fmt: str) -> None:
    """An interactive Cypher prompt over the graph: history, multi-line statements, named queries as :commands."""
    home: Path = ctx.obj["home"]
    with warm_connect(home, ctx.obj.get("background", True)) as conn:
        session = Shell(conn, fmt)
        stop_event = threading.Event()
        threading.Thread(target=_keep_warm, args=(home, stop_event), daemon=True).start()
        try:
            if sys.stdin.isatty():
                _interactive(session, home)
            else:  # piped: read statements from standard input, print results; Ctrl-C ends it as a one-shot query
                from soyaku.core.interrupts import run_read_only

                for text in complete_inputs(iter(sys.stdin)):
                    out = run_read_only(lambda: session.handle(text), exit_on_interrupt=not session.write)
                    if out is None:
                        break
                    if out:
                        click.echo(out)
        finally:
            stop_event.set()


CANCELLED = "cancelled: stopped waiting (the engine finishes or ends the statement by itself, at its time limit)"


def answer(session: Shell, text: str) -> str | None:
    """`session.handle(text)`, waited for so that Ctrl-C (KeyboardInterrupt) comes at once and the prompt returns."""
    from soyaku.core.interrupts import run_read_only

    return run_read_only(lambda: session.handle(text), exit_on_interrupt=False)


def _interactive(session: Shell, home: Path, input: Any = None, output: Any = None) -> None:
    """The prompt_toolkit loop: `;` or an empty line runs a statement; history in `home/shell_history`."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _(event: Any) -> None:
        buffer = event.current_buffer
        text = buffer.text.strip()
        if not text or text.startswith(":") or text.endswith(";") or buffer.document.text_after_cursor == "" \
                and buffer.text.endswith("\n"):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    home.mkdir(parents=True, exist_ok=True)
    prompt = PromptSession(history=FileHistory(str(home / "shell_history")), multiline=True, key_bindings=bindings,
                           input=input, output=output)
    click.echo(f"Soyaku KG shell on {session.conn.uri} — :help for help, :quit or Ctrl-D to leave")
    while True:
        try:
            text = prompt.prompt("soyaku> ", prompt_continuation="   ...> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            out = answer(session, text)
        except KeyboardInterrupt:
            click.echo(CANCELLED)
            continue
        if out is None:
            break
        if out:
            click.echo(out)
