"""The graph engine against the real embedded ArcadeDB (no mocks).

The JVM starts once per process (~2 s); later servers in this process start in well under a second, so each
test gets its own home. Two tests run a child process (a build killed with SIGKILL, a `serve` stopped by
SIGTERM), each paying a fresh JVM.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import neo4j
import pytest

from soyaku.core.errors import EngineError
from soyaku.core.home import default_heap
from soyaku.graph.arcadedb import EmbeddedServer, rebuild
from soyaku.graph.connect import connect, connect_uri
from soyaku.graph.registry import RunningServer, find_running_server, publish_server

pytestmark = pytest.mark.engine  # starts embedded engines of its own


def count_nodes(driver: neo4j.Driver, database: str | None) -> int:
    with driver.session(database=database) as session:
        return session.run("MATCH (n) RETURN count(n) AS c").single()["c"]


def loader(n: int):
    def load(driver: neo4j.Driver, database: str) -> None:
        with driver.session(database=database) as session:
            session.run("UNWIND range(1, $n) AS i CREATE (:Thing {i: i})", n=n).consume()

    return load


def graph_size(home: Path) -> int:
    with connect(home) as conn:
        return count_nodes(conn.driver, conn.database)


def port_answers(uri: str) -> bool:
    host, port = uri.removeprefix("bolt://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(script: str, home: Path, cwd: Path) -> subprocess.Popen[str]:
    cwd.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(home)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_line(proc: subprocess.Popen[str], expected: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        if line.strip() == expected:
            return
    proc.kill()
    raise AssertionError(f"child never printed {expected!r}; stderr:\n{proc.communicate()[1]}")


def test_start_query_stop(tmp_path: Path) -> None:
    with EmbeddedServer(tmp_path) as server:
        assert server.uri.startswith("bolt://127.0.0.1:")
        assert server.database == "kg"
        assert server.auth[0] == "root"
        driver = server.driver()
        with driver.session(database=server.database) as session:
            session.run("CREATE (:Thing {name: '創薬'})").consume()
            assert session.run("MATCH (t:Thing) RETURN t.name AS name").single()["name"] == "創薬"
    assert not port_answers(server.uri)
    assert stat.S_IMODE((tmp_path / "credentials.json").stat().st_mode) == 0o600
    assert (tmp_path / "logs" / "arcadedb.log.0").stat().st_size > 0
    assert not (Path.cwd() / "log").exists()


def test_restart_in_same_process_reuses_password_and_data(tmp_path: Path) -> None:
    with EmbeddedServer(tmp_path) as first:
        count_nodes(first.driver(), "kg")
        with first.driver().session(database="kg") as session:
            session.run("CREATE (:Thing)").consume()
    password = json.loads((tmp_path / "credentials.json").read_text())["password"]
    assert first.auth == ("root", password)
    with EmbeddedServer(tmp_path) as second:
        assert second.auth == first.auth
        assert count_nodes(second.driver(), second.database) == 1


def test_rebuild_swaps_in_new_content(tmp_path: Path) -> None:
    rebuild(tmp_path, loader(3))
    assert graph_size(tmp_path) == 3
    rebuild(tmp_path, loader(5))
    assert graph_size(tmp_path) == 5
    assert sorted(p.name for p in (tmp_path / "arcadedb" / "databases").iterdir() if p.is_dir()) == ["kg"]


def test_failed_load_leaves_old_graph(tmp_path: Path) -> None:
    rebuild(tmp_path, loader(3))

    def broken(driver: neo4j.Driver, database: str) -> None:
        loader(7)(driver, database)
        raise RuntimeError("bad data")

    with pytest.raises(RuntimeError, match="bad data"):
        rebuild(tmp_path, broken)
    assert graph_size(tmp_path) == 3
    assert not (tmp_path / "arcadedb" / "databases" / "kg_build").exists()


def test_a_stop_caused_by_an_error_keeps_the_engines_lines_off_stderr(tmp_path: Path, capfd) -> None:
    """Ctrl-C in a build printed ArcadeDB's SEVERE "not all pages reached the disk" under the one `interrupted`
    line; a server leaving its `with` on an error stops with the console quiet (the lines go to its log file)."""
    import jpype

    def severe(text: str) -> None:
        jpype.JClass("java.util.logging.Logger").getLogger("com.arcadedb").severe(text)

    with pytest.raises(KeyboardInterrupt), EmbeddedServer(tmp_path) as server:
        server.stop = lambda stop=server.stop: (severe("while stopping after Ctrl-C"), stop())[1]
        raise KeyboardInterrupt
    severe("outside any stop")
    err = capfd.readouterr().err
    assert "while stopping after Ctrl-C" not in err and "outside any stop" in err, err
    assert "while stopping after Ctrl-C" in (tmp_path / "logs" / "arcadedb.log.0").read_text(encoding="utf-8")


def test_interrupted_swap_is_undone_at_next_start(tmp_path: Path) -> None:
    rebuild(tmp_path, loader(3))
    databases = tmp_path / "arcadedb" / "databases"
    (databases / "kg").rename(databases / "kg.old")  # as if killed between the two renames
    (databases / "kg_build").mkdir()
    assert graph_size(tmp_path) == 3
    assert not (databases / "kg.old").exists() and not (databases / "kg_build").exists()


def test_killed_build_leaves_old_graph(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rebuild(home, loader(3))
    child = spawn(
        """
        import sys, time
        from pathlib import Path
        from soyaku.graph.arcadedb import rebuild

        def load(driver, database):
            with driver.session(database=database) as session:
                session.run("UNWIND range(1, 500) AS i CREATE (:Thing {i: i})").consume()
            print("LOADING", flush=True)
            time.sleep(120)

        rebuild(Path(sys.argv[1]), load)
        """,
        home, tmp_path / "cwd",
    )
    try:
        wait_for_line(child, "LOADING")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.communicate()
    assert graph_size(home) == 3
    assert not (tmp_path / "cwd" / "log").exists()


def test_serve_registry_and_sigterm(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rebuild(home, loader(3))
    child = spawn(
        """
        import sys
        from pathlib import Path
        from soyaku.graph.arcadedb import EmbeddedServer

        with EmbeddedServer(Path(sys.argv[1])) as server:
            server.publish()
            print("READY", flush=True)
            server.wait()
        """,
        home, tmp_path / "cwd",
    )
    try:
        wait_for_line(child, "READY")
        running = find_running_server(home)
        assert running is not None and running.pid == child.pid and running.database == "kg"
        with connect(home) as conn:
            assert conn.kind == "served" and conn.uri == running.uri
            assert count_nodes(conn.driver, conn.database) == 3
        with pytest.raises(EngineError, match="soyaku serve.*soyaku load --uri"):
            rebuild(home, loader(1))
        with pytest.raises(EngineError, match="another Soyaku process"):
            EmbeddedServer(home).start()
        started = time.monotonic()
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill(); print("CHILD", child.communicate()); raise
        assert time.monotonic() - started < 10
    finally:
        child.kill()
        stderr = child.communicate()[1]
    assert "WARNING: Using incubator modules" not in stderr  # the JVM's boot noise is held back
    assert not (home / "server.json").exists()
    assert not port_answers(running.uri)
    assert not (tmp_path / "cwd" / "log").exists()
    with connect(home) as conn:  # the lock was released: an embedded server can open the graph
        assert conn.kind == "embedded" and count_nodes(conn.driver, conn.database) == 3


def test_stale_server_file_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    uri = f"bolt://127.0.0.1:{closed_port()}"
    for pid in (dead.pid, os.getpid()):  # a dead process; a live one whose port is closed
        publish_server(tmp_path, RunningServer(pid=pid, uri=uri, user="root", database="kg"))
        assert find_running_server(tmp_path) is None
        assert not (tmp_path / "server.json").exists()
    (tmp_path / "server.json").write_text("{not json")
    assert find_running_server(tmp_path) is None
    assert not (tmp_path / "server.json").exists()


def test_connect_uri_to_closed_port() -> None:
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with pytest.raises(EngineError) as caught:
        with connect_uri(uri, "neo4j", "s3cret-pw"):
            pass
    message = str(caught.value)
    assert uri in message and "\n" not in message and "s3cret-pw" not in message


def test_connect_uri_credentials(tmp_path: Path) -> None:
    with EmbeddedServer(tmp_path) as server:
        with pytest.raises(EngineError) as caught:
            with connect_uri(server.uri, "root", "wrong-pw-123"):
                pass
        message = str(caught.value)
        assert "root" in message and "\n" not in message and "wrong-pw-123" not in message
        with connect_uri(server.uri, *server.auth, database="kg") as conn:
            assert conn.kind == "external" and count_nodes(conn.driver, conn.database) == 0


def test_heap_comes_from_soyaku_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOYAKU_HEAP", raising=False)
    assert default_heap() == "1g"
    monkeypatch.setenv("SOYAKU_HEAP", "4g")
    assert default_heap() == "4g" and EmbeddedServer(Path("unused")).heap == "4g"
    monkeypatch.setenv("SOYAKU_HEAP", "lots")
    with pytest.raises(EngineError, match="SOYAKU_HEAP='lots' is not a heap size.*4g"):
        EmbeddedServer(Path("unused"))


@pytest.mark.parametrize("quick_start", [True, False])
def test_quick_start_chooses_the_jit(tmp_path: Path, quick_start: bool) -> None:
    script = f"""
        import sys, jpype
        from pathlib import Path
        from soyaku.graph.arcadedb import EmbeddedServer

        with EmbeddedServer(Path(sys.argv[1]), quick_start={quick_start}):
            bean = jpype.JClass("java.lang.management.ManagementFactory").getRuntimeMXBean()
            print("C1 only" if "-XX:TieredStopAtLevel=1" in [str(a) for a in bean.getInputArguments()] else "C1 + C2")
        """
    env = {k: v for k, v in os.environ.items() if k != "ARCADEDB_JVM_ARGS"}  # the product's choice, not the suite's
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(script), str(tmp_path)], capture_output=True,
                           text=True, timeout=120, cwd=tmp_path, env=env)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == ("C1 only" if quick_start else "C1 + C2")


def test_an_http_port_taken_between_choice_and_start_is_chosen_again_beside_a_fixed_bolt_port(tmp_path, monkeypatch):
    """`serve --port P`: the HTTP port the engine picks itself can be taken by another process before ArcadeDB
    binds it; the engine then picks another instead of failing (a fixed port is the user's and is never changed)."""
    import soyaku.graph.arcadedb as arcadedb
    from soyaku.graph.ports import free_port

    bolt = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        picks = iter([taken.getsockname()[1]])  # the first HTTP pick loses the race, as it would to a neighbour
        monkeypatch.setattr(arcadedb, "free_port", lambda preferred=None, host="127.0.0.1": next(picks, None)
                            or free_port(preferred, host))
        with EmbeddedServer(tmp_path / "home", bolt_port=bolt) as server:
            assert server.uri.endswith(f":{bolt}")
            assert not server.http_url.endswith(f":{taken.getsockname()[1]}")
