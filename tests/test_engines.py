"""The engine seam: every engine in the registry implements GraphEngine, and `soyaku serve --engine` offers them."""

from __future__ import annotations

from pathlib import Path

import click

from soyaku.graph.arcadedb import EmbeddedServer
from soyaku.graph.engine import GraphEngine
from soyaku.loaders.engines import ENGINES, ServeOptions


def test_each_registered_engine_implements_the_seam(tmp_path: Path):
    for name, kind in ENGINES.items():
        engine = kind.start(tmp_path / name, ServeOptions(bolt_port=17687, http_port=17474))  # made, not started
        assert isinstance(engine, GraphEngine), name
        assert kind.shares_home or kind.load is not None, f"{name}: serves neither the home's graph nor a copy"


def test_serve_offers_exactly_the_registered_engines():
    from soyaku.cli.serve import serve

    choice = next(p for p in serve.params if p.name == "engine").type
    assert isinstance(choice, click.Choice) and list(choice.choices) == list(ENGINES)


def test_the_embedded_engine_prefers_bolts_usual_port(tmp_path: Path):
    engine = ENGINES["embedded"].start(tmp_path, ServeOptions())
    assert isinstance(engine, EmbeddedServer) and engine.preferred_bolt_port == 7687


def test_a_second_process_is_refused_the_home_with_the_holders_pid(tmp_path: Path):
    import os
    import subprocess
    import sys

    from soyaku.graph.databases import lock_home

    lock = lock_home(tmp_path)
    try:
        tried = subprocess.run([sys.executable, "-c", "import sys\nfrom pathlib import Path\n"
                                "from soyaku.graph.databases import lock_home\nlock_home(Path(sys.argv[1]))",
                                str(tmp_path)], capture_output=True, text=True, timeout=60)
        assert tried.returncode != 0 and f"open in another Soyaku process (pid {os.getpid()})" in tried.stderr
    finally:
        lock.release()
    lock_home(tmp_path).release()  # free again once released
