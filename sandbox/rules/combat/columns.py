"""The fight phase's daily columns: per side, and per sector.

Sums in unit (or sector) order from 0.0, as ``bincount`` and ``sum(axis=0)`` add.
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.combat.fighting import combat_state
from sandbox.state import combat_kernels
from sandbox.state.columns import COMBAT, daily_names
from sandbox.state.supply import SIDES, SupplyState

SIDE_COLUMNS = COMBAT.daily.side  # declared, with the rest, in sandbox/state/columns.py
# the layout combat_kernels.daily_values writes: 6 per side, then 6 per sector
_LAYOUT = (
    ("strength", "losses", "guns_in_action", "guns_worn", "guns_repaired", "fire"),
    ("front_km", "control"),
    ("rounds", "strength"),
)
if (COMBAT.daily.side, COMBAT.daily.sector, COMBAT.daily.sector_side) != _LAYOUT:
    raise ImportError("the combat columns' declaration is not the daily_values kernel's layout")
PER_SIDE, PER_SECTOR = len(SIDES) * 6, 2 + len(SIDES) * 2


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
    out = np.empty(n_values(s))
    write_values(s, out)
    return out.tolist()


def n_values(s: SupplyState) -> int:
    """How many daily columns the fight has on this state."""
    c = combat_state(s)
    return PER_SIDE + PER_SECTOR * (len(c.ids) if c is not None else 0)


def write_values(s: SupplyState, out: np.ndarray) -> None:
    """Write :func:`daily_values` into ``out`` (a float array of :func:`n_values`):
    one pass over the units (:func:`combat_kernels.daily_values`)."""
    c = combat_state(s)
    if c is None:
        out[:] = 0.0
        return
    combat_kernels.daily_values(
        (c.strength, s.guns_in_action, c.worn),
        s.unit_side,
        c.unit_sector,
        (c.losses, c.repaired),
        (c.rounds_ks, c.fire_ks, c.front_km, c.control),
        out,
    )
