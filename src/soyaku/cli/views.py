"""`soyaku viz` (an interactive network page) and `soyaku stats` (who is central, who invests together).

Register in cli.py with::

    from soyaku.cli.views import stats, viz
    cli.add_command(viz)
    cli.add_command(stats)

Both work from the curated data directly (no graph engine needed). Heavy modules are imported inside the bodies.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["stats", "viz"]

_data_option = click.option(
    "--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Curated data directory (default: the data shipped with Soyaku KG).")


def _graph(data_dir: Path | None):
    from soyaku.loaders.pipeline import compile_graph
    from soyaku.views.network import to_networkx

    return to_networkx(compile_graph(data_dir).graph)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--focus", "focus_name", metavar="NAME",
              help="Show only the neighbourhood of this node (id, name, Japanese/English name or alias).")
@click.option("--hops", type=click.IntRange(0, 10), default=2, show_default=True, help="Neighbourhood radius with --focus.")
@click.option("--label", "labels", multiple=True, metavar="LABEL",
              help="Keep only nodes with this label (repeatable), e.g. --label VentureCapital --label Startup.")
@click.option("--documents", is_flag=True,
              help="Show Document nodes and their MENTIONS edges from the start (hidden by default; the legend toggles them).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of the node captions (tooltips show both).")
@click.option("--open", "open_it", is_flag=True, help="Open the page in the default browser.")
@_data_option
def viz(output: Path, focus_name: str | None, hops: int, labels: tuple[str, ...], documents: bool, lang: str,
        open_it: bool, data_dir: Path | None) -> None:
    """Write an interactive network page (one self-contained HTML file that works offline)."""
    from soyaku.views.html import label_styles, write_html
    from soyaku.core.names import describe
    from soyaku.views.network import display_name, focus, name_index, subgraph

    g = _graph(data_dir)
    title = "Soyaku KG"
    center = None
    if focus_name:
        picked = name_index(g).resolve(focus_name)
        center = picked.entity.id
        click.echo(f"focus: {focus_name!r} → {describe(picked.entity)}", err=True)
        g = focus(g, center, hops, through_documents=documents)
        title = f"Soyaku KG: {display_name(g.nodes[center])} ({hops} hop{'s' if hops != 1 else ''})"
    if labels:
        known = {label for _, label in g.nodes(data="label")} | set(label_styles())
        unknown = sorted(set(labels) - known)
        if unknown:
            raise click.BadParameter(f"unknown label(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                                     param_hint="--label")
        g = subgraph(g, [n for n, label in g.nodes(data="label") if label in labels or n == center])
        documents = documents or "Document" in labels
    write_html(g, output, title=title, focus=center, show_documents=documents, lang=lang)
    click.echo(f"wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships")
    if open_it:
        click.launch(str(output.resolve()))


def _table(title: str, columns: list[str], rows: list[list[object]]) -> None:
    """A ranking as every answer is shown: fitted to the terminal (soyaku.cli.output)."""
    from soyaku.cli.output import render

    click.echo(render(columns, [dict(zip(columns, row)) for row in rows], "table", title=title))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("--top", type=click.IntRange(1, None), default=10, show_default=True, help="Rows per ranking.")
@_data_option
def stats(fmt: str, top: int, data_dir: Path | None) -> None:
    """Network statistics: degree and betweenness of VCs and programs, VC co-investment, components."""
    import json

    from soyaku.views.analysis import graph_stats

    result = graph_stats(_graph(data_dir), top)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    g = result["graph"]
    click.echo(f"{g['nodes']} nodes, {g['edges']} relationships; measured without "
               f"{', '.join(g['measured_without']['labels'])} nodes and {', '.join(g['measured_without']['types'])} edges")
    for label, rows in result["degree"].items():
        _table(f"Degree: {label} (top {top})", ["name", "id", "degree", "in", "out", "by type"],
               [[r["name"], r["id"], r["degree"], r["in_degree"], r["out_degree"],
                 ", ".join(f"{k} {v}" for k, v in r["by_type"].items())] for r in rows])
    for label, rows in result["betweenness"].items():
        _table(f"Betweenness: {label} (top {top})", ["name", "id", "betweenness"],
               [[r["name"], r["id"], f"{r['betweenness']:.4f}"] for r in rows])
    _table(f"VC portfolios: startups backed (top {top})", ["VC", "id", "startups", "names"],
           [[r["name"], r["id"], r["startups"], ", ".join(r["startup_names"])] for r in result["vc_portfolios"]])
    co = result["co_investment"]
    click.echo(f"Co-investment: {co['pairs']} VC pair(s) backed the same startup; "
               f"{co['vcs_sharing_a_startup']} of {co['vcs']} VCs share a startup; clusters {co['clusters'] or 'none'}")
    if co["top_pairs"]:
        _table("Co-investment pairs", ["VC", "with VC", "shared", "startups"],
               [[r["vc_a_name"], r["vc_b_name"], r["shared"], ", ".join(r["startup_names"])] for r in co["top_pairs"]])
    comp = result["components"]
    sizes = comp["sizes"]
    shown = ", ".join(map(str, sizes[:15])) + (", …" if len(sizes) > 15 else "")
    click.echo(f"Components: {comp['count']} (sizes {shown}); {comp['isolated']} isolated node(s); "
               f"the largest holds {comp['largest_share']:.0%} of {comp['nodes']} nodes")
    if comp["others"]:
        _table("Components outside the largest", ["size", "labels", "members"],
               [[c["size"], ", ".join(f"{k} {v}" for k, v in c["labels"].items()), ", ".join(c["members"][:6])
                 + (" …" if len(c["members"]) > 6 else "")] for c in comp["others"]])
