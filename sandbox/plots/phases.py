"""The front panel's operations as a labelled band above it: one row per sector, each
window of the map's ``[[operations]]`` a coloured bar (the attacker's colour for an
offensive) with its posture written inside when it fits, the sector named at the row's left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.plots.labels import renderer_of
from sandbox.plots.timeline import SIDE_COLOURS, operation_spans

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ROW_IN = 0.14  # one sector's row, inches
PAD_IN = 0.04  # between the band and the panel, inches
BAND_PT = 6.0  # the band's font size, points
PHASE_GID = "operations-band"


def operations_band(ax: Axes, scenario: dict[str, Any], last_day: int) -> Axes | None:
    """Shrink ``ax`` (the front panel) from the top and draw the band there; return the
    band's axes (None when the map has no operations)."""
    spans = operation_spans(scenario, last_day)
    if not spans:
        return None
    sectors = list(dict.fromkeys(s[0] for s in spans))
    fig: Any = ax.get_figure(root=True)
    height = fig.get_size_inches()[1]
    band_h, pad = len(sectors) * ROW_IN / height, PAD_IN / height
    x, y, w, h = ax.get_position().bounds
    ax.set_position((x, y, w, h - band_h - pad))
    band = fig.add_axes((x, y + h - band_h, w, band_h), sharex=ax)
    band.set_ylim(len(sectors), 0)
    band.tick_params(left=False, labelleft=False, bottom=False, labelbottom=False)
    for sector, posture, start, end, colour in spans:
        row = sectors.index(sector)
        first, last = max(start, 1), min(end, last_day)  # the run's days only
        if first > last:
            continue
        (bar,) = band.barh(
            row + 0.5,
            last - first + 1,
            left=first - 0.5,
            height=0.9,
            color=colour,
            alpha=0.35,
            lw=0,
        )
        bar.sticky_edges.x.clear()  # the panel keeps its margins
        _write_inside(band, (first - 0.5, last + 0.5, row + 0.5), posture, colour)
    for row, sector in enumerate(sectors):
        band.text(
            -0.01,
            row + 0.5,
            sector,
            transform=band.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=BAND_PT,
            color="0.2",
            gid=PHASE_GID,
        )
    return band


def _write_inside(band: Axes, where: tuple[float, float, float], posture: str, colour: str) -> None:
    """The posture in its bar, or its first three letters, or nothing when neither fits."""
    x0, x1, y = where
    lo, hi = band.get_xlim()
    x0, x1 = max(x0, lo), min(x1, hi)
    renderer = renderer_of(band.get_figure(root=True))
    room_px = abs(band.transData.transform((x1, 0))[0] - band.transData.transform((x0, 0))[0])
    words = posture if colour.startswith("0.") else f"{posture} ({_side(colour)})"
    for text in (words, posture, posture[:3] + "."):
        t = band.text(
            x0,
            y,
            f" {text}",
            ha="left",
            va="center",
            fontsize=BAND_PT,
            color="0.1",
            gid=PHASE_GID,
            clip_on=True,
        )
        if t.get_window_extent(renderer).width + 2 <= room_px:
            return
        t.remove()


def _side(colour: str) -> str:
    return next((s for s, c in SIDE_COLOURS.items() if c == colour), "")
