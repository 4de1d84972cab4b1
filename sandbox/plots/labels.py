"""Names on a map that do not overlap: a greedy placement, most important first.

Each :class:`Label` has a point (data coordinates), a text and a rank (lower is more
important). In rank order, a label tries offsets around its point (right, left, above,
below, then the diagonals, or the order it asks for) and takes the first whose box, in
display pixels, lies inside the axes, overlaps neither a label placed before it nor an
obstacle (the legend, the scale bar) and keeps clear of the other node markers; the most
important labels (fronts, arrows at the edge) may cover a marker when nothing else fits.
A label with no such offset is not drawn, so the map shows what fits and never a pile of
names. At most ``max_labels`` are drawn, and only the best ``CANDIDATES_PER_LABEL *
max_labels`` are measured, so a 10,000-node map costs what a small one does.

The boxes are measured on the figure's own renderer at its final layout: call
:func:`place_labels` after the axes' limits, aspect and neighbours (colour bars) are set,
and save the figure at the dpi it was made with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patheffects import withStroke
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

GAP_PT = 4.0  # distance between a node and its label, points
MARKER_HALF_PT = 3.0  # half the side of the box kept clear around another node's marker
PAD_PX = 1.0  # extra room around each placed box, pixels
CANDIDATES_PER_LABEL = 3
HALO = [withStroke(linewidth=2.0, foreground="white", alpha=0.85)]  # readable over lines
LABEL_GID = "map-label"  # the gid of every placed name (tests and the app find them by it)
# Unit directions tried in turn: right, left, above, below, then the four diagonals.
DIRECTIONS: tuple[tuple[float, float], ...] = (
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (1.0, 1.0),
    (-1.0, 1.0),
    (1.0, -1.0),
    (-1.0, -1.0),
)


@dataclass(frozen=True)
class Label:
    """A name to write beside a point; ``rank``: lower is placed first."""

    x: float
    y: float
    text: str
    rank: float
    colour: str = "black"
    fontsize: float = 7.0
    directions: tuple[tuple[float, float], ...] = DIRECTIONS
    gap_pt: float = GAP_PT  # from the point to the label: the marker's half-size and a little
    may_cover: bool = False  # may cover other markers when no offset keeps clear of them


def short_name(node_id: str, side: str) -> str:
    """``blue_rail_kyiv`` -> ``rail kyiv``; a front is named by its sector:
    ``blue_front_bakhmut`` -> ``bakhmut``."""
    name = node_id.removeprefix(f"{side}_")
    name = name.removeprefix("front_").removesuffix("_front")
    return name.replace("_", " ")


def offset_box(
    anchor_px: tuple[float, float],
    size_px: tuple[float, float],
    direction: tuple[float, float],
    gap_px: float,
) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a ``size_px`` box beside ``anchor_px`` towards ``direction``.

    The box touches the point's ``gap_px`` square on that side and is centred across it:
    right of the point it is centred vertically, above it centred horizontally, and on a
    diagonal it starts at the square's corner.
    """
    (ax_, ay), (w, h), (dx, dy) = anchor_px, size_px, direction
    if dx > 0:
        x0 = ax_ + gap_px
    elif dx < 0:
        x0 = ax_ - gap_px - w
    else:
        x0 = ax_ - w / 2
    if dy > 0:
        y0 = ay + gap_px
    elif dy < 0:
        y0 = ay - gap_px - h
    else:
        y0 = ay - h / 2
    return x0, y0, x0 + w, y0 + h


def _overlaps(box: tuple[float, float, float, float], boxes: np.ndarray) -> np.ndarray:
    """(K,) bool: which of ``boxes`` (K, 4) overlap ``box`` (touching edges do not)."""
    if not len(boxes):
        return np.zeros(0, dtype=bool)
    x0, y0, x1, y1 = box
    return (boxes[:, 0] < x1) & (x0 < boxes[:, 2]) & (boxes[:, 1] < y1) & (y0 < boxes[:, 3])


def place_labels(
    ax: Any,
    labels: Sequence[Label],
    max_labels: int = 40,
    obstacles: Sequence[Bbox] = (),
    markers: np.ndarray | None = None,
    marker_half_pt: np.ndarray | float = MARKER_HALF_PT,
) -> list[Annotation]:
    """Draw the labels that fit, most important first; return the drawn text artists.

    ``markers`` (M, 2): data coordinates of node markers a label should rather not cover
    (its own point is always allowed: the label sits beside it), each a square of half-side
    ``marker_half_pt`` (one for all, or one each).
    """
    fig = ax.get_figure(root=True)
    renderer = renderer_of(fig)
    frame = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72.0
    ordered = sorted(labels, key=lambda lab: lab.rank)[: CANDIDATES_PER_LABEL * max_labels]
    if not ordered:
        return []
    anchors = ax.transData.transform([(lab.x, lab.y) for lab in ordered])
    marks = _marker_boxes(ax, markers, np.asarray(marker_half_pt, dtype=float) * px_per_pt)
    placed = np.empty((0, 4))
    taken = np.array([[b.x0, b.y0, b.x1, b.y1] for b in obstacles]).reshape(-1, 4)
    drawn: list[Annotation] = []
    for lab, anchor in zip(ordered, anchors, strict=True):
        if len(drawn) >= max_labels:
            break
        text = ax.annotate(
            lab.text,
            (lab.x, lab.y),
            xytext=(0.0, 0.0),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=lab.fontsize,
            color=lab.colour,
            zorder=7,
            annotation_clip=False,
            gid=LABEL_GID,
            path_effects=HALO,
        )
        extent = text.get_window_extent(renderer)
        size = (extent.width + 2 * PAD_PX, extent.height + 2 * PAD_PX)
        room = (frame, taken, placed, marks)
        box = _choose(lab, (float(anchor[0]), float(anchor[1])), size, lab.gap_pt * px_per_pt, room)
        if box is None:
            text.remove()
            continue
        x0, y0 = box[0] + PAD_PX, box[1] + PAD_PX  # where the text's own box starts
        text.xyann = ((x0 - anchor[0]) / px_per_pt, (y0 - anchor[1]) / px_per_pt)
        placed = np.vstack([placed, box])
        drawn.append(text)
    return drawn


def renderer_of(fig: Any) -> Any:
    """The figure's renderer; a figure made without a canvas that has one gets Agg's."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _marker_boxes(ax: Any, markers: np.ndarray | None, half_px: np.ndarray) -> np.ndarray:
    if markers is None or not len(markers):
        return np.empty((0, 4))
    xy = ax.transData.transform(np.asarray(markers, dtype=float))
    half = np.broadcast_to(np.asarray(half_px, dtype=float).reshape(-1, 1), (len(xy), 1))
    return np.column_stack([xy - half, xy + half])


def _choose(
    lab: Label,
    anchor: tuple[float, float],
    size: tuple[float, float],
    gap_px: float,
    room: tuple[Bbox, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[float, float, float, float] | None:
    """The first offset clear of everything; for a label that ``may_cover`` markers, else the
    first clear of labels and obstacles."""
    frame, taken, placed, marks = room
    fallback = None
    own = (anchor[0] - 1, anchor[1] - 1, anchor[0] + 1, anchor[1] + 1)
    for direction in lab.directions:
        box = offset_box(anchor, size, direction, gap_px)
        inside = (
            frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
        )
        if not inside or _overlaps(box, placed).any() or _overlaps(box, taken).any():
            continue
        hit = _overlaps(box, marks) & ~_overlaps(own, marks)
        if not hit.any():
            return box
        if lab.may_cover and fallback is None:
            fallback = box
    return fallback
