"""A map against the public record: the record file beside the map, read and compared.

A map's record is ``<map stem>_record.csv`` beside it (the default map's:
``maps/ukraine_2023_record.csv``; :func:`record_path`), one row per figure: what the sources say
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
``first_short``     first day ``side``'s fronts (with ``sector``: that sector's
                    front) fired fewer rounds than doctrine asked for lack of
                    ammunition, by more than 1%; 366 = not in the year
==================  ==========================================================

:func:`compare` computes each figure's model value from one run and says whether it lies
in its band; docs/calibration.md, the dashboard's fires panel
(:mod:`sandbox.plots.record`), the ``sandbox run`` summary, the race-of-2023 lesson's
record plot and tests/test_calibration.py all read it. It sits in ``observe/`` so that
plots, the CLI and lessons share this one reader.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sandbox.observe.results import Results
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.state.columns import DAILY

RECORD_SUFFIX = "_record.csv"
SHORT_SHARE = 0.01  # ``first_short``: fired below (1 - this) x asked
NEVER = 366  # ``first_short`` when it does not happen in the year
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


def record_path(map_source: str | Path) -> Path:
    """Where a map's record lives: ``<map stem>_record.csv`` beside the map.

    ``map_source`` is the map's path, or a scenario's ``source`` label, which may carry
    what was done to the map after it (``maps/x.toml (with overrides)``, ``maps/x.toml +
    orders.toml``): the first ``.toml`` or ``.json`` file named in it. The path may not
    exist (:func:`record_for` says whether it does).
    """
    match = re.match(r"(.*?\.(?:toml|json))(?:$|[ +(])", str(map_source))
    path = Path(match.group(1) if match else str(map_source))
    return path.with_name(path.stem + RECORD_SUFFIX)


RECORD = record_path(DEFAULT_MAP)


def record_for(res: Results) -> list[Figure]:
    """The record of the map a run ran (its manifest's ``map``), or [] when it has none."""
    source = res.manifest.get("map")
    if not source:
        return []
    path = record_path(source)
    return load_record(path) if path.is_file() else []


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
    if fig.metric == "first_short":
        return first_short(res, fig)
    if fig.metric == "produced":
        made = float(days[DAILY.commodity(fig.side, "ammunition", "produced")].sum())
        return made - _aid(res, "", fig.day_to, side=fig.side)
    raise ValueError(f"{RECORD.name}: figure {fig.id!r}: unknown metric {fig.metric!r}")


def first_short(res: Results, fig: Figure) -> float:
    """First day in ``day_from``..``day_to`` that ``fig.side`` ran short of ammunition.

    Short: its units fired less than ``1 - SHORT_SHARE`` of the rounds they asked for
    (the daily ``rounds_fired`` against ``rounds_demanded``); with ``fig.sector``, the
    side's front node of that sector drew less than that share of its demand (the
    per-node records: a run with ``record="daily"`` has none, and gives NaN). ``NEVER``
    (366) when it did not happen.
    """
    if fig.sector:
        front = _sector_front(res.scenario, fig.sector, fig.side)
        nodes = res.nodes
        if nodes.empty:
            return float("nan")
        rows = nodes[(nodes["node"] == front) & (nodes["commodity"] == "ammunition")]
        rows = rows.set_index("day").loc[fig.day_from : fig.day_to]
        asked = rows["consumed"] + rows["shortfall"]
        short = rows.index[rows["consumed"] < (1.0 - SHORT_SHARE) * asked]
    else:
        days = _days(res.daily, fig)
        fired = days[DAILY.side(fig.side, "rounds_fired")]
        asked = days[DAILY.side(fig.side, "rounds_demanded")]
        short = days.index[fired < (1.0 - SHORT_SHARE) * asked]
    return float(short.min()) if len(short) else float(NEVER)


def _sector_front(scenario: dict[str, Any], sector: str, side: str) -> str:
    for s in scenario.get("sectors", []):
        if s["id"] == sector:
            return str(s[side])
    raise ValueError(f"{RECORD.name}: no sector {sector!r} in the run's map")


def start_fronts(scenario: dict[str, Any]) -> dict[str, float]:
    """Each sector's front_km at the start (the run's scenario dict)."""
    return {s["id"]: float(s.get("front_km", 0.0)) for s in scenario.get("sectors", [])}


def compare(res: Results, record: list[Figure] | None = None) -> pd.DataFrame:
    """One row per figure: the band, the model's value and whether it lies in the band.

    ``record`` defaults to the default map's record.
    """
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


def in_run(record: list[Figure], days: int) -> list[Figure]:
    """The figures a run of ``days`` days can be checked against (their days all run)."""
    return [f for f in record if f.day_to <= days]


def short_source(source: str) -> str:
    """A figure's source, short enough for a label: its first name, before any ``(`` or ``;``."""
    return source.split("(")[0].split(";")[0].strip()


def fit_line(res: Results) -> str | None:
    """``sandbox run``'s line on the record: how many figures the run lies within.

    None when the map has no record file beside it.
    """
    record = record_for(res)
    if not record:
        return None
    days = len(res.daily)
    figs = in_run(record, days)
    table = compare(res, figs) if figs else pd.DataFrame(columns=COLUMNS)
    unread = int(table["model"].isna().sum())  # sector figures of a run without node records
    checked = len(figs) - unread
    name = record_path(res.manifest["map"]).name
    line = f"public record ({name}): the run lies within {int(table['within'].sum())} of "
    line += f"{checked} figures' bands"
    later = (
        [f"{len(record) - len(figs)} more need a run beyond day {days}"] if figs != record else []
    )
    if unread:
        later.append(f"{unread} more need the per-node records (--record full)")
    return line + (f" ({'; '.join(later)})" if later else "")
