"""Fight: supply-limited fires, attrition, barrel wear, the moving front.

The ``fight`` phase runs after ``consume``, once a day, for all sectors at once
(numpy over sectors and units; per sector, the exact square- or linear-law losses
or the RK4 integration of :func:`sandbox.rules.combat.laws.daily_losses`). The rules, in order:

1. **Repairs.** Each worn gun is owed one spare-part kit (``s.worn_backlog``,
   drawn by ``consume`` on top of the unit's base ``spare_parts`` need but
   demanded only once, on the day after the wear); the share of the kits owed
   that was drawn today comes back into action (from tomorrow's fire on).
2. **Fire.** A side's fire in a sector = rounds its units really drew today
   (guns in action x rounds per gun, cut by what the front node held: never more
   than doctrine) x its ``quality`` x its fuel factor. Ammunition shortage cuts
   the rate of fire, not the lethality of a round.
3. **Fuel.** A side that got a share ``f < 1`` of its fuel fires at
   ``1 - fuel_shortage_penalty x (1 - f)`` of its effectiveness and cannot advance.
4. **Attrition.** Per sector, Helmbold's law with kill-rate coefficients from
   today's fire: ``a = kills_per_round_A x fire_A / (A^p x B0^q)``, so at the start
   of the day B loses ``kills_per_round_A x fire_A x (B / B0)^q`` per day (``B0``: B's
   initial strength in the sector), integrated in shares of the morning strengths
   (see :func:`_attrition`; loss rates capped at ``MAX_SHARE_PER_DAY``; the square and
   linear laws in closed form, :func:`sandbox.rules.combat.laws.exact_share_losses`). Losses
   reduce strength; a unit's guns alive are
   ``guns x strength / initial strength``, so losses cut tomorrow's fire and demand.
5. **Wear.** Each round fired wears ``1 / barrel_life_rounds`` of a gun; a worn gun
   is out of action until a kit arrives at its front node and is drawn. The worn
   guns become the backlog of kits owed, today's new wear the kits to demand next.
6. **Front.** The front moves ``km_per_day x (P_blue - P_red) / (P_blue + P_red)``
   km towards the weaker side (``P``: fire with quality and fuel factor); a side
   short of fuel does not advance (the move is 0). A side whose strength drops
   below ``fall_threshold`` of its initial strength in the sector loses the
   sector; a fallen sector is quiet: its units stop asking for ammunition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sandbox.rules.combat.laws import (
    Law,
    daily_losses,
    exact_share_losses,
    law_from_spec,
    losses_scalar,
)
from sandbox.scenario.load import Scenario
from sandbox.state.columns import COMBAT, daily_names
from sandbox.state.supply import SIDES, SupplyState

F64 = np.ndarray
SHORT = 1e-9  # a supply ratio below 1 - SHORT is a shortage
TINY = 1e-9  # share of initial strength below which a side no longer fights
MAX_SHARE_PER_DAY = 48.0  # cap on the morning loss rate, in own strengths per day
SUBSTEPS = 24  # RK4 steps a day (hourly) at ordinary loss rates
MAX_SUBSTEPS = 2400
CONTESTED, BLUE_HOLDS, RED_HOLDS = 0, 1, -1


@dataclass
class CombatState:
    """Per-sector (K) and per-unit (U) combat arrays; side axis 0 blue, 1 red."""

    ids: list[str]
    front: np.ndarray  # (K, 2) front node of blue and red
    law_id: np.ndarray  # (K,) index into laws
    laws: list[Law]
    p: F64  # (K,)
    q: F64  # (K,)
    km_per_day: F64  # (K,)
    fall_threshold: F64  # (K,)
    front_km: F64  # (K,) + = blue has advanced
    control: np.ndarray  # (K,) int8: CONTESTED, BLUE_HOLDS, RED_HOLDS
    fell_on: np.ndarray  # (K,) day the sector fell, 0 while contested
    strength0_ks: F64  # (K, 2) initial strength per sector and side
    unit_sector: np.ndarray  # (U,) sector of the unit's front node, -1 for none
    strength0: F64  # (U,)
    strength: F64  # (U,)
    worn: F64  # (U,) guns out of action until repaired
    wear_per_round: F64  # (U,) 1 / barrel life, 0 without wear
    quality: F64  # (2,)
    kills_per_round: F64  # (2,)
    fuel_penalty: F64  # (2,)
    fuel: int  # column of "fuel", -1 when the map has none
    # today's outcome
    rounds_ks: F64 = field(default_factory=lambda: np.zeros((0, 2)))  # (K, 2)
    fire_ks: F64 = field(default_factory=lambda: np.zeros((0, 2)))  # (K, 2)
    losses: F64 = field(default_factory=lambda: np.zeros(2))  # (2,) strength lost today
    repaired: F64 = field(default_factory=lambda: np.zeros(2))  # (2,) guns repaired today

    @property
    def n_sectors(self) -> int:
        return len(self.ids)


def setup(s: SupplyState, sc: Scenario) -> CombatState:
    """Build the combat arrays for a state (stored as ``s.combat``)."""
    m = sc.spec
    k = len(m.sectors)
    laws: list[Law] = []
    law_id = np.zeros(k, dtype=np.int64)
    for i, sec in enumerate(m.sectors):
        law = law_from_spec(sec.law)
        if law not in laws:
            laws.append(law)
        law_id[i] = laws.index(law)
    front = np.array(
        [[s.node_index[sec.blue], s.node_index[sec.red]] for sec in m.sectors], dtype=np.int64
    ).reshape(k, 2)
    node_sector = np.full(s.n_nodes, -1, dtype=np.int64)
    for i in range(k):
        node_sector[front[i]] = i
    sides = [m.sides[name] for name in SIDES]
    strength0 = np.array(
        [
            un.strength if un.strength is not None else un.guns * m.sides[un.side].quantity
            for un in m.units
        ],
        dtype=float,
    )
    unit_sector = node_sector[s.unit_node]
    c = CombatState(
        ids=[sec.id for sec in m.sectors],
        front=front,
        law_id=law_id,
        laws=laws,
        p=np.array([laws[j].p for j in law_id], dtype=float),
        q=np.array([laws[j].q for j in law_id], dtype=float),
        km_per_day=np.array([sec.km_per_day for sec in m.sectors], dtype=float),
        fall_threshold=np.array([sec.fall_threshold for sec in m.sectors], dtype=float),
        front_km=np.array([sec.front_km for sec in m.sectors], dtype=float),
        control=np.zeros(k, dtype=np.int8),
        fell_on=np.zeros(k, dtype=np.int64),
        strength0_ks=np.zeros((k, 2)),
        unit_sector=unit_sector,
        strength0=strength0,
        strength=strength0.copy(),
        worn=np.zeros(len(strength0)),
        wear_per_round=s.wear_per_round.copy(),
        quality=np.array([cfg.quality for cfg in sides]),
        kills_per_round=np.array([cfg.kills_per_round for cfg in sides]),
        fuel_penalty=np.array([cfg.fuel_shortage_penalty for cfg in sides]),
        fuel=s.commodities.index("fuel") if "fuel" in s.commodities else -1,
        rounds_ks=np.zeros((k, 2)),
        fire_ks=np.zeros((k, 2)),
    )
    c.strength0_ks = per_sector(s, c, c.strength0)
    s.combat = c
    return c


def combat_state(s: SupplyState) -> CombatState | None:
    return s.combat


def per_sector(s: SupplyState, c: CombatState, per_unit: F64) -> F64:
    """Sum a (U,) array over the units of each sector and side: (K, 2)."""
    k = c.n_sectors
    inside = c.unit_sector >= 0
    idx = c.unit_sector[inside] * 2 + s.unit_side[inside]
    out = np.bincount(idx, weights=per_unit[inside], minlength=2 * k).astype(float)
    return out.reshape(k, 2)


def _ratio(got: F64, want: F64) -> F64:
    """Share of ``want`` that was got, in [0, 1] (1 where nothing was wanted)."""
    with np.errstate(over="ignore"):  # subnormal wants: the share is 1 anyway
        r = np.divide(got, want, out=np.ones_like(want, dtype=float), where=want > 0)
    return np.clip(r, 0.0, 1.0)


def fight(s: SupplyState, c: CombatState) -> None:
    """The day's combat, after ``consume`` (see the module docstring for the rules)."""
    if len(c.strength) <= _FLOAT_UNITS and c.n_sectors <= _SCALAR_MAX:
        _fight_floats(s, c)
        return
    side = s.unit_side
    alive_share = np.divide(
        c.strength, c.strength0, out=np.ones_like(c.strength), where=c.strength0 > 0
    )
    # 1. repairs: the kits drawn today for yesterday's worn guns (0 from s.begin_day)
    if s.parts >= 0 and c.worn.any():
        drawn = _ratio(s.unit_got[:, s.parts], s.needs_per_day[:, s.parts] + s.worn_backlog)
        fixed = c.worn * drawn
        c.worn -= fixed
        c.repaired = np.bincount(side, weights=fixed, minlength=2)
    # 2-3. fire, with the fuel factor
    rounds_u = s.unit_got[:, s.ammo] if s.ammo >= 0 else np.zeros(len(side))
    c.rounds_ks = per_sector(s, c, rounds_u)
    fuel_ok = np.ones_like(c.rounds_ks)
    if c.fuel >= 0:
        want = per_sector(s, c, s.needs_per_day[:, c.fuel])
        fuel_ok = _ratio(per_sector(s, c, s.unit_got[:, c.fuel]), want)
    effect = 1.0 - c.fuel_penalty[None, :] * (1.0 - fuel_ok)
    c.fire_ks = c.rounds_ks * c.quality[None, :] * effect
    # 4. attrition, one integration per distinct law over the contested sectors
    strength_ks = per_sector(s, c, c.strength)
    loss_ks = _attrition(c, strength_ks)
    share_lost = np.divide(loss_ks, strength_ks, out=np.zeros_like(loss_ks), where=strength_ks > 0)
    inside = c.unit_sector >= 0
    keep = np.ones(len(side))
    keep[inside] = 1.0 - share_lost[c.unit_sector[inside], side[inside]]
    before = c.strength.copy()
    c.strength *= keep
    c.worn *= keep
    c.losses = np.bincount(side, weights=before - c.strength, minlength=2)
    # 5. wear, and the guns in action tomorrow
    alive = s.guns * alive_share * keep
    kept = c.worn
    c.worn = np.minimum(kept + rounds_u * c.wear_per_round, alive)
    s.guns_in_action[:] = alive - c.worn
    _owe_kits(s, c.worn, np.maximum(c.worn - kept, 0.0))
    # 6. the front, and falls
    _move_front(c, fuel_ok)
    _falls(s, c, strength_ks - loss_ks)


_FLOAT_UNITS = 256  # up to this many units, fight runs on Python floats


def _owe_kits(s: SupplyState, worn: F64, new: F64) -> None:
    """The worn guns are the backlog of kits owed; today's new wear is demanded next."""
    s.worn_backlog[:] = worn
    s.worn_new[:] = new


def _fight_floats(s: SupplyState, c: CombatState) -> None:
    """:func:`fight` one unit and sector at a time in Python floats, bit for bit the same.

    The numpy form's elementwise operations on the same operands in the same order;
    each ``bincount`` is a sum in unit order from 0.0, as ``bincount`` adds; ``np.where``
    and ``np.divide(..., where=)`` keep one of two values, ``np.clip``/``np.minimum`` of
    non-NaN floats are ``min``/``max``.
    """
    k = c.n_sectors
    side = s.unit_side.tolist()
    sec = c.unit_sector.tolist()
    u_range = range(len(side))
    strength, strength0 = c.strength.tolist(), c.strength0.tolist()
    worn = c.worn.tolist()
    alive_share = [strength[u] / strength0[u] if strength0[u] > 0 else 1.0 for u in u_range]
    # 1. repairs
    repaired = [0.0, 0.0]
    if s.parts >= 0 and c.worn.any():
        got = s.unit_got[:, s.parts].tolist()
        want = (s.needs_per_day[:, s.parts] + s.worn_backlog).tolist()
        for u in u_range:
            r = got[u] / want[u] if want[u] > 0 else 1.0
            fixed = worn[u] * min(max(r, 0.0), 1.0)
            worn[u] -= fixed
            repaired[side[u]] += fixed
    # 2-3. fire, with the fuel factor
    rounds_u = s.unit_got[:, s.ammo].tolist() if s.ammo >= 0 else [0.0] * len(side)

    def per_sector_l(w: list[float]) -> list[list[float]]:
        out = [[0.0, 0.0] for _ in range(k)]
        for u in u_range:
            if sec[u] >= 0:
                out[sec[u]][side[u]] += w[u]
        return out

    rounds_ks = per_sector_l(rounds_u)
    fuel_ok = [[1.0, 1.0] for _ in range(k)]
    if c.fuel >= 0:
        want_ks = per_sector_l(s.needs_per_day[:, c.fuel].tolist())
        got_ks = per_sector_l(s.unit_got[:, c.fuel].tolist())
        for i in range(k):
            for j in (0, 1):
                r = got_ks[i][j] / want_ks[i][j] if want_ks[i][j] > 0 else 1.0
                fuel_ok[i][j] = min(max(r, 0.0), 1.0)
    pen, qual = c.fuel_penalty.tolist(), c.quality.tolist()
    fire_ks = [
        [rounds_ks[i][j] * qual[j] * (1.0 - pen[j] * (1.0 - fuel_ok[i][j])) for j in (0, 1)]
        for i in range(k)
    ]
    c.rounds_ks = np.array(rounds_ks, dtype=float).reshape(k, 2)
    c.fire_ks = np.array(fire_ks, dtype=float).reshape(k, 2)
    # 4. attrition
    strength_ks = per_sector_l(strength)
    loss_ks = _attrition_lists(c, [x[0] for x in strength_ks], [x[1] for x in strength_ks])
    losses = [0.0, 0.0]
    guns = s.guns.tolist()
    wear = c.wear_per_round.tolist()
    in_action = [0.0] * len(side)
    new_wear = [0.0] * len(side)
    for u in u_range:
        keep = 1.0
        if sec[u] >= 0:
            st = strength_ks[sec[u]][side[u]]
            keep = 1.0 - (loss_ks[sec[u]][side[u]] / st if st > 0 else 0.0)
        before = strength[u]
        strength[u] = before * keep
        w = worn[u] * keep
        losses[side[u]] += before - strength[u]
        # 5. wear, and the guns in action tomorrow
        alive = guns[u] * alive_share[u] * keep
        kept = w
        w = w + rounds_u[u] * wear[u]
        worn[u] = w if not alive < w else alive
        new_wear[u] = max(worn[u] - kept, 0.0)
        in_action[u] = alive - worn[u]
    c.strength[:] = strength
    c.worn = np.array(worn, dtype=float)
    c.repaired = np.array(repaired)
    c.losses = np.array(losses)
    s.guns_in_action[:] = in_action
    _owe_kits(s, c.worn, np.array(new_wear, dtype=float))
    # 6. the front, and falls
    km, thr = c.km_per_day.tolist(), c.fall_threshold.tolist()
    control = c.control.tolist()
    s0 = c.strength0_ks.tolist()
    front_km = c.front_km.tolist()
    for i in range(k):
        pb, pr = fire_ks[i]
        total = pb + pr
        move = km[i] * ((pb - pr) / total if total > 0 else 0.0)
        if (move > 0 and fuel_ok[i][0] < 1.0 - SHORT) or (move < 0 and fuel_ok[i][1] < 1.0 - SHORT):
            move = 0.0
        front_km[i] += move if control[i] == CONTESTED else 0.0
    c.front_km[:] = front_km
    for i in range(k):
        if control[i] != CONTESTED:
            continue
        held = [
            (strength_ks[i][j] - loss_ks[i][j]) / s0[i][j] if s0[i][j] > 0 else 1.0 for j in (0, 1)
        ]
        below = [h < thr[i] for h in held]
        if below[1] and (not below[0] or held[1] <= held[0]):
            control[i] = BLUE_HOLDS
        elif below[0]:
            control[i] = RED_HOLDS
        else:
            continue
        c.control[i] = control[i]
        c.fell_on[i] = s.day
    for u in u_range:
        if sec[u] >= 0 and control[sec[u]] != CONTESTED:
            s.fire_intensity[u] = 0.0


def _attrition(c: CombatState, strength_ks: F64) -> F64:
    """Strength lost today per sector and side (K, 2).

    Integrated in shares of the start-of-day strengths ``A_s``, ``B_s`` (``x = A / A_s``,
    ``y = B / B_s``, both 1 in the morning): Helmbold's law keeps its form,
    ``dy/dt = -alpha x^p y^q`` with ``alpha = kills_per_round_A x fire_A x (B_s/B0)^q / B_s``
    (the share of B destroyed per day at the morning rate), and symmetrically ``beta``.
    No power of a strength is ever taken, so tiny strengths or large exponents cannot
    overflow or underflow the coefficients (``a = k fire / (A^p B0^q)`` did: ``A^p``
    underflowed to 0, ``a`` became inf, and a side in that state inflicted nothing).
    """
    if c.n_sectors <= _SCALAR_MAX:
        return _attrition_floats(c, strength_ks)
    A, B = strength_ks[:, 0], strength_ks[:, 1]
    A0, B0 = c.strength0_ks[:, 0], c.strength0_ks[:, 1]
    # a side below a billionth of its initial strength is gone
    live = (c.control == CONTESTED) & (A > TINY * A0) & (B > TINY * B0)
    As, Bs = np.where(live, A, 1.0), np.where(live, B, 1.0)
    held_A = np.minimum(As / np.where(live, A0, 1.0), 1.0)
    held_B = np.minimum(Bs / np.where(live, B0, 1.0), 1.0)
    kill = c.kills_per_round[None, :] * c.fire_ks
    with np.errstate(over="ignore"):  # a subnormal strength: capped just below
        alpha = np.where(live, kill[:, 0] * held_B**c.q / Bs, 0.0)
        beta = np.where(live, kill[:, 1] * held_A**c.q / As, 0.0)
    # physical guard: a side loses at most MAX_SHARE_PER_DAY times its strength a day
    # at the morning rate (all of it in half an hour); beyond that the outcome of the day
    # no longer changes, and the integration stays finite and stable
    alpha, beta = np.minimum(alpha, MAX_SHARE_PER_DAY), np.minimum(beta, MAX_SHARE_PER_DAY)
    out = np.zeros_like(strength_ks)
    for j, law in enumerate(c.laws):
        sel = live & (c.law_id == j)
        if sel.any():
            steps = _substeps(law, float(max(alpha[sel].max(), beta[sel].max())))
            one = np.ones(int(sel.sum()))
            lx, ly = daily_losses(law, one, one, alpha[sel], beta[sel], substeps=steps)
            out[sel, 0], out[sel, 1] = lx * As[sel], ly * Bs[sel]
    return out


_SCALAR_MAX = 64  # up to this many sectors, _attrition runs on Python floats


def _attrition_floats(c: CombatState, strength_ks: F64) -> F64:
    """:func:`_attrition_lists` on and to arrays."""
    k = c.n_sectors
    out = _attrition_lists(c, strength_ks[:, 0].tolist(), strength_ks[:, 1].tolist())
    return np.array(out, dtype=float).reshape(k, 2)


def _attrition_lists(c: CombatState, A_: list[float], B_: list[float]) -> list[list[float]]:
    """:func:`_attrition` one sector at a time in Python floats, bit for bit the same.

    Every value is computed by the same IEEE operations on the same operands as the
    elementwise numpy form (``np.where`` keeps one of two values, ``np.minimum`` of
    non-NaN floats is ``min``, ``x ** q`` is the same ``pow``), and each law's sectors are
    integrated by the same per-sector routine :func:`daily_losses` uses for a few sectors.
    """
    k = c.n_sectors
    A0_, B0_ = c.strength0_ks[:, 0].tolist(), c.strength0_ks[:, 1].tolist()
    contested = (c.control == CONTESTED).tolist()
    kpr = c.kills_per_round.tolist()
    fire = c.fire_ks.tolist()
    q_ = c.q.tolist()
    law_id = c.law_id.tolist()
    As_, Bs_, alpha_, beta_ = [1.0] * k, [1.0] * k, [0.0] * k, [0.0] * k
    live_ = [False] * k
    for i in range(k):
        A, B, A0, B0 = A_[i], B_[i], A0_[i], B0_[i]
        if not (contested[i] and A > TINY * A0 and B > TINY * B0):
            continue
        live_[i] = True
        As_[i], Bs_[i] = A, B
        held_A, held_B = min(A / A0, 1.0), min(B / B0, 1.0)
        q = q_[i]
        try:
            alpha = kpr[0] * fire[i][0] * held_B**q / B
        except OverflowError:  # numpy gives inf (warning silenced): capped below
            alpha = math.inf
        try:
            beta = kpr[1] * fire[i][1] * held_A**q / A
        except OverflowError:
            beta = math.inf
        alpha_[i], beta_[i] = min(alpha, MAX_SHARE_PER_DAY), min(beta, MAX_SHARE_PER_DAY)
    out = [[0.0, 0.0] for _ in range(k)]
    for j, law in enumerate(c.laws):
        sel = [i for i in range(k) if live_[i] and law_id[i] == j]
        if not sel:
            continue
        steps = _substeps(law, max(max(alpha_[i], beta_[i]) for i in sel))
        h = 1.0 / steps
        for i in sel:
            exact = exact_share_losses(law, alpha_[i], beta_[i], 1.0)
            if exact is None:
                exact = losses_scalar(law, 1.0, 1.0, alpha_[i], beta_[i], h, steps)
            out[i] = [exact[0] * As_[i], exact[1] * Bs_[i]]
    return out


def _substeps(law: Law, rate: float) -> int:
    """RK4 steps for the day: 24, or more so that ``rate x max(1, q) x h <= 1/2`` (stable)."""
    stiff = rate * max(1.0, law.q)  # d/dy of y^q at y = 1
    return min(max(SUBSTEPS, math.ceil(2.0 * stiff)), MAX_SUBSTEPS)


def _move_front(c: CombatState, fuel_ok: F64) -> None:
    pb, pr = c.fire_ks[:, 0], c.fire_ks[:, 1]
    total = pb + pr
    balance = np.divide(pb - pr, total, out=np.zeros_like(total), where=total > 0)
    move = c.km_per_day * balance
    short = fuel_ok < 1.0 - SHORT
    move = np.where((move > 0) & short[:, 0], 0.0, move)
    move = np.where((move < 0) & short[:, 1], 0.0, move)
    c.front_km += np.where(c.control == CONTESTED, move, 0.0)


def _falls(s: SupplyState, c: CombatState, strength_ks: F64) -> None:
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


# -- daily columns -------------------------------------------------------------

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
