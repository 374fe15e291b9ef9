"""The interactive network page: ONE self-contained HTML file (vis-network inlined, no CDN, works offline).

Security: every text from the data reaches the page only as JSON inside `<script type="application/json">`
(with `<`, `>` and `&` escaped as `\\u003c`...), is parsed with JSON.parse, and is put into the DOM with
`textContent` (tooltips are DOM elements, never HTML strings); canvas labels are drawn as text by vis-network.
The page's own values (title) go through html.escape.

The vis-network library comes from the copy pyvis ships (`pyvis/lib/vis-9.1.2`); pyvis's own template is not used
because it always loads Bootstrap from a CDN and hands tooltips to vis-network as HTML strings.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from soyaku.views.network import BARRIER_TYPES, display_name, node_keys

__all__ = ["LABEL_STYLES", "VIS_VERSION", "page_data", "render_html", "write_html", "vis_assets"]

VIS_VERSION = "9.1.2"

#: Legend order, colour, vis-network shape and Japanese name of every label.
LABEL_STYLES: dict[str, dict[str, str]] = {
    "Ministry": {"color": "#d62728", "shape": "star", "ja": "府省"},
    "GovernmentBody": {"color": "#f4a3a3", "shape": "triangle", "ja": "政府機関・部局"},
    "FundingAgency": {"color": "#e377c2", "shape": "star", "ja": "資金配分機関"},
    "Council": {"color": "#b07aa1", "shape": "triangleDown", "ja": "会議"},
    "Policy": {"color": "#393b79", "shape": "box", "ja": "政策文書・戦略"},
    "PolicyMeasure": {"color": "#6b6ecf", "shape": "square", "ja": "政策の柱・施策"},
    "Program": {"color": "#1f77b4", "shape": "square", "ja": "事業・プログラム"},
    "Fund": {"color": "#17becf", "shape": "hexagon", "ja": "基金"},
    "BudgetLine": {"color": "#c9b200", "shape": "diamond", "ja": "予算額"},
    "Round": {"color": "#6b8e23", "shape": "triangleDown", "ja": "公募回"},
    "VentureCapital": {"color": "#2ca02c", "shape": "triangle", "ja": "ベンチャーキャピタル"},
    "Startup": {"color": "#ff7f0e", "shape": "dot", "ja": "スタートアップ"},
    "University": {"color": "#9467bd", "shape": "square", "ja": "大学"},
    "ResearchHub": {"color": "#c5b0d5", "shape": "hexagon", "ja": "研究拠点"},
    "Organization": {"color": "#8c8c8c", "shape": "dot", "ja": "組織"},
    "Person": {"color": "#8c564b", "shape": "dot", "ja": "人物"},
    "Place": {"color": "#98df8a", "shape": "triangleDown", "ja": "地域"},
    "Outcome": {"color": "#dbdb8d", "shape": "star", "ja": "成果指標"},
    "Target": {"color": "#bcbd22", "shape": "star", "ja": "成果目標"},
    "Designation": {"color": "#7f7f7f", "shape": "diamond", "ja": "認定・承認制度"},
    "Facility": {"color": "#aec7e8", "shape": "box", "ja": "研究施設・設備"},
    "Document": {"color": "#b0b0b0", "shape": "box", "ja": "資料"},
}
_OTHER_STYLE = {"color": "#cccccc", "shape": "dot", "ja": ""}

_BUDGET_TYPE_JA = {"supplementary": "補正", "initial": "当初", "request": "要求", "fund_total": "基金総額", "unstated": "区分不記載"}
_HEADER_FIELDS = {"id", "name", "name_ja", "name_en", "name_en_translated", "aliases", "search_keys", "sources",
                  "quotes", "documents", "label", "title", "title_en", "title_en_translated", "edge_id", "type"}
_FIELD_ORDER = ("amount_jpy", "previous_year_amount_jpy", "fiscal_year", "budget_type", "stage", "basis", "number",
                "round", "announced", "application_start", "application_end", "date", "start_year", "year", "status",
                "program", "kind", "indicator", "indicator_en", "value", "unit", "period_text", "role", "role_text",
                "affiliation_text", "relation_text", "certified_by", "as_of_text", "backed_by_as_written")
#: Longer captions end in …; the page wraps captions to a few lines (the tooltip has the whole name).
_CAPTION_MAX = 48
#: Longest option text the sidebar's dropdowns show whole (the full name is the option's tooltip).
_SELECT_MAX = 30


def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS that pyvis ships, checked to be safe to inline."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower() or "<!--" in js:
        raise RuntimeError(f"{lib}: cannot be inlined safely (contains </script>, </style> or <!--)")
    return js, css


def _yen(value: int) -> str:
    return f"¥{value:,}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, int | float | str) or value is None else str(value)


def _fields(attrs: dict[str, Any]) -> list[list[str]]:
    """[name, text] pairs a tooltip shows, amounts as yen with the source text, dates ISO with the source text."""
    rows: list[list[str]] = []
    keys = [k for k in _FIELD_ORDER if k in attrs] + sorted(k for k in attrs if k not in _FIELD_ORDER)
    for key in keys:
        value = attrs[key]
        if key in _HEADER_FIELDS or value in (None, "", []) or key.endswith("_approximate"):
            continue
        if key.endswith("_text") and key[: -len("_text")] in attrs | {"amount": 1, "previous_year_amount": 1}:
            base = key[: -len("_text")]
            if base in attrs or f"{base}_jpy" in attrs:
                continue  # shown with its parsed twin
        if key.endswith("_jpy") and isinstance(value, int):
            base = key[: -len("_jpy")]
            text = _yen(value)
            if attrs.get(f"{base}_text"):
                text += f" ({attrs[f'{base}_text']})"
            if attrs.get(f"{base}_approximate"):
                text += " approx."
            rows.append([base.replace("_", " "), text])
            continue
        text = str(_plain(value))
        if key == "fiscal_year":
            text = f"FY{value}"
        if attrs.get(f"{key}_text") and str(attrs[f"{key}_text"]) != text:
            text += f" ({attrs[f'{key}_text']})"
        rows.append([key.replace("_", " "), text])
    return rows


def _sources(attrs: dict[str, Any]) -> list[list[str]]:
    sources = list(attrs.get("sources") or [])
    quotes = list(attrs.get("quotes") or [])
    return [[str(s), str(quotes[i]) if i < len(quotes) else ""] for i, s in enumerate(sources)]


def _short(text: str, limit: int = _CAPTION_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _english_yen(value: int) -> str:
    """¥200M, ¥350bn: an amount as an English caption shows it (the exact yen are in the tooltip)."""
    for unit, size in (("tn", 10**12), ("bn", 10**9), ("M", 10**6)):
        if value >= size:
            return f"¥{value / size:.4g}{unit}"
    return _yen(value)


def _name(attrs: dict[str, Any], lang: str) -> str:
    """The full name in `lang`: with "en" the official English name, else our translation, else the source name."""
    if lang == "en":
        english = attrs.get("name_en") or attrs.get("title_en") or attrs.get("name_en_translated") \
            or attrs.get("title_en_translated")
        if english:
            return str(english)
    return display_name(attrs)


def _round_caption(attrs: dict[str, Any], lang: str) -> str:
    announced = attrs.get("announced")
    when = f" {_plain(announced)}" if announced else ""
    return (f"Round {attrs.get('number')}" if lang == "en" else f"第{attrs.get('number')}回") + when


def _caption(attrs: dict[str, Any], lang: str) -> str:
    """The text drawn next to a node on the canvas (the page wraps it; the full record is in the tooltip)."""
    label = attrs.get("label")
    if label == "BudgetLine":
        year = f"FY{attrs['fiscal_year']}" if attrs.get("fiscal_year") else ""
        if lang == "en":
            amount = _english_yen(attrs["amount_jpy"]) if attrs.get("amount_jpy") else ""
            kind = str(attrs.get("budget_type") or "").replace("_", " ")
            return " ".join(x for x in (amount, year, kind) if x) or _name(attrs, lang)
        amount = attrs.get("amount_text") or (_yen(attrs["amount_jpy"]) if attrs.get("amount_jpy") else "")
        kind = _BUDGET_TYPE_JA.get(str(attrs.get("budget_type")), "")
        return " ".join(x for x in (amount, year + kind) if x) or display_name(attrs)
    if label == "Round":
        return _round_caption(attrs, lang)
    if label == "Document":
        return _short(str(attrs.get("id", "")), 20)
    return _short(_name(attrs, lang))


def _edge_caption(attrs: dict[str, Any], lang: str = "ja") -> str:
    parts = [str(attrs.get("type", ""))]
    if attrs.get("round") is not None:
        parts.append(f"round {attrs['round']}" if lang == "en" else f"第{attrs['round']}回")
    for key in ("start_year", "year"):
        if attrs.get(key) is not None:
            parts.append(str(attrs[key]))
    if attrs.get("status") and attrs.get("status") != "active":
        parts.append(str(attrs["status"]))
    return " · ".join(parts)


def _descendant_programs(g: nx.MultiDiGraph, programs: set[str]) -> set[str]:
    todo, seen = list(programs), set(programs)
    while todo:
        p = todo.pop()
        for u, _, t in g.in_edges(p, data="type"):
            if t in ("PART_OF", "LISTED_UNDER") and g.nodes[u].get("label") == "Program" and u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def _select_caption(attrs: dict[str, Any], lang: str) -> str:
    """A name short enough for the sidebar's dropdowns: a long name gives way to its abbreviation (MEXT)."""
    name = _name(attrs, lang)
    if len(name) <= _SELECT_MAX:
        return name
    abbreviations = [a for a in attrs.get("aliases") or [] if a.isascii() and a.isupper() and len(a) <= 8]
    return abbreviations[0] if abbreviations else _short(name, _SELECT_MAX)


def ministry_groups(g: nx.MultiDiGraph, lang: str = "ja") -> list[dict[str, Any]]:
    """Per ministry: itself, its bureaus, the programs it (or a bureau of it) is responsible for with their
    sub-programs, every non-Document neighbour of those programs, and the startups their rounds adopted."""
    groups = []
    for m, label in g.nodes(data="label"):
        if label != "Ministry":
            continue
        bodies = {m}
        todo = [m]
        while todo:
            x = todo.pop()
            for u, _, t in g.in_edges(x, data="type"):
                if t == "PART_OF" and g.nodes[u].get("label") == "GovernmentBody" and u not in bodies:
                    bodies.add(u)
                    todo.append(u)
        programs = {v for b in bodies for _, v, t in g.out_edges(b, data="type") if t == "RESPONSIBLE_FOR"}
        programs = _descendant_programs(g, programs)
        members = set(bodies) | programs
        for p in programs:
            for n in nx.all_neighbors(g, p):
                if g.nodes[n].get("label") != "Document":
                    members.add(n)
                    if g.nodes[n].get("label") == "Round":
                        members.update(v for _, v, t in g.out_edges(n, data="type") if t == "ADOPTED")
        groups.append({"id": m, "name": _name(g.nodes[m], lang), "caption": _select_caption(g.nodes[m], lang),
                       "members": sorted(members)})
    return sorted(groups, key=lambda x: x["name"])


def round_groups(g: nx.MultiDiGraph, lang: str = "ja") -> list[dict[str, Any]]:
    """Per round: itself, its program, the startups it adopted and the VCs that backed them in that round.
    `name` is the round's full name, `caption` the short one the dropdown shows under its `program` name."""
    groups = []
    for r, attrs in g.nodes(data=True):
        if attrs.get("label") != "Round":
            continue
        programs = {u for u, _, t in g.in_edges(r, data="type") if t == "HAS_ROUND"}
        startups = {v for _, v, t in g.out_edges(r, data="type") if t == "ADOPTED"}
        vcs = {u for s in startups for u, _, d in g.in_edges(s, data=True)
               if d.get("type") == "BACKED" and d.get("round") == attrs.get("number")
               and (not d.get("program") or d.get("program") in programs or not programs)}
        program = _name(g.nodes[min(programs)], lang) if programs else ""
        groups.append({"id": r, "name": _name(attrs, lang), "caption": _round_caption(attrs, lang), "program": program,
                       "number": attrs.get("number"),
                       "members": sorted({r} | programs | startups | vcs)})
    return sorted(groups, key=lambda x: (x["number"] if isinstance(x["number"], int) else 0, x["name"]))


def page_data(g: nx.MultiDiGraph, *, title: str = "Soyaku KG", focus: str | None = None,
              show_documents: bool = False, lang: str = "ja") -> dict[str, Any]:
    """Everything the page shows, as JSON-ready plain data (all texts still raw; the page inserts them as text)."""
    degree = {n: sum(1 for *_, t in g.edges(n, data="type") if t not in BARRIER_TYPES)
              + sum(1 for *_, t in g.in_edges(n, data="type") if t not in BARRIER_TYPES) for n in g}
    nodes = []
    for n, attrs in g.nodes(data=True):
        label = attrs.get("label", "")
        shown = _name(attrs, lang)
        header, seen = [], {shown}
        for key in ("name", "name_ja", "name_en", "name_en_translated", "title", "title_en", "title_en_translated"):
            if attrs.get(key) and str(attrs[key]) not in seen:
                seen.add(str(attrs[key]))
                header.append([key.replace("_", " "), str(attrs[key])])
        if attrs.get("aliases"):
            header.append(["aliases", ", ".join(map(str, attrs["aliases"]))])
        nodes.append({
            "id": n, "label": label, "name": shown, "caption": _caption(attrs, lang),
            "degree": degree[n], "value": round(1 + 4 * math.log2(1 + degree[n]), 2), "keys": sorted(node_keys(attrs) | set(attrs.get("search_keys") or [])),
            "header": header, "fields": _fields(attrs), "sources": _sources(attrs),
        })
    edges = []
    for u, v, key, attrs in g.edges(keys=True, data=True):
        edges.append({"id": key, "from": u, "to": v, "type": attrs.get("type", ""), "caption": _edge_caption(attrs, lang),
                      "fields": _fields(attrs), "sources": _sources(attrs)})
    present = {a.get("label") for _, a in g.nodes(data=True)}
    styles = {k: v for k, v in LABEL_STYLES.items() if k in present}
    styles.update({k: _OTHER_STYLE for k in sorted(present - set(LABEL_STYLES))})
    return {
        "meta": {"title": title, "focus": focus, "showDocuments": show_documents, "lang": lang,
                 "nodes": g.number_of_nodes(), "edges": g.number_of_edges()},
        "styles": styles, "nodes": nodes, "edges": edges,
        "ministries": ministry_groups(g, lang), "rounds": round_groups(g, lang),
    }


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element or open a comment: <, >, & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_html(g: nx.MultiDiGraph, *, title: str = "Soyaku KG", focus: str | None = None,
                show_documents: bool = False, lang: str = "ja") -> str:
    """The whole page as one string."""
    js, css = vis_assets()
    data = page_data(g, title=title, focus=focus, show_documents=show_documents, lang=lang)
    return (_TEMPLATE
            .replace("%%TITLE%%", html.escape(title))
            .replace("%%VIS_CSS%%", css)
            .replace("%%PAGE_CSS%%", _PAGE_CSS)
            .replace("%%DATA%%", _json_for_script(data))
            .replace("%%PAGE_JS%%", _PAGE_JS)
            .replace("%%VIS_JS%%", js))


def write_html(g: nx.MultiDiGraph, path: Path, **options: Any) -> Path:
    """Render the page and write it to `path` (UTF-8); returns the path."""
    path = Path(path)
    path.write_text(render_html(g, **options), encoding="utf-8")
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<script>
/* Record every error into the DOM, so headless checks (and curious users) can read it. */
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.documentElement.setAttribute('data-js-errors', String(errors.length));
    document.documentElement.setAttribute('data-js-error-text', errors.join(' | ').slice(0, 2000));
  }
  window.addEventListener('error', function (e) { record(e.message || (e.target && e.target.tagName) || 'error'); }, true);
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () { record(Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); };
  document.documentElement.setAttribute('data-js-errors', '0');
})();
</script>
<style>%%VIS_CSS%%</style>
<style>%%PAGE_CSS%%</style>
</head>
<body>
<div id="app">
  <aside id="side">
    <h1 id="page-title">%%TITLE%%</h1>
    <div id="status"></div>
    <label class="block" for="search">Search 検索</label>
    <input id="search" type="search" autocomplete="off" placeholder="name, alias or id (e.g. AMED, ジャフコ)">
    <ul id="results"></ul>
    <label class="block" for="ministry">Ministry 府省</label>
    <select id="ministry" class="wide"><option value="">all</option></select>
    <label class="block" for="round">Round 公募回</label>
    <select id="round" class="wide"><option value="">all</option></select>
    <div class="row">
      <label for="edge-labels">Edge labels</label>
      <select id="edge-labels">
        <option value="auto">auto</option><option value="all">all</option>
        <option value="selected">selected node</option><option value="none">none</option>
      </select>
    </div>
    <div class="row buttons">
      <button id="fit" type="button">Fit</button>
      <button id="relayout" type="button">Re-layout</button>
      <button id="reset" type="button">Reset filters</button>
    </div>
    <h2>Legend <small>(click to show/hide)</small></h2>
    <ul id="legend"></ul>
    <h2>Details</h2>
    <div id="details"><p class="hint">Click a node or a relationship to see its names, amounts, dates and the quoted sources. Hover for a summary.</p></div>
  </aside>
  <main id="graph"></main>
  <div id="loading">Laying out the graph…</div>
</div>
<script type="application/json" id="soyaku-data">%%DATA%%</script>
<script>%%VIS_JS%%</script>
<script>%%PAGE_JS%%</script>
</body>
</html>
"""

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", "IPAPGothic", sans-serif; font-size: 13px; color: #222; }
#app { display: flex; height: 100vh; }
#side { width: 330px; min-width: 330px; overflow-y: auto; padding: 10px 12px; box-sizing: border-box; border-right: 1px solid #ddd; background: #fafafa; }
#graph { flex: 1; position: relative; background: #fff; }
#loading { position: fixed; top: 12px; right: 16px; background: #fff8d6; border: 1px solid #e0c36a; padding: 4px 10px; border-radius: 4px; }
#loading.done { display: none; }
h1 { font-size: 16px; margin: 0 0 4px; }
h2 { font-size: 13px; margin: 12px 0 4px; border-bottom: 1px solid #ddd; }
h2 small { font-weight: normal; color: #777; }
#status { color: #555; margin-bottom: 8px; }
.block { display: block; font-weight: 600; margin-bottom: 2px; }
#search { width: 100%; box-sizing: border-box; padding: 4px 6px; font-size: 13px; }
#results { list-style: none; margin: 2px 0 6px; padding: 0; max-height: 180px; overflow-y: auto; }
#results li { padding: 2px 4px; cursor: pointer; border-bottom: 1px solid #eee; }
#results li:hover, #results li.active { background: #e6f0ff; }
#results .kind { color: #888; font-size: 11px; margin-left: 4px; }
.row { display: flex; align-items: center; gap: 6px; margin: 4px 0; }
.row label { width: 90px; font-weight: 600; }
.row select { flex: 1; min-width: 0; }
select.wide { display: block; width: 100%; margin: 0 0 6px; font-size: 13px; }
.buttons button { flex: 1; }
#legend { list-style: none; margin: 0; padding: 0; columns: 2; column-gap: 8px; }
#legend li { display: flex; align-items: center; gap: 4px; cursor: pointer; padding: 1px 0; break-inside: avoid; user-select: none; }
#legend li.off { opacity: 0.35; }
#legend li.off .name { text-decoration: line-through; }
#legend .count { color: #888; font-size: 11px; }
#legend svg { flex: none; }
#details .kind { color: #666; }
#details .name { font-size: 14px; font-weight: 700; margin: 2px 0; word-break: break-word; }
#details table, .tip table { border-collapse: collapse; margin: 4px 0; }
#details td, .tip td { vertical-align: top; padding: 1px 4px 1px 0; word-break: break-word; }
#details td:first-child, .tip td:first-child { color: #666; white-space: nowrap; }
.quote { margin: 4px 0; padding: 3px 6px; border-left: 3px solid #c9d6ea; background: #f3f6fb; white-space: pre-wrap; word-break: break-word; }
.src { color: #777; font-size: 11px; font-family: ui-monospace, monospace; }
.hint { color: #777; }
div.vis-tooltip { max-width: 420px; white-space: normal !important; font-family: inherit; font-size: 12px; padding: 6px 8px; background: #fffef4; }
.tip .name { font-weight: 700; }
"""

_PAGE_JS = r"""
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('soyaku-data').textContent);
  var body = document.body;
  var styles = DATA.styles;
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });

  /* ---- DOM helpers: text only, never HTML ---- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k]; else if (k === 'cls') node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function table(rows) {
    if (!rows.length) return null;
    return el('table', null, rows.map(function (r) { return el('tr', null, [el('td', {text: r[0]}), el('td', {text: r[1]})]); }));
  }
  function kindText(label) { var s = styles[label]; return label + (s && s.ja ? ' / ' + s.ja : ''); }
  function sourcesBlock(sources, limit) {
    var wrap = el('div');
    sources.slice(0, limit).forEach(function (s) {
      wrap.appendChild(el('div', {cls: 'quote'}, [el('div', {text: s[1]}), el('div', {cls: 'src', text: s[0]})]));
    });
    if (sources.length > limit) wrap.appendChild(el('div', {cls: 'hint', text: '… ' + (sources.length - limit) + ' more source(s): click for all'}));
    return wrap;
  }
  function nodeCard(n, limit, cls) {
    return el('div', {cls: cls}, [
      el('div', {cls: 'kind', text: kindText(n.label)}),
      el('div', {cls: 'name', text: n.name}),
      table(n.header.concat(n.fields)),
      sourcesBlock(n.sources, limit)
    ]);
  }
  function edgeCard(e, limit, cls) {
    var a = byId[e.from], b = byId[e.to];
    return el('div', {cls: cls}, [
      el('div', {cls: 'kind', text: 'relationship ' + e.type}),
      el('div', {cls: 'name', text: (a ? a.name : e.from) + ' → ' + (b ? b.name : e.to)}),
      table(e.fields),
      sourcesBlock(e.sources, limit)
    ]);
  }

  /* ---- filters ---- */
  var labelOn = {};
  Object.keys(styles).forEach(function (l) { labelOn[l] = (l !== 'Document') || DATA.meta.showDocuments; });
  var groupSet = {ministry: null, round: null};
  function groupMembers(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) { var s = {}; list[i].members.forEach(function (m) { s[m] = true; }); return s; }
    return null;
  }
  function nodeVisible(n) {
    if (!labelOn[n.label]) return false;
    if (groupSet.ministry && !groupSet.ministry[n.id]) return false;
    if (groupSet.round && !groupSet.round[n.id]) return false;
    return true;
  }

  /* ---- vis data ---- */
  var visNodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var s = styles[n.label] || {color: '#ccc', shape: 'dot'};
    var focus = DATA.meta.focus === n.id;
    var item = {
      id: n.id, label: '', caption: n.caption, value: n.value, title: nodeCard(n, 2, 'tip'), shape: s.shape,
      color: {background: s.color, border: focus ? '#000' : shade(s.color), highlight: {background: s.color, border: '#000'}},
      borderWidth: focus ? 4 : 1, kind: n.label
    };
    if (focus) item.font = {bold: true};
    return item;
  }));
  var visEdges = new vis.DataSet(DATA.edges.map(function (e) {
    return {id: e.id, from: e.from, to: e.to, caption: e.caption, title: edgeCard(e, 2, 'tip'),
            dashes: e.type === 'MENTIONS', color: {color: e.type === 'MENTIONS' ? '#cfcfcf' : '#9aa7b8', highlight: '#d62728', hover: '#555'}};
  }));
  function shade(hex) {
    var v = parseInt(hex.slice(1), 16), r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    function d(x) { return Math.max(0, Math.round(x * 0.7)); }
    return 'rgb(' + d(r) + ',' + d(g) + ',' + d(b) + ')';
  }
  var nodeView = new vis.DataView(visNodes, {filter: function (item) { return nodeVisible(byId[item.id]); }});
  var edgeView = new vis.DataView(visEdges, {filter: function (item) {
    return nodeVisible(byId[item.from]) && nodeVisible(byId[item.to]);
  }});

  var small = DATA.nodes.length <= 120;
  var FONT_FACE = '"Hiragino Sans", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", "IPAPGothic", system-ui, sans-serif';
  var LABEL_PX = 12, LINE_PX = 15, WRAP_PX = 150, PAD_PX = 3, EDGE_PX = 10;  /* captions: 12 px (edges 10) on screen at every zoom */
  var options = {
    autoResize: true,
    layout: {randomSeed: 7, improvedLayout: DATA.nodes.length <= 120},
    nodes: {
      scaling: {min: 7, max: 32, label: {enabled: false}},
      font: {size: LABEL_PX, face: FONT_FACE, strokeWidth: 3, strokeColor: '#ffffff'},
      widthConstraint: {maximum: WRAP_PX}
    },
    edges: {
      arrows: {to: {enabled: true, scaleFactor: 0.45}}, width: 1, selectionWidth: 2, hoverWidth: 1.5,
      smooth: {enabled: true, type: 'continuous', roundness: 0.3},
      font: {size: 10, color: '#555', strokeWidth: 3, strokeColor: '#ffffff', align: 'middle'}
    },
    interaction: {hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: {enabled: true, bindToWindow: false}, hideEdgesOnDrag: true},
    physics: {
      enabled: true, solver: 'forceAtlas2Based',
      forceAtlas2Based: small ?
        {gravitationalConstant: -90, centralGravity: 0.015, springLength: 100, springConstant: 0.05, damping: 0.5, avoidOverlap: 1} :
        {gravitationalConstant: -55, centralGravity: 0.02, springLength: 70, springConstant: 0.07, damping: 0.5, avoidOverlap: 0.6},
      stabilization: {enabled: true, iterations: 700, updateInterval: 50, fit: true},
      minVelocity: 1.0, maxVelocity: 40
    }
  };
  var container = document.getElementById('graph');
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, options);
  window.soyakuNetwork = network;

  var stabilized = false, pendingHash = true;
  function report() {
    body.setAttribute('data-nodes-drawn', String(network.body.nodeIndices.length));
    body.setAttribute('data-edges-drawn', String(network.body.edgeIndices.length));
    body.setAttribute('data-scale', network.getScale().toFixed(3));
    body.setAttribute('data-nodes-total', String(DATA.nodes.length));
    body.setAttribute('data-edges-total', String(DATA.edges.length));
    body.setAttribute('data-pwned', String(window.pwned === undefined ? 'no' : window.pwned));
    body.setAttribute('data-nodes-offscreen', String(offscreen()));
    document.getElementById('status').textContent = nodeView.length + ' of ' + DATA.nodes.length + ' nodes, ' +
      edgeView.length + ' of ' + DATA.edges.length + ' relationships shown';
  }
  function offscreen() {  /* visible nodes whose centre lies outside the drawing area */
    var w = container.clientWidth, h = container.clientHeight, out = 0;
    var pos = network.getPositions(nodeView.getIds());
    Object.keys(pos).forEach(function (id) {
      var p = network.canvasToDOM(pos[id]);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) out++;
    });
    return out;
  }
  network.on('stabilizationProgress', function (p) {
    document.getElementById('loading').textContent = 'Laying out the graph… ' + Math.round(100 * p.iterations / p.total) + '%';
  });
  network.on('stabilizationIterationsDone', function () {
    network.setOptions({physics: {enabled: false}});
    stabilized = true;
    document.getElementById('loading').className = 'done';
    body.setAttribute('data-physics', 'off');
    network.fit({animation: false, maxZoomLevel: 1.5});
    placeLabels();
    report();
    if (pendingHash) { pendingHash = false; applyHash(); }
    body.setAttribute('data-ready', '1');
    setTimeout(report, 300);  /* once more, after late events (image errors) had their chance */
  });
  function relayout(iterations) {
    document.getElementById('loading').className = '';
    body.setAttribute('data-physics', 'on');
    network.setOptions({physics: {enabled: true}});
    network.stabilize(iterations);
  }

  /* ---- node labels by zoom level ----
     Captions are drawn at LABEL_PX on screen whatever the zoom, so zooming in makes room between them. After every
     zoom, a greedy pass labels the nodes in order of importance (the focus, the selection and its neighbours, then
     by degree) and leaves out a caption whose box would overlap one already placed. */
  var measure = document.createElement('canvas').getContext('2d');
  measure.font = LABEL_PX + 'px ' + FONT_FACE;
  var widths = {};
  function textWidth(text) {
    if (!(text in widths)) widths[text] = measure.measureText(text).width;
    return widths[text];
  }
  var rank = {};
  DATA.nodes.slice().sort(function (a, b) { return b.degree - a.degree || (a.id < b.id ? -1 : 1); })
    .forEach(function (n, i) { rank[n.id] = i; });
  var placedScale = 0;
  function placeLabels() {
    var scale = placedScale = network.getScale();
    network.setOptions({nodes: {font: {size: LABEL_PX / scale}, widthConstraint: {maximum: WRAP_PX / scale}},
                        edges: {font: {size: EDGE_PX / scale}}});
    var first = {};
    network.getSelectedNodes().forEach(function (id) {
      first[id] = 2;
      network.getConnectedNodes(id).forEach(function (x) { first[x] = first[x] || 1; });
    });
    if (DATA.meta.focus) first[DATA.meta.focus] = 3;
    var ids = nodeView.getIds().sort(function (a, b) { return (first[b] || 0) - (first[a] || 0) || rank[a] - rank[b]; });
    var pos = network.getPositions(ids), placed = [], updates = [], shown = 0;
    ids.forEach(function (id) {
      var item = visNodes.get(id), node = network.body.nodes[id], p = pos[id];
      var text = item.caption || '', ok = false;
      if (text && node && p) {
        var w = textWidth(text), lines = Math.ceil(w / (WRAP_PX * 0.8)) || 1;  /* wrapping at words can add a line */
        var half = (Math.min(w, WRAP_PX) / 2 + PAD_PX) / scale, r = node.shape.height ? node.shape.height / 2 : (node.options.size || 10);
        var box = {l: p.x - half, r: p.x + half, t: p.y + (item.shape === 'box' ? -LINE_PX * lines / 2 / scale : r),
                   b: 0};
        box.b = box.t + (lines * LINE_PX + 2 * PAD_PX) / scale;
        ok = !placed.some(function (o) { return box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b; });
        if (ok) { placed.push(box); shown++; }
      }
      var want = ok ? text : '';
      if ((item.label || '') !== want) updates.push({id: id, label: want});
    });
    if (updates.length) visNodes.update(updates);
    body.setAttribute('data-labels-shown', String(shown));
    network.redraw();  /* now, so the drawn captions (and countOverlaps) follow at once */
  }
  var labelTimer = null;
  function scheduleLabels() {
    if (labelTimer) clearTimeout(labelTimer);
    labelTimer = setTimeout(function () { labelTimer = null; if (stabilized) placeLabels(); }, 60);
  }
  network.on('dragEnd', function (p) { if (p.nodes.length) scheduleLabels(); });
  network.on('afterDrawing', function () {
    var scale = network.getScale();  /* zoomed (wheel, pinch, Fit, a search jump): place the captions anew */
    if (Math.abs(scale - placedScale) > 1e-3 * scale) scheduleLabels();
    countOverlaps();
  });
  function countOverlaps() {  /* how many captions drawn in view overlap (the page's own check, read by tests) */
    var boxes = [], w = container.clientWidth, h = container.clientHeight, pos = network.getPositions(nodeView.getIds());
    Object.keys(pos).forEach(function (id) {
      var n = network.body.nodes[id], p = network.canvasToDOM(pos[id]);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) return;  /* vis-network does not draw it: its size is stale */
      if (n && n.options.label && n.labelModule && n.labelModule.size.width > 0) boxes.push(n.labelModule.size);
    });
    var overlaps = 0;
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if (a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height) overlaps++;
    }
    body.setAttribute('data-labels-drawn', String(boxes.length));
    body.setAttribute('data-label-overlaps', String(overlaps));
  }

  /* ---- edge labels ---- */
  var edgeMode = 'auto';
  function refreshEdgeLabels() {
    var mode = edgeMode === 'auto' ? (edgeView.length <= 60 ? 'all' : 'selected') : edgeMode;
    var sel = {};
    if (mode === 'selected') network.getSelectedNodes().forEach(function (id) { network.getConnectedEdges(id).forEach(function (e) { sel[e] = true; }); });
    network.getSelectedEdges().forEach(function (e) { sel[e] = true; });
    var updates = [];
    visEdges.forEach(function (e) {
      var want = (mode === 'all' || sel[e.id]) && mode !== 'none' ? e.caption : '';
      if ((e.label || '') !== want) updates.push({id: e.id, label: want});
    });
    if (updates.length) visEdges.update(updates);
  }
  document.getElementById('edge-labels').addEventListener('change', function (ev) { edgeMode = ev.target.value; refreshEdgeLabels(); });

  /* ---- legend (also the label filter) ---- */
  var counts = {};
  DATA.nodes.forEach(function (n) { counts[n.label] = (counts[n.label] || 0) + 1; });
  var SVG = 'http://www.w3.org/2000/svg';
  function symbol(shape, color) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '16'); svg.setAttribute('height', '16'); svg.setAttribute('viewBox', '0 0 16 16');
    var p;
    if (shape === 'dot') { p = document.createElementNS(SVG, 'circle'); p.setAttribute('cx', '8'); p.setAttribute('cy', '8'); p.setAttribute('r', '6'); }
    else if (shape === 'square' || shape === 'box') { p = document.createElementNS(SVG, 'rect'); p.setAttribute('x', '2'); p.setAttribute('y', shape === 'box' ? '4' : '2'); p.setAttribute('width', '12'); p.setAttribute('height', shape === 'box' ? '8' : '12'); }
    else {
      var pts = {triangle: '8,1 15,14 1,14', triangleDown: '1,2 15,2 8,15', diamond: '8,1 15,8 8,15 1,8',
                 hexagon: '4,2 12,2 15,8 12,14 4,14 1,8', star: '8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6'}[shape] || '2,2 14,2 14,14 2,14';
      p = document.createElementNS(SVG, 'polygon'); p.setAttribute('points', pts);
    }
    p.setAttribute('fill', color); p.setAttribute('stroke', shade(color)); p.setAttribute('stroke-width', '1');
    svg.appendChild(p);
    return svg;
  }
  var legend = document.getElementById('legend');
  Object.keys(styles).forEach(function (label) {
    var s = styles[label];
    var li = el('li', {title: s.ja || label}, [symbol(s.shape, s.color), el('span', {cls: 'name', text: label}), el('span', {cls: 'count', text: String(counts[label] || 0)})]);
    li.setAttribute('data-label', label);
    if (!labelOn[label]) li.className = 'off';
    li.addEventListener('click', function () { labelOn[label] = !labelOn[label]; li.className = labelOn[label] ? '' : 'off'; applyFilters(); });
    legend.appendChild(li);
  });

  /* ---- ministry and round filters ---- */
  function fillSelect(id, list) {
    var select = document.getElementById(id), groups = {};
    list.forEach(function (g) {
      var o = el('option', {value: g.id, title: g.name, text: (g.caption || g.name) + ' (' + g.members.length + ')'});
      if (g.program) {  /* rounds: under their program */
        if (!groups[g.program]) { groups[g.program] = el('optgroup'); groups[g.program].label = g.program; select.appendChild(groups[g.program]); }
        groups[g.program].appendChild(o);
      } else select.appendChild(o);
    });
    if (!list.length) select.disabled = true;
    select.addEventListener('change', function () { groupSet[id] = select.value ? groupMembers(list, select.value) : null; applyFilters(); });
  }
  fillSelect('ministry', DATA.ministries);
  fillSelect('round', DATA.rounds);

  function applyFilters() {
    var selectedNodes = network.getSelectedNodes(), selectedEdges = network.getSelectedEdges();
    nodeView.refresh();
    edgeView.refresh();
    /* drop what the filter hid from the selection and from Details (else vis-network asks for edges of a node it no
       longer has) */
    var keepNodes = selectedNodes.filter(function (id) { return nodeView.get(id) !== null; });
    var keepEdges = selectedEdges.filter(function (id) { return edgeView.get(id) !== null; });
    network.setSelection({nodes: keepNodes, edges: keepEdges}, {unselectAll: true, highlightEdges: false});
    if (detailsOf && (detailsOf.node ? nodeView.get(detailsOf.node) === null : edgeView.get(detailsOf.edge) === null)) showDetails(null);
    if (body.getAttribute('data-selected') && keepNodes.indexOf(body.getAttribute('data-selected')) < 0) body.setAttribute('data-selected', '');
    refreshEdgeLabels();
    report();
    if (stabilized) relayout(200);  /* ends in a fit to what is visible, then places the labels */
  }
  document.getElementById('reset').addEventListener('click', function () {
    Object.keys(styles).forEach(function (l) { labelOn[l] = (l !== 'Document') || DATA.meta.showDocuments; });
    Array.prototype.forEach.call(legend.children, function (li) { li.className = labelOn[li.getAttribute('data-label')] ? '' : 'off'; });
    document.getElementById('ministry').value = ''; document.getElementById('round').value = '';
    groupSet.ministry = groupSet.round = null;
    applyFilters();
  });
  document.getElementById('fit').addEventListener('click', function () { network.fit({animation: true}); });
  document.getElementById('relayout').addEventListener('click', function () { relayout(400); });

  /* ---- details ---- */
  var details = document.getElementById('details');
  var hint = details.firstElementChild;
  var detailsOf = null;  /* {node: id} or {edge: id} */
  function showDetails(card, ref) {
    details.textContent = '';
    details.appendChild(card || hint);
    detailsOf = card ? ref : null;
    body.setAttribute('data-details', detailsOf ? (detailsOf.node || detailsOf.edge) : '');
  }
  function showNode(id) { showDetails(nodeCard(byId[id], 1000, 'card'), {node: id}); }
  network.on('select', function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showDetails(edgeCard(edgeById[p.edges[0]], 1000, 'card'), {edge: p.edges[0]});
    else showDetails(null);
    refreshEdgeLabels();
    scheduleLabels();
  });

  /* ---- search ---- */
  function key(text) { return String(text).normalize('NFKC').replace(/[\s・･\-‐‑–—_]+/g, '').toLowerCase(); }
  var search = document.getElementById('search'), results = document.getElementById('results');
  function matches(q) {
    var k = key(q); if (!k) return [];
    var exact = [], part = [];
    DATA.nodes.forEach(function (n) {
      if (n.keys.indexOf(k) >= 0) exact.push(n);
      else if (n.keys.some(function (x) { return x.indexOf(k) >= 0; })) part.push(n);
    });
    return exact.concat(part);
  }
  function selectNode(id) {
    var n = byId[id]; if (!n) return;
    if (!nodeVisible(n)) {   /* reveal it: turn its label on and drop group filters that hide it */
      labelOn[n.label] = true;
      Array.prototype.forEach.call(legend.children, function (li) { if (li.getAttribute('data-label') === n.label) li.className = ''; });
      if (groupSet.ministry && !groupSet.ministry[id]) { groupSet.ministry = null; document.getElementById('ministry').value = ''; }
      if (groupSet.round && !groupSet.round[id]) { groupSet.round = null; document.getElementById('round').value = ''; }
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.4, animation: {duration: 400}});
    showNode(id);
    refreshEdgeLabels();
    body.setAttribute('data-selected', id);
  }
  function showResults() {
    results.textContent = '';
    matches(search.value).slice(0, 12).forEach(function (n, i) {
      var li = el('li', null, [el('span', {text: n.name}), el('span', {cls: 'kind', text: n.label})]);
      if (i === 0) li.className = 'active';
      li.addEventListener('click', function () { selectNode(n.id); });
      results.appendChild(li);
    });
    body.setAttribute('data-search-results', String(results.children.length));
  }
  search.addEventListener('input', showResults);
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var m = matches(search.value); if (m.length) selectNode(m[0].id); }
  });

  /* ---- deep links: #select=<id>, #search=<text>, #ministry=<id>, #round=<id> ---- */
  function applyHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get('search')) { search.value = params.get('search'); showResults(); }
    if (params.get('select')) selectNode(params.get('select'));
    else if (DATA.meta.focus && byId[DATA.meta.focus]) { network.selectNodes([DATA.meta.focus]); showNode(DATA.meta.focus); refreshEdgeLabels(); }
    ['ministry', 'round'].forEach(function (id) {  /* #ministry=<id>, #round=<id>: set a filter */
      if (!params.has(id)) return;
      var select = document.getElementById(id);
      select.value = params.get(id);
      select.dispatchEvent(new Event('change'));
    });
  }
  window.addEventListener('hashchange', applyHash);

  refreshEdgeLabels();
  report();
})();
"""
