"""Issue 20: the engine's socket (`<home>/engine.sock`) under hostile and broken clients.

Each hostile request is sent both as a bare line on the socket (what the engine once read) and, where the home has a
key, as an authenticated message; afterwards the engine must still run and still answer a forwarded question (one
that the client did not have to ask over Bolt: the driver was never imported in it).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from pathlib import Path

import pytest

from soyaku.app.host import FindQuestion, check
from soyaku.graph.engine_socket import BadRequest, Request, parse_request

SOYAKU = str(Path(sys.executable).parent / "soyaku")
ASK = ("import sys\nfrom soyaku.cli.main import main\nsys.argv = ['soyaku', *sys.argv[1:]]\ntry:\n    main()\n"
       "finally:\n    print('driver imported:', 'neo4j' in sys.modules, file=sys.stderr)\n")
HOSTILE = [b'{"argv": null}', b"[]", b'{"argv": ["find", "UTEK"], "cwd": "/", "env": [1, 2]}',
           b'{"question": "find", "args": {"text": "UTEK", "home": "/tmp"}}', b'{"question": "build", "args": {}}',
           b'{"question": "find", "args": {"text": 1}}', b"[" * 100_000, b"\xff\xfe", b"null"]


@pytest.fixture(scope="module", params=["background", "serve --read-only"])
def socket_engine(request, tmp_path_factory, compiled):
    """A home with the seed graph and a running engine answering on its socket: (home, is_alive)."""
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home = tmp_path_factory.mktemp("socket-home")
    rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))
    env = {**os.environ, "SOYAKU_HOME": str(home), "SOYAKU_BACKGROUND": "1"}
    child = None
    if request.param == "background":
        first = subprocess.run([SOYAKU, "find", "UTEK"], env=env, capture_output=True, text=True, timeout=180)
        assert first.returncode == 0, first.stderr
        pid = json.loads((home / "background.json").read_text())["pid"]
    else:  # ports picked again if another test's process took one first; its stderr shown if it ends
        from test_serve import start_serve

        child, _, _ = start_serve(home, "--read-only", on_free=("--port", "--http-port"))
        pid = child.pid
    deadline = time.monotonic() + 30
    while not (home / "engine.sock").exists() and time.monotonic() < deadline:
        assert child is None or child.poll() is None, f"soyaku serve ended: {child.communicate()[1]}"
        time.sleep(0.1)
    assert (home / "engine.sock").exists(), "the engine did not open its socket within 30 s"
    try:
        yield home, pid
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        if child is not None:
            child.communicate(timeout=60)
        else:
            _wait_gone(pid)


def _alive(pid: int) -> bool:
    from soyaku.graph.background import process_alive

    return process_alive(pid)


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


def _ask(home: Path, *args: str) -> tuple[subprocess.CompletedProcess, bool]:
    """`soyaku ARGS` as a user runs it; whether it was answered through the socket (it never imported the driver)."""
    env = {**os.environ, "SOYAKU_HOME": str(home), "SOYAKU_BACKGROUND": "1"}
    done = subprocess.run([sys.executable, "-c", ASK, *args], env=env, capture_output=True, text=True, timeout=120)
    return done, "driver imported: False" in done.stderr


def _raw_line(home: Path, payload: bytes) -> bytes:
    """Send PAYLOAD and a newline as a bare line, confirm with G if the engine says T (the old framing); whatever
    comes back within 10 s."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(home / "engine.sock"))
        try:
            s.sendall(payload + b"\n")
            if s.recv(1) == b"T":
                s.sendall(b"G")
            return s.recv(65536)
        except OSError:
            return b""


def _authenticated(home: Path) -> Connection | None:
    """A connection that passed the key's challenge, or None where the home has no key."""
    key_file = home / "engine.key"
    if not key_file.exists():
        return None
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(str(home / "engine.sock"))
    conn = Connection(s.detach())
    key = key_file.read_bytes()
    answer_challenge(conn, key)
    deliver_challenge(conn, key)
    return conn


def _send_request(home: Path, payload: bytes) -> bytes | None:
    conn = _authenticated(home)
    if conn is None:
        return None
    with conn:
        conn.send_bytes(payload)
        assert conn.poll(10), "no answer to the request"
        answer = conn.recv_bytes()
        if answer == b"T":  # taken: confirm, then the command's answer
            conn.send_bytes(b"G")
            answer = conn.recv_bytes()
        return answer


@pytest.mark.parametrize("payload", [b'{"argv": null}', b"[]", b'{"question": "find"}', b'{"question": 1, "args": {}}',
                                     b'{"question": "find", "args": []}', b'{"question": "find", "args": {}, "home": "/"}',
                                     b'{"question": "find()", "args": {}}', b"[" * 100_000, b"\xff"])
def test_a_malformed_request_is_refused_by_its_shape(payload):
    with pytest.raises(BadRequest):
        parse_request(payload)


@pytest.mark.parametrize("question, args, said", [
    ("build", {}, "no question 'build'"),
    ("find", {"text": "UTEK", "home": "/elsewhere"}, "find home: Extra inputs are not permitted"),
    ("find", {"text": 1}, "find text: Input should be a valid string"),
    ("find", {}, "find text: Field required"),
    ("find", {"text": "UTEK", "limit": 0}, "find limit: Input should be greater than or equal to 1"),
    ("trace", {"source": "a", "target": "b", "max_hops": 99}, "trace max_hops"),
    ("ask", {"name": "x", "write": "yes"}, "ask write: Input should be a valid boolean"),
    ("ask", {"cypher": "x" * 100_001}, "ask cypher: String should have at most 100000 characters"),
])
def test_a_question_is_checked_field_by_field_before_it_runs(question, args, said):
    with pytest.raises(BadRequest, match=re.escape(said)):
        check(Request(question, args))


def test_a_well_formed_request_becomes_a_typed_question():
    question = check(parse_request(b'{"question": "find", "args": {"text": "UTEK", "label": "VentureCapital"}}'))
    assert question == FindQuestion(text="UTEK", label="VentureCapital", limit=50)


def test_malformed_requests_are_answered_and_the_engine_keeps_serving(socket_engine):
    home, pid = socket_engine
    for payload in HOSTILE:
        _raw_line(home, payload)
        answer = _send_request(home, payload)
        if answer is not None:
            data = json.loads(answer)
            assert data["code"] == 2 and "bad request" in data["error"], data
        assert _alive(pid), f"the engine died of {payload!r}"
    done, forwarded = _ask(home, "find", "UTEK", "--format", "json")
    assert done.returncode == 0 and "vc-utec" in done.stdout and forwarded, done.stderr


def test_a_request_reaches_only_its_own_home(socket_engine, tmp_path, compiled):
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home, pid = socket_engine
    other = tmp_path / "other"
    rebuild_native(other, lambda database: load_graph_native(database, compiled.graph))
    for request in (json.dumps({"argv": ["--home", str(other), "find", "UTEK"], "cwd": "/", "env": {}}).encode(),
                    json.dumps({"question": "find", "args": {"text": "UTEK", "home": str(other)}}).encode(),
                    json.dumps({"question": "find", "args": {"text": "UTEK", "--home": str(other)}}).encode()):
        _raw_line(home, request)
        answer = _send_request(home, request)
        if answer is not None:
            reply = json.loads(answer)
            assert reply["code"] == 2 and "bad request" in reply["error"], reply
    time.sleep(1)
    assert not (other / "server.json").exists() and not (other / "background.json").exists(), \
        "a request started an engine for another home"


def test_a_slow_or_silent_client_blocks_no_one(socket_engine):
    home, pid = socket_engine
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.connect(str(home / "engine.sock"))
    silent.sendall(b'{"question": ')  # a partial request, never finished
    try:
        for _ in range(2):
            done, forwarded = _ask(home, "find", "UTEK")
            assert done.returncode == 0 and forwarded, f"a silent client made the question go over Bolt: {done.stderr}"
    finally:
        silent.close()


def test_a_huge_request_is_cut_off_before_it_is_read(socket_engine):
    home, pid = socket_engine
    chunk = b"x" * (1 << 20)
    sent = 0
    started = time.monotonic()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(30)
        s.connect(str(home / "engine.sock"))
        try:
            while sent < 64 * len(chunk):
                s.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
    assert sent < 64 * len(chunk), f"the engine read a 64 MB line whole ({time.monotonic() - started:.1f} s)"
    conn = _authenticated(home)
    if conn is not None:
        with conn, pytest.raises(OSError):
            for _ in range(64):
                conn.send_bytes(chunk * 2)  # more than a request may hold: the engine hangs up after the length
    assert _alive(pid)
    done, forwarded = _ask(home, "find", "UTEK")
    assert done.returncode == 0 and forwarded, done.stderr


def test_a_forwarded_parameter_beyond_64_bits_is_one_line(socket_engine):
    home, pid = socket_engine
    done, forwarded = _ask(home, "query", "--cypher", "RETURN $round AS r", "--param", "round=99999999999999999999999")
    assert forwarded and done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "round: an integer does not fit in 64 bits" in done.stderr
