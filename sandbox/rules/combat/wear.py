"""Wear and repair: worn guns out of action until a spare-part kit arrives and is drawn.

Each round fired wears ``1 / barrel_life_rounds`` of a gun; each worn gun is owed one kit
(``s.worn_backlog``, demanded once, the day after the wear: ``s.worn_new``) and comes back
into action, from the next day's fire on, with the share of the kits owed that was drawn.
Losses take worn and working guns alike: a unit's guns alive are
``guns x strength / initial strength``.
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.combat.fire import supply_ratio
from sandbox.state.combat import F64, CombatState
from sandbox.state.supply import SupplyState


def repair(s: SupplyState, c: CombatState) -> None:
    """Return to action the worn guns whose kits were drawn today (sets ``c.repaired``).

    ``c.repaired`` starts the day at 0 (``s.begin_day``) and stays so when no gun is worn.
    """
    if s.parts >= 0 and c.worn.any():
        drawn = supply_ratio(s.unit_got[:, s.parts], s.needs_per_day[:, s.parts] + s.worn_backlog)
        fixed = c.worn * drawn
        c.worn -= fixed
        c.repaired = np.bincount(s.unit_side, weights=fixed, minlength=2)


def take_losses(s: SupplyState, c: CombatState, keep: F64) -> None:
    """Scale each unit's strength and worn guns by ``keep`` (U,); set ``c.losses``."""
    before = c.strength.copy()
    c.strength *= keep
    c.worn *= keep
    c.losses = np.bincount(s.unit_side, weights=before - c.strength, minlength=2)


def wear(s: SupplyState, c: CombatState, alive: F64, rounds_u: F64) -> None:
    """Wear from today's rounds; the guns in action tomorrow and the kits they ask for.

    ``alive`` (U,) is each unit's guns alive after today's losses.
    """
    kept = c.worn
    c.worn = np.minimum(kept + rounds_u * c.wear_per_round, alive)
    s.guns_in_action[:] = alive - c.worn
    s.worn_backlog[:] = c.worn  # the kits owed
    s.worn_new[:] = np.maximum(c.worn - kept, 0.0)  # demanded tomorrow
