"""The public record on a plot: each figure a point with its band as an error bar.

A figure (:class:`sandbox.observe.record.Figure`) is drawn at the middle of its days,
at the source's own value (the middle of the band where it gives none), with the band
as the error bar and its short source as the label; " (model outside)" is added where
the run's value leaves the band. The dashboard's fires panel (:func:`draw_fire_record`)
and the race-of-2023 lesson's record plot both draw through :func:`band_points`; the
dashboard writes a letter beside each point instead (:func:`letter_points`) and the
sources in its key (:mod:`sandbox.plots.keys`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox.observe.record import Figure, in_run, short_source
from sandbox.plots.keys import letters
from sandbox.plots.labels import Label, place_labels
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    import pandas as pd

RECORD_LABEL = "record (band)"  # the legend entry of the first point drawn
# a letter sits at a corner of its point, clear of the bars, above it first
LINE_HALF_PT = 1.0  # the room a letter keeps around each point of a line, points
LETTER_DIRECTIONS = ((1.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.0, 1.0), (0.0, -1.0))


def band_points(
    ax: Any, figs: list[Figure], table: pd.DataFrame | None, color_of: dict[str, str]
) -> int:
    """Draw ``figs`` on ``ax`` (``table``: :func:`compare` of the run); return how many.

    With no ``table`` the points carry no label (the dashboard letters them,
    :func:`letter_points`)."""
    for k, fig in enumerate(figs):
        mid = (max(fig.day_from, 1) + fig.day_to) / 2
        centre = fig.value if fig.value is not None else (fig.low + fig.high) / 2
        color = color_of.get(fig.column or fig.sector, "black")
        ax.errorbar(
            mid,
            centre,
            yerr=[[centre - fig.low], [fig.high - centre]],
            xerr=[[mid - max(fig.day_from, 1)], [fig.day_to - mid]],
            fmt="o",
            color=color,
            mec="black",
            capsize=4,
            label=RECORD_LABEL if k == 0 else None,
        )
        if table is None:
            continue
        mark = "" if bool(table.loc[fig.id, "within"]) else " (model outside)"
        ax.annotate(
            f"{short_source(fig.source)}{mark}",
            (mid, centre),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=7,
        )
    return len(figs)


def fire_figures(record: list[Figure], days: int) -> list[Figure]:
    """The record's daily means of a side's rounds fired that a run of ``days`` covers."""
    fired = {DAILY.side(side, "rounds_fired") for side in ("blue", "red")}
    return [f for f in in_run(record, days) if f.metric == "mean" and f.column in fired]


def draw_fire_record(ax: Any, figs: list[Figure], color_of: dict[str, str]) -> int:
    """The record's daily means of rounds fired per side ``figs`` (:func:`fire_figures`) on
    the fires panel, unlabelled; ``color_of``: side -> colour. Returns how many."""
    colors = {DAILY.side(side, "rounds_fired"): c for side, c in color_of.items()}
    return band_points(ax, figs, None, colors)


def letter_points(
    ax: Any,
    figs: list[Figure],
    obstacles: list[Any],
    color_of: dict[str, str],
    lines_xy: np.ndarray | None = None,
) -> list[Any]:
    """Write a, b, ... beside the points of ``figs`` (as the dashboard's key names them),
    clear of each other, of the other points and of ``obstacles`` (pixel boxes), and where
    they can, of the points ``lines_xy`` (K, 2) of the panel's lines (data coordinates)."""
    if not figs:
        return []
    colors = {DAILY.side(side, "rounds_fired"): c for side, c in color_of.items()}
    points = [_point(f) for f in figs]
    ax.get_xlim(), ax.get_ylim()  # settle the limits before the points are measured
    labels = [
        Label(
            x,
            y,
            mark,
            rank=k,
            colour=colors.get(f.column, "black"),
            fontsize=8,
            directions=LETTER_DIRECTIONS,
            may_cover=True,
        )
        for k, (mark, f, (x, y)) in enumerate(zip(letters(len(figs)), figs, points, strict=True))
    ]
    avoid = np.array(points) if lines_xy is None else np.vstack([points, lines_xy])
    half_pt = np.r_[np.full(len(points), 4.0), np.full(len(avoid) - len(points), LINE_HALF_PT)]
    return place_labels(ax, labels, len(labels), obstacles, avoid, half_pt)


def _point(fig: Figure) -> tuple[float, float]:
    """Where a figure is drawn: the middle of its days, at its value (or band's middle)."""
    mid = (max(fig.day_from, 1) + fig.day_to) / 2
    return mid, fig.value if fig.value is not None else (fig.low + fig.high) / 2
