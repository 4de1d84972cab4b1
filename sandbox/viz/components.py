"""Status panel, interactive map, node detail, lesson card and plots of the browser app.

Each panel is a Solara component of the model and the redraw count ``tick`` (the page bumps
it after a step, or every few days while playing). What they show comes from pure functions
(:func:`status`, :func:`sandbox.viz.mapchart.map_spec`, :func:`~sandbox.viz.mapchart.node_detail`,
:func:`sandbox.viz.plotcharts.plot_spec`) that the tests call without a browser. Map and
plots are Vega-Lite charts the browser draws (:class:`sandbox.viz.vega_view.VegaChart`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import solara

from sandbox.observe.summary import SHORT_TOL
from sandbox.scenario.calendar import day_date
from sandbox.state.columns import DAILY
from sandbox.state.supply import SIDES
from sandbox.viz.lesson_setup import LessonText
from sandbox.viz.levers import lever_lines
from sandbox.viz.mapchart import MAP_DAILY, map_spec, node_detail
from sandbox.viz.mapview import shown_commodity
from sandbox.viz.plotcharts import PLOT_DAILY, PLOTS, plot_spec
from sandbox.viz.plotcharts import history as plot_history
from sandbox.viz.vega_view import Payload, VegaChart

TAKEAWAY_BUTTON = "Show the takeaway"


# ----------------------------------------------------------------- data access


def history(model: Any) -> dict[str, np.ndarray]:
    """The DataCollector's daily columns as arrays (day 1 first)."""
    return plot_history(model)


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


def status(model: Any, lesson: str = "", shown: tuple[str, ...] | None = None) -> Status:
    spec = model.spec
    s = model.state
    today = day_date(spec.spec.scenario.start_date, s.day)  # day 0: the eve of the start
    lines = [f"Map: {getattr(model, 'map_name', spec.source)} ({spec.name}), {spec.days} days"]
    levers = lever_lines(model, shown)
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


# ----------------------------------------------------------------- panels


@solara.component
def StatusView(model: Any, tick: int, shown: tuple[str, ...] | None = None) -> Any:
    st = status(model, shown=shown)
    with solara.Column(gap="4px", style={"padding": "6px"}) as main:
        solara.Text(
            st.headline,
            classes=["sandbox-day"],
            style={"font-size": "1.3em", "font-weight": "bold"},
        )
        for line in st.lines:
            solara.Text(line, style={"font-size": "0.85em"})
    return main


@solara.component
def MapPanel(model: Any, tick: int, on_node: Any, on_drawn: Any = None) -> Any:
    """The interactive map: hover a node for its tooltip, click it for the detail panel."""
    chart = solara.use_memo(lambda: Payload(map_spec(model), MAP_DAILY), [model, tick])

    def clicked(datum: Any) -> None:
        if isinstance(datum, dict) and datum.get("node") in model.state.node_index:
            on_node(datum["node"])

    return VegaChart(chart, css_class="sandbox-map", on_click=clicked, on_drawn=on_drawn)


@solara.component
def NodeDetail(model: Any, tick: int, node: str | None) -> Any:
    """The clicked node in full (stock, days of supply, orders, links, units)."""
    if node is None or node not in model.state.node_index:
        return solara.Text("Click a node on the map for its detail.", style={"color": "grey"})
    rows = node_detail(model, node)
    with solara.Card(f"Node {node}", classes=["sandbox-node-detail"]) as card:
        body = "\n".join(f"| {k} | {v} |" for k, v in rows[1:])
        solara.Markdown(f"| | |\n|---|---|\n{body}", style={"font-size": "0.85em"})
    return card


@solara.component
def LessonPanel(text: LessonText, day: int) -> Any:
    """The lesson's goal and questions; the takeaway waits behind a button, which appears
    after the first step."""
    shown, set_shown = solara.use_state(False)
    with solara.Column(style={"overflow-wrap": "anywhere", "max-width": "100%"}) as main:
        solara.Markdown(text.body)
        if text.takeaway and day >= 1:
            if shown:
                solara.Markdown(f"**Takeaway.** {text.takeaway}")
            else:
                solara.Button(TAKEAWAY_BUTTON, on_click=lambda: set_shown(True), outlined=True)
    return main


@solara.component
def PlotPanel(model: Any, tick: int, name: str) -> Any:
    def chart() -> Payload | None:
        spec = plot_spec(model, name)
        return None if spec is None else Payload(spec, PLOT_DAILY)

    payload = solara.use_memo(chart, [model, tick])
    if payload is None:
        return solara.Text(f"{PLOTS[name][0]}: nothing to draw yet.", style={"color": "grey"})
    return VegaChart(payload, css_class=f"sandbox-plot sandbox-plot-{name}")
