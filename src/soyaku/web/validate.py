"""Checks of request parameters: a bad value is a BadRequest (a 400 page that says what is wrong)."""

from __future__ import annotations

import re
import unicodedata

from starlette.datastructures import QueryParams

from soyaku.core.errors import SoyakuError

__all__ = ["BadRequest", "entity_id", "integer", "choice", "text", "only"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")


class BadRequest(SoyakuError):
    """A request parameter the explorer cannot use."""


def entity_id(value: str, what: str = "id") -> str:
    if not _ID.fullmatch(value):
        raise BadRequest(f"{what} {value[:80]!r} is not an id: ids are letters, digits, '-', '_', '.' and ':' "
                         "(search by name instead)")
    return value


def only(params: QueryParams, allowed: set[str]) -> None:
    """A BadRequest for a parameter the page does not take, or one given twice."""
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise BadRequest(f"unknown parameter {', '.join(unknown)}; this page takes: {', '.join(sorted(allowed))}")
    twice = sorted(k for k in set(params.keys()) if len(params.getlist(k)) > 1)
    if twice:
        raise BadRequest(f"parameter {', '.join(twice)} given more than once")


def text(params: QueryParams, name: str, *, required: bool = False, max_length: int = 200) -> str | None:
    value = params.get(name)
    if value is None or not value.strip():
        if required:
            raise BadRequest(f"{name} is missing: give a name, alias or id")
        return None
    if len(value) > max_length:
        raise BadRequest(f"{name} is {len(value)} characters long; at most {max_length}")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise BadRequest(f"{name} contains control characters")
    return value.strip()


def integer(params: QueryParams, name: str, low: int, high: int, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    if not re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
        raise BadRequest(f"{name}={value[:40]!r} is not a whole number (between {low} and {high})")
    number = int(value)
    if not low <= number <= high:
        raise BadRequest(f"{name}={number} is out of range: between {low} and {high}")
    return number


def choice(params: QueryParams, name: str, allowed: list[str] | tuple[str, ...],
           default: str | None = None) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise BadRequest(f"{name}={value[:40]!r} is not allowed; one of: {', '.join(allowed)}")
    return value
