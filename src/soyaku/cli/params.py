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
        except RecursionError:
            raise click.BadParameter(f"{key}: nested too deeply", param_hint="--param") from None
        if _out_of_range(params[key]):
            example = f", e.g. {key}='\"{value}\"'" if isinstance(params[key], int) else ""
            raise click.BadParameter(f"{key}: an integer does not fit in 64 bits (±9.2e18); pass a larger number as "
                                     f"text{example}", param_hint="--param")
    return params


def _out_of_range(value: object) -> bool:
    """Whether VALUE holds an integer that Bolt cannot carry (64 bits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return not -(2**63) <= value < 2**63
    if isinstance(value, list):
        return any(_out_of_range(v) for v in value)
    if isinstance(value, dict):
        return any(_out_of_range(v) for v in value.values())
    return False
