"""Status panel, map and plots of the browser app.

Each ``*View`` is a plain function of the model, which SolaraViz wraps so that it
re-renders after every step (``components=[...]``). The figures and texts they
show come from pure functions (``*_figure``, :func:`status`) that the tests call
without a browser. Column names come from :data:`sandbox.state.columns.DAILY`; combat
columns (each sector's ``front_km``) are used only when the
model has them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sandbox.observe.metrics import fire_ratio
from sandbox.observe.summary import SHORT_TOL
from sandbox.plots.dashboard import SIDE_COLOURS
from sandbox.scenario.calendar import day_date
from sandbox.state.columns import DAILY
from sandbox.state.supply import SIDES
from sandbox.viz.levers import lever_lines
from sandbox.viz.mapview import map_figure, shown_commodity

FIG_DPI = 80
PLOT_SIZE = (6.0, 3.6)
COMMODITY_STYLES = ("-", "--", ":", "-.")


# ----------------------------------------------------------------- data access


def history(model: Any) -> dict[str, np.ndarray]:
    """The DataCollector's daily columns as arrays (day 1 first)."""
    return {k: np.asarray(v, dtype=float) for k, v in model.datacollector.model_vars.items()}


def days(hist: dict[str, np.ndarray]) -> np.ndarray:
    n = len(next(iter(hist.values()))) if hist else 0
    return np.arange(1, n + 1)


def first_short_day(hist: dict[str, np.ndarray], side: str, commodity: str) -> int | None:
    """First day the side's fronts got less than they needed (as in sandbox.observe.summary)."""
    short = hist.get(DAILY.commodity(side, commodity, "shortfall"))
    demand = hist.get(DAILY.commodity(side, commodity, "demand"))
    if short is None or demand is None or not len(short):
        return None
    hit = np.flatnonzero(short > SHORT_TOL * np.clip(demand, 1.0, None))
    return int(hit[0]) + 1 if len(hit) else None


def sector_ids(hist: dict[str, np.ndarray]) -> list[str]:
    """The sectors whose columns the history has, in map order."""
    return DAILY.sector_ids(hist)


# ----------------------------------------------------------------- status


@dataclass
class Status:
    """What the status panel says (also what the browser tests read)."""

    headline: str  # "Day 3 · 2023-01-04"
    lines: list[str] = field(default_factory=list)
    lesson: str = ""


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.2f}M"
    if abs(x) >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.1f}"


def status(model: Any, lesson: str = "") -> Status:
    spec = model.spec
    s = model.state
    today = day_date(spec.spec.scenario.start_date, s.day)  # day 0: the eve of the start
    lines = [f"Map: {getattr(model, 'map_name', spec.source)} ({spec.name}), {spec.days} days"]
    levers = lever_lines(model)
    if levers:
        lines.append("; ".join(levers))
    hist = history(model)
    tot = model.totals or {}
    for side in SIDES:
        stocks = ", ".join(
            f"{c} {_fmt(float(s.side_sum(s.stock)[SIDES.index(side), k]))}"
            for k, c in enumerate(s.commodities)
        )
        fired = hist.get(DAILY.side(side, "rounds_fired"), np.zeros(0))
        parts = [f"{side}: stock {stocks}"]
        parts.append(
            f"rounds fired today {_fmt(tot.get(DAILY.side(side, 'rounds_fired'), 0.0))}, "
            f"in all {_fmt(float(fired.sum()))}"
        )
        shortfall = sum(
            tot.get(DAILY.commodity(side, c, "shortfall"), 0.0)
            for c in s.commodities
            if c == shown_commodity(s.commodities)
        )
        first = {c: first_short_day(hist, side, c) for c in s.commodities}
        firsts = ", ".join(f"{c} day {d}" for c, d in first.items() if d is not None)
        parts.append(
            f"{shown_commodity(s.commodities)} shortfall today {_fmt(shortfall)}; "
            f"first short: {firsts or 'never yet'}"
        )
        lines.append("; ".join(parts))
    return Status(headline=f"Day {s.day} · {today.isoformat()}", lines=lines, lesson=lesson)


def StatusView(model: Any, lesson: str = "") -> Any:
    st = status(model, lesson)
    with solara.Column(gap="4px", style={"padding": "6px"}) as main:
        solara.Text(
            st.headline,
            classes=["sandbox-day"],
            style={"font-size": "1.3em", "font-weight": "bold"},
        )
        for line in st.lines:
            solara.Text(line, style={"font-size": "0.85em"})
        if st.lesson:
            solara.Markdown(st.lesson)
    return main


def make_status_view(lesson: str = "") -> Any:
    def StatusPanel(model: Any) -> Any:
        return StatusView(model, lesson)

    return StatusPanel


# ----------------------------------------------------------------- figures


def _fig(size: tuple[float, float] = PLOT_SIZE) -> Figure:
    fig = Figure(figsize=size, dpi=FIG_DPI)
    return fig


def whole_days(ax: Any) -> None:
    """Day ticks at whole days only (no 2.5 on a time axis)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _finish(ax: Any, title: str) -> None:
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("day", fontsize=8)
    whole_days(ax)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=6, loc="best")


def stock_figure(model: Any) -> Figure:
    """Stock per side and commodity: one panel per commodity (units differ)."""
    hist = history(model)
    comms = model.state.commodities
    fig = _fig((6.0, 3.6 if len(comms) <= 3 else 1.0 + 0.9 * len(comms)))
    axes = fig.subplots(len(comms), 1, sharex=True, squeeze=False)[:, 0]
    x = days(hist)
    for ax, c in zip(axes, comms, strict=True):
        for side in SIDES:
            y = hist.get(DAILY.commodity(side, c, "stock"))
            if y is not None and len(y):
                ax.plot(x, y, color=SIDE_COLOURS[side], label=side)
        ax.set_ylabel(c, fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].set_title("Stock per side (all nodes)", fontsize=9)
    if len(x):
        axes[0].legend(fontsize=6)
    axes[-1].set_xlabel("day", fontsize=8)
    whole_days(axes[-1])
    fig.subplots_adjust(left=0.14, right=0.97, top=0.92, bottom=0.13, hspace=0.3)
    return fig


def fire_figure(model: Any) -> Figure:
    """Rounds fired per day per side, and the red:blue ratio on a second axis."""
    hist = history(model)
    x = days(hist)
    fig = _fig()
    ax = fig.add_subplot()
    fired = {side: hist.get(DAILY.side(side, "rounds_fired"), np.zeros(len(x))) for side in SIDES}
    for side in SIDES:
        ax.plot(x, fired[side], color=SIDE_COLOURS[side], label=f"{side} rounds/day")
    ax.set_ylabel("rounds per day", fontsize=8)
    ratio = fire_ratio(fired["red"], fired["blue"])
    ax2 = ax.twinx()
    ax2.plot(x, ratio, color="black", lw=1, ls="--", label="red:blue")
    ax2.set_ylabel("red:blue ratio", fontsize=8)
    ax2.tick_params(labelsize=7)
    ax2.set_ylim(bottom=0)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    if len(x):
        ax.legend(h1 + h2, l1 + l2, fontsize=6, loc="upper left")
    _finish(ax, "Rounds fired per day and the red:blue ratio")
    fig.subplots_adjust(left=0.13, right=0.87, top=0.9, bottom=0.15)
    return fig


def production_figure(model: Any) -> Figure:
    """Production vs expenditure (consumed) per side, of the map's main commodity."""
    hist = history(model)
    x = days(hist)
    c = shown_commodity(model.state.commodities)
    fig = _fig()
    ax = fig.add_subplot()
    for side in SIDES:
        for metric, ls in (("produced", "-"), ("consumed", "--")):
            y = hist.get(DAILY.commodity(side, c, metric))
            if y is not None and len(y):
                ax.plot(x, y, color=SIDE_COLOURS[side], ls=ls, label=f"{side} {metric}")
    ax.set_ylabel(f"{c} per day", fontsize=8)
    _finish(ax, f"Production vs expenditure: {c}")
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.15)
    return fig


def front_figure(model: Any) -> Figure | None:
    """Front position per sector (km, + = blue advanced); None without sectors."""
    hist = history(model)
    ids = sector_ids(hist)
    if not ids:
        return None
    x = days(hist)
    fig = _fig()
    ax = fig.add_subplot()
    for k in ids:
        ax.plot(x, hist[DAILY.sector(k, "front_km")], label=k)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylabel("km (+ = blue advanced)", fontsize=8)
    _finish(ax, "Front position per sector")
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.15)
    return fig


# ----------------------------------------------------------------- views


def _show(fig: Figure) -> Any:
    return solara.FigureMatplotlib(fig, format="png")


def MapView(model: Any) -> Any:
    return _show(map_figure(model, dpi=FIG_DPI))


def StockView(model: Any) -> Any:
    return _show(stock_figure(model))


def FireView(model: Any) -> Any:
    return _show(fire_figure(model))


def ProductionView(model: Any) -> Any:
    return _show(production_figure(model))


def FrontView(model: Any) -> Any:
    fig = front_figure(model)
    if fig is None:
        return solara.Text("Front position per sector: this map has no sectors (or no combat yet).")
    return _show(fig)


def make_components(lesson: str = "") -> list[Any]:
    """The page's components in grid order: map and status on top, then the plots."""
    return [MapView, make_status_view(lesson), StockView, FireView, ProductionView, FrontView]
