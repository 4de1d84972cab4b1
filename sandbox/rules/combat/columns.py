"""The fight phase's daily columns: per side, and per sector.

Sums in unit (or sector) order from 0.0, as ``bincount`` and ``sum(axis=0)`` add.
"""

from __future__ import annotations

from sandbox.rules.combat.fighting import combat_state
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
    side = s.unit_side.tolist()
    sec = c.unit_sector.tolist()
    strength_u = c.strength.tolist()
    per_unit = (strength_u, s.guns_in_action.tolist(), c.worn.tolist())
    strength, guns, worn = ([0.0, 0.0] for _ in range(3))
    for u, sd in enumerate(side):
        strength[sd] += per_unit[0][u]
        guns[sd] += per_unit[1][u]
        worn[sd] += per_unit[2][u]
    rounds_ks, fire_ks = c.rounds_ks.tolist(), c.fire_ks.tolist()
    fire = [0.0, 0.0]
    for i in (0, 1):
        if fire_ks:
            fire[i] = fire_ks[0][i]
            for row in fire_ks[1:]:
                fire[i] += row[i]
    rounds = [0.0, 0.0]
    if s.ammo >= 0:
        for u, r in enumerate(s.unit_got[:, s.ammo].tolist()):
            rounds[side[u]] += r
    losses, repaired = c.losses.tolist(), c.repaired.tolist()
    out: list[float] = []
    for i in range(len(SIDES)):
        out += [strength[i], losses[i], guns[i], worn[i], repaired[i], fire[i]]
    out.append(rounds[1] / rounds[0] if rounds[0] > 1e-9 else float("nan"))
    strength_ks = [[0.0, 0.0] for _ in c.ids]
    for u, k in enumerate(sec):
        if k >= 0:
            strength_ks[k][side[u]] += strength_u[u]
    front_km, control = c.front_km.tolist(), c.control.tolist()
    for j in range(len(c.ids)):
        out += [float(front_km[j]), float(control[j])]
        out += [rounds_ks[j][0], strength_ks[j][0], rounds_ks[j][1], strength_ks[j][1]]
    return out
