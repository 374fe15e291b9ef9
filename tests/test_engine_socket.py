"""Issue 20: the engine's socket (`<home>/engine.sock`) under hostile and broken clients.

Each hostile request is sent both as a bare line on the socket (what the engine once read) and, where the home has a
key, as an authenticated message; afterwards the engine must still run and still answer a forwarded question (one
that the client did not have to ask over Bolt: the driver was never imported in it).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from pathlib import Path

import pytest

from soyaku.graph.engine_socket import BadRequest, parse_request

SOYAKU = str(Path(sys.executable).parent / "soyaku")
ASK = ("import sys\nfrom soyaku.cli.main import main\nsys.argv = ['soyaku', *sys.argv[1:]]\ntry:\n    main()\n"
       "finally:\n    print('driver imported:', 'neo4j' in sys.modules, file=sys.stderr)\n")
HOSTILE = [b'{"argv": null}', b"[]", b'{"argv": ["find", "UTEK"], "cwd": "/", "env": [1, 2]}',
           b'{"argv": ["find", "UTEK"], "cwd": "/", "env": {"SOYAKU_HOME": "/tmp"}}', b"\xff\xfe", b"null"]


@pytest.fixture(scope="module", params=["background", "serve --read-only"])
def engine(request, tmp_path_factory, compiled):
    """A home with the seed graph and a running engine answering on its socket: (home, is_alive)."""
    from soyaku.graph.engine import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home = tmp_path_factory.mktemp("socket-home")
    rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))
    env = {**os.environ, "SOYAKU_HOME": str(home), "SOYAKU_BACKGROUND": "1"}
    child = None
    if request.param == "background":
        first = subprocess.run([SOYAKU, "find", "UTEK"], env=env, capture_output=True, text=True, timeout=180)
        assert first.returncode == 0, first.stderr
        pid = json.loads((home / "background.json").read_text())["pid"]
    else:
        child = subprocess.Popen([SOYAKU, "serve", "--read-only", "--port", str(_free_port())],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in child.stdout:
            if "Ctrl-C" in line:
                break
        assert child.poll() is None, child.stderr.read()
        pid = child.pid
    deadline = time.monotonic() + 30
    while not (home / "engine.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.mark.parametrize("payload", [b'{"argv": null}', b"[]", b'{"env": 1}', b'{"argv": ["find"], "cwd": "x"}',
                                     b'{"argv": ["build"], "cwd": "/"}', b'{"argv": ["--home", "/x", "find", "y"], '
                                     b'"cwd": "/"}', b'{"argv": ["find", 1], "cwd": "/"}', b"\xff"])
def test_a_malformed_request_is_refused_by_its_type(payload):
    with pytest.raises(BadRequest):
        parse_request(payload)


def test_a_well_formed_request_is_read_as_typed_fields():
    request = parse_request(b'{"argv": ["find", "UTEK"], "cwd": "/tmp", "env": {"COLUMNS": "80"}}')
    assert request.argv == ("find", "UTEK") and request.cwd == "/tmp" and request.env == {"COLUMNS": "80"}


def test_malformed_requests_are_answered_and_the_engine_keeps_serving(engine):
    home, pid = engine
    for payload in HOSTILE:
        _raw_line(home, payload)
        answer = _send_request(home, payload)
        if answer is not None:
            data = json.loads(answer)
            assert data["code"] == 2 and "bad request" in data["stderr"], data
        assert _alive(pid), f"the engine died of {payload!r}"
    done, forwarded = _ask(home, "find", "UTEK", "--format", "json")
    assert done.returncode == 0 and "vc-utec" in done.stdout and forwarded, done.stderr


def test_a_request_reaches_only_its_own_home(engine, tmp_path, compiled):
    from soyaku.graph.engine import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home, pid = engine
    other = tmp_path / "other"
    rebuild_native(other, lambda database: load_graph_native(database, compiled.graph))
    request = json.dumps({"argv": ["--home", str(other), "find", "UTEK"], "cwd": "/", "env": {}}).encode()
    _raw_line(home, request)
    answer = _send_request(home, request)
    if answer is not None:
        assert "own home" in json.loads(answer)["stderr"]
    time.sleep(1)
    assert not (other / "server.json").exists() and not (other / "background.json").exists(), \
        "a request started an engine for another home"
    inside = json.dumps({"argv": ["find", "UTEK", "--home", str(other)], "cwd": "/", "env": {}}).encode()
    answer = _send_request(home, inside)
    if answer is not None:
        assert json.loads(answer)["code"] == 2  # click: no such option; the home stays the engine's
    assert not (other / "server.json").exists()


def test_a_slow_or_silent_client_blocks_no_one(engine):
    home, pid = engine
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.connect(str(home / "engine.sock"))
    silent.sendall(b'{"argv": ')  # a partial request, never finished
    try:
        for _ in range(2):
            done, forwarded = _ask(home, "find", "UTEK")
            assert done.returncode == 0 and forwarded, f"a silent client made the question go over Bolt: {done.stderr}"
    finally:
        silent.close()


def test_a_huge_request_is_cut_off_before_it_is_read(engine):
    home, pid = engine
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


def test_a_forwarded_parameter_beyond_64_bits_is_one_line(engine):
    home, pid = engine
    done, forwarded = _ask(home, "query", "--cypher", "RETURN $round AS r", "--param", "round=99999999999999999999999")
    assert forwarded and done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "round: an integer does not fit in 64 bits" in done.stderr
