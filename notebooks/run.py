"""Execute the notebooks and keep their outputs: `python notebooks/run.py` rewrites notebooks/*.ipynb with fresh
outputs (what `make notebooks-outputs` does); `tests/test_notebooks.py` runs them the same way and checks that the
committed outputs are what a fresh run gives.

Each notebook runs top to bottom in its own kernel (this interpreter, with ipykernel) with a fresh SOYAKU_HOME and
PYTHONHASHSEED=0 (so printed sets come out in one order). What would differ from run to run is made stable before
saving and before comparing (`stable`): the temporary home's path reads `<soyaku-home>`, timing metadata is not
recorded, a print the kernel sent in pieces is one output again, stderr is left out (the engine's JVM logs there,
with timestamps), and an output larger than MAX_OUTPUT (the inline network page of 03: it carries vis-network and is
not shown by repository pages anyway) is replaced by a short note. Plots are compared by their presence, not their
pixels (fonts and library versions move pixels).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from soyaku.core.atomic import write_text_atomic

NOTEBOOKS = Path(__file__).resolve().parent
CELL_TIMEOUT = 300  # seconds per cell
MAX_OUTPUT = 100_000  # characters of one output's data
HOME_MARK = "<soyaku-home>"
BIG_OUTPUT_NOTE = "(a large output, left out of the saved notebook: run the cell to see it)"
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def kernel_dirs(root: Path) -> list[str]:
    """A kernelspec `python3` that runs THIS interpreter (not whatever `python3` a user kernelspec names)."""
    spec = root / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
    }), encoding="utf-8")
    return [str(root)]


def execute(path: Path, work: Path, dirs: list[str]) -> tuple[Any, str | None]:
    """Run one notebook in a fresh kernel with a fresh SOYAKU_HOME under `work`; (stable notebook, error or None)."""
    nb = nbformat.read(path, as_version=4)
    home = work / "soyaku-home"
    # over Unix sockets in `work` (the default is TCP on localhost, which the kernel warns about at every start)
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=dirs),
                            transport="ipc", ip=str(work / "kernel"))
    client = nbclient.NotebookClient(nb, km=km, kernel_name="python3", timeout=CELL_TIMEOUT, record_timing=False,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    error = None
    try:
        client.execute(cleanup_kc=True, env={**os.environ, "SOYAKU_HOME": str(home), "PYTHONHASHSEED": "0"})
    except nbclient.exceptions.CellExecutionError as exc:
        error = _COLOURS.sub("", str(exc))
    return stable(nb, str(home)), error


def _replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value


def _coalesced(outputs: list[Any]) -> list[Any]:
    """Consecutive stream outputs of one name as one: a kernel may send one `print` in pieces (seen: "chart font:"
    and " IPAGothic\n"), depending on when its output thread flushes."""
    merged: list[Any] = []
    for out in outputs:
        last = merged[-1] if merged else None
        if last is not None and out.output_type == last.output_type == "stream" and out.name == last.name:
            last.text += out.text
        else:
            merged.append(out)
    return merged


def stable(nb: Any, home: str) -> Any:
    """`nb` with its outputs made the same from run to run (see the module docstring)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        cell.outputs = _coalesced([out for out in cell.outputs
                                   if not (out.output_type == "stream" and out.name == "stderr")])
        for out in cell.outputs:
            if "text" in out:
                out.text = _replace(out.text, home, HOME_MARK)
            for mime, data in list(out.get("data", {}).items()):
                if mime.startswith("image/"):
                    continue
                size = len(json.dumps(data))
                if size > MAX_OUTPUT:
                    out.data = {"text/plain": BIG_OUTPUT_NOTE}  # no size: it changes with every page change
                    break
                out.data[mime] = _replace(data, home, HOME_MARK)
    return nb


def comparable(nb: Any) -> list[list[Any]]:
    """Per code cell, its outputs as compared for freshness: texts and tables whole, images by kind only."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for out in cell.outputs:
            item: dict[str, Any] = {"type": out.output_type}
            if "text" in out:
                item["text"] = "".join(out.text) if isinstance(out.text, list) else out.text
            for mime, data in sorted(out.get("data", {}).items()):
                item[mime] = "<image>" if mime.startswith("image/") else ("".join(data) if isinstance(data, list) else data)
            outs.append(item)
        cells.append(outs)
    return cells


def main(names: list[str]) -> int:
    paths = [NOTEBOOKS / n for n in names] if names else notebook_paths()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="soyaku-notebooks-") as tmp:
        dirs = kernel_dirs(Path(tmp) / "kernels")
        for path in paths:
            work = Path(tmp) / path.stem
            work.mkdir()
            nb, error = execute(path, work, dirs)
            if error:
                failed += 1
                print(f"{path.name}: FAILED, left unchanged\n{error}", file=sys.stderr)
                continue
            write_text_atomic(path, nbformat.writes(nb) + "\n")
            print(f"{path.name}: outputs saved")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
