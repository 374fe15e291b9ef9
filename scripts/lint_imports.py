"""Check the layers (pyproject's [tool.importlinter] contract) on the package as it installs.

The rooms of the repository (graph/, queries/, ...) map into the one package `soyaku` through pyproject's
package-dir; import-linter reads a package from one directory tree, so this assembles that tree (the .py files
only) in a temporary directory and runs `lint-imports` over it. Exit code and output are lint-imports'.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assemble(target: Path) -> None:
    """Copy every module of the package to where it lands when installed, under `target`."""
    dirs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    for package, folder in dirs.items():
        for source in (ROOT / folder).rglob("*.py"):
            relative = source.relative_to(ROOT / folder)
            if any(part in ("__pycache__", ".venv") for part in relative.parts):
                continue
            destination = target.joinpath(*package.split("."), relative)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="soyaku-layers-") as tmp:
        assemble(Path(tmp))
        env = {**os.environ, "PYTHONPATH": tmp}
        lint = Path(sys.executable).with_name("lint-imports")
        return subprocess.run([str(lint), str(ROOT / "pyproject.toml"), "--no-cache"], env=env,
                              cwd=tmp).returncode


if __name__ == "__main__":
    sys.exit(main())
