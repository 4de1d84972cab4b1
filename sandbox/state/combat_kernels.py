"""Compiled kernels (numba) for the fight's per-unit arrays: two passes over the units.

The same contract as :mod:`sandbox.state.supply_kernels`: one implementation
(:func:`sandbox.rules.combat.fighting.fight` calls these, there is no numpy
twin), each kernel performing the numpy expressions' floating-point
operations on the same operands in the same order. A sum per sector and
side, or per side, adds its units in unit order from 0.0, as ``np.bincount``
with weights does; ``np.clip(x, 0, 1)`` is ``np_min(np_max(x, 0), 1)``.

The sectors' fire and attrition stay numpy (attrition's laws one sector at a
time: :mod:`sandbox.state.law_kernels`); the front's move and the falls are one
pass over the sectors (:func:`front_and_falls`), per sector as numpy did elementwise.
"""

from __future__ import annotations

import numba
import numpy as np

from sandbox.state.combat import BLUE_HOLDS, CONTESTED, RED_HOLDS
from sandbox.state.postures import POSTURES
from sandbox.state.supply_kernels import np_max, np_min

F64 = np.ndarray
SUMS = 4  # morning's sums per sector and side: rounds, fuel needed, fuel got, strength
NO_POSTURE, OFFENSIVE = POSTURES.index("none"), POSTURES.index("offensive")


@numba.njit(cache=True, nogil=True, inline="always")
def _share(got: float, want: float) -> float:  # pragma: no cover - compiled
    """``fire.supply_ratio`` of one unit: ``got / want`` in [0, 1], 1 where nothing wanted."""
    r = got / want if want > 0 else 1.0
    return np_min(np_max(r, 0.0), 1.0)


@numba.njit(cache=True, nogil=True)
def morning(
    unit_got: F64,
    needs_per_day: F64,
    worn_backlog: F64,
    strength: F64,
    worn: F64,
    unit_sector: np.ndarray,
    unit_side: np.ndarray,
    n_sectors: int,
    cols: tuple[int, int, int],
    repair: bool,
) -> tuple[F64, F64]:  # pragma: no cover - compiled
    """Repairs, in place, and the day's sums per sector and side (``SUMS``, K, 2).

    ``cols`` are the ammunition, fuel and spare-parts columns (-1: the map has
    none). With ``repair`` each unit's worn guns come back in the share of its
    kits drawn (``wear.repair``): ``worn -= worn x supply_ratio(got, need +
    backlog)`` of spare parts; the second result is what came back per side
    (zeros without). The sums over the units inside a sector: the rounds drawn
    (0.0 each without ammunition), the fuel needed and got (zeros without
    fuel), the strength.
    """
    ammo, fuel, parts = cols
    repaired = np.zeros(2)
    sums = np.zeros((SUMS, n_sectors, 2))
    for u in range(strength.shape[0]):
        sd = unit_side[u]
        if repair:
            want = needs_per_day[u, parts] + worn_backlog[u]
            fixed = worn[u] * _share(unit_got[u, parts], want)
            worn[u] = worn[u] - fixed
            repaired[sd] += fixed
        k = unit_sector[u]
        if k < 0:
            continue
        sums[0, k, sd] += unit_got[u, ammo] if ammo >= 0 else 0.0
        if fuel >= 0:
            sums[1, k, sd] += needs_per_day[u, fuel]
            sums[2, k, sd] += unit_got[u, fuel]
        sums[3, k, sd] += strength[u]
    return sums, repaired


@numba.njit(cache=True, nogil=True)
def evening(
    strength: F64,
    strength0: F64,
    worn: F64,
    guns: F64,
    share_lost: F64,
    unit_sector: np.ndarray,
    unit_side: np.ndarray,
    rounds: tuple[F64, int, F64],
    out: tuple[F64, F64, F64],
) -> F64:  # pragma: no cover - compiled
    """Losses and wear of every unit, in place; returns the strength lost per side (2,).

    A unit inside a sector keeps ``1 - share_lost[sector, side]`` of its strength
    and worn guns (``wear.take_losses``); its guns alive are ``guns x strength /
    strength0`` (1 where ``strength0`` is 0) of the morning, times that keep.
    ``rounds`` is ``(unit_got, ammo column, wear_per_round)``; the worn guns become
    ``min(worn + rounds x wear_per_round, alive)`` (``wear.wear``), written with the
    guns in action and the new wear into ``out`` = ``(guns_in_action,
    worn_backlog, worn_new)``.
    """
    unit_got, ammo, wear_per_round = rounds
    guns_in_action, worn_backlog, worn_new = out
    losses = np.zeros(2)
    for u in range(strength.shape[0]):
        sd, k = unit_side[u], unit_sector[u]
        keep = 1.0 - share_lost[k, sd] if k >= 0 else 1.0
        before = strength[u]
        alive_share = before / strength0[u] if strength0[u] > 0 else 1.0
        strength[u] = before * keep
        losses[sd] += before - strength[u]
        kept = worn[u] * keep
        alive = guns[u] * alive_share * keep
        r = unit_got[u, ammo] if ammo >= 0 else 0.0
        w = np_min(kept + r * wear_per_round[u], alive)
        worn[u] = w
        guns_in_action[u] = alive - w
        worn_backlog[u] = w
        worn_new[u] = np_max(w - kept, 0.0)
    return losses


@numba.njit(cache=True, nogil=True)
def daily_values(
    per_unit: tuple[F64, F64, F64],
    unit_side: np.ndarray,
    unit_sector: np.ndarray,
    per_side: tuple[F64, F64],
    per_sector: tuple[F64, F64, F64, np.ndarray],
    out: F64,
) -> None:  # pragma: no cover - compiled
    """The fight's daily columns into ``out`` (12 + 6K floats), in their declared order.

    ``per_unit`` = (strength, guns in action, worn), each summed per side in unit
    order from 0.0; ``per_side`` = (losses, repaired) per side; ``per_sector`` =
    (rounds_ks, fire_ks, front_km, control). Per side: strength, losses, guns in
    action, worn, repaired, fire (``fire_ks`` summed over the sectors from the first
    sector's value, not from 0.0; 0.0 without sectors); then per sector: front_km,
    control, and blue's then red's rounds and strength (the units inside the sector
    summed per side in unit order from 0.0). Two sides: each side's sums of a unit
    column are kept in locals, a unit adding to its own side's only.
    """
    strength, guns, worn = per_unit
    losses, repaired = per_side
    rounds_ks, fire_ks, front_km, control = per_sector
    s0 = s1 = g0 = g1 = w0 = w1 = 0.0
    k_sectors = front_km.shape[0]
    strength_ks = np.zeros((k_sectors, 2))
    for u in range(strength.shape[0]):
        if unit_side[u] == 0:
            s0 += strength[u]
            g0 += guns[u]
            w0 += worn[u]
        else:
            s1 += strength[u]
            g1 += guns[u]
            w1 += worn[u]
        k = unit_sector[u]
        if k >= 0:
            strength_ks[k, unit_side[u]] += strength[u]
    sums = ((s0, g0, w0), (s1, g1, w1))
    for sd in range(2):
        fire = 0.0
        if k_sectors > 0:
            fire = fire_ks[0, sd]
            for k in range(1, k_sectors):
                fire += fire_ks[k, sd]
        total, in_action, out_of_action = sums[sd]
        o = 6 * sd
        out[o], out[o + 1], out[o + 2] = total, losses[sd], in_action
        out[o + 3], out[o + 4], out[o + 5] = out_of_action, repaired[sd], fire
    for k in range(k_sectors):
        o = 12 + 6 * k
        out[o], out[o + 1] = front_km[k], float(control[k])
        out[o + 2], out[o + 3] = rounds_ks[k, 0], strength_ks[k, 0]
        out[o + 4], out[o + 5] = rounds_ks[k, 1], strength_ks[k, 1]


@numba.njit(cache=True, nogil=True)
def front_and_falls(
    today: tuple[F64, F64, F64, F64],
    sector: tuple[F64, F64, F64, F64],
    postures: tuple[np.ndarray, np.ndarray],
    has_postures: bool,
    out: tuple[F64, np.ndarray, np.ndarray],
    units: tuple[np.ndarray, F64],
    day: int,
    short_below: float,
) -> None:  # pragma: no cover - compiled
    """The front's move and the falls of the day, in place (``front.move_front`` then
    ``front.falls``, sector by sector: a sector's move reads its control before its fall).

    ``today`` = (fire_ks, fuel share, strength_ks, loss_ks) (K, 2); ``sector`` =
    (attack_ratio, km_per_day, fall_threshold, ...) (K,) and strength0_ks (K, 2) last;
    ``postures`` = (posture, attacker) codes (K,), read when ``has_postures``; ``out`` =
    (front_km, control, fell_on); ``units`` = (unit_sector, fire_intensity): units of a
    sector no longer contested stand down. A side short of fuel (share below
    ``short_below``) does not advance.
    """
    fire_ks, fuel_ok, strength_ks, loss_ks = today
    attack_ratio, km_per_day, fall_threshold, strength0_ks = sector
    posture, attacker = postures
    front_km, control, fell_on = out
    for k in range(fire_ks.shape[0]):
        pb, pr = fire_ks[k, 0], fire_ks[k, 1]
        att, dfd = np_max(pb, pr), np_min(pb, pr)
        held = attack_ratio[k] * dfd / att if att > 0 else 1.0
        speed = km_per_day[k] * np_min(np_max(1.0 - held, 0.0), 1.0)
        move = speed if pb > pr else -speed
        if move > 0 and fuel_ok[k, 0] < short_below:
            move = 0.0
        if move < 0 and fuel_ok[k, 1] < short_below:
            move = 0.0
        if has_postures:
            mover = 0 if move > 0 else 1
            offensive_ok = posture[k] == OFFENSIVE and attacker[k] == mover
            if not (posture[k] == NO_POSTURE or offensive_ok):
                move = 0.0
        contested = control[k] == CONTESTED
        front_km[k] = front_km[k] + (move if contested else 0.0)
        h0 = _held(strength_ks[k, 0] - loss_ks[k, 0], strength0_ks[k, 0])
        h1 = _held(strength_ks[k, 1] - loss_ks[k, 1], strength0_ks[k, 1])
        b0, b1 = h0 < fall_threshold[k], h1 < fall_threshold[k]
        red_loses = contested and b1 and (not b0 or h1 <= h0)
        blue_loses = contested and b0 and not red_loses
        if red_loses:
            control[k] = BLUE_HOLDS
        if blue_loses:
            control[k] = RED_HOLDS
        if red_loses or blue_loses:
            fell_on[k] = day
    unit_sector, fire_intensity = units
    for u in range(unit_sector.shape[0]):
        k = unit_sector[u]
        if k >= 0 and control[k] != CONTESTED:
            fire_intensity[u] = 0.0


@numba.njit(cache=True, nogil=True, inline="always")
def _held(strength: float, strength0: float) -> float:  # pragma: no cover - compiled
    """The share of its initial strength a side holds (1 where it had none)."""
    return strength / strength0 if strength0 > 0 else 1.0
