"""Coastlines and land borders under a map, from Natural Earth (public domain).

The data ship with the package (``sandbox/data/basemap.json``, built by ``scripts/make-basemap``
from Natural Earth 4.1.0 via the npm package ``world-atlas``): the world at 1:110m and Europe
with the Middle East at 1:50m. :func:`draw_basemap` picks the finer layer when the frame lies
inside it, keeps the lines that touch the frame, and draws each kind in one ``LineCollection``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

COAST_STYLE = {"colors": "#8a9bb0", "linewidths": 0.7}
BORDER_STYLE = {"colors": "#b0b0b0", "linewidths": 0.6, "linestyles": "dashed"}


@cache
def basemap_data() -> dict[str, Any]:
    """The shipped basemap: ``{"source", "detail_box", "world", "detail"}``."""
    text = resources.files("sandbox.data").joinpath("basemap.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    for layer in ("world", "detail"):
        for kind in ("coast", "borders"):
            data[layer][kind] = [np.asarray(line, dtype=float) for line in data[layer][kind]]
    return data


def lines_in_frame(
    extent: tuple[float, float, float, float],
) -> tuple[str, list[np.ndarray], list[np.ndarray]]:
    """(layer name, coastlines, borders) with at least one point in the lon/lat frame."""
    x0, x1, y0, y1 = extent
    data = basemap_data()
    bx0, bx1, by0, by1 = data["detail_box"]
    name = "detail" if bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1 else "world"

    def touching(lines: list[np.ndarray]) -> list[np.ndarray]:
        return [
            ln
            for ln in lines
            if ln[:, 0].max() >= x0
            and ln[:, 0].min() <= x1
            and ln[:, 1].max() >= y0
            and ln[:, 1].min() <= y1
        ]

    layer = data[name]
    return name, touching(layer["coast"]), touching(layer["borders"])


def draw_basemap(ax: Any, extent: tuple[float, float, float, float]) -> int:
    """Draw coastlines and borders under everything else; returns the number of lines drawn."""
    from matplotlib.collections import LineCollection

    _, coast, borders = lines_in_frame(extent)
    if coast:
        ax.add_collection(LineCollection(coast, zorder=0.5, **COAST_STYLE))
    if borders:
        ax.add_collection(LineCollection(borders, zorder=0.5, **BORDER_STYLE))
    return len(coast) + len(borders)
