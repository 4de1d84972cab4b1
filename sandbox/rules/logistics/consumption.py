"""Consume: units draw what they need from their front node.

A unit needs, per day: ``guns x rounds_per_gun_per_day`` rounds (times a
random factor ``max(0, 1 + demand_cv x Z)`` when the unit sets ``demand_cv``),
its fuel, its spare parts per day, any other ``needs``, spare parts per round
it actually fired, and one spare-part kit for each of its worn guns. Units at
one node share what is there in proportion to their needs; what is missing is
recorded as shortfall.

Spare parts for barrel wear are demanded once: a gun worn by today's fire is
today's new wear (``s.worn_new``), first demanded at the next draw; until its
kit is drawn it stays in the backlog (``s.worn_backlog``), which the unit draws
on every day but which is never demanded again. The day's recorded demand of
spare parts is therefore the base need plus the new wear, however long the
backlog waits (a day that clears a backlog consumes more than it demands).
"""

from __future__ import annotations

import numpy as np

from sandbox.state import supply_kernels
from sandbox.state.supply import SupplyState


def unit_requirement(s: SupplyState, rng: np.random.Generator | None = None) -> np.ndarray:
    """What each unit demands today before spare parts for rounds fired (U, C).

    With ``rng``, units that set ``demand_cv`` draw today's ammunition factor
    from it (i.i.d. from day to day, truncated at zero); units without draw nothing,
    so maps without ``demand_cv`` use no random numbers here.
    """
    need = s.needs_per_day.copy()
    if s.ammo >= 0:
        rounds = s.guns_in_action * s.rounds_per_gun_per_day * s.fire_intensity
        if rng is not None:
            rounds = rounds * demand_factor(s, rng)
        need[:, s.ammo] += rounds
    return need


def demand_factor(s: SupplyState, rng: np.random.Generator) -> np.ndarray:
    """(U,) today's ammunition demand factor: ``max(0, 1 + demand_cv x Z)``, 1 without cv."""
    factor = np.ones(len(s.demand_cv))
    varied = np.flatnonzero(s.demand_cv > 0)
    if varied.size:
        z = rng.standard_normal(varied.size)
        factor[varied] = np.maximum(1.0 + s.demand_cv[varied] * z, 0.0)
    return factor


def with_expected_wear(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Needs plus the spare parts the rounds asked for would wear out (for forecasting).

    Per round: ``parts_per_round`` plus ``wear_per_round`` (one kit a barrel, so
    ``1 / barrel_life_rounds``), from day 1 on; never the backlog of worn guns.
    """
    if s.parts < 0 or s.ammo < 0:
        return need_u
    out = need_u.copy()
    out[:, s.parts] += (s.parts_per_round + s.wear_per_round) * need_u[:, s.ammo]
    return out


def draw(
    s: SupplyState,
    need_u: np.ndarray,
    demand_u: np.ndarray | None = None,
    only: int | None = None,
) -> np.ndarray:
    """Draw ``need_u`` (U, C) from the units' nodes; return what each unit got.

    Each node gives what it holds of its units' summed need, and each of its
    units gets the same share of its own need. ``demand_u`` is what is
    recorded as today's demand (default: ``need_u``). ``only``: the one
    column that is not zero in ``need_u`` and ``demand_u``, if there is one
    (the others are then skipped, not drawn as zeros).
    """
    g = s.geometry
    t = s.today
    cols = np.arange(need_u.shape[1]) if only is None else np.array([only])
    got_u, by_side = supply_kernels.draw(
        s.stock,
        need_u,
        need_u if demand_u is None else demand_u,
        cols,
        s.unit_node,
        g.unit_rows,
        g.scratch("draw", (2, *s.stock.shape)),
        t.demand,
        t.consumed,
        s.side,
        g.n_sides,
    )
    s.ledger.consumed += by_side
    return got_u


def consume(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Draw the day's needs and the kits owed, then the spare parts for the rounds fired.

    Returns got (U, C).
    """
    if s.parts >= 0 and s.worn_backlog.any():
        ask, demand = need_u.copy(), need_u.copy()
        ask[:, s.parts] += s.worn_backlog
        demand[:, s.parts] += s.worn_new
        got = draw(s, ask, demand)
    else:
        got = draw(s, need_u)
    s.worn_new[:] = 0.0
    if s.parts >= 0 and s.ammo >= 0 and s.parts_per_round.any():
        wear = np.zeros_like(need_u)
        wear[:, s.parts] = s.parts_per_round * got[:, s.ammo]
        got += draw(s, wear, only=s.parts)
    s.unit_got = got
    return got
