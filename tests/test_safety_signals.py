"""Issue 10, nothing hangs: Ctrl-C or SIGTERM ends a long one-shot question within 2 s, in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine  # starts embedded engines of its own

LONG_QUERY = "MATCH (a),(b),(c),(d) WHERE a.id+b.id+c.id+d.id='zzz' RETURN count(*)"
STARTED = "ArcadeDB Server started"


def _starts(home: Path) -> int:
    return sum(p.read_text(errors="replace").count(STARTED) for p in (home / "logs").glob("arcadedb.log*"))


def _wait_until_the_engine_runs(home: Path, before: int, child: subprocess.Popen, limit_s: float = 120) -> None:
    """Until the child's engine has logged its start (then the query is sent within a moment)."""
    deadline = time.monotonic() + limit_s
    while _starts(home) <= before:
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the engine did not start"
        time.sleep(0.1)
    time.sleep(1.5)  # the query is on its way: connecting and sending take well under a second


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_long_one_shot_query_ends_soon_after_ctrl_c_or_sigterm(own_seed_home, signum, code):
    env = {**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "0"}
    before = _starts(own_seed_home)
    child = subprocess.Popen([str(Path(sys.executable).parent / "soyaku"), "query", "--cypher", LONG_QUERY], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_the_engine_runs(own_seed_home, before, child)  # the query runs then (it takes minutes)
        assert child.poll() is None, child.communicate()
        sent = time.monotonic()
        child.send_signal(signum)
        out, err = child.communicate(timeout=30)
        elapsed = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == code, err
    assert err.strip().splitlines() == [
        "interrupted: nothing was changed by the unfinished step"]
    assert elapsed < 2, f"ended {elapsed:.1f} s after the signal"


def test_ctrl_c_ends_a_shell_reading_statements_from_a_pipe(own_seed_home, tmp_path):
    """Issue 20: with standard input not a terminal, Ctrl-C 3 s into a long statement ended it only at the engine's
    time limit (57 s later), with exit 0; now as a one-shot question: one line, exit 130."""
    script = tmp_path / "long.cypher"
    script.write_text(f"{LONG_QUERY};\nRETURN 1 AS after;\n", encoding="utf-8")
    env = {**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "0"}
    before = _starts(own_seed_home)
    with open(script, encoding="utf-8") as stdin:
        child = subprocess.Popen([str(Path(sys.executable).parent / "soyaku"), "shell"], env=env, stdin=stdin,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_the_engine_runs(own_seed_home, before, child)  # then the statement runs (it takes minutes)
        assert child.poll() is None, child.communicate()
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        elapsed = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1:] == ["interrupted: nothing was changed by the unfinished step"], err
    assert "after" not in out
    assert elapsed < 5, f"ended {elapsed:.1f} s after Ctrl-C"


def _count(soyaku: str, env: dict) -> str:
    counted = subprocess.run([soyaku, "query", "--cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert counted.returncode == 0, counted.stderr
    return counted.stdout


def test_ctrl_c_during_a_build_prints_one_line_and_keeps_the_previous_graph(own_seed_home):
    soyaku = str(Path(sys.executable).parent / "soyaku")
    env = {**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "0"}
    before = _count(soyaku, env)
    child = subprocess.Popen([soyaku, "build"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in child.stderr:  # the engine starts and loads once the property graph is mapped
            lines.append(line)
            if line.startswith("map to the property graph"):
                break
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, "".join(lines) + err
    assert err.strip().splitlines() == [
        "interrupted: nothing was changed by the unfinished step (a build keeps the previous graph)"]
    assert _count(soyaku, env) == before and '"n": 0' not in before
