"""Writing an export: atomically, with the permissions other tools (neo4j-admin, a Neo4j server) need."""

from __future__ import annotations

import os
from pathlib import Path

from soyaku.core.atomic import write_text_atomic

__all__ = ["make_readable", "umask", "write_file"]


def umask() -> int:
    """The process's umask (read without changing it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_readable(path: Path) -> None:
    """Give an export the usual permissions (0644/0755 under umask 022): the atomic helpers create 0600 files
    and 0700 directories, and neo4j-admin or a Neo4j server often runs as another user."""
    mode = 0o777 if path.is_dir() or os.access(path, os.X_OK) else 0o666
    path.chmod(mode & ~umask())


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically and make it readable."""
    write_text_atomic(path, text)
    make_readable(path)
