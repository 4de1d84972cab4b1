"""Fire: what each side's guns in a sector really fired today, with quality and fuel.

A side's fire in a sector = rounds its units drew today (guns in action x rounds per gun,
cut by what the front node held: never more than doctrine) x its ``quality`` x its fuel
factor. Ammunition shortage cuts the rate of fire, not the lethality of a round. A side
that got a share ``f < 1`` of its fuel fires at ``1 - fuel_shortage_penalty x (1 - f)`` of
its effectiveness.
"""

from __future__ import annotations

import numpy as np

from sandbox.state.combat import F64, CombatState
from sandbox.state.supply import SupplyState


def per_sector(s: SupplyState, c: CombatState, per_unit: F64) -> F64:
    """Sum a (U,) array over the units of each sector and side: (K, 2)."""
    k = c.n_sectors
    inside = c.unit_sector >= 0
    idx = c.unit_sector[inside] * 2 + s.unit_side[inside]
    out = np.bincount(idx, weights=per_unit[inside], minlength=2 * k).astype(float)
    return out.reshape(k, 2)


def supply_ratio(got: F64, want: F64) -> F64:
    """Share of ``want`` that was got, in [0, 1] (1 where nothing was wanted)."""
    with np.errstate(over="ignore"):  # subnormal wants: the share is 1 anyway
        r = np.divide(got, want, out=np.ones_like(want, dtype=float), where=want > 0)
    return np.clip(r, 0.0, 1.0)


def fire(c: CombatState, sums: F64) -> F64:
    """Set today's ``rounds_ks`` and ``fire_ks`` from the day's sums; return the fuel share.

    ``sums`` are the sums per sector and side of the rounds drawn, the fuel needed and
    got (:func:`sandbox.rules.combat.wear.repair_and_sums`). The fuel share (K, 2) is
    the share of its fuel each side got in each sector.
    """
    c.rounds_ks = sums[0]
    fuel_ok = np.ones_like(c.rounds_ks)
    if c.fuel >= 0:
        fuel_ok = supply_ratio(sums[2], sums[1])
    effect = 1.0 - c.fuel_penalty[None, :] * (1.0 - fuel_ok)
    c.fire_ks = c.rounds_ks * c.quality[None, :] * effect
    return fuel_ok
