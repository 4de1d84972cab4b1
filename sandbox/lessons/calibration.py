"""The default map against the public record of 2023.

The record is ``maps/ukraine_2023_record.csv``, one row per figure: what the sources say
as a band (``low``..``high``; ``value`` is the source's own figure where it gives one),
the source and its date, ``assumption = yes`` where the sources do not pin the band down
(``note`` says why), and how the model's value is read from a run, over days
``day_from``..``day_to`` (day 1 = 1 January 2023):

==================  ==========================================================
``metric``          model value
==================  ==========================================================
``mean``            mean of the daily ``column`` over the days
``ratio``           mean of ``column`` over mean of ``denominator``, same days
``sum``             sum of the daily ``column`` over the days
``front``           sector ``sector``'s front_km on ``day_to`` less on ``day_from``
                    (``day_from`` 0: the map's start; - = red has gained)
``max_front_move``  largest ``|front_km - start|`` of any sector on any day
``aid``             units the aid pool ``aid`` delivered up to ``day_to``
``produced``        ``side``'s ammunition made in its plants (produced less aid)
==================  ==========================================================

:func:`compare` computes each figure's model value from one run and says whether it lies
in its band; docs/calibration.md, the race-of-2023 lesson's record plot and
tests/test_calibration.py all read it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sandbox.lessons.common import figure
from sandbox.observe.results import Results
from sandbox.scenario.paths import MAPS_DIR
from sandbox.state.columns import DAILY

RECORD = MAPS_DIR / "ukraine_2023_record.csv"
COLUMNS = ["id", "what", "record", "low", "high", "model", "within", "source", "date"]
COLUMNS += ["days", "assumption"]


NUMBERS = ("day_from", "day_to", "low", "high")


@dataclass(frozen=True)
class Figure:
    """One figure of the public record (fields as in the record file)."""

    id: str
    what: str
    metric: str
    day_from: int
    day_to: int
    low: float
    high: float
    source: str
    date: str
    value: float | None = None
    column: str = ""
    denominator: str = ""
    sector: str = ""
    aid: str = ""
    side: str = ""
    assumption: bool = False
    note: str = ""


def load_record(path: str | Path = RECORD) -> list[Figure]:
    """The record's figures, in file order."""
    with open(path, newline="", encoding="utf-8") as f:
        return [_figure(row) for row in csv.DictReader(f)]


def _figure(row: dict[str, str]) -> Figure:
    text = {k: v for k, v in row.items() if k not in (*NUMBERS, "value", "assumption")}
    return Figure(
        day_from=int(row["day_from"]),
        day_to=int(row["day_to"]),
        low=float(row["low"]),
        high=float(row["high"]),
        value=float(row["value"]) if row["value"] else None,
        assumption=row["assumption"] == "yes",
        **text,  # type: ignore[arg-type]  # the remaining fields are all text
    )


def _days(daily: pd.DataFrame, fig: Figure) -> pd.DataFrame:
    return daily.loc[fig.day_from : fig.day_to]


def _front(res: Results, fig: Figure, start_km: dict[str, float]) -> float:
    col = res.daily[DAILY.sector(fig.sector, "front_km")]
    before = start_km[fig.sector] if fig.day_from == 0 else float(col.loc[fig.day_from])
    return float(col.loc[fig.day_to]) - before


def _largest_move(res: Results, start_km: dict[str, float]) -> float:
    moves = [
        (res.daily[DAILY.sector(k, "front_km")] - km).abs().max() for k, km in start_km.items()
    ]
    return float(max(moves))


def _aid(res: Results, name: str, day_to: int, side: str = "") -> float:
    aid = res.aid
    rows = aid[(aid["day"] <= day_to) & (aid["commodity"] == "ammunition")]
    rows = rows[rows["aid"] == name] if name else rows[rows["side"] == side]
    return float(rows["units"].sum())


def model_value(res: Results, fig: Figure, start_km: dict[str, float]) -> float:
    """The model's value of ``fig`` in the run ``res`` (metrics: the record's header)."""
    days = _days(res.daily, fig)
    if fig.metric == "mean":
        return float(days[fig.column].mean())
    if fig.metric == "ratio":
        return float(days[fig.column].mean() / days[fig.denominator].mean())
    if fig.metric == "sum":
        return float(days[fig.column].sum())
    if fig.metric == "front":
        return _front(res, fig, start_km)
    if fig.metric == "max_front_move":
        return _largest_move(res, start_km)
    if fig.metric == "aid":
        return _aid(res, fig.aid, fig.day_to)
    if fig.metric == "produced":
        made = float(days[DAILY.commodity(fig.side, "ammunition", "produced")].sum())
        return made - _aid(res, "", fig.day_to, side=fig.side)
    raise ValueError(f"{RECORD.name}: figure {fig.id!r}: unknown metric {fig.metric!r}")


def start_fronts(scenario: dict[str, Any]) -> dict[str, float]:
    """Each sector's front_km at the start (the run's scenario dict)."""
    return {s["id"]: float(s.get("front_km", 0.0)) for s in scenario.get("sectors", [])}


def compare(res: Results, record: list[Figure] | None = None) -> pd.DataFrame:
    """One row per figure: the band, the model's value and whether it lies in the band."""
    record = load_record() if record is None else record
    start_km = start_fronts(res.scenario)
    rows = []
    for fig in record:
        model = model_value(res, fig, start_km)
        rows.append(
            {
                "id": fig.id,
                "what": fig.what,
                "record": fig.value if fig.value is not None else np.nan,
                "low": fig.low,
                "high": fig.high,
                "model": model,
                "within": bool(fig.low <= model <= fig.high),
                "source": fig.source,
                "date": fig.date,
                "days": f"{fig.day_from}-{fig.day_to}",
                "assumption": fig.assumption,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS).set_index("id")


def _short_source(source: str) -> str:
    return source.split("(")[0].split(";")[0].strip()


def _band_points(
    ax: Any, figs: list[Figure], table: pd.DataFrame, color_of: dict[str, str]
) -> None:
    """The record as points: a band (error bar) at the middle of its days, with its source."""
    for fig in figs:
        mid = (max(fig.day_from, 1) + fig.day_to) / 2
        centre = fig.value if fig.value is not None else (fig.low + fig.high) / 2
        key = fig.column or fig.sector
        color = color_of.get(key, "black")
        ax.errorbar(
            mid,
            centre,
            yerr=[[centre - fig.low], [fig.high - centre]],
            fmt="o",
            color=color,
            mec="black",
            capsize=4,
        )
        mark = "" if bool(table.loc[fig.id, "within"]) else " (model outside)"
        ax.annotate(
            f"{_short_source(fig.source)}{mark}",
            (mid, centre),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=7,
        )


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
    _band_points(a0, [f for f in figs if f.metric == "mean" and f.column in colors], table, colors)
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
    _band_points(a1, fronts, table, sector_colors)
    a1.axhline(0, color="black", lw=0.8)
    a1.set_title("Front movement (km, + = blue has advanced) against the record")
    a1.set_xlabel("day of 2023")
    a1.grid(alpha=0.3)
    a1.legend(fontsize=8)
    return fig
