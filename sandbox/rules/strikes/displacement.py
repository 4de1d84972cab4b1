"""Displacement: a depot moves back to the fallback position its map gives.

When a side follows the displacement doctrine, a depot with a ``fallback``
moves there once: when it is hit, or (``displace_when = "in_range"``) as soon
as an active enemy strike asset can reach it. Its stock moves with it. Every
link into or out of it is re-measured as great-circle distance between its
ends; where a link grows longer, its transit days grow by the extra distance
at the mode's speed (:data:`SPEED_KM_PER_DAY`, rounded up to whole days). A
road link's capacity falls in proportion (the same trucks make fewer round
trips a day): ``capacity x old days / new days``. Stock already on the way
keeps its arrival day; routing sees the new lead times from the next day.

If a link now takes longer than the in-transit ring buffer holds, the buffer
grows, each pending arrival keeping its day. The state's derived geometry
(lengths, lead times, capacity into nodes) is invalidated after the move.
"""

from __future__ import annotations

import math

import numpy as np

from sandbox.state.supply import SupplyState

# How far a link's goods travel in a day, by mode (assumptions: rail ~500-700
# km a day including marshalling, one truck trip a day on hauls up to ~100 km,
# sea ~16 km/h, air freight same day). Used only to lengthen displaced links.
SPEED_KM_PER_DAY = {"rail": 600.0, "road": 100.0, "sea": 400.0, "air": 2000.0}


def move_depots(
    s: SupplyState, rows: np.ndarray, fallback: np.ndarray, modes: list[str], day: int
) -> None:
    """Move depots ``rows`` to their fallbacks (``fallback`` is (N, 2) lon, lat)."""
    if len(rows) == 0:
        return
    touched = np.flatnonzero(np.isin(s.src, rows) | np.isin(s.dst, rows))
    geo = s.geometry
    before = geo.length_km(touched)
    s.lon[rows] = fallback[rows, 0]
    s.lat[rows] = fallback[rows, 1]
    s.layout_version += 1
    extra = np.maximum(geo.length_km(touched) - before, 0.0)
    for e, km in zip(touched.tolist(), extra.tolist(), strict=True):
        if km <= 0:
            continue
        old = int(s.transit_days[e])
        new = old + math.ceil(km / SPEED_KM_PER_DAY[modes[e]])
        s.transit_days[e] = new
        if modes[e] == "road":
            s.capacity_t[e] *= old / new
    geo.invalidate()  # lengths, lead times and capacities into nodes have changed
    grow_pipeline(s, day)


def grow_pipeline(s: SupplyState, day: int) -> None:
    """Widen the ring buffer to the longest transit + 1, keeping every arrival day."""
    need = int(s.transit_days.max()) + 1 if s.n_links else 1
    old_h = s.horizon
    if need <= old_h:
        return
    grown = np.zeros((need, *s.pipeline.shape[1:]))
    for arrival in range(day + 1, day + old_h):
        grown[arrival % need] = s.pipeline[arrival % old_h]
    s.pipeline = grown
