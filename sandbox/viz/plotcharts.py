"""The app's time plots as Vega-Lite charts (Altair), drawn as SVG in the browser: sharp at
any zoom, whole days on every time axis.

Each plot is a list of :class:`Series` (a panel, a name, a colour, a dash and the values
per day); :func:`lines_spec` turns it into a spec whose grammar Altair builds once per set
of series and whose rows (one per day and series) are filled in every redraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
import numpy as np

from sandbox.observe.metrics import fire_ratio
from sandbox.plots.style import SIDE_COLOURS
from sandbox.state.columns import DAILY
from sandbox.state.supply import SIDES
from sandbox.viz.lesson_setup import FIRE, FRONT, PRODUCTION, STOCK, STRENGTH
from sandbox.viz.mapview import shown_commodity

# the browser draws with solara's cached vega-lite 5 (Altair writes v6 specs; the grammar
# used here is the same), as SVG, without the export menu (links to online editors)
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
EMBED_OPTIONS = {"renderer": "svg", "actions": False}

PLOT_WIDTH_PX = 430
PANEL_HEIGHT_PX = 150
SECTOR_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
SOLID, DASHED = (1, 0), (5, 3)
PLOT_DAILY = ("lines",)  # the dataset that changes every day


@dataclass(frozen=True)
class Series:
    panel: str  # the facet it is drawn in (its y axis title)
    name: str
    colour: str
    dash: tuple[int, int]
    values: np.ndarray  # one per day, day 1 first


def history(model: Any) -> dict[str, np.ndarray]:
    """The DataCollector's daily columns as arrays (day 1 first)."""
    return {k: np.asarray(v, dtype=float) for k, v in model.datacollector.model_vars.items()}


@lru_cache(maxsize=64)
def _skeleton(title: str, styles: tuple[tuple[str, str, str, tuple[int, int]], ...]) -> Any:
    names = [s[1] for s in styles]
    panels = list(dict.fromkeys(s[0] for s in styles))
    base = alt.Chart(alt.NamedData("lines")).mark_line(strokeWidth=1.6).encode(
        x=alt.X("day:Q", axis=alt.Axis(format="d", tickMinStep=1), title="day"),
        y=alt.Y("value:Q", title=None),
        color=alt.Color("series:N", scale=alt.Scale(domain=names,
                        range=[s[2] for s in styles]), title=None),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=names,
                                  range=[list(s[3]) for s in styles]), title=None),
        tooltip=["series:N", alt.Tooltip("day:Q", format="d"),
                 alt.Tooltip("value:Q", format=",.1f")],
    ).properties(width=PLOT_WIDTH_PX, height=PANEL_HEIGHT_PX)  # fmt: skip
    chart = base.facet(
        row=alt.Row("panel:N", sort=panels, title=None, header=alt.Header(labelAngle=0,
                    labelAlign="left", labelAnchor="start", labelFontWeight="bold"))
    ).resolve_scale(y="independent").properties(title=title)  # fmt: skip
    return chart.to_dict()


def lines_spec(title: str, series: list[Series]) -> dict[str, Any]:
    """A Vega-Lite spec of the series, one panel per distinct ``panel``."""
    styles = tuple((s.panel, s.name, s.colour, s.dash) for s in series)
    spec = dict(_skeleton(title, styles))
    rows: list[dict[str, Any]] = []
    for s in series:
        vals = np.where(np.isfinite(s.values), s.values, np.nan).round(3).tolist()
        rows += [
            {"panel": s.panel, "series": s.name, "day": d, "value": v}
            for d, v in enumerate(vals, start=1)
            if v == v  # NaN: no point
        ]
    spec["datasets"] = {"lines": rows}
    return browser_spec(spec)


def browser_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as the app's browser draws it: vega-lite 5, SVG, no export menu."""
    spec["$schema"] = VEGA_LITE_SCHEMA
    spec["usermeta"] = {"embedOptions": EMBED_OPTIONS}
    return spec


def _col(hist: dict[str, np.ndarray], key: str) -> np.ndarray | None:
    y = hist.get(key)
    return y if y is not None and len(y) else None


def stock_series(model: Any, hist: dict[str, np.ndarray]) -> list[Series]:
    out = []
    for c in model.state.commodities:
        for side in SIDES:
            y = _col(hist, DAILY.commodity(side, c, "stock"))
            if y is not None:
                out.append(Series(f"{c} stock", f"{side}", SIDE_COLOURS[side], SOLID, y))
    return out


def fire_series(model: Any, hist: dict[str, np.ndarray]) -> list[Series]:
    fired = {s: _col(hist, DAILY.side(s, "rounds_fired")) for s in SIDES}
    out = [
        Series("rounds per day", f"{s} rounds", SIDE_COLOURS[s], SOLID, y)
        for s, y in fired.items()
        if y is not None
    ]
    ratio = None
    if fired["blue"] is not None and fired["red"] is not None:
        ratio = fire_ratio(fired["red"], fired["blue"])  # a gap where blue fired nothing
    if ratio is not None:
        out.append(Series("red:blue ratio", "red:blue", "black", DASHED, ratio))
    return out


def production_series(model: Any, hist: dict[str, np.ndarray]) -> list[Series]:
    c = shown_commodity(model.state.commodities)
    out = []
    for side in SIDES:
        for metric, dash in (("produced", SOLID), ("consumed", DASHED)):
            y = _col(hist, DAILY.commodity(side, c, metric))
            if y is not None:
                out.append(Series(f"{c} per day", f"{side} {metric}", SIDE_COLOURS[side], dash, y))
    return out


def front_series(model: Any, hist: dict[str, np.ndarray]) -> list[Series]:
    ids = DAILY.sector_ids(hist)
    return [
        Series("km (+ = blue advanced)", k, SECTOR_COLOURS[n % len(SECTOR_COLOURS)], SOLID,
               hist[DAILY.sector(k, "front_km")])
        for n, k in enumerate(ids)
    ]  # fmt: skip


def strength_series(model: Any, hist: dict[str, np.ndarray]) -> list[Series]:
    out = []
    for side in SIDES:
        y = _col(hist, DAILY.side(side, "strength"))
        if y is not None:
            out.append(Series("strength", side, SIDE_COLOURS[side], SOLID, y))
    return out


# name -> (title, series builder)
PLOTS = {
    STOCK: ("Stock per side (all nodes)", stock_series),
    STRENGTH: ("Combat strength per side", strength_series),
    FIRE: ("Rounds fired per day and the red:blue ratio", fire_series),
    PRODUCTION: ("Production (solid) vs expenditure (dashed)", production_series),
    FRONT: ("Front position per sector", front_series),
}


def plot_spec(model: Any, name: str, hist: dict[str, np.ndarray] | None = None) -> dict | None:
    """The named plot's spec for the model's history; None when it has nothing to draw."""
    title, build = PLOTS[name]
    series = [s for s in build(model, history(model) if hist is None else hist) if len(s.values)]
    return lines_spec(title, series) if series else None
