"""Issue 10, nothing hangs: the engine itself ends a read-only query that runs past its time limit."""

from __future__ import annotations

import time

import pytest

from soyaku.errors import QueryError
from soyaku.graph.engine import EmbeddedServer
from soyaku.queries.library import run_cypher

LONG_QUERY = "MATCH (a:Thing),(b:Thing),(c:Thing),(d:Thing) WHERE a.id+b.id+c.id+d.id = 'zzz' RETURN count(*) AS n"


def test_a_runaway_read_only_query_is_ended_by_the_engine(tmp_path):
    with EmbeddedServer(tmp_path / "home", query_timeout_s=1) as server:
        with server.driver().session(database=server.database) as session:
            session.run("UNWIND range(1, 150) AS i CREATE (:Thing {id: toString(i)})").consume()
        reader = server.driver(read_only=True)
        started = time.monotonic()
        with pytest.raises(QueryError, match="ran longer than the engine allows"):
            run_cypher(reader, server.database, LONG_QUERY)  # 5×10^8 combinations: minutes without the limit
        elapsed = time.monotonic() - started
        assert elapsed < 120, f"ended only after {elapsed:.0f} s"
