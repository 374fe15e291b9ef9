"""The growth plot of docs/performance.md: load time and rows/s against graph size, log scales (matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["growth_plot"]

#: (label in the plot, key in a size's results, seconds field, rows/s field)
SERIES = [("native bulk loader (soyaku build)", "native", "load_s", "rows_per_s"),
          ("Bolt loader (UNWIND batches)", "bolt", "batched_s", "batched_rows_per_s"),
          ("LadybugDB COPY (reference)", "ladybug", "load_s", "rows_per_s"),
          ("networkx MultiDiGraph (reference)", "networkx", "load_s", "rows_per_s")]


def growth_plot(results: dict[str, Any], out: Path) -> None:
    """Write a PNG with two panels, load time and rows/s, against nodes + relationships, both axes log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results["sizes"].values(), key=lambda s: s["nodes"])
    fig, (time_ax, rate_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, key, seconds, rate in SERIES:
        points = [(s["nodes"] + s["relationships"], s[key][seconds], s[key][rate]) for s in sizes if s.get(key)]
        if not points:
            continue
        rows, secs, rates = zip(*points)
        time_ax.plot(rows, secs, marker="o", label=name)
        rate_ax.plot(rows, rates, marker="o", label=name)
    time_ax.axhline(600, color="grey", linestyle=":", linewidth=1)
    time_ax.annotate("10 min", (time_ax.get_xlim()[0], 600), xytext=(4, 4), textcoords="offset points",
                     color="grey", fontsize=8)
    for ax, title in ((time_ax, "load time (s)"), (rate_ax, "rows per second")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("nodes + relationships")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    rate_ax.legend(fontsize=8, loc="best")
    fig.suptitle(f"Loading the synthetic ecosystem, {results['machine']['cores']} cores "
                 f"({results['generated_at'][:10]})", fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
