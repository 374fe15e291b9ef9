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
