"""`soyaku serve` as a user runs it: chosen host and ports, printed addresses, and what Neo4j tools ask of it."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.queries.library import named_queries

pytestmark = pytest.mark.engine  # starts embedded engines of its own


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(home: Path, *options: str, on_free: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str, list[int]]:
    """A child `soyaku --home HOME serve OPTIONS`, returned once it printed its help (the engine runs), with the help
    and the ports given to the options `on_free` (e.g. --port): free ones, picked again if another process took one
    before the child bound it (tests run side by side)."""
    for attempt in range(3):
        ports = [free_port() for _ in on_free]
        given = [word for option, port in zip(on_free, ports) for word in (option, str(port))]
        child = subprocess.Popen([sys.executable, "-c", "from soyaku.cli.main import main; main()", "--home", str(home),
                                  "serve", *given, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        for line in child.stdout:  # ends early if the child ends
            lines.append(line)
            if "Ctrl-C" in line:
                return child, "".join(lines), ports
        err = child.communicate()[1]
        if not re.search(r"(?i)cannot listen|address already in use", err) or attempt == 2:
            raise AssertionError(f"soyaku serve ended before serving:\n{''.join(lines)}{err}")
    raise AssertionError("unreachable")


def end(process: subprocess.Popen | None, signum: int = signal.SIGTERM) -> None:
    """Stop a child process that still runs (the signal, then a kill after 30 s) and reap it."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signum)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    process.communicate()


@pytest.fixture(scope="module")
def served(tmp_path_factory, compiled):
    """A child `soyaku serve --port P --http-port Q` on a home holding the seed graph; yields (stdout, home)."""
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home = tmp_path_factory.mktemp("served")
    rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))
    child, text, (bolt, http) = start_serve(home, on_free=("--port", "--http-port"))
    try:
        yield text, home, bolt, http
    finally:
        end(child)


def test_serve_prints_both_addresses_the_login_and_how_each_tool_connects(served):
    text, home, bolt, http = served
    assert f"Bolt      bolt://127.0.0.1:{bolt}" in text and f"HTTP      http://127.0.0.1:{http}" in text
    assert "user      root" in text and f'password  the "password" field of {home / "credentials.json"}' in text
    for tool in ("Neo4j Browser / Desktop", f"cypher-shell -a bolt://127.0.0.1:{bolt} -u root -d kg",
                 f'GraphDatabase.driver("bolt://127.0.0.1:{bolt}"', f'neo4j.driver("bolt://127.0.0.1:{bolt}"'):
        assert tool in text


def test_what_neo4j_tools_ask_on_connecting_is_answered(served):
    _, home, bolt, http = served
    password = json.loads((home / "credentials.json").read_text())["password"]
    with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("root", password)) as driver:
        assert driver.get_server_info().agent.startswith("Neo4j/5.26")
        with driver.session() as session:  # no database given: the default is the graph
            assert session.run("CALL dbms.components() YIELD name RETURN name").single()["name"] == "Neo4j Kernel"
            assert "kg" in {r["name"] for r in session.run("SHOW DATABASES")}
            assert "VentureCapital" in {r["label"] for r in session.run("CALL db.labels()")}
            assert "BACKED" in {r["relationshipType"] for r in session.run("CALL db.relationshipTypes()")}
            with pytest.raises(neo4j.exceptions.Neo4jError, match="apoc"):
                session.run("RETURN apoc.version()").consume()
            # every named query runs from a plain driver given all its parameters (the header's defaults)
            for query in named_queries().values():
                assert list(session.run(query.text, query.bind({}))), query.name
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/", timeout=10) as page:
        assert page.status == 200 and b"ArcadeDB" in page.read()


def test_serve_refuses_a_taken_port_clearly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--home", str(tmp_path), "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert re.search(rf"Cannot listen for Bolt on 127\.0\.0\.1:{port} .*choose another", result.output)


def test_the_engine_doc_walks_through_every_named_query_with_real_ids(compiled):
    doc = (Path(__file__).parent.parent / "docs" / "engine.md").read_text(encoding="utf-8")
    walkthrough = doc[doc.index("### Walkthrough"):]
    for query in named_queries().values():
        assert f"`{query.name}`" in walkthrough, query.name
        for parameter in query.parameters:
            assert f":param {parameter.name} =>" in walkthrough, (query.name, parameter.name)
    ids = {node.id for node in compiled.graph.nodes}
    named_ids = re.findall(r':param \w+ => "([a-z][\w-]*)"', walkthrough)
    assert named_ids and set(named_ids) - {"supplementary", "business_scale", "proposed"} <= ids


def test_serve_stops_within_seconds_while_clients_hold_sessions_and_run_queries(own_seed_home):
    """Ctrl-C ends `soyaku serve` within 5 s although one client idles in an open transaction, another runs a long
    query over Bolt, and a `soyaku query` forwarded to the server runs a long query in its main loop."""
    import os
    import threading
    import time

    long_query = "MATCH (a),(b),(c),(d) WHERE a.id+b.id+c.id+d.id='zzz' RETURN count(*)"  # hours without a limit
    child, _, (bolt,) = start_serve(own_seed_home, "--timeout", "120", on_free=("--port",))
    drivers: list[neo4j.Driver] = []
    question = None
    try:
        password = json.loads((own_seed_home / "credentials.json").read_text())["password"]
        drivers = [neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("root", password)) for _ in range(2)]
        transaction = drivers[0].session(database="kg").begin_transaction()
        transaction.run("RETURN 1").consume()  # an open session and transaction, left idle
        ended: list[BaseException] = []

        def run_long_query() -> None:
            try:
                with drivers[1].session(database="kg") as session:
                    session.run(long_query).consume()
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
                ended.append(exc)

        runner = threading.Thread(target=run_long_query, daemon=True)
        runner.start()
        question = subprocess.Popen([str(Path(sys.executable).parent / "soyaku"), "query", "--cypher", long_query],
                                    env={**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "1"},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)  # both queries run
        assert question.poll() is None and runner.is_alive()
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        child.wait(timeout=60)
        elapsed = time.monotonic() - sent
        assert elapsed < 5, f"serve ended {elapsed:.1f} s after Ctrl-C"
        assert child.returncode == 0, child.stderr.read()
        _, err = question.communicate(timeout=30)
        assert question.returncode == 130 and "interrupted" in err, err
        runner.join(timeout=30)
        assert ended, "the long Bolt query should have been cut off"
    finally:
        end(question, signal.SIGKILL)
        end(child, signal.SIGKILL)
        for driver in drivers:
            driver.close()


def test_a_question_is_not_queued_behind_a_long_forwarded_one_and_its_client_stops_on_ctrl_c(own_seed_home):
    """The server answers forwarded questions one at a time; while it is busy, a new question goes over Bolt
    instead of waiting (up to the time limit), and Ctrl-C ends the waiting client of the long one in one line."""
    import os
    import time

    soyaku = str(Path(sys.executable).parent / "soyaku")
    env = {**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "1"}
    child, _, _ = start_serve(own_seed_home, "--timeout", "60", on_free=("--port",))
    long_one = None
    try:
        long_one = subprocess.Popen([soyaku, "query", "--cypher",
                                     "MATCH (a),(b),(c),(d) WHERE a.id+b.id+c.id+d.id='zzz' RETURN count(*)"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # the server's loop runs it
        started = time.monotonic()
        found = subprocess.run([soyaku, "find", "UTEK", "--format", "json"], env=env, capture_output=True, text=True,
                               timeout=120)
        elapsed = time.monotonic() - started
        assert found.returncode == 0, found.stderr
        assert "東京大学エッジキャピタルパートナーズ" in found.stdout
        assert elapsed < 15, f"answered after {elapsed:.1f} s: queued behind the long question"
        assert long_one.poll() is None
        long_one.send_signal(signal.SIGINT)
        _, err = long_one.communicate(timeout=10)
        assert long_one.returncode == 130
        assert err.strip().splitlines() == [
            "interrupted: nothing was changed by the unfinished step"]
    finally:
        end(long_one, signal.SIGINT)
        end(child, signal.SIGINT)


def test_sigterm_to_serve_says_it_stopped_and_nothing_about_a_build(own_seed_home):
    child, _, _ = start_serve(own_seed_home, on_free=("--port",))
    try:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        end(child, signal.SIGKILL)
    assert "build" not in err and "stopped the graph engine; the graph is unchanged" in err, err
