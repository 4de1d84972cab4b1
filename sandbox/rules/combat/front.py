"""The front: where the line moves, and when a sector falls.

The side with more effective fire today (``P``: rounds fired x quality x fuel factor) is
the attacker. It gains ground only if its fire exceeds ``attack_ratio`` times the
defender's (the defender's advantage of prepared positions; doctrine asks about 3:1 at the
point of attack, the default), and then at

    km_per_day x (1 - attack_ratio x P_defender / P_attacker)    km a day,

0 at the threshold, rising to ``km_per_day`` when the defender fires nothing. So a
near-balanced sector holds. A side short of fuel does not advance (the move is 0).

Postures (``s.postures``, from the map's ``[[operations]]``): during an ``offensive``
window only the posture's attacker may advance (the threshold still applies, so an
attacker without the fire holds and the defender never gains ground there); a
``defensive`` or ``quiet`` sector holds whatever the fire. A sector without a window
today follows the fire alone, as above. A side
whose strength drops below ``fall_threshold`` of its initial strength loses the sector; a
fallen sector is quiet: its units stop asking for ammunition.
"""

from __future__ import annotations

import numpy as np

from sandbox.state import combat_kernels
from sandbox.state.combat import F64, CombatState
from sandbox.state.supply import SupplyState

SHORT = 1e-9  # a supply ratio below 1 - SHORT is a shortage
_NO_POSTURES = (np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8))


def move_and_fall(s: SupplyState, c: CombatState, fuel_ok: F64, strength_ks: F64, loss_ks: F64):
    """Move each contested sector's ``front_km`` by today's front law, then hand a sector
    to the other side when a side's strength (``strength_ks - loss_ks``, (K, 2)) drops
    below the threshold, and stand its units down (module docstring): one compiled pass
    over the sectors and one over the units (:func:`combat_kernels.front_and_falls`)."""
    p = s.postures
    combat_kernels.front_and_falls(
        (c.fire_ks, fuel_ok, strength_ks, loss_ks),
        (c.attack_ratio, c.km_per_day, c.fall_threshold, c.strength0_ks),
        _NO_POSTURES if p is None else (p.posture, p.attacker),
        p is not None,
        (c.front_km, c.control, c.fell_on),
        (c.unit_sector, s.fire_intensity),
        s.day,
        1.0 - SHORT,
    )
