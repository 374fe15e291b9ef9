"""The examples in the package's docstrings run (networkx's way: docstring examples are doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import tomllib
from pathlib import Path

import pytest

PACKAGES = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]


def _has_examples(name: str) -> bool:
    origin = importlib.util.find_spec(name).origin
    return bool(origin and origin.endswith(".py") and ">>>" in Path(origin).read_text(encoding="utf-8"))


def _modules_with_examples() -> list[str]:
    """Every module of the package (pyproject's package list) whose source holds a `>>>` example."""
    names = [info.name for package in PACKAGES
             for info in pkgutil.iter_modules(importlib.import_module(package).__path__, package + ".")
             if not info.ispkg]
    return sorted(name for name in names if _has_examples(name))


MODULES = _modules_with_examples()


def test_the_package_has_examples():
    assert {"soyaku.core.japanese", "soyaku.queries.library"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example that ran"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
