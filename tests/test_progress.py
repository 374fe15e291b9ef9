"""`soyaku build` reports its stages: plain lines when not on a terminal, rich spinners on one."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.core.progress import Stages

STAGES = ["read and check the curated data", "build the RDF", "validate with SHACL", "map to the property graph"]


@pytest.mark.engine
def test_build_reports_each_stage_with_its_counts_on_stderr(tmp_path, compiled):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "build"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == [*STAGES, "load into the embedded engine",
                                                      "write Turtle, JSON-LD and the receipt"]
    assert re.fullmatch(rf"read and check the curated data: {len(compiled.curated.records)} records from .* \(\d+\.\d s\)", lines[0])
    assert f"build the RDF: {len(compiled.rdf)} triples" in lines[1]
    loaded = f"load into the embedded engine: {len(compiled.graph.nodes)} nodes, {len(compiled.graph.edges)} relationships"
    assert lines[4].startswith(loaded)
    assert "built the graph in" in result.stdout and "(" not in result.stdout.splitlines()[0]


def test_on_a_terminal_stages_are_rich_spinners_that_end_ticked():
    out = io.StringIO()
    with Stages(out, live=True) as stages:
        with stages.stage("build the RDF") as done:
            done("7 triples")
    text = out.getvalue()
    assert "\x1b[" in text and "✓" in text and "build the RDF: 7 triples" in text


def test_a_failing_stage_is_not_reported_as_done():
    out = io.StringIO()
    try:
        with Stages(out, live=False) as stages, stages.stage("validate with SHACL") as done:
            raise ValueError("violation")
    except ValueError:
        pass
    assert out.getvalue() == ""


def test_a_stage_with_a_total_moves_a_bar_as_items_pass():
    out = io.StringIO()
    with Stages(out, live=True) as stages:
        with stages.stage("load into the embedded engine", total=2500) as done:
            assert sum(1 for _ in done.track(range(2500), every=1000)) == 2500
            assert stages._progress.tasks[0].completed == 2500
            done("2500 rows")
    assert "load into the embedded engine: 2500 rows" in out.getvalue()
