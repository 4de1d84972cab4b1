"""A legend where it hides no data: the first of the usual corners whose box no line of
the panel (nor of its twin) crosses; failing all, the panel's y range is stretched so the
data sit below a legend at its top.

Lines are tested as drawn, in pixels, on the figure's own renderer: call
:func:`place_legend` once the panel's data, limits and neighbours are final.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sandbox.plots.labels import renderer_of
from sandbox.plots.timeline import EVENT_LINE_GID

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend
    from matplotlib.transforms import Bbox

LOCATIONS = (
    "upper right",
    "upper left",
    "lower right",
    "lower left",
    "center right",
    "center left",
    "upper center",
    "lower center",
)
MARGIN = 0.04  # room kept between the data and a legend in the headroom (axes fraction)
SKIP_GIDS = frozenset({EVENT_LINE_GID})  # the timeline's vertical lines may pass under one


def place_legend(ax: Axes, twins: Sequence[Axes] = (), **kwargs: Any) -> Legend:
    """``ax.legend(**kwargs)`` at the first location clear of every line of ``ax`` and
    ``twins``; else at the upper right above the data, the y range stretched to make room."""
    renderer = renderer_of(ax.get_figure(root=True))
    for a in (ax, *twins):  # the limits autoscaling would give, before lines are measured
        a.get_xlim(), a.get_ylim()
    lines = [ln for a in (ax, *twins) for ln in a.get_lines() if ln.get_gid() not in SKIP_GIDS]
    draw: Any = ax.legend
    legend = draw(loc=LOCATIONS[0], **kwargs)
    for loc in LOCATIONS:
        legend.set_loc(loc)
        box = legend.get_window_extent(renderer)
        if not any(_crosses(ln, box) for ln in lines):
            return legend
    legend.set_loc("upper right")
    share = legend.get_window_extent(renderer).height / ax.get_window_extent(renderer).height
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, lo + (hi - lo) / max(1.0 - share - MARGIN, 0.2))
    return legend


def _crosses(line: Any, box: Bbox) -> bool:
    """Whether ``line`` as drawn passes through ``box`` (pixels)."""
    path = line.get_transform().transform_path(line.get_path())
    return bool(path.intersects_bbox(box, filled=False))
