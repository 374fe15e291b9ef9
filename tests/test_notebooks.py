"""The notebooks in notebooks/ run from top to bottom without an error (their cells assert their key results).

Each notebook runs in its own Jupyter kernel (this interpreter, with ipykernel) and builds the graph into its own
fresh Soyaku home, passed as SOYAKU_HOME, apart from any engine the test session holds on another home. They run
one after the other: each is CPU-bound (compile, JVM, load), so side by side gains little on a small machine, and
two embedded engines starting at the same moment can both pick the free Bolt port 7687 (one then fails to start). Notebooks are kept without outputs, so that they diff small.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

import nbformat
import nbclient

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402  (installed with nbclient)
from jupyter_client.manager import AsyncKernelManager  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell


def _kernel_dirs(root: Path) -> list[str]:
    """A kernelspec `python3` that runs THIS interpreter (not whatever `python3` a user kernelspec names)."""
    spec = root / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
    }), encoding="utf-8")
    return [str(root)]


def _execute(name: str, work: Path, kernel_dirs: list[str]) -> tuple[object, str | None]:
    """Run one notebook in a fresh kernel with a fresh SOYAKU_HOME; (executed notebook, error text or None)."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    home = work / "soyaku-home"
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=kernel_dirs))
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    error = None
    try:
        client.execute(cleanup_kc=True, env={**os.environ, "SOYAKU_HOME": str(home)})
    except nbclient.exceptions.CellExecutionError as exc:
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # without the traceback's colours
    nbformat.write(nb, work / name)  # the executed notebook, to look at when a test fails
    return nb, error


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _kernel_dirs(tmp_path_factory.mktemp("kernels"))


def test_the_four_notebooks_are_there() -> None:
    assert NAMES == ["01-quickstart.ipynb", "02-paths.ipynb", "03-explore.ipynb", "04-money-flow.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_saved_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    dirty = [i for i, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{name}: cells {dirty} have outputs; clear them before saving"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, kernel_dirs: list[str], tmp_path: Path) -> None:
    nb, error = _execute(name, tmp_path, kernel_dirs)
    assert error is None, f"{name} failed:\n{error}"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count is not None for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]
