"""What every map shares: side colours, node markers, the days-of-supply scale, the frame
around the theatre and the scale bar (the dashboard, the animation and the app's map)."""

from __future__ import annotations

from typing import Any

import numpy as np

SIDE_COLOURS = {"blue": "#1f5fbf", "red": "#c0392b"}
KIND_MARKERS = {"factory": "s", "depot": "D", "front": "^"}
DOS_CMAP = "RdYlGn"
DOS_MAX = 30.0  # days of supply at which the colour saturates
KM_PER_DEG_LAT = 111.32


def theatre_extent(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float, float]:
    """A frame around where most nodes are (far-off plants and ports fall outside it)."""
    lo_x, hi_x = np.quantile(lon, [0.1, 0.9])
    lo_y, hi_y = np.quantile(lat, [0.1, 0.9])
    pad_x = max((hi_x - lo_x) * 0.25, 1.0)
    pad_y = max((hi_y - lo_y) * 0.25, 1.0)
    return lo_x - pad_x, hi_x + pad_x, lo_y - pad_y, hi_y + pad_y


def map_aspect(extent: tuple[float, float, float, float]) -> float:
    """The axes' aspect that draws a degree of longitude as long as it is at mid-frame."""
    return float(1 / np.cos(np.radians((extent[2] + extent[3]) / 2)))


def scale_bar(ax: Any, x0: float, x1: float, y0: float, y1: float) -> list[Any]:
    """A 100 km (or 500 km) bar in the lower right corner; returns its two artists."""
    lat = y0 + 0.06 * (y1 - y0)
    km_per_deg = KM_PER_DEG_LAT * np.cos(np.radians(lat))
    km = 100.0 if (x1 - x0) * km_per_deg < 1500 else 500.0
    xe = x1 - 0.05 * (x1 - x0)
    xs = xe - km / km_per_deg
    (bar,) = ax.plot([xs, xe], [lat, lat], color="black", lw=2)
    text = ax.text((xs + xe) / 2, lat + 0.015 * (y1 - y0), f"{km:.0f} km", ha="center", fontsize=7)
    return [bar, text]
