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
from soyaku.views.html import round_groups, write_html
from soyaku.views.network import focus, to_networkx

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium "
                                 "(Debian: apt-get install -y chromium)")]

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


def with_script(page: Path, script: str) -> Path:
    """A copy of `page` that runs `script` once the page is laid out (data-ready), to drive it as a user would."""
    copy = page.with_name(f"driven-{page.name}")
    driver = ("(function wait() { if (document.body.getAttribute('data-ready') !== '1') return setTimeout(wait, 100); "
              + script + " })();")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<script>{driver}</script></body>"),
                    encoding="utf-8")
    return copy


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
    assert body["data-nodes-offscreen"] == "0"
    # labels by zoom level: the best-connected nodes are labelled, no two drawn captions overlap
    assert body["data-label-overlaps"] == "0"
    assert 40 <= int(body["data-labels-drawn"]) == int(body["data-labels-shown"]) < int(body["data-nodes-drawn"])
    screenshot(page.as_uri(), tmp_path / "graph-full.png", tmp_path)


def test_zooming_in_labels_more_nodes_without_overlap(compiled, tmp_path):
    page = write_html(to_networkx(compiled.graph), tmp_path / "graph.html")
    fitted = check_clean(chromium(page.as_uri(), tmp_path, "--dump-dom"))
    # redraw(): the frame a browser draws after a zoom (headless Chromium with virtual time may skip it)
    driven = with_script(page, "var n = window.soyakuNetwork; n.moveTo({scale: n.getScale() * 3}); n.redraw(); "
                               "setTimeout(function () { document.body.setAttribute('data-zoomed', '1'); }, 1000);")
    zoomed = check_clean(chromium(driven.as_uri(), tmp_path, "--dump-dom"))
    assert zoomed["data-zoomed"] == "1" and float(zoomed["data-scale"]) > 2.5 * float(fitted["data-scale"])
    assert zoomed["data-label-overlaps"] == "0" and int(zoomed["data-labels-drawn"]) >= 20  # those in view
    assert int(zoomed["data-labels-shown"]) > 2 * int(fitted["data-labels-shown"])


def test_filter_refits_and_clears_details_of_a_hidden_node(compiled, tmp_path):
    """Select a node, zoom into a corner, then pick a round that does not contain the node: no console error
    (vis-network used to be asked for the edges of the hidden node), Details cleared, all of the round in view."""
    g = to_networkx(compiled.graph)
    rounds = {r["id"]: set(r["members"]) for r in round_groups(g)}
    round_id = next(r for r, members in sorted(rounds.items()) if "vc-jafco" not in members)
    page = write_html(g, tmp_path / "graph.html")
    driven = with_script(page, f"""
        var n = window.soyakuNetwork;
        n.moveTo({{position: {{x: 5000, y: 5000}}, scale: 3}});
        var select = document.getElementById('round');
        select.value = '{round_id}';
        select.dispatchEvent(new Event('change'));""")
    body = check_clean(chromium(driven.as_uri() + "#select=vc-jafco", tmp_path, "--dump-dom"))
    assert int(body["data-nodes-drawn"]) == len(rounds[round_id])
    assert body["data-details"] == "" and body["data-selected"] == ""
    assert body["data-nodes-offscreen"] == "0" and float(body["data-scale"]) < 3


def test_filter_keeps_details_of_a_node_it_shows(compiled, tmp_path):
    g = to_networkx(compiled.graph)
    rounds = {r["number"]: r for r in round_groups(g)}
    page = write_html(g, tmp_path / "graph.html")
    dom = chromium(page.as_uri() + f"#select=vc-jafco&round={rounds[4]['id']}", tmp_path, "--dump-dom")
    body = check_clean(dom)
    assert body["data-details"] == "vc-jafco" and body["data-selected"] == "vc-jafco"
    assert int(body["data-nodes-drawn"]) == len(rounds[4]["members"]) and body["data-nodes-offscreen"] == "0"
    assert "ジャフコグループ" in re.search(r'<div id="details">(.*?)</div>\s*</aside>', dom, re.S).group(1)


def test_english_page_and_dropdowns_that_fit(compiled, tmp_path):
    """--lang en: ministries and rounds in English in the dropdowns, and no option is cut off in its select."""
    g = to_networkx(compiled.graph)
    page = write_html(g, tmp_path / "graph-en.html", lang="en")
    driven = with_script(page, """
        var ctx = document.createElement('canvas').getContext('2d'), cut = [];
        ['ministry', 'round'].forEach(function (id) {
          var select = document.getElementById(id), style = getComputedStyle(select);
          ctx.font = style.fontSize + ' ' + style.fontFamily;
          Array.prototype.forEach.call(select.options, function (o) {
            if (ctx.measureText(o.textContent).width > select.clientWidth - 28) cut.push(o.textContent);  /* 28: the arrow */
          });
        });
        document.body.setAttribute('data-cut-options', JSON.stringify(cut));""")
    dom = chromium(driven.as_uri(), tmp_path, "--dump-dom")
    body = check_clean(dom)
    assert body["data-cut-options"] == "[]", body["data-cut-options"]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", without_scripts(dom))
    assert "Cabinet Office (" in "".join(options)  # short names whole, long ones as their abbreviation
    assert re.search(r'<option value="mhlw" title="Ministry of Health, Labour and Welfare">MHLW \(', dom)
    assert any(o.startswith("Round 4 2024-06-14") for o in options)
    assert 'label="Strengthening Program for Pharmaceutical Startup Ecosystem"' in dom  # rounds under their program
    assert body["data-label-overlaps"] == "0"
    screenshot(page.as_uri(), tmp_path / "graph-en.png", tmp_path)
    round4 = next(r for r in round_groups(g) if r["number"] == 4)
    screenshot(page.as_uri() + f"#round={round4['id']}", tmp_path / "graph-round4-en.png", tmp_path)


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
