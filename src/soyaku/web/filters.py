"""Jinja filters and globals: amounts in 億円, names in the reader's language, source locators as links."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from soyaku.views.html import label_styles

__all__ = ["install", "oku", "linked_sources"]

#: A source locator in a text: the seed file (NNN_hash.txt) and line → the document page at that line.
_LOCATOR = re.compile(r"\b([0-9]{3})_[0-9a-f]{16}\.txt#L([0-9]+)\b")


def oku(jpy: int | float | None) -> str:
    """12,345,600,000 → 123.456億円 (every digit kept, no rounding: the same figure as the named queries)."""
    if jpy is None:
        return "—"
    whole, rest = divmod(int(jpy), 100_000_000)
    if not rest:
        return f"{whole:,}億円"
    return f"{whole:,}.{f'{rest:08d}'.rstrip('0')}億円"


def linked_sources(value: Any) -> Markup:
    """`value` as escaped text with each seed-file locator linked to its line on the document page."""
    text = "; ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return Markup(_LOCATOR.sub(lambda m: f'<a href="/document/doc-{m[1]}#L{m[2]}">{m[0]}</a>', str(escape(text))))


def cell(value: Any) -> str:
    """A table cell's text: lists one item per line, None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def display(item: Any, lang: str) -> str:
    """An entity's name in the reader's language (the other language is shown beside it by the templates)."""
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k, None)
    if lang == "en" and get("name_en"):
        return str(get("name_en"))
    return str(get("name") or get("id") or "")


def style(label: str) -> dict[str, str]:
    return label_styles().get(label, {"color": "#cccccc", "shape": "dot", "ja": ""})


def install(env: Environment) -> None:
    env.filters.update(oku=oku, linked_sources=linked_sources, cell=cell)
    env.globals.update(display=display, style=style, label_styles=label_styles(), zip=zip)
