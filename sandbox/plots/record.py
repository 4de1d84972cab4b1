"""The public record on a plot: each figure a point with its band as an error bar.

A figure (:class:`sandbox.observe.record.Figure`) is drawn at the middle of its days,
at the source's own value (the middle of the band where it gives none), with the band
as the error bar and its short source as the label; " (model outside)" is added where
the run's value leaves the band. The dashboard's fires panel (:func:`draw_fire_record`)
and the race-of-2023 lesson's record plot both draw through :func:`band_points`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.observe.record import Figure, compare, in_run, record_for, short_source
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.observe.results import Results

RECORD_LABEL = "record (band)"  # the legend entry of the first point drawn


def band_points(ax: Any, figs: list[Figure], table: pd.DataFrame, color_of: dict[str, str]) -> int:
    """Draw ``figs`` on ``ax`` (``table``: :func:`compare` of the run); return how many."""
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


def draw_fire_record(ax: Any, res: Results, color_of: dict[str, str]) -> int:
    """The run's map's record of rounds fired a day per side, on the fires panel.

    ``color_of``: side -> colour. Nothing when the map has no record file beside it.
    Returns the number of figures drawn.
    """
    figs = fire_figures(record_for(res), len(res.daily))
    if not figs:
        return 0
    colors = {DAILY.side(side, "rounds_fired"): c for side, c in color_of.items()}
    return band_points(ax, figs, compare(res, figs), colors)
