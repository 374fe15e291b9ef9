"""Questions answered by the warm process: `soyaku query|find|path` forwarded to the running engine's process.

Importing the neo4j driver alone costs a command ~0.3 s of CPU, more than the question. A running engine (the
background engine or `soyaku serve`) is a Python process that has the driver loaded, so it also answers on the
socket `<home>/engine.sock` (framing, key, limits and checks: soyaku.graph.engine_socket). The `soyaku` script
sends such a command there (its arguments, working directory, terminal size) and prints what comes back; the
engine's process runs it (`_run`), one at a time, in its main thread, exactly as the command line would, on its own
home. When no engine listens, the engine is busy with another command, or `--no-background`/`SOYAKU_BACKGROUND=0`
is given, the command runs in its own process and reaches the engine over Bolt. Nothing here imports click or the
driver on the client side.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from soyaku.graph.engine_socket import FORWARDED, PASSED_ENV, Answer, Request, ask, serve

__all__ = ["FORWARDED", "serve_forwarded", "try_forward"]


def try_forward(argv: list[str]) -> int | None:
    """Run `soyaku ARGV` in the running engine's process; the exit code, or None to run it here instead."""
    home = _forwardable_home(argv)
    if home is None:
        return None
    size = shutil.get_terminal_size((100, 24))
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.setdefault("COLUMNS", str(size.columns))
    command = argv[next(i for i, a in enumerate(argv) if a in FORWARDED):]
    try:
        try:
            (home / "server.used").touch()
            answer = ask(home, Request(tuple(command), os.getcwd(), env))
        except OSError:
            return None  # no usable home or socket: run the command here
        except (EOFError, ValueError):
            print("error: the graph engine stopped while answering; ask again", file=sys.stderr)
            return 1
    except (KeyboardInterrupt, SystemExit) as exc:
        from soyaku.core.interrupts import announce, exit_code

        announce()  # a question the engine took ends at its time limit
        return exit_code(exc)
    if answer is None:
        return None
    sys.stdout.write(answer.stdout)
    sys.stderr.write(answer.stderr)
    return answer.code


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


def serve_forwarded(home: Path, should_stop: Callable[[], bool]) -> None:
    """The engine side: answer forwarded questions for `home` until `should_stop()` or Ctrl-C/SIGTERM."""
    serve(home, lambda request: _run(home, request), should_stop)


def _run(home: Path, request: Request) -> Answer:
    """Run one forwarded command as the command line would, on the engine's own home; its output and exit code."""
    import traceback

    from click.testing import CliRunner

    from soyaku.cli.main import cli

    before = os.getcwd()
    try:
        os.chdir(request.cwd)
    except OSError as exc:
        return Answer(2, "", f"error: cannot work in {request.cwd}: {exc.strerror}\n")
    try:
        result = CliRunner().invoke(cli, ["--home", str(home), *request.argv], env=request.env,
                                    prog_name="soyaku")
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):  # a defect: one line here,
        traceback.print_exception(result.exception, file=sys.__stderr__)  # the traceback in the engine's log
        stderr += f"error: {type(result.exception).__name__}: {result.exception} (a defect in soyaku; the engine's " \
                  f"log has the details)\n"
    return Answer(result.exit_code, result.stdout, stderr)


if __name__ == "__main__":  # the background engine's process (graph/background.py starts it)
    from soyaku.core.errors import EngineError
    from soyaku.graph.background import serve_until_idle

    try:
        serve_until_idle(Path(sys.argv[1]), int(sys.argv[2]), serve_forwarded)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
