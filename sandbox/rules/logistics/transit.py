"""Ship and arrive: each link is a pipeline of its transit days.

Stock shipped on day ``d`` over a link of ``transit_days = k`` arrives on the
morning of day ``d + k``. The pipeline is a ring buffer indexed by arrival
day, so in steady state the stock in transit on a link is its daily flow
times its transit days (Little's law).
"""

from __future__ import annotations

import numpy as np

from sandbox.state.supply import SupplyState


def ship(s: SupplyState, flows: np.ndarray, day: int) -> None:
    s.stock -= s.geometry.by_src(flows)
    np.maximum(s.stock, 0.0, out=s.stock)  # float rounding only: flows never exceed stock
    slot = (day + s.transit_days) % s.horizon
    s.pipeline[slot, s.link_rows] += flows
    s.in_transit += flows
    s.today.shipped += flows


def arrive(s: SupplyState, day: int) -> None:
    slot = day % s.horizon
    arriving = s.pipeline[slot].copy()
    s.pipeline[slot] = 0.0
    s.in_transit -= arriving
    np.maximum(s.in_transit, 0.0, out=s.in_transit)
    received = s.geometry.by_dst(arriving)
    s.stock += received
    s.today.received += received
