"""Today's network view (soyaku.views.html) of the shipped data, its node cards linking to entity pages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["network_page"]


@lru_cache(maxsize=4)
def network_page(data_dir: Path | None, *, entity_link: str | None = None, lang: str = "ja") -> str:
    """The whole network page (built once per process, data directory, link and language)."""
    from soyaku.loaders.pipeline import compile_graph
    from soyaku.views.html import render_html
    from soyaku.views.network import to_networkx

    return render_html(to_networkx(compile_graph(data_dir).graph), title="Soyaku KG network", lang=lang,
                       entity_link=entity_link)
