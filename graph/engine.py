"""The graph engine: an embedded ArcadeDB server speaking Bolt, connections to it or to a user's Neo4j, and rebuilds.

Files under a Soyaku home (see docs/engine.md):

    credentials.json     root password of the embedded server (0600), generated once
    server.json          present while `soyaku serve` runs (see registry.py)
    engine.lock          held by the one process that has the database open
    logs/                JVM and ArcadeDB logs
    arcadedb/            the ArcadeDB root: config/, databases/kg/, log/, backups/
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any, Literal

import neo4j
import psutil
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

from soyaku.core.atomic import write_text_atomic
from soyaku.core.interrupts import raise_terminated
from soyaku.core.errors import EngineError
from soyaku.core.home import default_heap

from .arcadedb_private import close_bolt_sessions, java_server
from .registry import RunningServer, find_running_server, publish_server, unpublish_server

__all__ = [
    "DATABASE",
    "Connection",
    "EmbeddedServer",
    "connect",
    "connect_uri",
    "check_bolt_uri",
    "redact_uri",
    "require_graph",
    "rebuild",
    "rebuild_native",
]

DATABASE = "kg"
BUILD_DATABASE = "kg_build"
OLD_DATABASE = "kg.old"
ROOT_USER = "root"
BOLT_PORT = 7687
LOCALHOST = "127.0.0.1"
PORT_ATTEMPTS = 3
CREDENTIALS_FILE = "credentials.json"
READER_USER = "reader"
READER_CREDENTIALS_FILE = "reader.json"
READER_GROUP = "reader"
#: Longest a query may run (seconds) unless the server is started with another `query_timeout_s`.
QUERY_TIMEOUT_S = 60
LOCK_FILE = "engine.lock"


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
        self._lock: IO[str] | None = None
        self._drivers: list[neo4j.Driver] = []
        self._previous_sigterm: Callable[[int, FrameType | None], object] | int | None = None
        self._published = False
        self._swap_in_build = False

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Lock the home, finish any interrupted swap, start the JVM and the server, open database `kg`."""
        import arcadedb_embedded

        from .jvm import prepare_jvm  # here, not at the top: a command using a running server needs no JVM

        if self._server is not None:
            raise EngineError("This embedded graph engine is already running: start it only once.")
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock = _lock_home(self.home)
        try:
            _recover(self.root / "databases")
            self.auth = (ROOT_USER, _root_password(self.home, self.root))
            prepare_jvm(self.home / "logs", self.heap, self.quick_start)
            _write_reader_group(self.root, self.query_timeout_s)
            fixed_bolt, fixed_http = self._ports
            preferred = self.preferred_bolt_port
            for attempt in range(PORT_ATTEMPTS):
                # A free port can be taken by another process between the check and the bind: retry elsewhere.
                bolt_port = _fixed_port(self.host, fixed_bolt, "Bolt") if fixed_bolt else _free_port(preferred, self.host)
                http_port = _fixed_port(self.host, fixed_http, "HTTP") if fixed_http else _free_port(None, self.host)
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
                except arcadedb_embedded.ArcadeDBError as exc:
                    if "listen" not in str(exc).lower() or attempt == PORT_ATTEMPTS - 1 or fixed_bolt or fixed_http:
                        raise
                    preferred = None
                    continue
                if fixed_bolt or _listens_here(bolt_port):
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
                f"The embedded graph engine in {self.root} did not start: {_first_line(exc)}. "
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
        auth = (READER_USER, _reader_password(self.home)) if read_only else self.auth
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
                    _swap(self.root / "databases")
        finally:
            self._swap_in_build = False
            self._restore_sigterm_handler()
            if self._lock is not None:
                self._lock.close()  # releases the flock
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
        raise EngineError(f"{path} cannot be read ({_first_line(exc)}): fix or delete it.") from None
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
    security.setUserPassword(READER_USER, _reader_password(home, create=True))


def _reader_password(home: Path, *, create: bool = False) -> str:
    """The read-only user's password from `home/reader.json` (0600); generated by the server's start."""
    path = home / READER_CREDENTIALS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("password"), str):
            return data["password"]
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        if not create:
            raise EngineError(f"{path} cannot be read: restart the server (`soyaku stop`, or end `soyaku serve`).") from None
    if not create:
        raise EngineError(f"{path} is missing: restart the server (`soyaku stop`, or end `soyaku serve`).")
    password = secrets.token_urlsafe(24)
    write_text_atomic(path, json.dumps({"user": READER_USER, "password": password}) + "\n", mode=0o600)
    return password


@dataclass(frozen=True)
class Connection:
    """A driver and the database to pass to every session, with where they lead.

    `kind` is "served" (the home's running `soyaku serve`), "embedded" (a server started for this
    connection) or "external" (a Neo4j given by URI).
    """

    driver: neo4j.Driver
    database: str | None
    uri: str
    kind: Literal["served", "embedded", "external"]


@contextmanager
def connect(home: Path, *, quick_start: bool = False, read_only: bool = False,
            query_timeout_s: float | None = None) -> Iterator[Connection]:
    """Connect to the home's graph: its running `soyaku serve` if there is one, else an embedded server.

    `quick_start` suits a process that asks a few queries and ends (see `EmbeddedServer`). `read_only` logs in
    as the engine's read-only user (writes refused). `query_timeout_s` is the time limit of an embedded server
    started here (a running server keeps its own). A home without a built graph is an EngineError, and no empty
    database is created.
    """
    running = find_running_server(home)
    if running is not None:
        password = _reader_password(home) if read_only else _read_credentials(home)
        if password is None:
            raise EngineError(f"{home / CREDENTIALS_FILE} is missing, so the server announced in "
                              f"{home / 'server.json'} cannot be logged into: restart `soyaku serve`.")
        user = READER_USER if read_only else running.user
        driver = neo4j.GraphDatabase.driver(running.uri, auth=(user, password))
        try:
            yield Connection(driver, running.database, running.uri, "served")
        finally:
            driver.close()
        return
    require_graph(home)
    with EmbeddedServer(home, quick_start=quick_start, query_timeout_s=query_timeout_s or QUERY_TIMEOUT_S) as server:
        yield Connection(server.driver(read_only=read_only), DATABASE, server.uri, "embedded")


def require_graph(home: Path) -> None:
    """An EngineError unless `home` holds a built graph (so that nothing creates an empty one by asking)."""
    databases = home / "arcadedb" / "databases"
    if not (databases / DATABASE).is_dir() and not (databases / OLD_DATABASE).is_dir():  # kg.old: a swap to undo
        raise EngineError(f"no graph here yet: run `soyaku build` (home {home})")


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def redact_uri(uri: str) -> str:
    """`uri` without any user name or password in it, however spelled, for messages: everything between `://` and
    the last `@` is dropped (`bolt://neo4j:pa?ss#wd@host` and `bolt://neo4j:se/cret@host` → `bolt://host`)."""
    scheme, sep, rest = uri.partition("://")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}{rest.rpartition('@')[2]}"


def check_bolt_uri(uri: str) -> None:
    """An EngineError unless `uri` is a Bolt/neo4j URI without credentials in it (never echoing a password).

    Any `@` after the scheme counts as credentials, wherever it stands (a `/`, `?` or `#` in a password would
    otherwise hide it in the path, query or fragment, and the driver would echo part of it in its errors)."""
    scheme, sep, rest = uri.partition("://")
    shown = redact_uri(uri)
    if not sep or scheme.lower() not in BOLT_SCHEMES:
        raise EngineError(f"{shown!r} is not a Bolt address: use bolt://host:7687 or neo4j://host:7687 "
                          f"(schemes: {', '.join(BOLT_SCHEMES)}); http:// is not supported")
    if "@" in rest:
        raise EngineError(f"the URI holds a user name or password: give {shown} as --uri, the user with --user and "
                          f"the password in NEO4J_PASSWORD")


@contextmanager
def connect_uri(uri: str, user: str, password: str, database: str | None = None) -> Iterator[Connection]:
    """Connect to a Neo4j-compatible server over Bolt, checking that it answers and accepts the login."""
    check_bolt_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    except (ConfigurationError, ValueError) as exc:
        raise EngineError(f"{uri!r} is not a Bolt address ({_first_line(exc)}): use bolt://host:port or "
                          f"neo4j://host:port.") from None
    try:
        try:
            driver.verify_connectivity()
        except AuthError:
            raise EngineError(f"{uri} refused the login of user {user!r}: check the user name and password.") from None
        except ServiceUnavailable:
            raise EngineError(f"Nothing answers at {uri}: check that the server runs and the address and port "
                              f"are right.") from None
        except ValueError as exc:  # e.g. a port that is not a number: "Failed to DNS resolve address host:x"
            raise EngineError(f"{uri!r} is not a usable Bolt address ({_first_line(exc)}): use bolt://host:port "
                              f"with a numeric port.") from None
        yield Connection(driver, database, uri, "external")
    finally:
        driver.close()


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


def _lock_home(home: Path) -> IO[str]:
    """Take the home's exclusive lock (released when the returned file is closed or the process dies)."""
    lock = open(home / LOCK_FILE, "a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        raise EngineError(
            f"The graph in {home} is open in another Soyaku process (pid {holder}); only one process can open "
            f"it. Wait for that one to finish, or run `soyaku serve` so that every command shares one server."
        ) from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def _recover(databases: Path) -> None:
    """Finish or undo an interrupted swap and drop an unfinished build (the home lock is held)."""
    current, old, build = databases / DATABASE, databases / OLD_DATABASE, databases / BUILD_DATABASE
    if old.exists():
        if current.exists():
            shutil.rmtree(old)  # the swap got as far as moving the build in
        else:
            old.rename(current)  # the swap stopped half way: put the old graph back
    if build.exists():
        shutil.rmtree(build)


def _swap(databases: Path) -> None:
    """Replace `kg` with `kg_build`; each step leaves a state that `_recover` can finish or undo."""
    current, old, build = databases / DATABASE, databases / OLD_DATABASE, databases / BUILD_DATABASE
    if current.exists():
        current.rename(old)
    build.rename(current)
    if old.exists():
        shutil.rmtree(old)


def _root_password(home: Path, root: Path) -> str:
    """The root password stored in `home/credentials.json`, generated on first use."""
    password = _read_credentials(home)
    if password is not None:
        return password
    users = root / "config" / "server-users.jsonl"
    if users.exists():
        raise EngineError(
            f"{home / CREDENTIALS_FILE} is missing but the engine in {root} already has a root password. "
            f"Restore the file, or delete {users} to set a new password (the graph is kept)."
        )
    path = home / CREDENTIALS_FILE
    candidate = path.with_name(f".{CREDENTIALS_FILE}.{os.getpid()}")
    write_text_atomic(candidate, json.dumps({"user": ROOT_USER, "password": secrets.token_urlsafe(24)}) + "\n", mode=0o600)
    try:
        os.link(candidate, path)  # fails if another process created it first; then use theirs
    except FileExistsError:
        pass
    finally:
        candidate.unlink()
    password = _read_credentials(home)
    assert password is not None
    return password


def _read_credentials(home: Path) -> str | None:
    path = home / CREDENTIALS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise EngineError(f"{path} cannot be read ({_first_line(exc)}): fix or delete it.") from None
    if not isinstance(data, dict) or not isinstance(data.get("password"), str):
        raise EngineError(f"{path} has no password: delete it (and {home / 'arcadedb' / 'config'}) to start afresh.")
    return data["password"]


def _free_port(preferred: int | None = None, host: str = LOCALHOST) -> int:
    """`preferred` if it can be bound on `host`, else any free port there."""
    for port in ((preferred,) if preferred else ()) + (0,):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise EngineError(f"No free TCP port on {host} for the graph engine.")


def _listens_here(port: int, wait_s: float = 2.0) -> bool:
    """Whether this process listens on TCP `port` (within `wait_s`, while the Bolt plugin binds)."""
    deadline = time.monotonic() + wait_s
    while True:
        if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port
               for c in psutil.Process().net_connections(kind="tcp")):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _fixed_port(host: str, port: int, what: str) -> int:
    """`port`, checked to be free on `host`; an EngineError saying what to do otherwise."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise EngineError(f"Cannot listen for {what} on {host}:{port} ({exc.strerror}): the port is in use or the "
                              "address is not this machine's; choose another.") from None
    return port


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

