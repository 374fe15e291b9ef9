"""Soyaku KG: a sourced knowledge graph of Japan's drug-discovery ecosystem."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("soyaku-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
