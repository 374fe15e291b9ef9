"""Pins the private parts of arcadedb-embedded that graph/arcadedb_private.py reads: an upgrade that renames one
fails here, by name, instead of somewhere in a build or a serve's stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from soyaku.graph import arcadedb_private
from soyaku.graph.arcadedb import EmbeddedServer

pytestmark = pytest.mark.engine  # starts an embedded engine of its own


def test_the_private_parts_are_there(tmp_path: Path) -> None:
    import jpype

    with EmbeddedServer(tmp_path / "home") as server:
        java = arcadedb_private.java_server(server._server)
        assert java.getClass().getName() == "com.arcadedb.server.ArcadeDBServer"
        plugins = {plugin.getClass().getName() for plugin in java.getPlugins()}
        assert arcadedb_private.BOLT_PLUGIN in plugins
        executor = jpype.JClass(arcadedb_private.BOLT_EXECUTOR)
        assert executor.class_.getDeclaredField("socket") is not None
        database = server.create_database("pinned")
        batch = database.graph_batch(use_wal=True, light_edges=False, bidirectional=True)
        try:
            assert "GraphBatch" in arcadedb_private.java_graph_batch(batch).getClass().getName()
        finally:
            batch.close()
