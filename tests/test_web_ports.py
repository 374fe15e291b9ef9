"""The explorer's port: two `soyaku serve` starting side by side never pick the same one, and an explorer that
cannot start says why in one line."""

from __future__ import annotations

import socket

import pytest

from soyaku.core.errors import EngineError
from soyaku.graph.ports import free_port
from soyaku.web import server


def test_two_explorers_starting_at_once_listen_on_different_ports(monkeypatch):
    preferred = free_port()  # a preferred port nobody holds, so both explorers go for it
    monkeypatch.setattr(server, "PREFERRED_PORT", preferred)
    first = server._socket("127.0.0.1", None)  # neither has handed its socket to uvicorn yet
    second = server._socket("127.0.0.1", None)
    try:
        assert first.getsockname()[1] == preferred and second.getsockname()[1] != preferred
        for sock in (first, second):  # each already accepts connections: nothing is left to fail later
            socket.create_connection(sock.getsockname()[:2], timeout=2).close()
    finally:
        first.close()
        second.close()


def test_an_explorer_that_cannot_start_says_why_in_one_line(monkeypatch, capfd):
    class Refusing(socket.socket):  # what uvicorn meets when another process took the port first
        def listen(self, *args: object) -> None:
            raise OSError(98, "Address already in use")

    refusing = Refusing(socket.AF_INET, socket.SOCK_STREAM)
    refusing.bind(("127.0.0.1", 0))
    monkeypatch.setattr(server, "_socket", lambda host, port: refusing)

    async def app(scope, receive, send):  # never reached
        raise AssertionError

    with pytest.raises(EngineError, match=r"did not start \(\[Errno 98\] Address already in use\)"):
        server.serve_app(app)
    assert "Traceback" not in capfd.readouterr().err
