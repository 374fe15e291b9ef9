"""The one place that reaches into arcadedb-embedded's private parts, which its public API does not cover.

- `java_server`: the Java `ArcadeDBServer` behind the Python wrapper (its plugins, security and open databases).
- `java_graph_batch`: the Java `GraphBatch` behind a Python graph batch, which the native loader hands to its
  JSON batchers (one JVM call per chunk instead of one per record).
- `close_bolt_sessions`: each Bolt connection's socket (`BoltNetworkExecutor.socket`, a private Java field), closed
  so that `stop()` ends connections a client keeps open.

An upgrade of arcadedb-embedded may rename them: tests/test_arcadedb_private.py pins each one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["close_bolt_sessions", "java_graph_batch", "java_server"]

BOLT_PLUGIN = "com.arcadedb.bolt.BoltProtocolPlugin"
BOLT_EXECUTOR = "com.arcadedb.bolt.BoltNetworkExecutor"


def java_server(server: Any) -> Any:
    """The Java server of an `arcadedb_embedded` server."""
    return server._java_server


def java_graph_batch(batch: Any) -> Any:
    """The Java `GraphBatch` of an `arcadedb_embedded` graph batch."""
    return batch._java_graph_batch


def close_bolt_sessions(server: Any) -> None:
    """Stop accepting Bolt connections and close the open ones (their transactions roll back).

    ArcadeDB's own stop closes only the listening socket: a client that keeps a session open (a notebook, a
    Browser tab) would hold each connection's thread, and so the JVM and this process, for as long as it stays.
    """
    import jpype

    for plugin in java_server(server).getPlugins():
        if plugin.getClass().getName() == BOLT_PLUGIN:
            plugin.stopService()
    executor = jpype.JClass(BOLT_EXECUTOR)
    socket_field = executor.class_.getDeclaredField("socket")
    socket_field.setAccessible(True)
    for thread in jpype.JClass("java.lang.Thread").getAllStackTraces().keySet():
        if isinstance(thread, executor):
            connection = socket_field.get(thread)
            if connection is not None:
                connection.close()
