"""Figures from :class:`~sandbox.observe.results.Results` (never imports the model).

The dashboard is drawn on a fixed grid (no ``constrained_layout``, which lays every text
out several times), on a bare ``Figure`` with the Agg canvas (no ``pyplot``), at
:data:`DPI`: the map's names are placed on the figure's final pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sandbox.observe.metrics import fire_ratio
from sandbox.observe.record import compare, record_for
from sandbox.plots.keys import (
    EVENTS_HEAD,
    RECORD_HEAD,
    draw_key,
    event_lines,
    key_height_in,
    key_text,
    record_lines,
)
from sandbox.plots.legends import place_legend
from sandbox.plots.network import draw_network
from sandbox.plots.phases import operations_band
from sandbox.plots.record import draw_fire_record, fire_figures, letter_points
from sandbox.plots.style import (
    SIDE_COLOURS,
    map_aspect,
    theatre_extent,
)
from sandbox.plots.timeline import mark_events
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from sandbox.observe.results import Results

__all__ = ["dashboard", "dashboard_figure"]

DPI = 90
# zlib's fastest level: the same pixels as the default (6), encoded in ~2/3 of the time
# (default map: 0.126 -> 0.083 s), for a file ~3.5% larger (475 -> 492 kB)
PNG_OPTIONS = {"compress_level": 1}
LEFT, RIGHT, BOTTOM, TOP = 0.035, 0.97, 0.055, 0.93  # the grid's margins (figure fractions)
MAP_SHARE = {True: 2.1 / 4.1, False: 1.8 / 2.8}  # the map's widest share, with / without combat
CBAR_IN = 1.3  # beside the map: its colour bar and label, inches
UNDER_MAP_IN = 0.6  # under the map's frame: its tick labels and legend, inches


def map_ratio(nodes: list[dict[str, Any]]) -> float:
    """Width / height of the map's frame as drawn (longitude scaled at mid-frame)."""
    if not nodes:
        return 1.5
    lon = np.array([n["lon"] for n in nodes], dtype=float)
    lat = np.array([n["lat"] for n in nodes], dtype=float)
    x0, x1, y0, y1 = theatre_extent(lon, lat)
    return float((x1 - x0) / map_aspect((x0, x1, y0, y1)) / (y1 - y0))


COMBAT_TITLES = (
    "Rounds fired per day (dotted: red:blue ratio, right axis)",
    "Strength per side",
    "Front position per sector (km, + = blue advanced)",
)
STRIKES_TITLE = "Strike hits per day by the striking side (7-day mean)"


def dashboard(res: Results, path: str | Path, commodity: str = "ammunition") -> Path:
    """Write ``dashboard.png`` (:func:`dashboard_figure` at :data:`DPI`); return its path."""
    out = Path(path)
    dashboard_figure(res, commodity).savefig(out, dpi=DPI, pil_kwargs=PNG_OPTIONS)
    return out


def dashboard_figure(res: Results, commodity: str = "ammunition") -> Figure:
    """The dashboard: the map, the race of supply and, with sectors, the fight.

    Right of the map: stock, production vs expenditure and deliveries (and strike hits
    when the map strikes); with ``[[sectors]]`` a third column shows rounds fired per day
    per side with the red:blue ratio on a second axis (and, when the map has a record file
    beside it, ``<map stem>_record.csv``, the record's daily means of rounds fired per
    side as points with their bands over their days, labelled with their sources),
    strength per side, and the front position of each sector (a dot where a sector fell).
    """
    daily = res.daily
    sectors = list(dict.fromkeys(res.sectors["sector"].astype(str).tolist()))  # map order
    combat = bool(sectors)
    strikes = _strikes_struck(daily)
    rows = 4 if strikes else 3
    size = (23.0 if combat else 17.0, 11.0 if strikes else 9.0)
    ratio = map_ratio(res.scenario.get("nodes", []))
    figs = fire_figures(record_for(res), len(daily)) if combat else []
    key = _key(res, figs, _map_width_in(size, combat, ratio))
    room_in = _room_under_map_in(size, combat, ratio)
    extra_in = max(key_height_in(key) - room_in, 0.0) if key else 0.0
    fig = Figure(figsize=(size[0], size[1] + extra_in), dpi=DPI)
    FigureCanvasAgg(fig)
    map_ax, grid = _layout(fig, rows, combat, ratio, extra_in)
    draw_network(map_ax, res, commodity, map_ax.inset_axes((1.02, 0.1, 0.018, 0.8)))
    _supply_panels(fig, grid, daily, commodity)
    if strikes:
        _strike_panel(fig.add_subplot(grid[3, 0]), daily)
    heads = {}
    if combat:
        span = [slice(0, 1), slice(1, 2), slice(2, rows)] if rows > 3 else [0, 1, 2]
        _fire_panel(fig.add_subplot(grid[span[0], 1]), res, figs)
        _strength_panel(fig.add_subplot(grid[span[1], 1]), daily)
        front = fig.add_subplot(grid[span[2], 1])
        _front_panel(front, daily, sectors)
        band = operations_band(front, res.scenario, int(daily.index.max()))
        place_legend(front, fontsize=7, ncol=2, title="sector (dot: fell to)", title_fontsize=7)
        heads[id(front)] = band
    for ax in fig.axes:  # every panel but the map is a time axis (twins have no label)
        if ax.get_xlabel() == "day":
            mark_events(ax, res.events, heads.get(id(ax)))
    fig.suptitle(str(res.scenario.get("scenario", {}).get("name", "")), y=0.985)
    draw_key(fig, map_ax, key)
    return fig


def _key(res: Results, figs: list[Any], width_in: float) -> str:
    """The key's text: the event days, then the record's sources (:mod:`sandbox.plots.keys`)."""
    outside = set()
    if figs:
        table = compare(res, figs)
        outside = {f.id for f in figs if not bool(table.loc[f.id, "within"])}
    parts = [
        key_text(event_lines(res.events), EVENTS_HEAD, width_in),
        key_text(record_lines(figs, outside), RECORD_HEAD, width_in),
    ]
    return "\n\n".join(p for p in parts if p)


def _map_width_in(size: tuple[float, float], combat: bool, ratio: float) -> float:
    """The map column's width: as wide as the map needs at the figure's height, at most
    its share of a wide map (inches)."""
    usable_in = size[0] * (RIGHT - LEFT)
    return min(ratio * size[1] * (TOP - BOTTOM) + CBAR_IN, usable_in * MAP_SHARE[combat])


def _room_under_map_in(size: tuple[float, float], combat: bool, ratio: float) -> float:
    """The height free under the map's legend on a figure of ``size`` (inches): the map is
    centred in its column, as tall as its width allows."""
    grid_in = size[1] * (TOP - BOTTOM)
    drawn_in = min(grid_in, (_map_width_in(size, combat, ratio) - CBAR_IN) / ratio)
    return (grid_in - drawn_in) / 2 + size[1] * BOTTOM - UNDER_MAP_IN


def _layout(
    fig: Figure, rows: int, combat: bool, map_ratio: float, extra_in: float = 0.0
) -> tuple[Axes, Any]:
    """The map on the left (its colour bar beside it), a fixed grid of time panels right.

    The map's column is as wide as a map of ``map_ratio`` (width / height as drawn) needs
    at the figure's height, at most its share of a wide map; a tall map leaves the rest
    to the panels. ``extra_in``: inches added at the figure's bottom for the key.
    """
    width_in, height_in = fig.get_size_inches()
    base_in = height_in - extra_in
    usable_in = width_in * (RIGHT - LEFT)
    map_in = _map_width_in((width_in, base_in), combat, map_ratio)
    outer = fig.add_gridspec(
        1,
        2,
        width_ratios=[map_in, usable_in - map_in],
        left=LEFT,
        right=RIGHT,
        bottom=(BOTTOM * base_in + extra_in) / height_in,
        top=1.0 - (1.0 - TOP) * base_in / height_in,
        wspace=0.16 if combat else 0.2,
    )
    map_ax = fig.add_subplot(outer[0, 0])
    map_ax.set_anchor("W")
    grid = outer[0, 1].subgridspec(rows, 2 if combat else 1, hspace=0.5, wspace=0.3)
    return map_ax, grid


def _supply_panels(fig: Figure, grid: Any, daily: pd.DataFrame, commodity: str) -> None:
    """Stock, production vs expenditure, and deliveries per side: the first column."""
    series = [
        ("stock", "Stock (all nodes)"),
        ("produced", "Production vs expenditure"),
        ("delivered", "Delivered to the fronts"),
    ]
    for row, (metric, title) in enumerate(series):
        ax = fig.add_subplot(grid[row, 0])
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


def _strikes_struck(daily: pd.DataFrame) -> bool:
    """Whether the daily table has strike columns and any side struck."""
    sides = list(SIDE_COLOURS)
    if DAILY.side(sides[0], "hits") not in daily:
        return False
    return float(daily[[DAILY.side(s, "strikes") for s in sides]].sum().sum()) > 0


# the fires panel's y range is stretched by this factor, leaving its top for the legend
LEGEND_HEADROOM = 1.45


def _finish(ax: Axes, title: str, legend: bool = True) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("day")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole days
    if legend:
        place_legend(ax, fontsize=8)
    ax.grid(alpha=0.3)


def _fire_panel(ax: Axes, res: Results, figs: list[Any]) -> None:
    """Rounds fired and asked per side, the red:blue ratio, and the map's record ``figs``
    (lettered as in the key)."""
    daily = res.daily
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
    draw_fire_record(ax, figs, SIDE_COLOURS)
    ax.set_ylabel("rounds / day")
    ratio = ax.twinx()
    red_blue = fire_ratio(
        daily[DAILY.side("red", "rounds_fired")], daily[DAILY.side("blue", "rounds_fired")]
    )
    ratio.plot(daily.index, red_blue, color="black", ls=":", label="red:blue")
    ratio.set_ylabel("red:blue")
    for axis in (ax, ratio):  # headroom: the legend sits above every line, not on them
        axis.set_ylim(0, axis.get_ylim()[1] * LEGEND_HEADROOM)
    lines = ax.get_legend_handles_labels()
    more = ratio.get_legend_handles_labels()
    legend = ax.legend(
        lines[0] + more[0], lines[1] + more[1], fontsize=6.5, ncol=3, loc="upper center"
    )
    ax.set_zorder(ratio.get_zorder() + 1)  # the legend above the ratio's line; the ratio
    ax.patch.set_visible(False)  # still shows through the fires axes' empty background
    legend.set_zorder(10)
    _finish(ax, COMBAT_TITLES[0], legend=False)
    to_ax = ratio.transData + ax.transData.inverted()  # the ratio's points in ax's units
    xy = [ln.get_xydata() for ln in ax.get_lines()] + [to_ax.transform(ratio.lines[0].get_xydata())]
    letter_points(ax, figs, [legend.get_window_extent()], SIDE_COLOURS, np.vstack(xy))


def _strength_panel(ax: Axes, daily: pd.DataFrame) -> None:
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


def _front_panel(ax: Axes, daily: pd.DataFrame, sectors: list[str]) -> None:
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
    _finish(ax, COMBAT_TITLES[2], legend=False)


def _strike_panel(ax: Axes, daily: pd.DataFrame) -> None:
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
