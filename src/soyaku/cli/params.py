"""`NAME=VALUE` parameters as the command line and the shell take them."""

from __future__ import annotations

import json

import click

__all__ = ["parse_params"]


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, object]:
    """`k=v` pairs; values are JSON where they parse (4, true, null, "x"), else plain text."""
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.isidentifier():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--param")
        if len(value) > 1 and value[0] == value[-1] == "'":  # a Cypher string literal, as cypher-shell takes it
            params[key] = value[1:-1]
            continue
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params
