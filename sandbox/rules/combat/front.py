"""The front: where the line moves, and when a sector falls.

The side with more effective fire today (``P``: rounds fired x quality x fuel factor) is
the attacker. It gains ground only if its fire exceeds ``attack_ratio`` times the
defender's (the defender's advantage of prepared positions; doctrine asks about 3:1 at the
point of attack, the default), and then at

    km_per_day x (1 - attack_ratio x P_defender / P_attacker)    km a day,

0 at the threshold, rising to ``km_per_day`` when the defender fires nothing. So a
near-balanced sector holds. A side short of fuel does not advance (the move is 0). A side
whose strength drops below ``fall_threshold`` of its initial strength loses the sector; a
fallen sector is quiet: its units stop asking for ammunition.
"""

from __future__ import annotations

import numpy as np

from sandbox.state.combat import BLUE_HOLDS, CONTESTED, F64, RED_HOLDS, CombatState
from sandbox.state.supply import SupplyState

SHORT = 1e-9  # a supply ratio below 1 - SHORT is a shortage


def move_front(c: CombatState, fuel_ok: F64) -> None:
    """Move each contested sector's ``front_km`` by today's front law (module docstring)."""
    pb, pr = c.fire_ks[:, 0], c.fire_ks[:, 1]
    attacker, defender = np.maximum(pb, pr), np.minimum(pb, pr)
    # the defender's fire, weighted by its advantage, as a share of the attacker's
    held = np.divide(
        c.attack_ratio * defender, attacker, out=np.ones_like(attacker), where=attacker > 0
    )
    speed = c.km_per_day * np.clip(1.0 - held, 0.0, 1.0)
    move = np.where(pb > pr, speed, -speed)
    short = fuel_ok < 1.0 - SHORT
    move = np.where((move > 0) & short[:, 0], 0.0, move)
    move = np.where((move < 0) & short[:, 1], 0.0, move)
    c.front_km += np.where(c.control == CONTESTED, move, 0.0)


def falls(s: SupplyState, c: CombatState, strength_ks: F64) -> None:
    """Hand a sector to the other side when a side's strength drops below the threshold."""
    held = np.divide(
        strength_ks, c.strength0_ks, out=np.ones_like(strength_ks), where=c.strength0_ks > 0
    )
    below = held < c.fall_threshold[:, None]
    contested = c.control == CONTESTED
    red_loses = contested & below[:, 1] & (~below[:, 0] | (held[:, 1] <= held[:, 0]))
    blue_loses = contested & below[:, 0] & ~red_loses
    c.control[red_loses] = BLUE_HOLDS
    c.control[blue_loses] = RED_HOLDS
    c.fell_on[red_loses | blue_loses] = s.day
    quiet = c.unit_sector >= 0
    quiet[quiet] = c.control[c.unit_sector[quiet]] != CONTESTED
    s.fire_intensity[quiet] = 0.0
