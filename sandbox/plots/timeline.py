"""Marks of the timeline on time axes: each event day a thin vertical line, numbered above
the panel (the numbers are spelled out in the dashboard's key, :mod:`sandbox.plots.keys`);
the operations' windows as written in the map (drawn by :mod:`sandbox.plots.phases`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.transforms import blended_transform_factory

from sandbox.plots.labels import renderer_of
from sandbox.scenario.calendar import run_start_date

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SIDE_COLOURS = {"blue": "#1f5fbf", "red": "#c0392b"}  # as in sandbox.plots.dashboard


def day_text(day_rows: pd.DataFrame) -> str:
    """What happened on one event day: its notes as written, each once, in order; a change
    with no note as its key's last two parts and its value."""
    parts = []
    for key, value, note in zip(day_rows["key"], day_rows["value"], day_rows["note"], strict=True):
        parts.append(str(note) if str(note) else f"{'.'.join(str(key).split('.')[-2:])}={value}")
    return "; ".join(dict.fromkeys(parts))


EVENT_GID = "event-number"  # the gid of every event number above a time panel
EVENT_LINE_GID = "event-day"  # the gid of every event day's vertical line
NUMBER_PT = 6.5  # the numbers' font size, points
ROW_PT = 10.0  # one row of numbers, points (a number's boxed height and a little)
ROW_GAP_PX = 3.0  # the least room between two numbers' texts of a row (their boxes' pads)


def event_days(events: pd.DataFrame | None) -> list[int]:
    """The days of ``events`` (``Results.events``) that carry an event, in order: day k
    of this list is numbered k + 1 on the time panels and in the key."""
    if events is None or events.empty:
        return []
    return list(dict.fromkeys(int(d) for d in events["day"]))


def mark_events(ax: Axes, events: pd.DataFrame, head: Axes | None = None) -> int:
    """Draw each event day of ``events`` on ``ax`` as a thin vertical line, numbered above
    ``head`` (``ax`` itself by default, else an axes stacked on top of it) in rows that never
    let two numbers touch; ``ax``'s title is lifted above the head and the rows. Return the
    day count."""
    days = event_days(events)
    for axis in {id(a): a for a in (ax, head or ax)}.values():
        for day in days:
            axis.axvline(day, color="0.35", lw=0.6, ls="-", alpha=0.6, zorder=1, gid=EVENT_LINE_GID)
    top = head or ax
    rows = number_days(top, days) if days else 0
    fig: Any = ax.get_figure(root=True)
    lift_pt = (top.get_position().y1 - ax.get_position().y1) * fig.get_size_inches()[1] * 72.0
    if rows or lift_pt > 0:  # the title clears the head and the numbers
        ax.set_title(ax.get_title(), fontsize=10, pad=6.0 + lift_pt + rows * ROW_PT)
    return len(days)


def number_days(ax: Axes, days: list[int]) -> int:
    """Write 1, 2, ... above ``ax`` at ``days``, each in the lowest row where it clears the
    numbers before it; return how many rows were used."""
    at = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = sorted(ax.get_xlim())
    ends: list[float] = []  # the right edge of the last number of each row, pixels
    half_px = 0.0  # half the widest number's width (digits are all as wide), pixels
    for number, day in enumerate(days, start=1):
        if not lo <= day <= hi:
            continue
        text = ax.annotate(
            str(number),
            (day, 1.0),
            xycoords=at,
            xytext=(0.0, 2.0),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=NUMBER_PT,
            color="0.2",
            gid=EVENT_GID,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "0.5", "lw": 0.5},
            annotation_clip=False,
        )
        if not half_px:  # measured once, as wide as the last number will be
            half_px = _half_width_px(ax, text, len(str(len(days))))
        x_px = float(ax.transData.transform((day, 0.0))[0])
        row = next((r for r, end in enumerate(ends) if x_px - half_px - ROW_GAP_PX >= end), None)
        if row is None:
            row = len(ends)
            ends.append(0.0)
        ends[row] = x_px + half_px
        text.xyann = (0.0, 2.0 + row * ROW_PT)
    return len(ends)


def _half_width_px(ax: Axes, text: Any, digits: int) -> float:
    """Half the width, in pixels, of ``text`` written with ``digits`` digits."""
    shown = text.get_text()
    text.set_text("8" * digits)
    width = text.get_window_extent(renderer_of(ax.get_figure(root=True))).width
    text.set_text(shown)
    return float(width) / 2


POSTURE_COLOURS = {"defensive": "0.6", "quiet": "0.85"}  # offensive: the attacker's colour


def operation_spans(
    scenario: dict[str, Any], last_day: int
) -> list[tuple[str, str, int, int, str]]:
    """(sector, posture, first day, last day, colour) of the map's ``[[operations]]`` as written."""
    start = run_start_date(scenario)  # the schema's default when the map gives none

    def day(entry: dict[str, Any], key: str, default: int) -> int:
        if f"{key}_date" in entry:
            when = entry[f"{key}_date"]
            when = dt.date.fromisoformat(when) if isinstance(when, str) else when
            return (when - start).days + 1
        return int(entry.get(f"{key}_day", default))

    out = []
    for op in scenario.get("operations", []):
        colour = SIDE_COLOURS.get(op.get("attacker", ""), POSTURE_COLOURS.get(op["posture"], "0.7"))
        out.append(
            (op["sector"], op["posture"], day(op, "start", 1), day(op, "end", last_day), colour)
        )
    return out
