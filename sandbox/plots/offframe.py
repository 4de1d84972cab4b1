"""Nodes off the map's frame, shown by direction: an arrowhead at the edge pointing at them.

A map's frame is the theatre (:func:`sandbox.plots.style.theatre_extent`); far plants and
ports fall outside it. Rather than pinning them to the edge (where their names pile up),
each is given its bearing from the frame's centre in the map's own projection (longitude
scaled by the cosine of the centre's latitude, as the axes' aspect draws it), nodes are
grouped by bearing into :data:`SECTORS` sectors, and each group gets one arrowhead where
its mean bearing leaves the frame, with a name (``name +2`` for a group) placed like the
other labels. The links to these nodes are drawn to their true positions and leave the
frame on their way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.markers import MarkerStyle
from matplotlib.transforms import IdentityTransform

from sandbox.plots.labels import DIRECTIONS, Label

SECTORS = 12  # groups of bearing, 30 degrees each
INSET = 0.035  # arrowheads sit this share of the frame's half-size inside the edge
EDGE_RANK = -1.0  # their names are placed before every node's
ARROW_SIZE = 90.0  # scatter size (points squared)
ARROW_GAP_PT = 6.0  # from the arrowhead's centre to its name
MIXED_COLOUR = "dimgrey"
EDGE_GID = "edge-marker"

Extent = tuple[float, float, float, float]  # lon0, lon1, lat0, lat1


@dataclass(frozen=True)
class EdgeMarker:
    """One arrowhead at the frame's edge: where, which way (degrees, 0 = east, 90 = north),
    and the nodes it stands for (in order of distance, nearest first)."""

    lon: float
    lat: float
    angle_deg: float
    rows: tuple[int, ...]


def outside(lon: np.ndarray, lat: np.ndarray, extent: Extent) -> np.ndarray:
    """(N,) bool: the nodes beyond the frame."""
    x0, x1, y0, y1 = extent
    return (lon < x0) | (lon > x1) | (lat < y0) | (lat > y1)


def bearing_deg(lon: np.ndarray, lat: np.ndarray, extent: Extent) -> np.ndarray:
    """Direction of each point from the frame's centre as the map draws it (0 = east)."""
    x0, x1, y0, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    k = math.cos(math.radians(cy))
    return np.degrees(np.arctan2(np.asarray(lat) - cy, (np.asarray(lon) - cx) * k))


def edge_point(angle_deg: float, extent: Extent, inset: float = INSET) -> tuple[float, float]:
    """Where a ray from the frame's centre at ``angle_deg`` meets the (inset) frame."""
    x0, x1, y0, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    k = math.cos(math.radians(cy))
    half_u, half_v = (x1 - x0) / 2 * k * (1 - inset), (y1 - y0) / 2 * (1 - inset)
    cu, sv = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    t = min(
        half_u / abs(cu) if abs(cu) > 1e-12 else math.inf,
        half_v / abs(sv) if abs(sv) > 1e-12 else math.inf,
    )
    return cx + t * cu / k, cy + t * sv


def edge_markers(lon: np.ndarray, lat: np.ndarray, extent: Extent) -> list[EdgeMarker]:
    """One marker per sector of bearing holding nodes beyond the frame."""
    off = np.flatnonzero(outside(lon, lat, extent))
    if not len(off):
        return []
    angles = bearing_deg(lon[off], lat[off], extent)
    x0, x1, y0, y1 = extent
    k = math.cos(math.radians((y0 + y1) / 2))
    dist = np.hypot((lon[off] - (x0 + x1) / 2) * k, lat[off] - (y0 + y1) / 2)
    width = 360.0 / SECTORS
    sector = np.floor((angles + 180.0 + width / 2) / width).astype(int) % SECTORS
    out = []
    for s in np.unique(sector).tolist():
        members = np.flatnonzero(sector == s)
        rad = np.radians(angles[members])
        mean = math.degrees(math.atan2(float(np.sin(rad).mean()), float(np.cos(rad).mean())))
        ex, ey = edge_point(mean, extent)
        rows = tuple(int(off[m]) for m in members[np.argsort(dist[members], kind="stable")])
        out.append(EdgeMarker(ex, ey, mean, rows))
    return out


def marker_text(rows: Sequence[int], names: Sequence[str]) -> str:
    """``name`` for one node, ``name +2`` for three (the nearest named)."""
    first = names[rows[0]]
    return first if len(rows) == 1 else f"{first} +{len(rows) - 1}"


def draw_edge_markers(
    ax: Any,
    markers: Sequence[EdgeMarker],
    names: Sequence[str],
    colours: Sequence[str],
) -> list[Label]:
    """Draw the arrowheads (one collection, ``gid`` "edge-marker", each path rotated to its
    bearing); return their names, to place with :func:`sandbox.plots.labels.place_labels`."""
    if not markers:
        return []
    paths, faces, labels = [], [], []
    for m in markers:
        mixed = len({colours[r] for r in m.rows}) > 1
        colour = MIXED_COLOUR if mixed else colours[m.rows[0]]
        arrow = MarkerStyle("^").rotated(deg=m.angle_deg - 90.0)  # "^" points north
        paths.append(arrow.get_path().transformed(arrow.get_transform()))
        faces.append(colour)
        text = marker_text(m.rows, names)
        labels.append(
            Label(
                m.lon, m.lat, text, EDGE_RANK, colour, 7.0, inward(m.angle_deg), ARROW_GAP_PT, True
            )
        )
    arrows = PathCollection(
        paths,
        sizes=[ARROW_SIZE] * len(paths),
        offsets=[(m.lon, m.lat) for m in markers],
        offset_transform=ax.transData,
        transform=IdentityTransform(),  # paths in points, scaled by sizes as a scatter's
        facecolors=faces,
        edgecolors="white",
        linewidths=0.5,
        zorder=6,
    )
    arrows.set_gid(EDGE_GID)
    ax.add_collection(arrows, autolim=False)
    return labels


def inward(angle_deg: float) -> tuple[tuple[float, float], ...]:
    """Label offsets for an arrowhead, those facing back into the frame first."""
    back = (-math.cos(math.radians(angle_deg)), -math.sin(math.radians(angle_deg)))
    return tuple(
        sorted(DIRECTIONS, key=lambda d: -(d[0] * back[0] + d[1] * back[1]) / math.hypot(*d))
    )
