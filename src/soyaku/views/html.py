"""The interactive network page: ONE self-contained HTML file (vis-network inlined, no CDN, works offline).

The page is templates/network.html (Jinja2) with static/network.js, network.css and errors.js inlined.

Security: every text from the data reaches the page only as JSON inside `<script type="application/json">`
(Jinja's `tojson`: `<`, `>`, `&`, `'` escaped as `\\u003c`...), is parsed with JSON.parse, and is put into the DOM
with `textContent` (tooltips are DOM elements, never HTML strings); canvas labels are drawn as text by
vis-network. The page's own values (title) are autoescaped.

The vis-network library comes from the copy pyvis ships (`pyvis/lib/vis-9.1.2`); pyvis's own template is not used
because it always loads Bootstrap from a CDN and hands tooltips to vis-network as HTML strings.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from soyaku.core.japanese import BUDGET_TERMS
from soyaku.ontology.model import load_model
from soyaku.views.network import BARRIER_TYPES, display_name, node_keys

__all__ = ["VIS_VERSION", "label_styles", "page_data", "render_html", "write_html", "vis_assets"]

VIS_VERSION = "9.1.2"

_OTHER_STYLE = {"color": "#cccccc", "shape": "dot", "ja": ""}

_HEADER_FIELDS = {"id", "name", "name_ja", "name_en", "name_en_translated", "aliases", "search_keys", "sources",
                  "quotes", "documents", "label", "title", "title_en", "title_en_translated", "edge_id", "type"}
#: Longer captions end in …; the page wraps captions to a few lines (the tooltip has the whole name).
_CAPTION_MAX = 48
#: Longest option text the sidebar's dropdowns show whole (the full name is the option's tooltip).
_SELECT_MAX = 30


def label_styles() -> dict[str, dict[str, str]]:
    """Legend order, colour, vis-network shape and Japanese name of every label (ontology/model.yaml's `style`)."""
    return load_model().label_styles


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
    """[name, text] pairs a tooltip shows (in model.yaml's field order for the node's label or the relationship's
    type, then the rest by name), amounts as yen with the source text, dates ISO with the source text."""
    rows: list[list[str]] = []
    orders = load_model().property_order
    order = orders.get(attrs.get("label", "")) or orders.get(attrs.get("type", "")) or ()
    keys = [k for k in order if k in attrs] + sorted(k for k in attrs if k not in order)
    for key in keys:
        value = attrs[key]
        if key in _HEADER_FIELDS or value in (None, "", []) or key.endswith("_approximate"):
            continue
        if key.endswith("_text"):
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
        kind = BUDGET_TERMS["budget_type"].get(str(attrs.get("budget_type")), ("", ""))[0]
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
              show_documents: bool = False, lang: str = "ja", entity_link: str | None = None) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready plain data (all texts still raw; the page inserts them as text).

    `entity_link` (e.g. "/entity/"): a node's card links to that path plus the node's id (the web explorer)."""
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
    known = label_styles()
    styles = {k: v for k, v in known.items() if k in present}
    styles.update({k: _OTHER_STYLE for k in sorted(present - set(known))})
    return {
        "meta": {"title": title, "focus": focus, "showDocuments": show_documents, "lang": lang, "entityLink": entity_link,
                 "nodes": g.number_of_nodes(), "edges": g.number_of_edges()},
        "styles": styles, "nodes": nodes, "edges": edges,
        "ministries": ministry_groups(g, lang), "rounds": round_groups(g, lang),
    }


def _script_json(data: Any, **_: Any) -> str:
    """JSON for Jinja's `tojson` (which then escapes <, >, & and '): non-ASCII kept, and U+2028/2029 escaped so
    the text is also a valid JavaScript literal."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("soyaku.views", "templates"), autoescape=True)
    env.policies["json.dumps_function"] = _script_json
    return env


def _static(name: str) -> str:
    return (files("soyaku.views") / "static" / name).read_text(encoding="utf-8")


def render_html(g: nx.MultiDiGraph, *, title: str = "Soyaku KG", focus: str | None = None,
                show_documents: bool = False, lang: str = "ja", entity_link: str | None = None) -> str:
    """The whole page as one string (templates/network.html with static/ inlined)."""
    js, css = vis_assets()
    data = page_data(g, title=title, focus=focus, show_documents=show_documents, lang=lang, entity_link=entity_link)
    return _environment().get_template("network.html").render(
        title=title, data=data, vis_js=js, vis_css=css, page_js=_static("network.js"), page_css=_static("network.css"),
        errors_js=_static("errors.js"))


def write_html(g: nx.MultiDiGraph, path: Path, **options: Any) -> Path:
    """Render the page and write it to `path` (UTF-8); returns the path."""
    path = Path(path)
    path.write_text(render_html(g, **options), encoding="utf-8")
    return path
