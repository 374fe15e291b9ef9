"""The embedded engine: ArcadeDB in this process with its Bolt plugin on localhost, under a Soyaku home, and
rebuilds into a fresh database swapped in only when complete (docs/engine.md).

Files under a Soyaku home:

    credentials.json, reader.json   the root and read-only logins (credentials.py), 0600, generated once
    server.json                     present while a server runs (registry.py)
    engine.lock                     held by the one process that has the database open (databases.py)
    logs/                           JVM and ArcadeDB logs
    arcadedb/                       the ArcadeDB root: config/, databases/kg/, log/, backups/
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import neo4j
from filelock import BaseFileLock

from soyaku.core.atomic import write_text_atomic
from soyaku.core.errors import EngineError, first_line
from soyaku.core.home import default_heap
from soyaku.core.interrupts import raise_terminated

from .arcadedb_private import close_bolt_sessions, java_server
from .credentials import READER_USER, ROOT_USER, reader_password, root_password
from .databases import BUILD_DATABASE, DATABASE, lock_home, recover, swap
from .ports import LOCALHOST, fixed_port, free_port, listens_here
from .registry import RunningServer, find_running_server, publish_server, unpublish_server

__all__ = ["BOLT_PORT", "QUERY_TIMEOUT_S", "EmbeddedServer", "rebuild", "rebuild_native"]

BOLT_PORT = 7687
PORT_ATTEMPTS = 3
READER_GROUP = "reader"
#: Longest a query may run (seconds) unless the server is started with another `query_timeout_s`.
QUERY_TIMEOUT_S = 60


class EmbeddedServer:
    """An ArcadeDB server in this process, reachable over Bolt on 127.0.0.1; use it as a context manager.

    Only one process at a time may open a home's database (`engine.lock`); a second gets an EngineError
    that tells it to share one server with `soyaku serve`. `heap` defaults to `$SOYAKU_HEAP` or 1g;
    `quick_start` runs the JVM with its quick compiler only, which suits short processes on small graphs
    (the first server of a process fixes both). `host` is the address to listen on (localhost by default);
    `bolt_port` and `http_port` fix the ports (by default any free ports; `soyaku serve` prefers Bolt's usual 7687
    through `preferred_bolt_port`, so engines a command starts for itself never race a server for it).
    """

    database = DATABASE
    #: Bolt port tried first (then any free one); None: any free port from the start.
    preferred_bolt_port: int | None = None

    def __init__(self, home: Path, heap: str | None = None, *, quick_start: bool = False, host: str = LOCALHOST,
                 bolt_port: int | None = None, http_port: int | None = None, query_timeout_s: float = QUERY_TIMEOUT_S):
        self.home = Path(home)
        self.query_timeout_s = query_timeout_s
        self.heap = heap or default_heap()
        self.quick_start = quick_start
        self.root = self.home / "arcadedb"
        self.host = host
        self._ports = (bolt_port, http_port)
        self.uri = ""
        self.http_url = ""
        self.auth: tuple[str, str] = (ROOT_USER, "")
        self._server = None  # arcadedb_embedded.ArcadeDBServer once started
        self._lock: BaseFileLock | None = None
        self._drivers: list[neo4j.Driver] = []
        self._previous_sigterm: Callable[[int, FrameType | None], object] | int | None = None
        self._published = False
        self._swap_in_build = False

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None or self._server is None:
            self.stop()
            return
        from .jvm import console_quiet

        with console_quiet():  # the command says what happened in one line; the engine's lines go to its log
            self.stop()

    def start(self) -> None:
        """Lock the home, finish any interrupted swap, start the JVM and the server, open database `kg`."""
        import arcadedb_embedded

        from .jvm import prepare_jvm  # here, not at the top: a command using a running server needs no JVM

        if self._server is not None:
            raise EngineError("This embedded graph engine is already running: start it only once.")
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock = lock_home(self.home)
        try:
            recover(self.root / "databases")
            self.auth = (ROOT_USER, root_password(self.home, self.root))
            prepare_jvm(self.home / "logs", self.heap, self.quick_start)
            _write_reader_group(self.root, self.query_timeout_s)
            fixed_bolt, fixed_http = self._ports
            preferred = self.preferred_bolt_port
            for attempt in range(PORT_ATTEMPTS):
                # A free port can be taken by another process between the check and the bind: retry elsewhere.
                bolt_port = fixed_port(self.host, fixed_bolt, "Bolt") if fixed_bolt else free_port(preferred, self.host)
                http_port = fixed_port(self.host, fixed_http, "HTTP") if fixed_http else free_port(None, self.host)
                config = {
                    "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                    "bolt_host": self.host,
                    "bolt_port": bolt_port,
                    "bolt_defaultDatabase": DATABASE,
                    "host": self.host,
                    "http_port": http_port,
                }
                server = arcadedb_embedded.create_server(str(self.root), root_password=self.auth[1], config=config)
                try:
                    server.start()  # stops what it started if it fails
                except arcadedb_embedded.ArcadeDBError as exc:  # "Unable to listen to a HTTP port …"
                    # the HTTP port chosen here was taken meanwhile: choose again (a fixed Bolt port is re-checked)
                    if "listen" not in str(exc).lower() or attempt == PORT_ATTEMPTS - 1 or fixed_http:
                        raise
                    preferred = None
                    continue
                if fixed_bolt or listens_here(bolt_port):
                    break
                # ArcadeDB only logs a Bolt port it cannot bind: another engine took it meanwhile, so try another.
                server.stop()
                if attempt == PORT_ATTEMPTS - 1:
                    raise EngineError(f"The embedded graph engine found no free Bolt port on {self.host} "
                                      f"({PORT_ATTEMPTS} tries): pass a free one with --port.")
                preferred = None
            self._server = server
            atexit.register(self.stop)
            self._install_sigterm_handler()
            server.create_database(DATABASE)  # get-or-create
            _limit_queries(server, self.query_timeout_s)
            _ensure_reader_user(server, self.home)
        except arcadedb_embedded.ArcadeDBError as exc:
            self.stop()
            raise EngineError(
                f"The embedded graph engine in {self.root} did not start: {first_line(exc)}. "
                f"See the logs in {self.home / 'logs'}."
            ) from exc
        except BaseException:
            self.stop()
            raise
        reach = LOCALHOST if self.host in ("0.0.0.0", "::", "") else self.host
        self.uri = f"bolt://{reach}:{bolt_port}"
        self.http_url = f"http://{reach}:{http_port}"

    def open_database(self, name: str) -> Any:
        """The embedded database `name` of the running server (the native loader writes through it)."""
        return self._running().get_database(name)

    def create_database(self, name: str) -> Any:
        """Create the embedded database `name` on the running server (get it if it exists)."""
        return self._running().create_database(name)

    def _running(self) -> Any:
        if self._server is None:
            raise EngineError("The embedded graph engine is not running: start it first.")
        return self._server

    def driver(self, *, read_only: bool = False) -> neo4j.Driver:
        """A new driver for this server; sessions must pass `database=server.database`. Closed by `stop()`.

        `read_only` logs in as the read-only user: the engine refuses its writes, schema changes and LOAD CSV.
        Every user's queries end after `query_timeout_s`.
        """
        if self._server is None:
            raise EngineError("The embedded graph engine is not running: start it (use `with EmbeddedServer(home)`).")
        auth = (READER_USER, reader_password(self.home)) if read_only else self.auth
        driver = neo4j.GraphDatabase.driver(self.uri, auth=auth)
        self._drivers.append(driver)
        return driver

    def publish(self) -> RunningServer:
        """Announce this server in `home/server.json` for other processes (`soyaku serve`); undone by `stop()`."""
        running = RunningServer(pid=os.getpid(), uri=self.uri, user=self.auth[0], database=DATABASE)
        publish_server(self.home, running)
        self._published = True
        return running

    def wait(self) -> None:
        """Block until SIGTERM (SystemExit) or Ctrl-C (KeyboardInterrupt): the main loop of `soyaku serve`.

        Wakes every 0.2 s because the kernel may deliver the signal to a JVM thread, and Python runs its
        handler only when the main thread next runs; a plain `Event().wait()` or `sleep()` would not return.
        """
        while True:
            time.sleep(0.2)

    def stop(self) -> None:
        """Unpublish, close every driver handed out, stop the server, swap in a finished build, unlock."""
        try:
            if self._published:
                unpublish_server(self.home, os.getpid())
                self._published = False
            while self._drivers:
                self._drivers.pop().close()
            if self._server is not None:
                close_bolt_sessions(self._server)
                self._server.stop()
                self._server = None
                atexit.unregister(self.stop)
                if self._swap_in_build:
                    swap(self.root / "databases")
        finally:
            self._swap_in_build = False
            self._restore_sigterm_handler()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _install_sigterm_handler(self) -> None:
        """Turn SIGTERM into SystemExit so `stop()` runs (by default the JVM aborts and leaves the lock)."""
        if threading.current_thread() is threading.main_thread():
            self._previous_sigterm = signal.signal(signal.SIGTERM, raise_terminated)

    def _restore_sigterm_handler(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None


def _limit_queries(server: object, timeout_s: float) -> None:
    """End every query on the graph after `timeout_s` (`arcadedb.command.timeout`: one deadline for the whole query,
    checked inside the Cypher operators, for every user; set on the open database, as the server's configuration
    does not reach it). The reader group's `readTimeout` is only checked per record scan."""
    import jpype

    setting = jpype.JClass("com.arcadedb.GlobalConfiguration").COMMAND_TIMEOUT
    database = java_server(server).getDatabase(DATABASE)
    database.getConfiguration().setValue(setting, max(1, round(timeout_s * 1000)))


def _write_reader_group(root: Path, timeout_s: float) -> None:
    """Declare the read-only group in ArcadeDB's `config/server-groups.json` (read before the server starts).

    Its members may only read records: creating, updating or deleting records, schema changes (constraints,
    indexes, including DDL run by procedures such as `do.when`) and LOAD CSV are refused by the engine with
    `Forbidden`; and a query of theirs ends after `timeout_s` (the group's `readTimeout`).
    """
    path = root / "config" / "server-groups.json"
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # a new root: ArcadeDB's own defaults (admin for root, nothing for others) and ours
        everything = ["createRecord", "readRecord", "updateRecord", "deleteRecord"]
        groups = {"databases": {"*": {"groups": {
            "admin": {"resultSetLimit": -1, "readTimeout": -1,
                      "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
                      "types": {"*": {"access": everything}}},
            "*": {"resultSetLimit": -1, "readTimeout": -1, "access": [], "types": {"*": {"access": []}}},
        }}}, "version": 2}
    except (OSError, ValueError) as exc:
        raise EngineError(f"{path} cannot be read ({first_line(exc)}): fix or delete it.") from None
    every = groups.setdefault("databases", {}).setdefault("*", {}).setdefault("groups", {})
    every[READER_GROUP] = {"resultSetLimit": -1, "readTimeout": max(1, round(timeout_s * 1000)), "access": [],
                           "types": {"*": {"access": ["readRecord"]}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(groups, indent=2) + "\n")


def _ensure_reader_user(server: object, home: Path) -> None:
    """Create (or re-key) the read-only user with the password kept in `home/reader.json`."""
    from com.arcadedb.serializer.json import JSONObject  # type: ignore[import-not-found]  # the JVM runs

    security = java_server(server).getSecurity()
    if not security.existsUser(READER_USER):
        security.createUser(JSONObject(json.dumps({"name": READER_USER, "databases": {"*": [READER_GROUP]}})))
    security.setUserPassword(READER_USER, reader_password(home, create=True))


def rebuild(home: Path, load: Callable[[neo4j.Driver, str], None], *, quick_start: bool = False) -> None:
    """Load a new graph into database `kg_build` with `load(driver, "kg_build")`, then swap it in for `kg`.

    The swap happens after the server stopped, by renaming directories; if `load` raises or the process
    dies first, `kg` is untouched. Refused while a `soyaku serve` server owns the home.
    """
    _rebuild(home, lambda server: load(server.driver(), BUILD_DATABASE), quick_start)


def rebuild_native(home: Path, load: Callable[[object], None], *, quick_start: bool = False) -> None:
    """`rebuild`, with `load(database)` given the `arcadedb_embedded` Database of `kg_build` (native bulk loading)."""
    _rebuild(home, lambda server: load(server.open_database(BUILD_DATABASE)), quick_start)


def _rebuild(home: Path, load: Callable[[EmbeddedServer], None], quick_start: bool) -> None:
    running = find_running_server(home)
    if running is not None:
        raise EngineError(
            f"`soyaku serve` (pid {running.pid}) is running for {home} and holds the graph: stop it first, "
            f"or load into it with `soyaku load --uri {running.uri}`."
        )
    with EmbeddedServer(home, quick_start=quick_start) as server:
        server.create_database(BUILD_DATABASE)  # any leftover was removed before the start
        load(server)
        server._swap_in_build = True
