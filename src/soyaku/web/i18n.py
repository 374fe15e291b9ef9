"""Japanese and English: the language of a request (cookie, else Accept-Language) and the interface's words
(messages.yaml, one entry per key with `ja` and `en`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml
from starlette.requests import Request

__all__ = ["LANGUAGES", "language", "translator", "messages"]

LANGUAGES = ("ja", "en")


@cache
def messages() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "messages.yaml").read_text(encoding="utf-8"))


def language(request: Request) -> str:
    chosen = request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept and not accept.startswith("ja") else "ja"


def translator(lang: str) -> Callable[..., str]:
    table = messages()

    def t(key: str, **values: object) -> str:
        entry = table.get(key)
        text = entry.get(lang) or entry["en"] if entry else key
        return text.format(**values) if values else text

    return t
