"""`pip install .` and `pip install -e .` both give one import package `soyaku` that finds its data and runs."""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = """
import importlib.util, sys
import soyaku, soyaku.graph, soyaku.loaders, soyaku.ontology, soyaku.queries, soyaku.data
from soyaku.loaders.pipeline import compile_graph
from soyaku.queries.library import named_queries
for generic in ("graph", "loaders", "ontology", "queries", "data"):
    assert importlib.util.find_spec(generic) is None, f"generic top-level module {generic!r} is importable"
assert "vc-backed-startups" in named_queries()
from importlib.metadata import entry_points
from importlib.resources import files
web = files("soyaku.web")  # the explorer's templates and static files ship as package data
for shipped in ("templates/entity.html", "templates/base.html", "static/app.js", "static/style.css", "messages.yaml"):
    assert web.joinpath(shipped).is_file(), f"soyaku.web/{shipped} is not installed"
assert [ep.value for ep in entry_points(group="soyaku.serve") if ep.name == "web"] == ["soyaku.web.server:start"]
print(len(compile_graph().graph.nodes), soyaku.queries.__file__)
"""

pytestmark = pytest.mark.slow


def _venv_with_our_dependencies(where: Path) -> Path:
    """A fresh virtualenv that sees this interpreter's installed dependencies but not our package."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    purelib = Path(subprocess.run([str(where / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    ours = sysconfig.get_paths()["purelib"]
    (purelib / "deps.pth").write_text("\n".join([ours, *site.getsitepackages()]) + "\n")
    return where / "bin"


@pytest.mark.parametrize("editable", [False, True], ids=["install", "editable"])
def test_pip_install_gives_one_package_that_runs(tmp_path, editable):
    bin_dir = _venv_with_our_dependencies(tmp_path / "venv")
    target = ["-e", str(ROOT)] if editable else [str(ROOT)]
    pip = subprocess.run([str(bin_dir / "pip"), "install", "--verbose", "--no-deps", *target], check=True,
                         cwd=tmp_path, capture_output=True, text=True)
    # a clean, quiet install: every folder installed is declared (no "absent from the packages configuration")
    assert "Warning" not in pip.stdout + pip.stderr and "would be ignored" not in pip.stdout + pip.stderr
    outside = tmp_path / "elsewhere"  # not the repository, so nothing is imported from the work tree by accident
    outside.mkdir()
    run = subprocess.run([str(bin_dir / "python"), "-c", CHECK], cwd=outside, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    nodes, queries_file = run.stdout.split()
    assert int(nodes) > 200
    assert queries_file.startswith(str(ROOT / "queries")) == editable
    version = subprocess.run([str(bin_dir / "soyaku"), "--version"], cwd=outside, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("soyaku, version ")
    if not editable:
        purelib = next((tmp_path / "venv" / "lib").glob("python*/site-packages"))
        top_level = {p.name for p in purelib.iterdir() if not p.name.endswith((".dist-info", ".pth", "__pycache__"))}
        assert "soyaku" in top_level
        assert not top_level & {"graph", "loaders", "ontology", "queries", "data", "src"}
