"""Wear and repair: worn guns out of action until a spare-part kit arrives and is drawn.

Each round fired wears ``1 / barrel_life_rounds`` of a gun; each worn gun is owed one kit
(``s.worn_backlog``, demanded once, the day after the wear: ``s.worn_new``) and comes back
into action, from the next day's fire on, with the share of the kits owed that was drawn.
Losses take worn and working guns alike: a unit's guns alive are
``guns x strength / initial strength``.
"""

from __future__ import annotations

from sandbox.state import combat_kernels, unit_kernels
from sandbox.state.combat import F64, CombatState
from sandbox.state.supply import SupplyState


def repair_and_sums(s: SupplyState, c: CombatState) -> F64:
    """Return to action the worn guns whose kits were drawn today; the day's sums.

    Each unit's worn guns come back in the share of its kits owed that it drew
    (``supply_ratio(spare parts got, needed + kits owed)``); ``c.repaired`` (per side)
    starts the day at 0 (``s.begin_day``) and stays so when no gun is worn. Returns the
    sums per sector and side (:data:`combat_kernels.SUMS`, K, 2) of the rounds drawn,
    the fuel needed and got and the strength, from the same pass over the units
    (:func:`combat_kernels.morning`).
    """
    repair = s.parts >= 0 and unit_kernels.any_nonzero(c.worn)
    sums, repaired = combat_kernels.morning(
        s.unit_got,
        s.needs_per_day,
        s.worn_backlog,
        c.strength,
        c.worn,
        c.unit_sector,
        s.unit_side,
        c.n_sectors,
        (s.ammo, c.fuel, s.parts),
        repair,
    )
    if repair:
        c.repaired = repaired
    return sums


def losses_and_wear(s: SupplyState, c: CombatState, share_lost: F64) -> None:
    """Take today's losses (``share_lost`` per sector and side, (K, 2)) and wear.

    Losses scale a unit's strength and worn guns alike (sets ``c.losses``); the guns
    alive after them are ``guns x morning strength / initial strength x keep``. Today's
    rounds wear ``rounds x wear_per_round`` guns more, at most the guns alive: the worn
    guns are the kits owed (``s.worn_backlog``), the rise the kits demanded tomorrow
    (``s.worn_new``), the rest the guns in action tomorrow (:func:`combat_kernels.evening`).
    """
    c.losses = combat_kernels.evening(
        c.strength,
        c.strength0,
        c.worn,
        s.guns,
        share_lost,
        c.unit_sector,
        s.unit_side,
        (s.unit_got, s.ammo, c.wear_per_round),
        (s.guns_in_action, s.worn_backlog, s.worn_new),
    )
