"""Produce: factories add their day's output to their stock.

Output ramps linearly from the base rate to the ramp target, starting on
``ramp.start_day`` and taking ``ramp.days`` days (0 days: a step). A factory
that has no storage room left produces less that day: output never exceeds
storage, and what is not made is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.scenario import schema
from sandbox.state import supply_kernels
from sandbox.state.supply import SupplyState


@dataclass(frozen=True)
class Plan:
    """One plant's plan for one commodity: the ramp rule's four numbers.

    Without a ramp the target is the base (``start_day`` 0, ``days`` 0): flat output.
    """

    base_per_day: float
    target_per_day: float
    start_day: int
    days: int

    def rate(self, day: int) -> float:
        """Units the plan makes on ``day`` (before storage and strike damage): the
        kernel's arithmetic (``supply_kernels.ramp_rates``) in Python, same result."""
        elapsed = float(day) - float(self.start_day)
        if self.days > 0:
            frac = elapsed / float(self.days)
        else:
            frac = 1.0 if elapsed >= 0 else 0.0
        frac = min(max(frac, 0.0), 1.0)
        return self.base_per_day + (self.target_per_day - self.base_per_day) * frac

    @property
    def end_day(self) -> int:
        """The first day the plan makes its target."""
        return self.start_day + self.days


def plan_of(m: schema.MapFile, node: str, commodity: str) -> Plan:
    """``node``'s plan for ``commodity`` on map ``m`` (0 a day where it makes none)."""
    n = next(x for x in m.nodes if x.id == node)
    base = float(n.production.get(commodity, 0.0))
    ramp = n.ramp.get(commodity)
    if ramp is None:
        return Plan(base, base, 0, 0)
    return Plan(base, float(ramp.target), int(ramp.start_day), int(ramp.days))


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
    ramp = (s.prod_base, s.ramp_target, s.ramp_start, s.ramp_days, s.output_factor)
    if not s.finite_storage:  # the output straight into stock, no (N, C) of it between
        by_side = supply_kernels.produce_rows(
            rows, day, ramp, s.stock, s.today.produced, s.side, g.n_sides
        )
    else:
        made = np.zeros_like(s.prod_base)
        supply_kernels.ramp_rates(rows, day, *ramp, made)
        made = _fit_storage(s, made)
        by_side = supply_kernels.add_rows(rows, made, s.stock, s.today.produced, s.side, g.n_sides)
    s.ledger.produced += by_side


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
