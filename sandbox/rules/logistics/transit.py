"""Ship and arrive: each link is a pipeline of its transit days.

Stock shipped on day ``d`` over a link of ``transit_days = k`` arrives on the
morning of day ``d + k``. The pipeline is a ring buffer indexed by arrival
day, so in steady state the stock in transit on a link is its daily flow
times its transit days (Little's law).
"""

from __future__ import annotations

import numpy as np

from sandbox.state import kernels
from sandbox.state.supply import SupplyState


def ship(s: SupplyState, flows: np.ndarray, day: int) -> None:
    """Take ``flows`` (E, C) from the senders and put them on the links' pipelines."""
    s.inbound_sum = s.route_inputs = None  # stock moves: the order's sums are not today's
    kernels.ship(
        s.stock,
        s.pipeline,
        s.in_transit,
        s.today.shipped,
        flows,
        s.src,
        s.transit_days,
        day,
        s.geometry.columns,
    )


def arrive(s: SupplyState, day: int) -> None:
    """Empty today's slot of every pipeline into the receivers' stock; what stays on the
    links, summed by receiver, into ``s.inbound_sum`` (for the order)."""
    s.route_inputs = None  # stock moves: an order's position is no longer today's
    inbound = s.geometry.scratch("route_inputs", (4, *s.stock.shape))[0]
    ring = s.pipeline[day % s.horizon]
    kernels.arrive(
        s.stock, ring, s.in_transit, s.today.received, s.dst, inbound, s.geometry.columns
    )
    s.inbound_sum = inbound
