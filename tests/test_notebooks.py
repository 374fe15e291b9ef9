"""The notebooks in notebooks/ run from top to bottom without an error (their cells assert their key results), and
the outputs committed with them are what a fresh run gives (so what a repository page shows is current).

Each notebook runs in its own Jupyter kernel (this interpreter, with ipykernel) and builds the graph into its own
fresh Soyaku home, passed as SOYAKU_HOME, apart from any engine the test session holds on another home. They run
one after the other: each is CPU-bound (compile, JVM, load), so side by side gains little on a small machine, and
two embedded engines starting at the same moment can both pick the free Bolt port 7687 (one then fails to start).
Running and making outputs stable is notebooks/run.py's job, the same code that saves them (`make notebooks-outputs`).
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_spec = importlib.util.spec_from_file_location("notebook_runner", NOTEBOOKS / "run.py")
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)
NAMES = [path.name for path in runner.notebook_paths()]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return runner.kernel_dirs(tmp_path_factory.mktemp("kernels"))


def test_the_four_notebooks_are_there() -> None:
    assert NAMES == ["01-quickstart.ipynb", "02-paths.ipynb", "03-explore.ipynb", "04-money-flow.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_saved_with_its_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), \
        f"{name}: not saved from one clean run; save it with `make notebooks-outputs`"
    assert any(cell.outputs for cell in code)
    assert "/tmp/" not in json.dumps(nb), f"{name}: a temporary path in the outputs"


def test_charts_are_saved() -> None:
    for name in ("01-quickstart.ipynb", "04-money-flow.ipynb"):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert any("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.outputs), f"{name}: no chart saved"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_its_outputs_are_fresh(name: str, kernel_dirs: list[str], tmp_path: Path) -> None:
    nb, error = runner.execute(NOTEBOOKS / name, tmp_path, kernel_dirs)
    nbformat.write(nb, tmp_path / name)  # the executed notebook, to look at when a test fails
    assert error is None, f"{name} failed:\n{error}"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count is not None for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]
    saved = runner.comparable(nbformat.read(NOTEBOOKS / name, as_version=4))
    fresh = runner.comparable(nb)
    if saved != fresh:
        diff = difflib.unified_diff(json.dumps(saved, ensure_ascii=False, indent=1).splitlines(),
                                    json.dumps(fresh, ensure_ascii=False, indent=1).splitlines(),
                                    "committed", "fresh run", lineterm="", n=2)
        pytest.fail(f"{name}: the committed outputs are stale; refresh them with `make notebooks-outputs` "
                    f"(or python notebooks/run.py {name}):\n" + "\n".join(list(diff)[:80]))


def test_a_print_the_kernel_sent_in_pieces_is_saved_and_compared_as_one() -> None:
    cell = nbformat.v4.new_code_cell("print('chart font:', 'IPAGothic')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="chart font:"),
                    nbformat.v4.new_output("stream", name="stdout", text=" IPAGothic\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="a JVM log line\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="next\n")]
    nb = runner.stable(nbformat.v4.new_notebook(cells=[cell]), "/tmp/home")
    assert runner.comparable(nb) == [[{"type": "stream", "text": "chart font: IPAGothic\nnext\n"}]]
