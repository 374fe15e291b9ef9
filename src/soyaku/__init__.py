"""Soyaku KG: a sourced knowledge graph of Japan's drug-discovery ecosystem."""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata on first use (importlib.metadata costs ~0.1 s to import)."""
    if name != "__version__":
        raise AttributeError(f"module 'soyaku' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("soyaku-kg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
