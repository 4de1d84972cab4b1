"""Marks of the timeline on time axes: events as thin vertical lines, operations as shading."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.transforms import blended_transform_factory

from sandbox.scenario.calendar import run_start_date

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LABEL_CHARS = 18
SIDE_COLOURS = {"blue": "#1f5fbf", "red": "#c0392b"}  # as in sandbox.plots.dashboard


def short_label(day_rows: pd.DataFrame) -> str:
    """The day's note, or its first key's last part (and ``+n`` more), cut to a few words."""
    notes = [str(n) for n in day_rows["note"] if str(n)]
    if notes:
        text = notes[0]
    else:
        key = str(day_rows["key"].iloc[0])
        text = f"{'.'.join(key.split('.')[-2:])}={day_rows['value'].iloc[0]}"
    if len(day_rows) > 1:
        text += f" +{len(day_rows) - 1}"
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def mark_events(ax: Axes, events: pd.DataFrame, labels: bool = True) -> int:
    """Draw each event day of ``events`` (``Results.events``) on ``ax``; return the day count."""
    if events is None or events.empty:
        return 0
    top = blended_transform_factory(ax.transData, ax.transAxes)
    days = list(dict.fromkeys(int(d) for d in events["day"]))
    for day in days:
        ax.axvline(day, color="0.35", lw=0.6, ls="-", alpha=0.6, zorder=1)
        if labels:
            rows = events[events["day"] == day]
            ax.text(
                day,
                0.99,
                f" {short_label(rows)}",
                transform=top,
                rotation=90,
                va="top",
                ha="left",
                fontsize=6,
                color="0.3",
                clip_on=True,
            )
    return len(days)


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


def shade_operations(ax: Axes, scenario: dict[str, Any], last_day: int) -> int:
    """Shade each operation window on ``ax`` (the front panel); return how many."""
    spans = operation_spans(scenario, last_day)
    for sector, posture, first, last, colour in spans:
        ax.axvspan(first - 0.5, last + 0.5, color=colour, alpha=0.12, lw=0, zorder=0)
        top = blended_transform_factory(ax.transData, ax.transAxes)
        ax.text(
            first,
            0.02,
            f" {sector}: {posture}",
            transform=top,
            fontsize=6,
            color="0.3",
            va="bottom",
            ha="left",
            clip_on=True,
        )
    return len(spans)
