"""The fight's unit kernels give, bit for bit, what the numpy form they replaced gives.

The numpy form is written out here as ``fighting.fight`` had it (``wear.repair``,
``fire.per_sector``, ``wear.take_losses``, ``wear.wear``) and compared by bytes on
random units spread over sectors (some outside any), with values over many orders of
magnitude, zeros included, with and without ammunition, fuel and spare parts.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.state import combat_kernels as ck


def _values(rng, shape):
    x = rng.random(shape) * 10.0 ** rng.integers(-6, 7, size=shape)
    return np.where(rng.random(shape) < 0.2, 0.0, x)


def _per_sector(unit_sector, side, per_unit, k):
    inside = unit_sector >= 0
    idx = unit_sector[inside] * 2 + side[inside]
    return np.bincount(idx, weights=per_unit[inside], minlength=2 * k).astype(float).reshape(k, 2)


def _ratio(got, want):
    with np.errstate(over="ignore"):
        r = np.divide(got, want, out=np.ones_like(want, dtype=float), where=want > 0)
    return np.clip(r, 0.0, 1.0)


def _units(seed, u, c, k):
    rng = np.random.default_rng(seed)
    unit_sector = rng.integers(-1, k, size=u) if k else np.full(u, -1)
    side = rng.integers(0, 2, size=u).astype(np.int8)
    arrays = {
        "got": _values(rng, (u, c)),
        "needs": _values(rng, (u, c)),
        "backlog": _values(rng, u),
        "strength0": _values(rng, u),
        "worn": _values(rng, u),
        "guns": _values(rng, u),
        "wear": _values(rng, u) * 1e-3,
    }
    arrays["strength"] = arrays["strength0"] * rng.random(u)
    cols = tuple(int(x) if rng.random() < 0.7 else -1 for x in rng.integers(0, c, size=3))
    share_lost = rng.random((k, 2)) * (rng.random((k, 2)) < 0.7)
    return rng, unit_sector, side, arrays, cols, share_lost


@settings(max_examples=150, deadline=None)
@given(u=st.integers(0, 30), c=st.integers(1, 3), k=st.integers(0, 4), seed=st.integers(0, 2**32))
def test_morning_and_evening_match_numpy(u, c, k, seed):
    _, sector, side, a, (ammo, fuel, parts), share_lost = _units(seed, u, c, k)
    repair = parts >= 0 and bool(a["worn"].any())
    # the numpy form: repair, the sums per sector and side
    worn = a["worn"].copy()
    repaired_np = np.zeros(2)
    if repair:
        fixed = worn * _ratio(a["got"][:, parts], a["needs"][:, parts] + a["backlog"])
        worn -= fixed
        repaired_np = np.bincount(side, weights=fixed, minlength=2)
    rounds = a["got"][:, ammo] if ammo >= 0 else np.zeros(u)
    sums_np = [_per_sector(sector, side, rounds, k)]
    for x in (a["needs"], a["got"]):
        sums_np.append(_per_sector(sector, side, x[:, fuel], k) if fuel >= 0 else np.zeros((k, 2)))
    sums_np.append(_per_sector(sector, side, a["strength"], k))
    got_worn = a["worn"].copy()
    sums, repaired = ck.morning(
        a["got"], a["needs"], a["backlog"], a["strength"], got_worn, sector, side, k,
        (ammo, fuel, parts), repair,
    )  # fmt: skip
    assert got_worn.tobytes() == worn.tobytes()
    assert repaired.tobytes() == repaired_np.tobytes()
    assert sums.tobytes() == np.stack(sums_np).tobytes()
    # the numpy form: losses, then wear
    alive_share = np.divide(a["strength"], a["strength0"], out=np.ones(u), where=a["strength0"] > 0)
    inside = sector >= 0
    keep = np.ones(u)
    keep[inside] = 1.0 - share_lost[sector[inside], side[inside]]
    strength = a["strength"] * keep
    losses_np = np.bincount(side, weights=a["strength"] - strength, minlength=2)
    kept = worn * keep
    alive = a["guns"] * alive_share * keep
    worn_np = np.minimum(kept + rounds * a["wear"], alive)
    out = (np.full(u, np.nan), np.full(u, np.nan), np.full(u, np.nan))
    got_strength = a["strength"].copy()
    losses = ck.evening(
        got_strength, a["strength0"], got_worn, a["guns"], share_lost, sector, side,
        (a["got"], ammo, a["wear"]), out,
    )  # fmt: skip
    assert losses.tobytes() == losses_np.tobytes()
    assert got_strength.tobytes() == strength.tobytes()
    assert got_worn.tobytes() == worn_np.tobytes()
    assert out[0].tobytes() == (alive - worn_np).tobytes()
    assert out[1].tobytes() == worn_np.tobytes()
    assert out[2].tobytes() == np.maximum(worn_np - kept, 0.0).tobytes()


def test_a_unit_outside_every_sector_keeps_its_strength_and_wears_by_its_rounds():
    # one unit, no sector: 100 rounds at 1/50 a round wear 2 of its 10 guns (of which 1 worn)
    got = np.array([[100.0]])
    strength, worn = np.array([5.0]), np.array([1.0])
    out = (np.zeros(1), np.zeros(1), np.zeros(1))
    losses = ck.evening(
        strength, np.array([10.0]), worn, np.array([10.0]), np.zeros((0, 2)),
        np.array([-1]), np.array([0], dtype=np.int8), (got, 0, np.array([0.02])), out,
    )  # fmt: skip
    # guns alive 10 x 5 / 10 = 5; worn 1 + 2 = 3; in action 2; new wear 2
    assert losses.tolist() == [0.0, 0.0] and strength.tolist() == [5.0]
    assert worn.tolist() == [3.0] and [x.tolist() for x in out] == [[2.0], [3.0], [2.0]]


@settings(max_examples=150, deadline=None)
@given(u=st.integers(0, 30), k=st.integers(0, 4), seed=st.integers(0, 2**32))
def test_daily_values_match_the_numpy_columns(u, k, seed):
    rng, sector, side, a, _, _ = _units(seed, u, 1, k)
    guns = a["guns"]
    losses, repaired = _values(rng, 2), _values(rng, 2)
    rounds_ks, fire_ks = _values(rng, (k, 2)), _values(rng, (k, 2))
    front_km = _values(rng, k) - _values(rng, k)
    control = rng.integers(-1, 2, size=k).astype(np.int8)
    # the numpy form, as rules/combat/columns.py had it: bincount per side, fire summed
    # over the sectors from the first one's value, sectors' strength per side
    per_side = [
        np.bincount(side, weights=x, minlength=2).astype(float)
        for x in (a["strength"], guns, a["worn"])
    ]
    fire = [fire_ks[0, i] if k else 0.0 for i in (0, 1)]
    for row in fire_ks[1:]:
        fire = [fire[0] + row[0], fire[1] + row[1]]
    strength_ks = _per_sector(sector, side, a["strength"], k)
    expected = []
    for i in (0, 1):
        expected += [per_side[0][i], losses[i], per_side[1][i], per_side[2][i]]
        expected += [repaired[i], fire[i]]
    for j in range(k):
        expected += [front_km[j], float(control[j]), rounds_ks[j, 0], strength_ks[j, 0]]
        expected += [rounds_ks[j, 1], strength_ks[j, 1]]
    out = np.full(12 + 6 * k, np.nan)
    ck.daily_values(
        (a["strength"], guns, a["worn"]),
        side,
        sector,
        (losses, repaired),
        (rounds_ks, fire_ks, front_km, control),
        out,
    )
    assert out.tobytes() == np.array(expected, dtype=float).tobytes()


def _numpy_front_and_falls(today, sector, postures, state, units, day):
    """``front.move_front`` then ``front.falls`` as numpy had them (codes: control 0
    contested, 1 blue holds, -1 red holds; posture 0 none, 1 offensive)."""
    fire_ks, fuel_ok, strength_ks, loss_ks = today
    attack_ratio, km_per_day, fall_threshold, strength0_ks = sector
    front_km, control, fell_on = state
    pb, pr = fire_ks[:, 0], fire_ks[:, 1]
    attacker, defender = np.maximum(pb, pr), np.minimum(pb, pr)
    held = np.divide(
        attack_ratio * defender, attacker, out=np.ones_like(attacker), where=attacker > 0
    )
    speed = km_per_day * np.clip(1.0 - held, 0.0, 1.0)
    move = np.where(pb > pr, speed, -speed)
    short = fuel_ok < 1.0 - 1e-9
    move = np.where((move > 0) & short[:, 0], 0.0, move)
    move = np.where((move < 0) & short[:, 1], 0.0, move)
    if postures is not None:
        posture, who = postures
        mover = np.where(move > 0, 0, 1)
        move = np.where((posture == 0) | ((posture == 1) & (who == mover)), move, 0.0)
    front_km += np.where(control == 0, move, 0.0)
    after = strength_ks - loss_ks
    held = np.divide(after, strength0_ks, out=np.ones_like(after), where=strength0_ks > 0)
    below = held < fall_threshold[:, None]
    contested = control == 0
    red_loses = contested & below[:, 1] & (~below[:, 0] | (held[:, 1] <= held[:, 0]))
    blue_loses = contested & below[:, 0] & ~red_loses
    control[red_loses], control[blue_loses] = 1, -1
    fell_on[red_loses | blue_loses] = day
    unit_sector, fire_intensity = units
    quiet = unit_sector >= 0
    quiet[quiet] = control[unit_sector[quiet]] != 0
    fire_intensity[quiet] = 0.0


@settings(max_examples=200, deadline=None)
@given(
    u=st.integers(0, 20),
    k=st.integers(0, 5),
    seed=st.integers(0, 2**32),
    with_postures=st.booleans(),
)
def test_front_and_falls_match_numpy(u, k, seed, with_postures):
    rng = np.random.default_rng(seed)
    fire_ks = _values(rng, (k, 2))
    fire_ks[rng.random(k) < 0.2, 1] = 0.0  # a side that fires nothing
    tie = rng.random(k) < 0.2  # and equal fire
    fire_ks[tie, 1] = fire_ks[tie, 0]
    fuel_ok = np.where(rng.random((k, 2)) < 0.3, rng.random((k, 2)), 1.0)
    strength0_ks = _values(rng, (k, 2))
    strength_ks = strength0_ks * rng.random((k, 2))
    loss_ks = strength_ks * rng.random((k, 2)) * (rng.random((k, 2)) < 0.5)
    sector = (
        rng.random(k) * 4.0,
        rng.random(k) * 10.0,
        rng.random(k) * 0.6,
        strength0_ks,
    )
    postures = (
        (rng.integers(0, 4, size=k).astype(np.int8), rng.integers(-1, 2, size=k).astype(np.int8))
        if with_postures
        else None
    )
    control = rng.integers(-1, 2, size=k).astype(np.int8) * (rng.random(k) < 0.3)
    state = (_values(rng, k) - _values(rng, k), control.astype(np.int8), np.zeros(k, np.int64))
    units = (rng.integers(-1, k, size=u) if k else np.full(u, -1), rng.random(u))
    want = [a.copy() for a in (*state, units[1])]
    _numpy_front_and_falls(
        (fire_ks, fuel_ok, strength_ks, loss_ks), sector, postures, want[:3], (units[0], want[3]), 7
    )
    got_state = tuple(a.copy() for a in state)
    got_fire = units[1].copy()
    no_postures = (np.zeros(0, np.int8), np.zeros(0, np.int8))
    ck.front_and_falls(
        (fire_ks, fuel_ok, strength_ks, loss_ks),
        sector,
        no_postures if postures is None else postures,
        postures is not None,
        got_state,
        (units[0], got_fire),
        7,
        1.0 - 1e-9,
    )
    for a, b in zip((*got_state, got_fire), want, strict=True):
        assert a.tobytes() == b.tobytes()
