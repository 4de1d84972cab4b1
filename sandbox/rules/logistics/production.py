"""Produce: factories add their day's output to their stock.

Output ramps linearly from the base rate to the ramp target, starting on
``ramp.start_day`` and taking ``ramp.days`` days (0 days: a step). A factory
that has no storage room left produces less that day: output never exceeds
storage, and what is not made is not counted.
"""

from __future__ import annotations

import numpy as np

from sandbox.state import supply_kernels
from sandbox.state.supply import SupplyState


def rate(s: SupplyState, day: int) -> np.ndarray:
    """Units per day each factory would make on ``day`` (N, C); 0 where nothing is made."""
    out = np.zeros_like(s.prod_base)
    rows = s.geometry.producing.rows
    ones = np.ones(s.n_nodes)
    supply_kernels.ramp_rates(
        rows, day, s.prod_base, s.ramp_target, s.ramp_start, s.ramp_days, ones, out
    )
    return out


def produce(s: SupplyState, day: int) -> None:
    """Add the day's output (the rate times the output factor, fitted to storage) to stock.

    Only the producing rows (:attr:`Geometry.producing`) are computed: elsewhere
    the rate is exactly zero, and adding zeros changes nothing.
    """
    g = s.geometry
    rows = g.producing.rows
    made = np.zeros_like(s.prod_base)
    supply_kernels.ramp_rates(
        rows, day, s.prod_base, s.ramp_target, s.ramp_start, s.ramp_days, s.output_factor, made
    )
    made = _fit_storage(s, made)
    s.ledger.produced += supply_kernels.add_rows(
        rows, made, s.stock, s.today.produced, s.side, g.n_sides
    )


def _fit_storage(s: SupplyState, made: np.ndarray) -> np.ndarray:
    """Scale output down where it would overfill a node's storage (tonnes)."""
    if not s.finite_storage:
        return made
    made_t = s.tonnes(made)
    room_t = s.storage_t - s.tonnes(s.stock) - s.tonnes(s.inbound())
    over = made_t > np.maximum(room_t, 0.0)
    if not over.any():
        return made
    scale = np.ones_like(made_t)
    scale[over] = np.maximum(room_t[over], 0.0) / made_t[over]
    return made * scale[:, None]
