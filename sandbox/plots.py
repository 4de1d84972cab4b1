"""Figures from :class:`~sandbox.results.Results` (never imports the model)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

if TYPE_CHECKING:
    from sandbox.results import Results

SIDE_COLOURS = {"blue": "#1f5fbf", "red": "#c0392b"}
KIND_MARKERS = {"factory": "s", "depot": "D", "front": "^"}
DOS_CMAP = "RdYlGn"
DOS_MAX = 30.0  # days of supply at which the colour saturates


def days_of_supply(res: Results, commodity: str = "ammunition") -> pd.Series:
    """Days of supply per node on the last day: stock / forecast demand."""
    nodes = res.nodes
    if nodes.empty or commodity not in set(nodes["commodity"].astype(str)):
        return pd.Series(dtype=float)
    last = nodes[(nodes["day"] == nodes["day"].max()) & (nodes["commodity"] == commodity)]
    fc = last["forecast"].to_numpy()
    dos = np.where(fc > 0, last["stock"].to_numpy() / np.where(fc > 0, fc, 1.0), np.inf)
    return pd.Series(dos, index=last["node"].astype(str).to_numpy())


def draw_network(ax: plt.Axes, res: Results, commodity: str = "ammunition") -> None:
    """The network at real coordinates, nodes coloured by days of supply."""
    spec = res.scenario
    pos = {n["id"]: (n["lon"], n["lat"]) for n in spec.get("nodes", [])}
    for link in spec.get("links", []):
        (x0, y0), (x1, y1) = pos[link["source"]], pos[link["target"]]
        side = next(n["side"] for n in spec["nodes"] if n["id"] == link["source"])
        ax.plot([x0, x1], [y0, y1], color=SIDE_COLOURS[side], alpha=0.35, lw=1, zorder=1)
    _mark_strikes(ax, res, pos)
    dos = days_of_supply(res, commodity)
    norm = Normalize(0, DOS_MAX)
    cmap = plt.get_cmap(DOS_CMAP)
    for kind, marker in KIND_MARKERS.items():
        nodes = [n for n in spec.get("nodes", []) if n["kind"] == kind]
        if not nodes:
            continue
        xs = [n["lon"] for n in nodes]
        ys = [n["lat"] for n in nodes]
        vals = [min(dos.get(n["id"], np.inf), DOS_MAX) for n in nodes]
        edges = [SIDE_COLOURS[n["side"]] for n in nodes]
        ax.scatter(
            xs,
            ys,
            c=cmap(norm(vals)),
            marker=marker,
            s=60,
            edgecolors=edges,
            linewidths=1.5,
            zorder=2,
            label=kind,
        )
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    plt.colorbar(sm, ax=ax, shrink=0.8, label=f"days of supply ({commodity}, last day)")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect(1 / np.cos(np.radians(np.mean([p[1] for p in pos.values()] or [0]))))
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title("Supply network (edge colour: side)")


def _mark_strikes(ax: plt.Axes, res: Results, pos: dict[str, tuple[float, float]]) -> None:
    """Links cut on any day: dashed black; nodes hit: a black cross (strikes.py)."""
    links = res.links
    if not links.empty and "status" in links:
        cut = links[links["status"] == "cut"][["source", "target"]].drop_duplicates()
        for a, b in zip(cut["source"].astype(str), cut["target"].astype(str), strict=True):
            (x0, y0), (x1, y1) = pos[a], pos[b]
            ax.plot([x0, x1], [y0, y1], color="black", ls="--", lw=1.2, zorder=1.5)
    nodes = res.nodes
    if not nodes.empty and "hits" in nodes:
        hit = nodes[nodes["hits"] > 0]["node"].astype(str).unique()
        if len(hit):
            xs, ys = zip(*(pos[n] for n in hit), strict=True)
            ax.scatter(xs, ys, marker="x", c="black", s=90, zorder=3, label="struck")


def dashboard(res: Results, path: str | Path, commodity: str = "ammunition") -> Path:
    """Write ``dashboard.png``: the map and the time series of the race."""
    daily = res.daily
    fig = plt.figure(figsize=(15, 9), constrained_layout=True)
    grid = fig.add_gridspec(3, 2, width_ratios=[1.2, 1])
    draw_network(fig.add_subplot(grid[:, 0]), res, commodity)
    series = [
        ("stock", "Stock (all nodes)"),
        ("produced", "Production vs expenditure"),
        ("delivered", "Delivered to the fronts"),
    ]
    for row, (metric, title) in enumerate(series):
        ax = fig.add_subplot(grid[row, 1])
        for side, colour in SIDE_COLOURS.items():
            col = f"{side}.{commodity}.{metric}"
            if col not in daily:
                continue
            ax.plot(daily.index, daily[col], color=colour, label=f"{side} {metric}")
            if metric == "produced":
                ax.plot(
                    daily.index,
                    daily[f"{side}.{commodity}.consumed"],
                    color=colour,
                    ls="--",
                    label=f"{side} consumed",
                )
        ax.set_title(f"{title}: {commodity}")
        ax.set_xlabel("day")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle(str(res.scenario.get("scenario", {}).get("name", "")))
    out = Path(path)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out
