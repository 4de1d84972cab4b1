"""The fight phase's daily columns: per side, and per sector.

Sums in unit (or sector) order from 0.0, as ``bincount`` and ``sum(axis=0)`` add.
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.combat.fighting import combat_state
from sandbox.state import kernels
from sandbox.state.columns import COMBAT, daily_names
from sandbox.state.supply import SIDES, SupplyState

SIDE_COLUMNS = COMBAT.daily.side  # declared, with the rest, in sandbox/state/columns.py


def column_names(sector_ids: list[str]) -> list[str]:
    """This rule's daily columns, in :func:`daily_values` order."""
    return daily_names([COMBAT], sector_ids=sector_ids)


def daily_columns(s: SupplyState) -> dict[str, float]:
    """Today's combat columns (all zeros for a state without combat set up)."""
    c = combat_state(s)
    names = column_names(c.ids if c is not None else [])
    return dict(zip(names, daily_values(s), strict=True))


def daily_values(s: SupplyState) -> list[float]:
    """:func:`daily_columns`' values in :func:`column_names` order.

    Sums in unit (or sector) order from 0.0, as ``bincount`` and ``sum(axis=0)`` add.
    """
    c = combat_state(s)
    if c is None:
        return [0.0] * len(column_names([]))
    per_unit = np.stack([c.strength, s.guns_in_action, c.worn], axis=1)
    strength, guns, worn = kernels.scatter_add(s.unit_side, per_unit, len(SIDES)).T.tolist()
    rounds_ks, fire_ks = c.rounds_ks.tolist(), c.fire_ks.tolist()
    fire = [0.0, 0.0]
    for i in (0, 1):
        if fire_ks:
            fire[i] = fire_ks[0][i]
            for row in fire_ks[1:]:
                fire[i] += row[i]
    losses, repaired = c.losses.tolist(), c.repaired.tolist()
    out: list[float] = []
    for i in range(len(SIDES)):
        out += [strength[i], losses[i], guns[i], worn[i], repaired[i], fire[i]]
    strength_ks = _per_sector_and_side(s, c.unit_sector, c.strength, len(c.ids))
    front_km, control = c.front_km.tolist(), c.control.tolist()
    for j in range(len(c.ids)):
        out += [float(front_km[j]), float(control[j])]
        out += [rounds_ks[j][0], strength_ks[j][0], rounds_ks[j][1], strength_ks[j][1]]
    return out


def _per_sector_and_side(
    s: SupplyState, sector: np.ndarray, per_unit: np.ndarray, k: int
) -> list[list[float]]:
    """(K, S) nested lists: ``per_unit`` summed by sector and side in unit order from 0.0.

    Units outside any sector (``sector < 0``) are left out.
    """
    inside = np.flatnonzero(sector >= 0)
    cell = sector[inside] * len(SIDES) + s.unit_side[inside]
    sums = kernels.scatter_add(cell, per_unit[inside, None], k * len(SIDES))
    return sums.reshape(k, len(SIDES)).tolist()
