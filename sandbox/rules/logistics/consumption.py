"""Consume: units draw what they need from their front node.

A unit needs, per day: ``guns x rounds_per_gun_per_day`` rounds, its fuel,
its spare parts per day, any other ``needs``, and spare parts per round it
actually fired. Units at one node share what is there in proportion to
their needs; what is missing is recorded as shortfall.
"""

from __future__ import annotations

import numpy as np

from sandbox.state.supply import SupplyState


def unit_requirement(s: SupplyState) -> np.ndarray:
    """What each unit asks for today before spare parts for rounds fired (U, C)."""
    need = s.needs_per_day.copy()
    if s.ammo >= 0:
        need[:, s.ammo] += s.guns_in_action * s.rounds_per_gun_per_day * s.fire_intensity
    return need


def with_expected_wear(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Needs plus the spare parts the rounds asked for would wear out (for forecasting)."""
    if s.parts < 0 or s.ammo < 0:
        return need_u
    out = need_u.copy()
    out[:, s.parts] += s.parts_per_round * need_u[:, s.ammo]
    return out


def draw(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Draw ``need_u`` (U, C) from the units' nodes; return what each unit got."""
    need_n = s.geometry.by_unit_node(need_u)
    got_n = np.minimum(s.stock, need_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(need_n > 0, got_n / need_n, 1.0)
    s.stock -= got_n
    np.maximum(s.stock, 0.0, out=s.stock)
    s.today.demand += need_n
    s.today.consumed += got_n
    s.ledger.consumed += s.side_sum(got_n)
    return need_u * ratio[s.unit_node]


def consume(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Draw the day's needs, then the spare parts for the rounds fired. Returns got (U, C)."""
    got = draw(s, need_u)
    if s.parts >= 0 and s.ammo >= 0 and s.parts_per_round.any():
        wear = np.zeros_like(need_u)
        wear[:, s.parts] = s.parts_per_round * got[:, s.ammo]
        got += draw(s, wear)
    s.unit_got = got
    return got
