"""The viz page in a real headless Chromium: it renders offline without errors, draws every visible node, lets
physics settle and stop, and runs nothing from hostile names.

Playwright drives the session's one Chromium (the `browser` fixture of tests/conftest.py: /usr/bin/chromium, Debian:
`apt-get install -y chromium`; for readable Japanese in screenshots also a CJK font such as fonts-ipafont-gothic).
Each test opens the page write_html wrote (a file:// URL) in a context of its own, 1600×1000, waits for the page's own
signals (body[data-ready="1"] once laid out, body[data-physics="off"] once physics stopped) and reads what the page
reports into the DOM (data-* attributes on <html> and <body>). Set SOYAKU_SCREENSHOTS=docs/img to refresh the
documentation screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from soyaku.loaders.property_graph import Edge, Node, PropertyGraph
from soyaku.views.html import round_groups, write_html
from soyaku.views.network import focus, to_networkx

pytestmark = pytest.mark.browser  # the `browser` fixture (tests/conftest.py) skips where Chromium is missing

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "<script>window.pwned=1</script>"
HOSTILE_SILENT = "<img src=x onerror=window.pwned=3>"

#: Laid out and physics stopped: after the first layout, and again after every re-layout (a filter sets it "on").
SETTLED = "document.body.dataset.ready === '1' && document.body.dataset.physics === 'off'"
#: Generous: laying out the whole graph takes a few seconds, more on a loaded machine.
WAIT_MS = 90_000
#: The page reports once more 300 ms after it settled (late events such as image errors): a timer started after
#: that one, with the same delay, fires after it (timers fire in the order they are due).
LATE_REPORT_MS = 300
ATTRIBUTES = "el => Object.fromEntries(Array.from(el.attributes, a => [a.name, a.value]))"


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A page in a fresh 1600×1000 context that records console errors, page errors and every URL it requests."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.errors, page.requested = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requested.append(r.url))
    yield page
    context.close()


def check_clean(tab: Any) -> dict[str, str]:
    """The <body>'s data-* attributes, once checked: no error, laid out, physics off, nothing hostile ran."""
    assert tab.errors == [], tab.errors
    root, body = tab.eval_on_selector("html", ATTRIBUTES), tab.eval_on_selector("body", ATTRIBUTES)
    assert root.get("data-js-errors") == "0", root.get("data-js-error-text")
    assert body.get("data-ready") == "1", "the page never finished laying out"
    assert body.get("data-physics") == "off", "physics is still running after stabilisation"
    assert body.get("data-pwned") == "no"
    return body


def settled(tab: Any) -> dict[str, str]:
    """Wait until the page is laid out with physics off and its late report has run; then check_clean."""
    tab.wait_for_function(SETTLED, timeout=WAIT_MS)
    tab.evaluate(f"new Promise(done => setTimeout(done, {LATE_REPORT_MS}))")
    return check_clean(tab)


def open_page(tab: Any, url: str) -> dict[str, str]:
    tab.goto(url)
    return settled(tab)


def without_scripts(dom: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", dom, flags=re.S)


def details(dom: str) -> str:
    return re.search(r'<div id="details">(.*?)</div>\s*</aside>', dom, re.S).group(1)


def screenshot(tab: Any, path: Path) -> None:
    """The page as it is now; copied to $SOYAKU_SCREENSHOTS (docs/img) under the same name when that is set."""
    tab.screenshot(path=str(path))
    assert path.exists() and path.stat().st_size > 20_000
    target = os.environ.get("SOYAKU_SCREENSHOTS")
    if target:
        shutil.copyfile(path, Path(target) / path.name)


def test_full_graph_renders_offline(compiled, tab, tmp_path):
    g = to_networkx(compiled.graph)
    page = write_html(g, tmp_path / "graph.html")
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?http", text) and "<link" not in text
    body = open_page(tab, page.as_uri())
    assert tab.requested == [page.as_uri()]  # the page asks for nothing else: no CDN, no font, no image
    docs = [n for n, label in g.nodes(data="label") if label == "Document"]
    visible_edges = [1 for u, v in g.edges() if u not in docs and v not in docs]
    assert int(body["data-nodes-total"]) == g.number_of_nodes() == len(compiled.graph.nodes)
    assert int(body["data-nodes-drawn"]) == g.number_of_nodes() - len(docs)  # Documents start hidden
    assert int(body["data-edges-drawn"]) == len(visible_edges)
    assert body["data-nodes-offscreen"] == "0"
    # labels by zoom level: the best-connected nodes are labelled, no two drawn captions overlap
    assert body["data-label-overlaps"] == "0"
    assert 40 <= int(body["data-labels-drawn"]) == int(body["data-labels-shown"]) < int(body["data-nodes-drawn"])
    screenshot(tab, tmp_path / "graph-full.png")


def test_zooming_in_labels_more_nodes_without_overlap(compiled, tab, tmp_path):
    page = write_html(to_networkx(compiled.graph), tmp_path / "graph.html")
    fitted = open_page(tab, page.as_uri())
    # redraw(): the frame a browser draws after a zoom, whose afterDrawing starts the page's 60 ms timer that places
    # the captions anew; data-zoomed is set by a timer due later, so after they were placed
    tab.evaluate("""() => { var n = window.soyakuNetwork; n.moveTo({scale: n.getScale() * 3}); n.redraw();
                            setTimeout(function () { document.body.setAttribute('data-zoomed', '1'); }, 300); }""")
    tab.wait_for_function("document.body.dataset.zoomed === '1'", timeout=WAIT_MS)
    zoomed = check_clean(tab)
    assert zoomed["data-zoomed"] == "1" and float(zoomed["data-scale"]) > 2.5 * float(fitted["data-scale"])
    assert zoomed["data-label-overlaps"] == "0" and int(zoomed["data-labels-drawn"]) >= 20  # those in view
    assert int(zoomed["data-labels-shown"]) > 2 * int(fitted["data-labels-shown"])


def test_filter_refits_and_clears_details_of_a_hidden_node(compiled, tab, tmp_path):
    """Select a node, zoom into a corner, then pick a round that does not contain the node: no console error
    (vis-network used to be asked for the edges of the hidden node), Details cleared, all of the round in view."""
    g = to_networkx(compiled.graph)
    rounds = {r["id"]: set(r["members"]) for r in round_groups(g)}
    round_id = next(r for r, members in sorted(rounds.items()) if "vc-jafco" not in members)
    page = write_html(g, tmp_path / "graph.html")
    before = open_page(tab, page.as_uri() + "#select=vc-jafco")
    assert before["data-details"] == "vc-jafco" and before["data-selected"] == "vc-jafco"
    # the change event re-lays out at once (data-physics "on"), so SETTLED waits for the end of that layout
    physics = tab.evaluate(f"""() => {{
        var n = window.soyakuNetwork;
        n.moveTo({{position: {{x: 5000, y: 5000}}, scale: 3}});
        var select = document.getElementById('round');
        select.value = '{round_id}';
        select.dispatchEvent(new Event('change'));
        return document.body.dataset.physics; }}""")
    assert physics == "on"
    body = settled(tab)
    assert int(body["data-nodes-drawn"]) == len(rounds[round_id])
    assert body["data-details"] == "" and body["data-selected"] == ""
    assert body["data-nodes-offscreen"] == "0" and float(body["data-scale"]) < 3


def test_filter_keeps_details_of_a_node_it_shows(compiled, tab, tmp_path):
    g = to_networkx(compiled.graph)
    rounds = {r["number"]: r for r in round_groups(g)}
    page = write_html(g, tmp_path / "graph.html")
    body = open_page(tab, page.as_uri() + f"#select=vc-jafco&round={rounds[4]['id']}")
    assert body["data-details"] == "vc-jafco" and body["data-selected"] == "vc-jafco"
    assert int(body["data-nodes-drawn"]) == len(rounds[4]["members"]) and body["data-nodes-offscreen"] == "0"
    assert "ジャフコグループ" in details(tab.content())


def test_english_page_and_dropdowns_that_fit(compiled, tab, tmp_path):
    """--lang en: ministries and rounds in English in the dropdowns, and no option is cut off in its select."""
    g = to_networkx(compiled.graph)
    page = write_html(g, tmp_path / "graph-en.html", lang="en")
    open_page(tab, page.as_uri())
    tab.evaluate("""() => {
        var ctx = document.createElement('canvas').getContext('2d'), cut = [];
        ['ministry', 'round'].forEach(function (id) {
          var select = document.getElementById(id), style = getComputedStyle(select);
          ctx.font = style.fontSize + ' ' + style.fontFamily;
          Array.prototype.forEach.call(select.options, function (o) {
            if (ctx.measureText(o.textContent).width > select.clientWidth - 28) cut.push(o.textContent);  /* 28: the arrow */
          });
        });
        document.body.setAttribute('data-cut-options', JSON.stringify(cut)); }""")
    tab.wait_for_function("document.body.hasAttribute('data-cut-options')", timeout=WAIT_MS)
    body, dom = check_clean(tab), tab.content()
    assert body["data-cut-options"] == "[]", body["data-cut-options"]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", without_scripts(dom))
    assert "Cabinet Office (" in "".join(options)  # short names whole, long ones as their abbreviation
    assert re.search(r'<option value="mhlw" title="Ministry of Health, Labour and Welfare">MHLW \(', dom)
    assert any(o.startswith("Round 4 2024-06-14") for o in options)
    assert 'label="Strengthening Program for Pharmaceutical Startup Ecosystem"' in dom  # rounds under their program
    assert body["data-label-overlaps"] == "0"
    screenshot(tab, tmp_path / "graph-en.png")
    round4 = next(r for r in round_groups(g) if r["number"] == 4)
    tab.evaluate("round => { location.hash = 'round=' + round; }", round4["id"])  # as the link in docs/views.md
    tab.wait_for_function(f"document.getElementById('round').value === '{round4['id']}'", timeout=WAIT_MS)
    body = settled(tab)  # the hash's filter re-lays out (data-physics "on" at once)
    assert int(body["data-nodes-drawn"]) == len(round4["members"]) and body["data-nodes-offscreen"] == "0"
    screenshot(tab, tmp_path / "graph-round4-en.png")


def test_focused_graph_search_and_select(compiled, tab, tmp_path):
    g = focus(to_networkx(compiled.graph), "su-tregem-biopharma", 2)
    page = write_html(g, tmp_path / "tregem.html", focus="su-tregem-biopharma",
                      title="Soyaku KG: トレジェムバイオファーマ株式会社 (2 hops)")
    body = open_page(tab, page.as_uri())
    assert body["data-details"] == "su-tregem-biopharma"  # the focus is selected and its Details shown
    screenshot(tab, tmp_path / "graph-tregem.png")
    tab.evaluate("() => { location.hash = 'search=ジャフコ&select=vc-jafco'; }")  # a deep link on the open page
    tab.wait_for_function("document.body.dataset.selected === 'vc-jafco'", timeout=WAIT_MS)
    body = check_clean(tab)
    assert int(body["data-nodes-drawn"]) == int(body["data-nodes-total"]) == g.number_of_nodes()
    assert int(body["data-edges-drawn"]) == g.number_of_edges()
    assert body["data-selected"] == "vc-jafco" and int(body["data-search-results"]) >= 1
    text = details(tab.content())
    assert "ジャフコグループ" in text and "ジャフコ" in text


def test_hostile_names_run_nothing(tab, tmp_path):
    def node(id: str, label: str, name: str) -> Node:
        return Node(id, label, {"id": id, "name": name, "name_ja": name, "name_en": HOSTILE_SILENT,
                                "aliases": [HOSTILE_SCRIPT], "sources": ["x.txt#L1"],
                                "quotes": [f"</script><script>window.pwned=4</script>{name}"]})

    nodes = (node("evil", "Startup", HOSTILE), node("evil2", "VentureCapital", HOSTILE_SCRIPT),
             node("evil3", "Program", HOSTILE_SILENT))
    edges = (Edge("e1", "BACKED", "evil2", "evil", {"round": HOSTILE_SILENT, "sources": [HOSTILE], "quotes": [HOSTILE_SCRIPT]}),
             Edge("e2", "SUPPORTED", "evil3", "evil", {"start_year": 2021, "sources": ["x"], "quotes": [HOSTILE_SILENT]}))
    page = write_html(to_networkx(PropertyGraph(nodes, edges)), tmp_path / "evil.html", title=HOSTILE)
    body = open_page(tab, page.as_uri() + "#search=img&select=evil")  # data-pwned == "no", no JS errors
    assert int(body["data-nodes-drawn"]) == 3
    assert tab.evaluate("window.pwned") is None
    visible = without_scripts(tab.content())
    assert not re.search(r"<img\b", visible) and not re.search(r"<script\b", visible)
    assert "&lt;img src=x onerror=alert(1)&gt;" in visible  # shown as text: title, details, search results
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in visible
