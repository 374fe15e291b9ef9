"""Building the graph: the checked facts into the home's embedded engine and its RDF artifacts, or into a Neo4j.

`build` checks the curated data, loads the property graph into a fresh database of the embedded engine while the
RDF is serialised beside it, swaps the database in when complete, and writes Turtle, JSON-LD and the receipt.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from soyaku.core.home import QUICK_START_MAX_ROWS, default_heap
from soyaku.core.progress import QUIET, Stages
from soyaku.graph.background import find_background, stop_server
from soyaku.graph.arcadedb import rebuild_native
from soyaku.graph.connect import Connection
from soyaku.loaders.cypher_load import graph_counts, load_graph, wipe_graph
from soyaku.loaders.native_load import load_native
from soyaku.loaders.pipeline import Compiled, compile_graph, render_artifacts, write_artifacts

__all__ = ["Built", "build", "load_into"]


@dataclass(frozen=True)
class Built:
    """What a build checked and wrote: the compiled graph, where the artifacts went, and whether the engine was
    loaded (not with `rdf_only`)."""

    compiled: Compiled
    artifacts: Path
    database: Path | None

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return self.compiled.graph.counts()


def build(home: Path, data_dir: Path | None = None, *, rdf_only: bool = False, allow_shrink: bool = False,
          stages: Stages = QUIET) -> Built:
    """Check the curated facts, validate the RDF and (unless `rdf_only`) rebuild the home's graph.

    The background engine holding the home is stopped first (a `soyaku serve` is the user's: the rebuild then
    fails with the engine's one-line error). The previous graph stays in place until the new one is complete.
    """
    if not rdf_only:
        default_heap()  # a bad SOYAKU_HEAP is said before the data is checked
        warm = find_background(home)
        if warm is not None:
            stop_server(home, warm.pid)
    compiled = compile_graph(data_dir, stages, allow_shrink=allow_shrink)
    with ThreadPoolExecutor(max_workers=1) as pool:  # serialise the RDF while the engine loads the graph
        rendered = pool.submit(render_artifacts, compiled)
        if not rdf_only:
            records = (*compiled.graph.nodes, *compiled.graph.edges)
            with stages.stage("load into the embedded engine", total=len(records)) as done:
                loaded: dict = {}
                rebuild_native(home, lambda database: loaded.update(load_native(database, done.track(records))),
                               quick_start=len(records) <= QUICK_START_MAX_ROWS)
                done(f"{sum(loaded['nodes'].values())} nodes, {sum(loaded['relationships'].values())} relationships")
        with stages.stage("write Turtle, JSON-LD and the receipt") as done:
            write_artifacts(rendered.result(), home / "build")
            done(str(home / "build"))
    return Built(compiled, home / "build", None if rdf_only else home / "arcadedb")


def load_into(conn: Connection, data_dir: Path | None = None, *, wipe: bool = False,
              allow_shrink: bool = False) -> dict[str, dict[str, int]]:
    """Load the checked graph into the database `conn` leads to (loading twice changes nothing); its counts."""
    compiled = compile_graph(data_dir, allow_shrink=allow_shrink)
    if wipe:
        wipe_graph(conn.driver, conn.database)
    load_graph(conn.driver, conn.database, compiled.graph)
    return graph_counts(conn.driver, conn.database)
