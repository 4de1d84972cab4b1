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

from sandbox.state import unit_kernels
from sandbox.state.supply import SupplyState


def unit_requirement(s: SupplyState, rng: np.random.Generator | None = None) -> np.ndarray:
    """What each unit demands today before spare parts for rounds fired (U, C).

    ``needs_per_day`` plus, in the ammunition column, ``guns_in_action x
    rounds_per_gun_per_day x fire_intensity`` rounds. With ``rng``, these are
    times the factor units that set ``demand_cv`` draw today
    (:func:`demand_factor`: i.i.d. from day to day, truncated at zero); units
    without draw nothing, so maps without ``demand_cv`` use no random numbers here.
    """
    factor = _EMPTY  # the same as all ones (``x * 1.0`` is ``x``), and no numbers drawn
    if s.ammo >= 0 and rng is not None and unit_kernels.any_nonzero(s.demand_cv):
        factor = demand_factor(s, rng)
    fire = (s.guns_in_action, s.rounds_per_gun_per_day, s.fire_intensity, factor)
    return unit_kernels.unit_need(s.needs_per_day, fire, s.ammo)


_EMPTY = np.zeros(0)


def demand_factor(s: SupplyState, rng: np.random.Generator) -> np.ndarray:
    """(U,) today's ammunition demand factor: ``max(0, 1 + demand_cv x Z)``, 1 without cv."""
    factor = np.ones(len(s.demand_cv))
    varied = np.flatnonzero(s.demand_cv > 0)
    if varied.size:
        z = rng.standard_normal(varied.size)
        factor[varied] = np.maximum(1.0 + s.demand_cv[varied] * z, 0.0)
    return factor


def wear_columns(s: SupplyState) -> tuple[np.ndarray, np.ndarray, int, int]:
    """``(parts_per_round, wear_per_round, ammo, parts)`` for
    :func:`sandbox.state.supply_kernels.wear_need`; ``parts`` -1 where nothing wears
    (no spare-parts or no ammunition column)."""
    parts = s.parts if s.parts >= 0 and s.ammo >= 0 else -1
    return s.parts_per_round, s.wear_per_round, s.ammo, parts


def with_expected_wear(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Needs plus the spare parts the rounds asked for would wear out (for forecasting).

    Per round: ``parts_per_round`` plus ``wear_per_round`` (one kit a barrel, so
    ``1 / barrel_life_rounds``), from day 1 on; never the backlog of worn guns.
    (The daily order adds them as it sums the needs: ordering.order.)
    """
    if s.parts < 0 or s.ammo < 0:
        return need_u
    return unit_kernels.expected_wear(need_u, wear_columns(s))


def consume(s: SupplyState, need_u: np.ndarray) -> np.ndarray:
    """Draw the day's needs and the kits owed, then the spare parts for the rounds fired.

    Each node gives what it holds of its units' summed ask, and each of its
    units gets the same share of its own ask (:func:`unit_kernels.draw`); a unit
    asks its need and, in the spare-parts column, the kits it is owed
    (``s.worn_backlog``), and is recorded as demanding its need and the kits
    newly worn (``s.worn_new``). Then each unit asks ``parts_per_round`` for
    every round it got, drawn the same way, node by node after the first.
    Returns got (U, C), kept as ``s.unit_got``.
    """
    g = s.geometry
    by_node = (g.units_by_node.rows, g.units_by_node.ptr, g.units_by_node.units)
    records = (s.today.demand, s.today.consumed)
    owed = (-1, _EMPTY, _EMPTY)
    if s.parts >= 0 and unit_kernels.any_nonzero(s.worn_backlog):
        owed = (s.parts, s.worn_backlog, s.worn_new)
    wear = (_EMPTY, -1, -1)
    if s.parts >= 0 and s.ammo >= 0 and unit_kernels.any_nonzero(s.parts_per_round):
        wear = (s.parts_per_round, s.ammo, s.parts)
    got, by_side, by_side_wear = unit_kernels.draw(
        s.stock, need_u, (owed, wear), by_node, records, s.side, g.n_sides, g.columns
    )
    s.ledger.consumed += by_side
    s.worn_new[:] = 0.0
    if wear[2] >= 0:
        s.ledger.consumed += by_side_wear  # the second draw's, as a second sum
    s.unit_got = got
    return got
