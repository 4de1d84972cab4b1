"""The dashboard's key: what the numbers above the time panels and the letters beside the
record's points stand for, written in full under the map.

``1  day 121, 2023-05-01: Wagner at Bakhmut gets a third ...`` for each event day (its
notes as written, :func:`sandbox.plots.timeline.day_text`), ``a  US DoD official via NBC
News ...`` for each source of the record drawn on the fires panel. Lines are wrapped to the
map's width; the figure is made taller when the room under the map is short
(:func:`key_height_in`).
"""

from __future__ import annotations

import string
import textwrap
from typing import TYPE_CHECKING, Any

from sandbox.plots.timeline import day_text, event_days

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sandbox.observe.record import Figure as RecordFigure

KEY_GID = "dashboard-key"
KEY_PT = 7.0  # the key's font size, points
LINE_SPACING = 1.25  # matplotlib's own line spacing for multi-line text
CHAR_EM = 0.6  # a wide character's width in ems (DejaVu Sans runs ~0.55)
MAX_DAYS = 15  # event days spelled out; the rest are counted
GAP_IN = 0.12  # between the map's legend and the key, inches
EVENTS_HEAD = "Events (numbered above each time panel; thin lines: their days)"
RECORD_HEAD = (
    "Public record on the rounds-fired panel (point: the source's value; bars: its band, its days)"
)


def letters(n: int) -> list[str]:
    """a, b, ..., z, aa, ab, ...: the record's marks."""
    abc = string.ascii_lowercase
    return [abc[k] if k < 26 else abc[k // 26 - 1] + abc[k % 26] for k in range(n)]


def event_lines(events: pd.DataFrame | None) -> list[tuple[str, str]]:
    """(mark, text) of each event day: ``("1", "day 121, 2023-05-01: ...")``."""
    days = event_days(events)
    if events is None or not days:
        return []
    out = []
    for number, day in enumerate(days[:MAX_DAYS], start=1):
        rows = events[events["day"] == day]
        date = str(rows["date"].iloc[0]) if "date" in rows else ""
        when = f"day {day}, {date}" if date and date != "nan" else f"day {day}"
        out.append((str(number), f"{when}: {day_text(rows)}"))
    if len(days) > MAX_DAYS:
        out.append(("", f"... and {len(days) - MAX_DAYS} more event days (events.parquet)"))
    return out


def record_lines(figs: list[RecordFigure], outside: set[str]) -> list[tuple[str, str]]:
    """(letter, source) of each record figure drawn; ``outside``: ids the run misses."""
    return [
        (mark, f"{f.source}{' (the model lies outside its band)' if f.id in outside else ''}")
        for mark, f in zip(letters(len(figs)), figs, strict=True)
    ]


def key_text(entries: list[tuple[str, str]], head: str, width_in: float) -> str:
    """A heading and one hanging-indented entry a line, wrapped to ``width_in`` inches."""
    if not entries:
        return ""
    chars = max(int(width_in * 72.0 / (KEY_PT * CHAR_EM)), 40)
    lines = [head]
    for mark, text in entries:
        lines += textwrap.wrap(
            text, chars, initial_indent=f"{mark:>3}  ", subsequent_indent=" " * 7
        ) or [mark]
    return "\n".join(lines)


def key_height_in(text: str) -> float:
    """The height of ``text`` as the key writes it, inches."""
    return (text.count("\n") + 1) * KEY_PT * LINE_SPACING / 72.0 if text else 0.0


def draw_key(fig: Figure, map_ax: Axes, text: str) -> Any:
    """Write the key under the map's legend (or the map), at the map's left edge."""
    if not text:
        return None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    below = map_ax.get_legend() or map_ax
    top_px = below.get_window_extent(renderer).y0  # the legend sits under the tick labels
    x_px = map_ax.get_window_extent(renderer).x0
    x, y = fig.transFigure.inverted().transform((x_px, top_px - GAP_IN * fig.dpi))
    return fig.text(
        x,
        y,
        text,
        va="top",
        ha="left",
        fontsize=KEY_PT,
        gid=KEY_GID,
        linespacing=LINE_SPACING,
        color="0.15",
    )
