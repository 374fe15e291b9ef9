"""Issue 10, nothing hangs: the engine ends a query at its time limit, and `query --timeout` sets one per command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.core.errors import QueryError
from soyaku.graph.arcadedb import EmbeddedServer
from soyaku.queries.run import run_cypher

pytestmark = pytest.mark.engine  # starts embedded engines of its own

LONG_QUERY = "MATCH (a:Thing),(b:Thing),(c:Thing),(d:Thing) WHERE a.id+b.id+c.id+d.id = 'zzz' RETURN count(*) AS n"
SEED_LONG_QUERY = "MATCH (a),(b),(c),(d) WHERE a.id+b.id+c.id+d.id='zzz' RETURN count(*)"  # ~10^10 rows: hours


@pytest.mark.parametrize("read_only", [True, False], ids=["reader", "root"])
def test_the_engine_ends_a_runaway_query_at_its_limit_for_every_user(tmp_path, read_only):
    with EmbeddedServer(tmp_path / "home", query_timeout_s=2) as server:
        with server.driver().session(database=server.database) as session:
            session.run("UNWIND range(1, 150) AS i CREATE (:Thing {id: toString(i)})").consume()
        started = time.monotonic()
        with pytest.raises(QueryError, match="ran longer than the engine allows"):
            run_cypher(server.driver(read_only=read_only), server.database, LONG_QUERY)  # 5×10^8 rows: minutes
        elapsed = time.monotonic() - started
    assert elapsed < 6, f"ended {elapsed:.1f} s after it started, for a limit of 2 s"


def test_query_timeout_sets_the_limit_of_a_one_shot_engine(own_seed_home):
    env = {**os.environ, "SOYAKU_HOME": str(own_seed_home), "SOYAKU_BACKGROUND": "0"}
    started = time.monotonic()
    done = subprocess.run([str(Path(sys.executable).parent / "soyaku"), "query", "--timeout", "2", "--cypher",
                           SEED_LONG_QUERY], env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "ran longer than the engine allows" in done.stderr and "soyaku query --timeout" in done.stderr
    assert elapsed < 20, f"took {elapsed:.1f} s (engine start included) for a limit of 2 s"


def test_query_timeout_stops_waiting_for_a_shared_engine_which_ends_the_query_at_its_own_limit(own_seed_home):
    with EmbeddedServer(own_seed_home, query_timeout_s=4) as server:
        server.publish()
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["--home", str(own_seed_home), "query", "--timeout", "1", "--cypher",
                                          SEED_LONG_QUERY])
        waited = time.monotonic() - started
        assert result.exit_code == 1, result.output
        assert "ran longer than --timeout 1 s" in result.output and "shared engine ends it" in result.output
        assert waited < 3, f"the command waited {waited:.1f} s for a limit of 1 s"
