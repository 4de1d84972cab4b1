"""Marks of the timeline on a time axis: a thin vertical line and a short label per event day."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.transforms import blended_transform_factory

LABEL_CHARS = 18


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


def mark_events(ax: plt.Axes, events: pd.DataFrame, labels: bool = True) -> int:
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
