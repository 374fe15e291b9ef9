"""The viz page in a real headless Chromium: it renders offline without errors, draws every visible node, lets
physics settle and stop, and runs nothing from hostile names.

Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`; for readable Japanese in screenshots also a CJK font
such as fonts-ipafont-gothic). The page reports into the DOM (data-* attributes on <html> and <body>), read back with
`--dump-dom`. Set SOYAKU_SCREENSHOTS=docs/img to refresh the documentation screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from soyaku.loaders.property_graph import Edge, Node, PropertyGraph
from soyaku.views.html import write_html
from soyaku.views.network import focus, to_networkx

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium "
                                "(Debian: apt-get install -y chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--window-size=1600,1000", "--virtual-time-budget=30000"]

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "<script>window.pwned=1</script>"
HOSTILE_SILENT = "<img src=x onerror=window.pwned=3>"


def chromium(url: str, tmp_path: Path, *extra: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    result = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def attrs(dom: str, tag: str) -> dict[str, str]:
    opening = re.search(rf"<{tag}\b([^>]*)>", dom).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', opening))


def without_scripts(dom: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", dom, flags=re.S)


def check_clean(dom: str) -> dict[str, str]:
    root, body = attrs(dom, "html"), attrs(dom, "body")
    assert root.get("data-js-errors") == "0", root.get("data-js-error-text")
    assert body.get("data-ready") == "1", "the page never finished laying out"
    assert body.get("data-physics") == "off", "physics is still running after stabilisation"
    assert body.get("data-pwned") == "no"
    return body


def screenshot(url: str, path: Path, tmp_path: Path) -> None:
    chromium(url, tmp_path, f"--screenshot={path}")
    assert path.exists() and path.stat().st_size > 20_000
    target = os.environ.get("SOYAKU_SCREENSHOTS")
    if target:
        shutil.copyfile(path, Path(target) / path.name)


def test_full_graph_renders_offline(compiled, tmp_path):
    g = to_networkx(compiled.graph)
    page = write_html(g, tmp_path / "graph.html")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?http", text) and "<link" not in text
    body = check_clean(chromium(page.as_uri(), tmp_path, "--dump-dom"))
    docs = [n for n, label in g.nodes(data="label") if label == "Document"]
    visible_edges = [1 for u, v in g.edges() if u not in docs and v not in docs]
    assert int(body["data-nodes-total"]) == g.number_of_nodes() == len(compiled.graph.nodes)
    assert int(body["data-nodes-drawn"]) == g.number_of_nodes() - len(docs)  # Documents start hidden
    assert int(body["data-edges-drawn"]) == len(visible_edges)
    screenshot(page.as_uri(), tmp_path / "graph-full.png", tmp_path)


def test_focused_graph_search_and_select(compiled, tmp_path):
    g = focus(to_networkx(compiled.graph), "su-tregem-biopharma", 2)
    page = write_html(g, tmp_path / "tregem.html", focus="su-tregem-biopharma",
                      title="Soyaku KG: トレジェムバイオファーマ株式会社 (2 hops)")
    dom = chromium(page.as_uri() + "#search=ジャフコ&select=vc-jafco", tmp_path, "--dump-dom")
    body = check_clean(dom)
    assert int(body["data-nodes-drawn"]) == int(body["data-nodes-total"]) == g.number_of_nodes()
    assert int(body["data-edges-drawn"]) == g.number_of_edges()
    assert body["data-selected"] == "vc-jafco" and int(body["data-search-results"]) >= 1
    details = re.search(r'<div id="details">(.*?)</div>\s*</aside>', dom, re.S).group(1)
    assert "ジャフコグループ" in details and "ジャフコ" in details
    screenshot(page.as_uri(), tmp_path / "graph-tregem.png", tmp_path)


def test_hostile_names_run_nothing(tmp_path):
    def node(id: str, label: str, name: str) -> Node:
        return Node(id, label, {"id": id, "name": name, "name_ja": name, "name_en": HOSTILE_SILENT,
                                "aliases": [HOSTILE_SCRIPT], "sources": ["x.txt#L1"],
                                "quotes": [f"</script><script>window.pwned=4</script>{name}"]})

    nodes = (node("evil", "Startup", HOSTILE), node("evil2", "VentureCapital", HOSTILE_SCRIPT),
             node("evil3", "Program", HOSTILE_SILENT))
    edges = (Edge("e1", "BACKED", "evil2", "evil", {"round": HOSTILE_SILENT, "sources": [HOSTILE], "quotes": [HOSTILE_SCRIPT]}),
             Edge("e2", "SUPPORTED", "evil3", "evil", {"start_year": 2021, "sources": ["x"], "quotes": [HOSTILE_SILENT]}))
    page = write_html(to_networkx(PropertyGraph(nodes, edges)), tmp_path / "evil.html", title=HOSTILE)
    dom = chromium(page.as_uri() + "#search=img&select=evil", tmp_path, "--dump-dom")
    body = check_clean(dom)  # data-pwned == "no", no JS errors
    assert int(body["data-nodes-drawn"]) == 3
    visible = without_scripts(dom)
    assert not re.search(r"<img\b", visible) and not re.search(r"<script\b", visible)
    assert "&lt;img src=x onerror=alert(1)&gt;" in visible  # shown as text: title, details, search results
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in visible
