"""The race-of-2023 lesson's record plot: the run's fires and fronts against the record.

The record itself (reading ``<map stem>_record.csv``, the model's value of each figure,
whether it lies in its band) is :mod:`sandbox.observe.record`; the points with their
bands are drawn by :func:`sandbox.plots.record.band_points`.
"""

from __future__ import annotations

from typing import Any

from sandbox.lessons.common import figure
from sandbox.observe.record import Figure, compare, start_fronts
from sandbox.observe.results import Results
from sandbox.plots.record import band_points
from sandbox.state.columns import DAILY


def plot_record(res: Results, record: list[Figure], days: int, title: str) -> Any:
    """Rounds a day and the fronts of one run, with the record's figures as labelled points.

    Only the figures whose days lie within the run's ``days`` are drawn.
    """
    figs = [f for f in record if f.day_to <= days]
    table = compare(res, figs)
    fig, (a0, a1) = figure(title, ncols=2, width=15, height=5)
    d = res.daily
    colors = {
        DAILY.side("blue", "rounds_fired"): "#1f5fbf",
        DAILY.side("red", "rounds_fired"): "#c0392b",
    }
    for col, color in colors.items():
        a0.plot(d.index, d[col].rolling(7, min_periods=1).mean(), color=color, label=col)
    band_points(a0, [f for f in figs if f.metric == "mean" and f.column in colors], table, colors)
    a0.set_title("Rounds fired a day (7-day mean) against the record")
    a0.set_xlabel("day of 2023")
    a0.grid(alpha=0.3)
    a0.legend(fontsize=8)
    start = start_fronts(res.scenario)
    sector_colors = {}
    for k, km in start.items():
        (line,) = a1.plot(d.index, d[DAILY.sector(k, "front_km")] - km, label=k)
        sector_colors[k] = line.get_color()
    fronts = [f for f in figs if f.metric == "front"]
    band_points(a1, fronts, table, sector_colors)
    a1.axhline(0, color="black", lw=0.8)
    a1.set_title("Front movement (km, + = blue has advanced) against the record")
    a1.set_xlabel("day of 2023")
    a1.grid(alpha=0.3)
    a1.legend(fontsize=8)
    return fig
