"""The units' kernels give, bit for bit, what the numpy expressions they replaced give.

The numpy forms are written out as consumption had them before the kernels
(copies of the needs, a scatter to the nodes, a gather of the share back) and
compared byte for byte on random units and nodes, values spread over many
orders of magnitude, zeros and negative zeros included.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.state import unit_kernels as uk
from sandbox.state.geometry import units_by_node
from tests.test_kernels import _by, _network

UNITS = dict(
    n=st.integers(1, 8),
    u=st.integers(0, 14),
    c=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)


def _units(seed, n, u, c):
    rng, _, _, values = _network(seed, n, 0, c)

    def signed(shape):  # some zeros negative: 0.0 + -0.0 is 0.0, a product keeps the sign
        x = values(shape)
        return np.where((x == 0) & (rng.random(shape) < 0.5), -0.0, x)

    return rng, rng.integers(0, n, size=u), signed


def _by_node(unit_node):
    ubn = units_by_node(unit_node, np.unique(unit_node))
    return ubn.rows, ubn.ptr, ubn.units


def test_units_by_node_groups_units_by_row_in_unit_order():
    ubn = units_by_node(np.array([2, 0, 2, 5, 2]), np.array([0, 2, 5]))
    assert ubn.rows.tolist() == [0, 2, 5]
    assert ubn.ptr.tolist() == [0, 1, 4, 5]
    assert ubn.units.tolist() == [1, 0, 2, 4, 3]
    empty = units_by_node(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert empty.ptr.tolist() == [0] and empty.units.tolist() == []


@settings(max_examples=80, deadline=None)
@given(**UNITS)
def test_units_by_node_slices_sum_as_the_scatter_does(n, u, c, seed):
    _, unit_node, signed = _units(seed, n, u, c)
    x = signed((u, c))
    rows, ptr, units = _by_node(unit_node)
    sums = np.zeros((n, c))
    for k, r in enumerate(rows):
        group = units[ptr[k] : ptr[k + 1]]
        assert group.size and np.all(unit_node[group] == r) and np.all(np.diff(group) > 0)
        for p in group:
            sums[r] += x[p]
    assert sorted(units.tolist()) == list(range(u))
    assert sums.tobytes() == _by(unit_node, x, n).tobytes()


def _draw_numpy(stock, need_u, demand_u, unit_node, records, side):
    """consumption.draw before the kernels, over all nodes."""
    n = len(stock)
    need_n = _by(unit_node, need_u, n)
    got_n = np.minimum(stock, need_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(need_n > 0, got_n / need_n, 1.0)
    stock[:] = np.maximum(stock - got_n, 0.0)
    records[0][:] += _by(unit_node, demand_u, n)
    records[1][:] += got_n
    return need_u * ratio[unit_node], _by(side, got_n, 2)


@settings(max_examples=200, deadline=None)
@given(**UNITS, owing=st.booleans(), wearing=st.booleans())
def test_draw_matches_numpy(n, u, c, seed, owing, wearing):
    rng, unit_node, signed = _units(seed, n, u, c)
    stock, need_u = np.abs(signed((n, c))), signed((u, c))  # stock is never negative
    records = (np.abs(signed((n, c))), np.abs(signed((n, c))))  # sums of what is not negative
    side = rng.integers(0, 2, size=n)
    backlog, new = np.abs(signed((u, 1))[:, 0]), np.abs(signed((u, 1))[:, 0])
    per_round = np.abs(signed((u, 1))[:, 0])
    ammo, parts = (int(x) for x in rng.permutation(c)[:2]) if c > 1 else (0, 0)
    # the numpy form (consumption.consume before the kernels): the needs copied
    # with the kits owed, drawn; then a full (U, C) array for the parts worn, drawn
    ask, demand = need_u.copy(), need_u.copy()
    if owing:
        ask[:, parts] += backlog
        demand[:, parts] += new
    w_stock, w_records = stock.copy(), (records[0].copy(), records[1].copy())
    w_got, w_side = _draw_numpy(w_stock, ask, demand, unit_node, w_records, side)
    w_wear_side = np.zeros((2, c))
    if wearing:
        wear = np.zeros_like(need_u)
        wear[:, parts] = per_round * w_got[:, ammo]
        w_extra, w_wear_side = _draw_numpy(w_stock, wear, wear, unit_node, w_records, side)
        w_got += w_extra
    owed = (parts, backlog, new) if owing else (-1, np.zeros(0), np.zeros(0))
    worn = (per_round, ammo, parts) if wearing else (np.zeros(0), -1, -1)
    got, by_side, by_wear = uk.draw(
        stock, need_u, (owed, worn), _by_node(unit_node), records, side, 2, tuple(range(c))
    )
    assert got.tobytes() == w_got.tobytes()
    assert by_side.tobytes() == w_side.tobytes() and by_wear.tobytes() == w_wear_side.tobytes()
    assert stock.tobytes() == w_stock.tobytes()
    for a, b in zip(records, w_records, strict=True):
        assert a.tobytes() == b.tobytes()


@settings(max_examples=80, deadline=None)
@given(**UNITS, ammo_col=st.booleans(), varied=st.booleans())
def test_unit_need_and_expected_wear_match_numpy(n, u, c, seed, ammo_col, varied):
    rng, _, signed = _units(seed, n, u, c)
    needs, guns, rate, intensity = signed((u, c)), *(signed((u, 1))[:, 0] for _ in range(3))
    factor = np.abs(signed((u, 1))[:, 0]) if varied else np.zeros(0)
    ammo = int(rng.integers(0, c)) if ammo_col else -1
    want = needs.copy()  # consumption.unit_requirement before the kernel
    if ammo >= 0:
        rounds = guns * rate * intensity
        if varied:
            rounds = rounds * factor
        want[:, ammo] += rounds
    got = uk.unit_need(needs, (guns, rate, intensity, factor), ammo)
    assert got.tobytes() == want.tobytes()
    if c < 2:
        return
    per_round, per_wear = signed((u, 1))[:, 0], signed((u, 1))[:, 0]
    ammo, parts = (int(x) for x in rng.permutation(c)[:2])
    worn = want.copy()  # consumption.with_expected_wear before the kernel
    worn[:, parts] += (per_round + per_wear) * want[:, ammo]
    got_worn = uk.expected_wear(want, (per_round, per_wear, ammo, parts))
    assert got_worn.tobytes() == worn.tobytes()


def test_draw_refuses_columns_that_are_not_the_needs_columns():
    need_u, stock = np.ones((2, 3)), np.ones((1, 3))
    records = (np.zeros((1, 3)), np.zeros((1, 3)))
    asks = ((-1, np.zeros(0), np.zeros(0)), (np.zeros(0), -1, -1))
    by_node = _by_node(np.zeros(2, dtype=np.int64))
    side = np.zeros(1, dtype=np.int64)
    with pytest.raises(ValueError, match="columns"):
        uk.draw(stock, need_u, asks, by_node, records, side, 1, (0, 1))
    got, _, _ = uk.draw(stock, need_u, asks, by_node, records, side, 1, (0, 1, 2))
    assert got.tolist() == [[0.5] * 3] * 2  # two units asking 1 of a stock of 1: half each


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.sampled_from([0.0, -0.0, 1e-300, -2.5, np.inf, -np.inf, np.nan]), max_size=40
    )
)
def test_any_nonzero_is_numpys_any(values):
    a = np.array(values, dtype=np.float64)
    assert uk.any_nonzero(a) is bool(a.any())


def test_any_nonzero_ignores_negative_zero_and_counts_nan():
    assert uk.any_nonzero(np.array([0.0, -0.0, 0.0])) is False
    assert uk.any_nonzero(np.array([0.0, np.nan])) is True
    assert uk.any_nonzero(np.zeros(0)) is False
