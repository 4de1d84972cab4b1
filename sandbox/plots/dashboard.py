"""Figures from :class:`~sandbox.observe.results.Results` (never imports the model)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.ticker import MaxNLocator

from sandbox.observe.metrics import fire_ratio
from sandbox.plots.basemap import draw_basemap
from sandbox.plots.timeline import mark_events, shade_operations
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    from sandbox.observe.results import Results

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


def theatre_extent(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float, float]:
    """A frame around where most nodes are (far-off plants and ports fall outside it)."""
    lo_x, hi_x = np.quantile(lon, [0.1, 0.9])
    lo_y, hi_y = np.quantile(lat, [0.1, 0.9])
    pad_x = max((hi_x - lo_x) * 0.25, 1.0)
    pad_y = max((hi_y - lo_y) * 0.25, 1.0)
    return lo_x - pad_x, hi_x + pad_x, lo_y - pad_y, hi_y + pad_y


def draw_network(ax: plt.Axes, res: Results, commodity: str = "ammunition") -> None:
    """The network at real coordinates: colour = days of supply, size = stock.

    The frame is the theatre; nodes outside it (overseas plants, ports) are
    drawn hollow on its edge with their name.
    """
    spec = res.scenario
    nodes = spec.get("nodes", [])
    if not nodes:
        return
    lon = np.array([n["lon"] for n in nodes], dtype=float)
    lat = np.array([n["lat"] for n in nodes], dtype=float)
    x0, x1, y0, y1 = theatre_extent(lon, lat)
    outside = (lon < x0) | (lon > x1) | (lat < y0) | (lat > y1)
    px, py = np.clip(lon, x0, x1), np.clip(lat, y0, y1)
    index = {n["id"]: i for i, n in enumerate(nodes)}
    draw_basemap(ax, (x0, x1, y0, y1))
    segments: dict[str, list[list[tuple[float, float]]]] = {side: [] for side in SIDE_COLOURS}
    for link in spec.get("links", []):
        i, j = index[link["source"]], index[link["target"]]
        segments[nodes[i]["side"]].append([(px[i], py[i]), (px[j], py[j])])
    for side, segs in segments.items():  # one collection per side: fast on 10k-node maps
        if segs:
            ax.add_collection(
                LineCollection(segs, colors=SIDE_COLOURS[side], alpha=0.35, linewidths=1, zorder=1)
            )
    _mark_strikes(ax, res, {n["id"]: (px[i], py[i]) for i, n in enumerate(nodes)})
    norm = Normalize(0, DOS_MAX)
    cmap = plt.get_cmap(DOS_CMAP)
    _scatter_nodes(ax, res, commodity, (px, py), outside, (norm, cmap))
    _label_nodes(ax, nodes, (px, py), outside)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    plt.colorbar(sm, ax=ax, shrink=0.7, label=f"days of supply ({commodity}, last day)")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    scale_bar(ax, x0, x1, y0, y1)
    ax.legend(loc="lower left", fontsize=8, markerscale=0.6)
    ax.set_title("Supply network: colour = days of supply, size = stock, hollow = off the map")


def _scatter_nodes(
    ax: plt.Axes,
    res: Results,
    commodity: str,
    xy: tuple[np.ndarray, np.ndarray],
    outside: np.ndarray,
    scale: tuple[Normalize, Any],
) -> None:
    """One scatter per kind: colour = days of supply, size = stock, edge = side."""
    nodes = res.scenario.get("nodes", [])
    px, py = xy
    norm, cmap = scale
    dos = days_of_supply(res, commodity)
    stock = _last_stock(res, commodity)
    biggest = max(stock.max() if len(stock) else 0.0, 1.0)
    for kind, marker in KIND_MARKERS.items():
        rows = [i for i, n in enumerate(nodes) if n["kind"] == kind]
        if not rows:
            continue
        vals = [min(dos.get(nodes[i]["id"], np.inf), DOS_MAX) for i in rows]
        sizes = [30 + 250 * np.sqrt(stock.get(nodes[i]["id"], 0.0) / biggest) for i in rows]
        faces = ["none" if outside[i] else cmap(norm(v)) for i, v in zip(rows, vals, strict=True)]
        edges = [SIDE_COLOURS[nodes[i]["side"]] for i in rows]
        ax.scatter(
            px[rows],
            py[rows],
            s=sizes,
            c=faces,
            marker=marker,
            edgecolors=edges,
            linewidths=1.5,
            zorder=2,
            label=kind,
        )


def _label_nodes(
    ax: plt.Axes,
    nodes: list[dict[str, Any]],
    xy: tuple[np.ndarray, np.ndarray],
    outside: np.ndarray,
) -> None:
    """Names of the nodes off the frame, and of the fronts."""
    px, py = xy
    for k in np.flatnonzero(outside).tolist():
        ax.annotate(
            nodes[k]["id"],
            (px[k], py[k]),
            fontsize=6,
            alpha=0.8,
            xytext=(3, 3),
            textcoords="offset points",
        )
    for i, n in enumerate(nodes):
        if n["kind"] == "front":
            ax.annotate(
                n["id"].replace("_front", ""),
                (px[i], py[i]),
                fontsize=6,
                xytext=(4, -8),
                textcoords="offset points",
                color=SIDE_COLOURS[n["side"]],
            )


def _last_stock(res: Results, commodity: str) -> pd.Series:
    nodes = res.nodes
    if nodes.empty:
        return pd.Series(dtype=float)
    last = nodes[(nodes["day"] == nodes["day"].max()) & (nodes["commodity"] == commodity)]
    return pd.Series(last["stock"].to_numpy(), index=last["node"].astype(str).to_numpy())


def scale_bar(ax: plt.Axes, x0: float, x1: float, y0: float, y1: float) -> None:
    """A 100 km (or 500 km) bar in the lower right corner."""
    lat = y0 + 0.06 * (y1 - y0)
    km_per_deg = 111.32 * np.cos(np.radians(lat))
    km = 100.0 if (x1 - x0) * km_per_deg < 1500 else 500.0
    xe = x1 - 0.05 * (x1 - x0)
    xs = xe - km / km_per_deg
    ax.plot([xs, xe], [lat, lat], color="black", lw=2)
    ax.text((xs + xe) / 2, lat + 0.015 * (y1 - y0), f"{km:.0f} km", ha="center", fontsize=7)


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


COMBAT_TITLES = (
    "Rounds fired per day (dotted: red:blue ratio, right axis)",
    "Strength per side",
    "Front position per sector (km, + = blue advanced)",
)
STRIKES_TITLE = "Strike hits per day by the striking side (7-day mean)"


def dashboard(res: Results, path: str | Path, commodity: str = "ammunition") -> Path:
    """Write ``dashboard.png``: the map, the race of supply and, with sectors, the fight.

    Right of the map: stock, production vs expenditure and deliveries (and strike hits
    when the map strikes); with ``[[sectors]]`` a third column shows rounds fired per day
    per side with the red:blue ratio on a second axis, strength per side, and the front
    position of each sector (a dot where a sector fell).
    """
    daily = res.daily
    sectors = list(dict.fromkeys(res.sectors["sector"].astype(str).tolist()))  # map order
    combat = bool(sectors)
    strikes = _strikes_struck(daily)
    rows = 4 if strikes else 3
    cols = 3 if combat else 2
    fig = plt.figure(figsize=(23 if combat else 17, 11 if strikes else 9), constrained_layout=True)
    widths = [1.6, 1, 1] if combat else [1.7, 1]
    grid = fig.add_gridspec(rows if not combat else max(rows, 3), cols, width_ratios=widths)
    draw_network(fig.add_subplot(grid[:, 0]), res, commodity)
    series = [
        ("stock", "Stock (all nodes)"),
        ("produced", "Production vs expenditure"),
        ("delivered", "Delivered to the fronts"),
    ]
    for row, (metric, title) in enumerate(series):
        ax = fig.add_subplot(grid[row, 1])
        for side, colour in SIDE_COLOURS.items():
            col = DAILY.commodity(side, commodity, metric)
            if col not in daily:
                continue
            ax.plot(daily.index, daily[col], color=colour, label=f"{side} {metric}")
            if metric == "produced":
                ax.plot(
                    daily.index,
                    daily[DAILY.commodity(side, commodity, "consumed")],
                    color=colour,
                    ls="--",
                    label=f"{side} consumed",
                )
        _finish(ax, f"{title}: {commodity}")
    if strikes:
        _strike_panel(fig.add_subplot(grid[3, 1]), daily)
    if combat:
        span = [slice(0, 1), slice(1, 2), slice(2, rows)] if rows > 3 else [0, 1, 2]
        _fire_panel(fig.add_subplot(grid[span[0], 2]), daily)
        _strength_panel(fig.add_subplot(grid[span[1], 2]), daily)
        front = fig.add_subplot(grid[span[2], 2])
        _front_panel(front, daily, sectors)
        shade_operations(front, res.scenario, int(daily.index.max()))
    for ax in fig.axes[1:]:  # every panel but the map is a time axis (twins have no label)
        if ax.get_xlabel() == "day":
            mark_events(ax, res.events)
    fig.suptitle(str(res.scenario.get("scenario", {}).get("name", "")))
    out = Path(path)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out


def _strikes_struck(daily: pd.DataFrame) -> bool:
    """Whether the daily table has strike columns and any side struck."""
    sides = list(SIDE_COLOURS)
    if DAILY.side(sides[0], "hits") not in daily:
        return False
    return float(daily[[DAILY.side(s, "strikes") for s in sides]].sum().sum()) > 0


def _finish(ax: plt.Axes, title: str, legend: bool = True) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("day")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole days
    if legend:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


def _fire_panel(ax: plt.Axes, daily: pd.DataFrame) -> None:
    for side, colour in SIDE_COLOURS.items():
        fired = daily[DAILY.side(side, "rounds_fired")]
        ax.plot(daily.index, fired, color=colour, label=f"{side} fired")
        ax.plot(
            daily.index,
            daily[DAILY.side(side, "rounds_demanded")],
            color=colour,
            ls="--",
            lw=0.8,
            alpha=0.7,
            label=f"{side} doctrine",
        )
    ax.set_ylabel("rounds / day")
    ratio = ax.twinx()
    red_blue = fire_ratio(
        daily[DAILY.side("red", "rounds_fired")], daily[DAILY.side("blue", "rounds_fired")]
    )
    ratio.plot(daily.index, red_blue, color="black", ls=":", label="red:blue")
    ratio.set_ylabel("red:blue")
    ratio.set_ylim(bottom=0)
    lines = ax.get_legend_handles_labels()
    more = ratio.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, ncol=2)
    _finish(ax, COMBAT_TITLES[0], legend=False)


def _strength_panel(ax: plt.Axes, daily: pd.DataFrame) -> None:
    for side, colour in SIDE_COLOURS.items():
        strength = daily[DAILY.side(side, "strength")]
        ax.plot(daily.index, strength, color=colour, label=f"{side} strength")
        ax.plot(
            daily.index,
            daily[DAILY.side(side, "guns_in_action")],
            color=colour,
            ls="--",
            lw=0.8,
            label=f"{side} guns in action",
        )
    ax.set_ylim(bottom=0)
    _finish(ax, COMBAT_TITLES[1])


def _front_panel(ax: plt.Axes, daily: pd.DataFrame, sectors: list[str]) -> None:
    for k in sectors:
        pos = daily[DAILY.sector(k, "front_km")]
        control = daily[DAILY.sector(k, "control")]
        (line,) = ax.plot(daily.index, pos, label=k)
        fell = daily.index[control != 0]
        if len(fell):
            holder = "blue" if control.loc[fell[0]] > 0 else "red"
            ax.scatter(
                [fell[0]],
                [pos.loc[fell[0]]],
                color=SIDE_COLOURS[holder],
                edgecolors=line.get_color(),
                zorder=3,
                s=40,
            )
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylabel("km")
    ax.legend(fontsize=7, ncol=2, title="sector (dot: fell to)", title_fontsize=7)
    _finish(ax, COMBAT_TITLES[2], legend=False)


def _strike_panel(ax: plt.Axes, daily: pd.DataFrame) -> None:
    for side, colour in SIDE_COLOURS.items():
        hits, strikes = DAILY.side(side, "hits"), DAILY.side(side, "strikes")
        week = daily[[hits, strikes]].rolling(7, min_periods=1).mean()
        ax.plot(daily.index, week[hits], color=colour, label=f"{side} hits")
        ax.plot(
            daily.index,
            week[strikes],
            color=colour,
            ls="--",
            lw=0.8,
            alpha=0.7,
            label=f"{side} strikes",
        )
    _finish(ax, STRIKES_TITLE)
