"""Shared fixtures: the compiled seed data, ONE embedded engine holding the seed graph per test session, and ONE
headless browser per test worker."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from soyaku.core.home import QUICK_COMPILER
from soyaku.loaders.pipeline import Compiled, compile_graph

# Commands in tests start one-shot engines, never a background engine that would outlive the test run
# (tests/test_session.py turns it on where it is the subject).
os.environ["SOYAKU_BACKGROUND"] = "0"
# Every ArcadeDB JVM the suite starts (the workers' engines, `soyaku` children, background engines, `serve`, the
# benchmark children) runs the quick compiler only, as one-shot commands and small builds do: they live seconds to
# minutes, and the optimising compiler's warm-up was a quarter of the suite's CPU (parallel pass 238 s -> 187 s).
# It changes how fast code runs, not what it does; test_quick_start_chooses_the_jit checks the product's own choice
# without it. (ARCADEDB_JVM_ARGS is arcadedb-embedded's own setting; one given to the suite wins.)
os.environ.setdefault("ARCADEDB_JVM_ARGS", QUICK_COMPILER)

TESTS = Path(__file__).parent

#: The tiers (pyproject's markers). A test gets its tier from what it uses: a real Neo4j → neo4j; the seed graph in
#: an engine → engine; modules that start engines, browsers, notebook kernels, Node or fresh installs mark themselves
#: (engine, browser, slow). The rest is unit: `make check` runs that tier alone.
ENGINE_FIXTURES = frozenset({"conn", "seed_home", "own_seed_home", "soyaku", "loaded", "socket_engine"})
TIERS = ("neo4j", "browser", "slow", "engine")

#: The tests that time a signal or a time limit to the second (`elapsed < 2`, Ctrl-C at a given stage, an idle limit):
#: with another test sharing the CPU they can fail on a product that works, so `make test` runs them alone after the
#: rest (`-m serial`), one at a time.
SERIAL = {
    "test_engine.py": {"test_serve_registry_and_sigterm"},
    "test_safety_signals.py": {"test_a_long_one_shot_query_ends_soon_after_ctrl_c_or_sigterm",
                               "test_ctrl_c_ends_a_shell_reading_statements_from_a_pipe",
                               "test_ctrl_c_during_a_build_prints_one_line_and_keeps_the_previous_graph"},
    "test_safety_timeout.py": {"test_the_engine_ends_a_runaway_query_at_its_limit_for_every_user",
                               "test_query_timeout_sets_the_limit_of_a_one_shot_engine",
                               "test_query_timeout_stops_waiting_for_a_shared_engine_which_ends_the_query_at_its_own_limit"},
    "test_serve.py": {"test_serve_stops_within_seconds_while_clients_hold_sessions_and_run_queries",
                      "test_a_question_is_not_queued_behind_a_long_forwarded_one_and_its_client_stops_on_ctrl_c"},
    "test_session.py": {"test_ctrl_c_in_the_shell_cancels_a_long_statement_and_the_prompt_comes_back",
                        "test_background_engine_starts_on_first_use_serves_the_next_and_stops_when_idle"},
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks added here (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.name
        if module in SERIAL:
            missing = sorted(name for name in SERIAL[module] if not hasattr(item.module, name))
            if missing:  # a renamed timing test must not slip into the parallel pass
                raise pytest.UsageError(f"tests/conftest.py: SERIAL names tests {module} does not have: {missing}")
            if getattr(item, "originalname", item.name) in SERIAL[module]:
                item.add_marker(pytest.mark.serial)
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "neo4j_server" in used or "neo4j" in params.values():  # directly, or as a parametrised target
            item.add_marker(pytest.mark.neo4j)
            item.add_marker(pytest.mark.xdist_group("neo4j"))  # one Neo4j serves them all, on one worker
        if used & ENGINE_FIXTURES:
            item.add_marker(pytest.mark.engine)
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(pytest.mark.unit)


def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """On `make test`'s controller: refuse to run when `--dist loadgroup` does not group (pytest 9.2 with
    pytest-xdist 3.8, pytest-xdist#1386): each worker would then start a Neo4j of its own, silently."""
    grouping = node.config.getoption("dist") == "loadgroup"
    if grouping and any("/test_neo4j_" in nodeid and not nodeid.endswith("@neo4j") for nodeid in ids):
        pytest.exit("--dist loadgroup does not group the neo4j tests with this pytest and pytest-xdist: install "
                    "the versions the test extra pins (pip install -e '.[test]')", returncode=4)


def _jvm_started() -> bool:
    jpype = sys.modules.get("jpype")
    return bool(jpype and jpype.isJVMStarted())


@pytest.fixture(autouse=True)
def _unit_tests_start_no_engine(request: pytest.FixtureRequest) -> Iterator[None]:
    """`make check` starts no engine: a unit-tier test that starts the JVM in this process fails, saying so."""
    checked = request.node.get_closest_marker("unit") is not None and not _jvm_started()
    yield
    if checked and _jvm_started():
        pytest.fail("this unit-tier test started the JVM (an engine): use an engine fixture or mark its module "
                    "pytest.mark.engine (tests/conftest.py)", pytrace=False)


@pytest.fixture(scope="session")
def expected() -> dict:
    return yaml.safe_load((TESTS / "expected_counts.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def compiled() -> Compiled:
    return compile_graph()


@pytest.fixture(scope="session")
def rendered(compiled: Compiled) -> dict[str, str]:
    """The build's artifact files (soyaku.ttl, soyaku.jsonld, receipt.json), rendered once as `soyaku build` does."""
    from soyaku.loaders.pipeline import render_artifacts

    return render_artifacts(compiled)


@pytest.fixture(scope="session")
def seed_home(tmp_path_factory: pytest.TempPathFactory, compiled: Compiled) -> Path:
    """A Soyaku home with the seed graph built into it (the engine is stopped again afterwards)."""
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home = tmp_path_factory.mktemp("seed-home")
    rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))  # as `soyaku build` does
    return home


@pytest.fixture(scope="session")
def own_seed_home(tmp_path_factory: pytest.TempPathFactory, compiled: Compiled) -> Path:
    """A home with the seed graph that no running engine holds: commands on it start engines of their own (a
    runaway query in a test then dies with its command instead of loading the session's shared engine). One per
    session: each test that starts an engine on it stops it again, and a build on it is one a test interrupts."""
    from soyaku.graph.arcadedb import rebuild_native
    from soyaku.loaders.native_load import load_graph_native

    home = tmp_path_factory.mktemp("own-seed-home")
    rebuild_native(home, lambda database: load_graph_native(database, compiled.graph))
    return home


@pytest.fixture(scope="session")
def conn(seed_home: Path) -> Iterator:
    """The seed graph's engine, published like `soyaku serve` so CLI commands in tests share it over Bolt."""
    from soyaku.graph.arcadedb import EmbeddedServer
    from soyaku.graph.connect import Connection

    with EmbeddedServer(seed_home) as server:
        server.publish()
        yield Connection(server.driver(), server.database, server.uri, "served")


@pytest.fixture
def soyaku(conn: object, seed_home: Path):
    """Run the `soyaku` CLI (click's CliRunner) against the session's served seed graph."""
    from click.testing import CliRunner

    from soyaku.cli.main import cli

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--home", str(seed_home), *args])

    return invoke


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A real Neo4j 5 Community (pinned in graph/neo4j/pom.xml) on a free localhost port with auth, empty at start.

    Where Neo4j cannot be had (no Java 17+, no Maven, Maven Central unreachable) its tests are skipped with one
    line naming what is missing; in CI (CI=true) that is a failure instead.
    """
    import os
    import secrets

    from soyaku.graph.neo4j_server import NEO4J_VERSION, Neo4jServer, missing

    reason = missing()
    if reason:
        line = f"NEO4J {NEO4J_VERSION} TESTS NOT RUN: {reason}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(line + " (CI must run them)", pytrace=False)
        pytest.skip(line)
    with Neo4jServer(tmp_path_factory.mktemp("neo4j-home"), secrets.token_urlsafe(16), quick_start=True) as server:
        yield server


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """ONE headless Chromium per test worker, driven by Playwright (Debian's /usr/bin/chromium, none downloaded):
    each test opens its own context in it. Skipped, saying how to install it, where it is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs {CHROMIUM} (Debian: apt-get install -y chromium, or scripts/install-chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()

# The web explorer's fixtures (tests/test_web*.py) share the session's engine too.
from web_fixtures import client, reader, web_app, web_home, web_url  # noqa: E402,F401
