"""Asking fast: `soyaku shell`, the background engine (start on first use, stop when idle), status and stop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.cli.session import Shell, _interactive, complete_inputs
from soyaku.graph.arcadedb import EmbeddedServer
from soyaku.graph.connect import Connection

pytestmark = pytest.mark.engine  # starts embedded engines of its own

SOYAKU = str(Path(sys.executable).parent / "soyaku")


def test_inputs_are_commands_or_statements_ending_with_a_semicolon_or_an_empty_line():
    lines = [":help\n", "MATCH (n)\n", "RETURN n;\n", "MATCH (m)\n", "RETURN m\n", "\n", ":quit\n", "RETURN 1"]
    assert list(complete_inputs(iter(lines))) == [":help", "MATCH (n)\nRETURN n;", "MATCH (m)\nRETURN m", ":quit",
                                                  "RETURN 1"]


def test_shell_reads_piped_statements_and_named_queries(conn, seed_home):
    script = (":help\n"
              "MATCH (s:Startup)\nRETURN count(s) AS startups;\n"
              ":vc-backed-startups\n"
              ":param kind=nothing\nMATCH (n) WHERE n.kind = $kind RETURN count(n) AS n;\n"
              "CREATE (:Stray {id: 'x'});\n"
              ":no-such-query\n"
              ":quit\n"
              "MATCH (n) RETURN n;\n")
    result = CliRunner().invoke(cli, ["--home", str(seed_home), "shell", "--format", "csv"], input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert ":queries" in out and ":quit" in out  # the help text
    startups = conn.driver.execute_query("MATCH (s:Startup) RETURN count(s) AS n", database_=conn.database).records
    assert f"startups\n{startups[0]['n']}" in out.replace("\r", "")
    assert "ジャフコ" in out  # a row of vc-backed-startups
    assert "error:" in out and "unknown command :no-such-query" in out
    with conn.driver.session(database=conn.database) as session:  # the write was refused
        assert session.run("MATCH (n:Stray) RETURN count(n) AS n").single()["n"] == 0


def test_interactive_prompt_multiline_and_history(conn, tmp_path, capsys):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text("MATCH (s:Startup)\rRETURN count(s) AS n;\r:format json\r:quit\r")
        _interactive(Shell(conn, "csv"), tmp_path, input=pipe, output=DummyOutput())
    out = capsys.readouterr().out
    assert "n\n" in out.replace("\r", "") and "format: json" in out
    history = (tmp_path / "shell_history").read_text(encoding="utf-8")
    assert "MATCH (s:Startup)" in history and "RETURN count(s) AS n;" in history and ":quit" in history


def test_cli_keeps_dataframe_libraries_out():
    code = ("from soyaku.cli.session import keep_dataframes_out; keep_dataframes_out(); import sys, neo4j; "
            "from soyaku.graph import engine; print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'jpype') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _soyaku(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOYAKU_HOME": str(home), **(env or {})}
    return subprocess.run([SOYAKU, *args], capture_output=True, text=True, env=env, timeout=300)


def _alive(pid: int) -> bool:
    from soyaku.graph.background import process_alive

    return process_alive(pid)


@pytest.fixture()
def built_home(tmp_path, compiled) -> Path:
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    rebuild_native(tmp_path, lambda database: load_graph_native(database, compiled.graph))
    return tmp_path


def test_background_engine_starts_on_first_use_serves_the_next_and_stops_when_idle(built_home):
    on = {"SOYAKU_BACKGROUND": "1", "SOYAKU_BACKGROUND_IDLE": "6"}
    pid = None
    try:
        first = _soyaku(built_home, "query", "vc-backed-startups", "--format", "json", env=on)
        assert first.returncode == 0, first.stderr
        assert "starting the background graph engine" in first.stderr and json.loads(first.stdout)
        pid = json.loads((built_home / "background.json").read_text())["pid"]
        assert _alive(pid)
        status = _soyaku(built_home, "status", env=on).stdout
        assert f"background engine, pid {pid}" in status and "stops after 6 s idle" in status
        assert (built_home / "engine.sock").exists()  # it answers the commands' questions too
        second = _soyaku(built_home, "find", "UTEC", env=on)  # answered by the same engine, nothing started
        assert second.returncode == 0 and "starting" not in second.stderr and "vc-utec" in second.stdout
        assert json.loads((built_home / "background.json").read_text())["pid"] == pid
        unknown = _soyaku(built_home, "query", "no-such-query", env=on)  # errors come back as from a local run
        assert unknown.returncode == 1 and "no named query 'no-such-query'" in unknown.stderr
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(pid), "the background engine did not stop when idle"
        assert not (built_home / "server.json").exists() and not (built_home / "background.json").exists()
        assert not (built_home / "engine.sock").exists()
        assert "none running" in _soyaku(built_home, "status", env=on).stdout
    finally:
        if pid and _alive(pid):
            os.kill(pid, 15)


def test_background_is_off_by_flag_and_env_and_build_and_stop_end_it(built_home):
    on = {"SOYAKU_BACKGROUND": "1"}
    off = _soyaku(built_home, "--no-background", "query", "vc-backed-startups", env=on)
    assert off.returncode == 0 and not (built_home / "background.json").exists()
    off = _soyaku(built_home, "query", "vc-backed-startups", env={"SOYAKU_BACKGROUND": "0"})
    assert off.returncode == 0 and not (built_home / "background.json").exists()
    assert "background: off" in _soyaku(built_home, "status", env={"SOYAKU_BACKGROUND": "0"}).stdout
    pids = []
    try:
        assert _soyaku(built_home, "query", "vc-backed-startups", env=on).returncode == 0
        pids.append(json.loads((built_home / "background.json").read_text())["pid"])
        built = _soyaku(built_home, "build", env=on)  # stops the background engine, then rebuilds
        assert built.returncode == 0, built.stderr
        assert not _alive(pids[0])
        assert _soyaku(built_home, "query", "vc-backed-startups", env=on).returncode == 0
        pids.append(json.loads((built_home / "background.json").read_text())["pid"])
        stopped = _soyaku(built_home, "stop", env=on)
        assert stopped.returncode == 0 and f"pid {pids[1]}" in stopped.stdout and not _alive(pids[1])
    finally:
        for pid in pids:
            if _alive(pid):
                os.kill(pid, 15)


def test_ctrl_c_in_the_shell_cancels_a_long_statement_and_the_prompt_comes_back(own_seed_home, tmp_path, capsys,
                                                                               monkeypatch):
    import _thread
    import threading

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from soyaku.cli import session as shell_module

    moments: dict[str, float] = {}

    def ctrl_c() -> None:
        moments["ctrl-c"] = time.monotonic()
        _thread.interrupt_main()

    def timed_answer(session, text):  # noqa: ANN001, ANN202
        try:
            return answer(session, text)
        except KeyboardInterrupt:
            moments["cancelled"] = time.monotonic()
            raise

    answer = shell_module.answer
    monkeypatch.setattr(shell_module, "answer", timed_answer)
    long_statement = "MATCH (a),(b),(c),(d) WHERE a.id+b.id+c.id+d.id='zzz' RETURN count(*);"
    with EmbeddedServer(own_seed_home, query_timeout_s=10) as server, create_pipe_input() as pipe:
        conn = Connection(server.driver(read_only=True), server.database, server.uri, "embedded")
        pipe.send_text(f"{long_statement}\rRETURN 42 AS answer;\r:quit\r")
        threading.Timer(1.5, ctrl_c).start()  # while the statement runs (it takes hours without the limit)
        _interactive(Shell(conn, "csv"), tmp_path, input=pipe, output=DummyOutput())
    out = capsys.readouterr().out.replace("\r", "")
    assert shell_module.CANCELLED in out and "answer\n42" in out  # the prompt came back and answered the next one
    waited = moments["cancelled"] - moments["ctrl-c"]
    assert waited < 2, f"the statement was cancelled {waited:.1f} s after Ctrl-C"


def test_shell_takes_cypher_shell_params_lists_them_and_names_its_own_write_switch(conn, seed_home):
    script = (":param r => 5\n:param name => 'JAFCO'\n:params\n"
              "MATCH (v:VentureCapital)-[b:BACKED]->(s) WHERE b.round = $r RETURN s.name AS startup;\n"
              "CREATE (:Stray {id: 'y'});\n:quit\n")
    result = CliRunner().invoke(cli, ["--home", str(seed_home), "shell", "--format", "csv"], input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "r=5, name='JAFCO'" in out
    assert "startup\n" in out.replace("\r", "") and "株式会社" in out  # round 5's startups
    assert "turn writes on with :write on" in out and "--write" not in out
