"""Produce: factories add their day's output to their stock.

Output ramps linearly from the base rate to the ramp target, starting on
``ramp.start_day`` and taking ``ramp.days`` days (0 days: a step). A factory
that has no storage room left produces less that day: output never exceeds
storage, and what is not made is not counted.
"""

from __future__ import annotations

import numpy as np

from sandbox.state.supply import SupplyState


def rate(s: SupplyState, day: int) -> np.ndarray:
    """Units per day each factory would make on ``day`` (N, C)."""
    elapsed = day - s.ramp_start
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(s.ramp_days > 0, elapsed / s.ramp_days, (elapsed >= 0).astype(float))
    frac = np.clip(frac, 0.0, 1.0)
    return s.prod_base + (s.ramp_target - s.prod_base) * frac


def produce(s: SupplyState, day: int) -> None:
    made = rate(s, day) * s.output_factor[:, None]
    made = _fit_storage(s, made)
    s.stock += made
    s.today.produced += made
    s.ledger.produced += s.side_sum(made)


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
