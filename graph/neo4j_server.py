"""A real Neo4j 5 Community server, fetched from Maven Central and run as a child process on localhost.

The test suite checks every load, query and export against it, and `soyaku serve --engine neo4j` serves the
graph with it. Neo4j's jars come through Maven (`neo4j/pom.xml` pins the release) into `~/.m2`; the resolved
classpath is cached in `<cache>/neo4j-<version>/classpath.txt`. A server's files (configuration, data, logs)
live in the home directory it is given, never in the current directory. See docs/engine.md.

    python -m soyaku.graph.neo4j_server fetch     # fetch Neo4j (make setup-test runs this)
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import platformdirs
from neo4j.exceptions import AuthError

from soyaku.core.errors import EngineError
from soyaku.core.home import QUICK_COMPILER

from .ports import free_port

__all__ = ["NEO4J_VERSION", "Neo4jServer", "Neo4jUnavailable", "classpath", "java_executable",
           "missing", "import_csv"]

POM = Path(__file__).with_name("neo4j") / "pom.xml"
NEO4J_VERSION = re.search(r"<neo4j\.version>([^<]+)<", POM.read_text(encoding="utf-8")).group(1)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DATABASE = "neo4j"
USER = "neo4j"
FIRST_PASSWORD = "neo4j"  # every new Neo4j DBMS starts with it and requires a change at the first login
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
# What Neo4j's own launcher passes to the JVM (those that matter on Java 17/21).
JVM_OPTIONS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


class Neo4jUnavailable(EngineError):
    """Neo4j cannot be had on this machine (no Java 17+, no Maven, or Maven Central unreachable)."""


def cache_dir() -> Path:
    """Where the resolved classpath of the pinned release is kept (`$SOYAKU_NEO4J_CACHE` overrides)."""
    root = os.environ.get("SOYAKU_NEO4J_CACHE") or platformdirs.user_cache_dir("soyaku")
    return Path(root) / f"neo4j-{NEO4J_VERSION}"


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)', out)
    return int(found.group(1)) if found else None


def java_executable() -> str:
    """A Java 17 or 21 runtime (Neo4j 5.26 runs on these): `$JAVA_HOME/bin/java`, else `java` on the PATH."""
    candidates = [str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")] if os.environ.get("JAVA_HOME") else []
    candidates += [found] if (found := shutil.which("java")) else []
    for java in candidates:
        if (_java_major(java) or 0) >= 17:
            return java
    raise Neo4jUnavailable(f"no Java 17+ runtime for Neo4j {NEO4J_VERSION} (looked at: JAVA_HOME, PATH): install "
                           "a JDK 17 or 21, e.g. `apt-get install openjdk-17-jdk-headless`")


def _cached_classpath() -> str | None:
    file = cache_dir() / "classpath.txt"
    if not file.is_file():
        return None
    text = file.read_text(encoding="utf-8").strip()
    return text if text and all(Path(jar).is_file() for jar in text.split(os.pathsep)) else None


def classpath(*, fetch: bool = True) -> str:
    """The Neo4j classpath, fetched with Maven (into `~/.m2`) the first time when `fetch` is true."""
    cached = _cached_classpath()
    if cached or not fetch:
        if cached:
            return cached
        raise Neo4jUnavailable(f"Neo4j {NEO4J_VERSION} is not fetched yet: run `python -m soyaku.graph.neo4j_server fetch`")
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable(f"Maven (`mvn`) is not installed, so Neo4j {NEO4J_VERSION} cannot be fetched from "
                               "Maven Central: install it, e.g. `apt-get install maven`")
    work = cache_dir()
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(POM, work / "pom.xml")  # Maven runs there, so nothing is written beside the package
    target = work / "classpath.txt"
    partial = work / "classpath.txt.partial"
    done = subprocess.run([mvn, "-B", "-q", "-f", str(work / "pom.xml"), "dependency:build-classpath",
                           f"-Dmdep.outputFile={partial}"], capture_output=True, text=True, cwd=work)
    if done.returncode != 0 or not partial.is_file():
        problem = [line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line][:1]
        raise Neo4jUnavailable(f"Maven could not fetch Neo4j {NEO4J_VERSION} from Maven Central"
                               f"{': ' + problem[0].strip() if problem else ''} (is Maven Central reachable?)")
    partial.replace(target)
    return classpath(fetch=False)


def missing(*, fetch: bool = True) -> str | None:
    """Why Neo4j cannot run here (one line), or None when it can."""
    try:
        java_executable()
        classpath(fetch=fetch)
    except Neo4jUnavailable as exc:
        return str(exc)
    return None


def _kill_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the parent dies, so no Neo4j outlives a killed test run."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Neo4jServer:
    """A Neo4j 5 Community DBMS in a child JVM with its files under `home`, Bolt (and optionally HTTP) on localhost.

    Auth is on: the user `neo4j` gets `password` at the first start of a home (later starts must pass the same).
    Use as a context manager; `stop()` shuts Neo4j down cleanly (SIGTERM, then SIGKILL after a minute).
    `quick_start` runs its JVM with the quick compiler only (as the embedded engine's short builds do): it starts
    and first loads a small graph in about half the CPU: for a Neo4j that lives minutes (a test session) or mostly
    loads (one serving a small graph).
    """

    def __init__(self, home: Path, password: str, *, bolt_port: int | None = None, http_port: int | None = None,
                 http: bool = False, heap: str = "512m", pagecache: str = "64m", quick_start: bool = False) -> None:
        if len(password) < 8:
            raise ValueError("Neo4j requires passwords of at least 8 characters")
        self.home = Path(home)
        self.password = password
        self.bolt_port = bolt_port or free_port()
        self.http_port = (http_port or free_port()) if http else None
        self.heap = heap
        self.pagecache = pagecache
        self.quick_start = quick_start
        self.database = DATABASE
        self._process: subprocess.Popen | None = None
        self._drivers: list[neo4j.Driver] = []

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str | None:
        return f"http://127.0.0.1:{self.http_port}" if self.http_port else None

    @property
    def auth(self) -> tuple[str, str]:
        return USER, self.password

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def _write_config(self) -> Path:
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        lines = [
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{self.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{self.bolt_port}",
            f"server.http.enabled={'true' if self.http_port else 'false'}",
            f"server.http.listen_address=127.0.0.1:{self.http_port or free_port()}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.memory.pagecache.size={self.pagecache}",
            "db.tx_log.rotation.retention_policy=1 files",
            "db.tx_log.preallocate=false",  # else 256 MB of log files per database before the first write
            "dbms.usage_report.enabled=false",
            # Stopping waited 5-10 s on Bolt's idle event loops (they end after the databases have stopped and
            # checkpointed): 0.1 s each is enough. debug.log then notes that they were ended (a harmless WARN).
            "internal.server.bolt.thread_pool_shutdown_wait_time=100ms",
        ]
        (conf / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return conf

    def start(self) -> Neo4jServer:
        java, cp = java_executable(), classpath()
        conf = self._write_config()
        (self.home / "logs").mkdir(exist_ok=True)
        console = open(self.home / "logs" / "console.log", "ab")
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}
        try:
            self._process = subprocess.Popen(
                [java, f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_OPTIONS,
                 *([QUICK_COMPILER] if self.quick_start else []), "-cp", cp, ENTRY_POINT,
                 f"--home-dir={self.home}", f"--config-dir={conf}"],
                stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT, cwd=self.home, env=env,
                start_new_session=True, preexec_fn=_kill_with_parent)
        finally:
            console.close()
        try:
            self._wait_for_bolt()
            self._ensure_password()
        except BaseException:
            self.stop()
            raise
        return self

    def _log_tail(self, lines: int = 5) -> str:
        log = self.home / "logs" / "console.log"
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines() if log.exists() else []
        return " | ".join(text[-lines:])

    def _wait_for_bolt(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise EngineError(f"Neo4j {NEO4J_VERSION} exited with status {self._process.returncode} while "
                                  f"starting; see {self.home / 'logs'}: {self._log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                return
            time.sleep(0.25)
        raise EngineError(f"Neo4j did not open Bolt on port {self.bolt_port} within {START_TIMEOUT:.0f} s; "
                          f"see {self.home / 'logs'}")

    def _ensure_password(self) -> None:
        """Log in with the password; at a home's first start, replace Neo4j's initial password with it first."""
        with neo4j.GraphDatabase.driver(self.uri, auth=self.auth) as driver:
            try:
                driver.verify_connectivity()
                return
            except AuthError:
                pass
        with neo4j.GraphDatabase.driver(self.uri, auth=(USER, FIRST_PASSWORD)) as driver:
            try:
                with driver.session(database="system") as session:
                    session.run("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                                old=FIRST_PASSWORD, new=self.password).consume()
            except AuthError:
                raise EngineError(f"the Neo4j in {self.home} has another password for user {USER!r} than the one "
                                  "given: restore it, or delete the directory to start afresh") from None

    def driver(self) -> neo4j.Driver:
        """A driver for this server, closed by `stop()`."""
        driver = neo4j.GraphDatabase.driver(self.uri, auth=self.auth)
        self._drivers.append(driver)
        return driver

    def wait(self) -> int:
        """Block until the server process ends (wakes often so signals reach Python); its exit status."""
        while self._process and self._process.poll() is None:
            time.sleep(0.2)
        return self._process.returncode if self._process else 0

    def stop(self) -> None:
        for driver in self._drivers:
            driver.close()
        self._drivers.clear()
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Neo4jServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def import_csv(home: Path, csv_dir: Path, arguments: list[str]) -> subprocess.CompletedProcess:
    """Run `neo4j-admin database import full <arguments>` (Neo4j's own importer) for a DBMS home (not running).

    `arguments` are the importer's, e.g. `--nodes=Label=file.csv … neo4j`; relative paths are resolved in
    `csv_dir`. Returns the finished process (stdout and stderr merged, as text).
    """
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").touch()
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    return subprocess.run([java_executable(), "-Xmx512m", *JVM_OPTIONS, "-cp", classpath(), ADMIN_TOOL,
                           "database", "import", "full", *arguments], cwd=csv_dir, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _main(argv: list[str]) -> int:
    if argv[:1] != ["fetch"]:
        print("usage: python -m soyaku.graph.neo4j_server fetch", file=sys.stderr)
        return 2
    reason = missing()
    if reason:
        print(f"Neo4j {NEO4J_VERSION} NOT AVAILABLE (its tests will be skipped; CI fails): {reason}", file=sys.stderr)
        return 1
    print(f"Neo4j {NEO4J_VERSION}: classpath cached in {cache_dir() / 'classpath.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
