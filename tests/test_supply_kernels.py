"""The supply kernels give, bit for bit, what the numpy expressions they replaced give.

Each test writes the numpy form out (as the rules had it before the kernels)
and compares bytes on random networks with values spread over many orders of
magnitude, zeros included.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.state import echelon_kernels as ek
from sandbox.state import supply_kernels as sk
from sandbox.state.geometry import csr
from tests.test_kernels import SIZES, _by, _network


def _node_params(rng, n):
    target_days = np.where(rng.random(n) < 0.2, 0.0, rng.random(n) * 20.0)
    lead_days = rng.integers(0, 5, size=n).astype(float)
    return target_days, lead_days


def _level(forecast, target_days, lead_days):
    return target_days[:, None] * forecast + forecast * (1.0 + lead_days[:, None])


@settings(max_examples=80, deadline=None)
@given(**SIZES, u=st.integers(0, 12), owing=st.booleans(), wearing=st.booleans())
def test_ordering_matches_numpy(n, e, c, seed, u, owing, wearing):
    rng, src, dst, values = _network(seed, n, e, c)
    orders_in, forecast, over = (values((n, c)) for _ in range(3))
    stock, in_transit = values((n, c)), values((e, c))
    owed, parts = (values((n, 1))[:, 0], int(rng.integers(0, c))) if owing else (np.zeros(0), -1)
    shares, requested = values((e, c)), values((e, c))
    unit_need = values((u, c))
    unit_node = rng.integers(0, n, size=u)
    per_round, per_wear = values((u, 1))[:, 0], values((u, 1))[:, 0]
    ammo, wear_col = (int(x) for x in rng.permutation(c)[:2]) if c > 1 else (0, -1)
    wear_col = wear_col if wearing else -1
    worn = unit_need.copy()  # the numpy form (consumption.with_expected_wear), then by node
    if wear_col >= 0:
        worn[:, wear_col] += (per_round + per_wear) * unit_need[:, ammo]
    own = _by(unit_node, worn, n)
    unit_rows = np.unique(unit_node)
    own_buffer = np.zeros((n, c))
    own_buffer[unit_rows] = np.nan  # yesterday's sums: cleared by the kernel
    target_days, lead_days = _node_params(rng, n)
    alpha = float(rng.random())
    old = _level(forecast, target_days, lead_days)
    # the numpy form of the carry cut (ordering.cap_over_level before the kernel)
    pos = stock + _by(dst, in_transit, n)
    if owing:
        pos[:, parts] -= owed
    over_cut = np.minimum(over, np.maximum(pos - old, 0.0))
    # the numpy form (as ordering had it: observed demand, forecast update, orders placed)
    observed = own + orders_in
    f = forecast.copy()
    f += alpha * (observed - f)
    raw = observed + _level(f, target_days, lead_days) - old - over_cut
    placed_np = np.maximum(raw, 0.0)
    over_np = placed_np - raw
    orders = placed_np[dst] * shares
    requested_np = np.zeros_like(requested) + orders  # written whole, as if cleared
    orders_in_np = _by(src, orders, n)
    assert _level(f, target_days, lead_days).tobytes() == _levels(f, target_days, lead_days)
    # routing's inputs, from the moved forecast (routing.route_inputs before the fusion)
    is_front = rng.random(n) < 0.4
    need_np = np.maximum(_level(f, target_days, lead_days) - pos, 0.0)
    q_np = pos - (target_days[:, None] * f) * is_front[:, None]
    placed = np.empty_like(own)
    out = np.full((3, n, c), np.nan)  # rows 1, 2 undefined: the kernel must not read them
    sk.sum_rows_into(dst, in_transit, out[0])  # the inbound (arrive sums it)
    sk.order_levels(
        unit_need, (per_round, per_wear, ammo, wear_col), (unit_node, unit_rows, own_buffer),
        (stock, owed, parts, is_front, out), orders_in, forecast, over,
        target_days, lead_days, alpha, placed, tuple(range(c)),
    )  # fmt: skip
    assert own_buffer.tobytes() == own.tobytes()
    assert out[0].tobytes() == pos.tobytes()
    assert out[1].tobytes() == need_np.tobytes() and out[2].tobytes() == q_np.tobytes()
    asked = np.full((n, c), np.nan)  # contents undefined: the kernel must not read them
    sk.orders_on_links(placed, shares, src, dst, requested, orders_in, out[1], asked, (*range(c),))
    for got, want in [
        (forecast, f),
        (over, over_np),
        (placed, placed_np),
        (requested, requested_np),
        (orders_in, orders_in_np),
        (asked, _by(src, need_np[dst] * shares, n)),  # echelon demand's first sums
    ]:
        assert got.tobytes() == want.tobytes()


def _levels(forecast, target_days, lead_days):
    out = np.empty_like(forecast)
    sk.levels(forecast, target_days, lead_days, out)
    return out.tobytes()


@settings(max_examples=80, deadline=None)
@given(**SIZES)
def test_scale_rows_matches_numpy(n, e, c, seed):
    _, _, _, values = _network(seed, n, e, c)
    rows, limit, total = values((e, c)), values((e, 1))[:, 0], values((e, 1))[:, 0]
    want = rows.copy()
    over = total > limit
    want[over] *= (limit[over] / total[over])[:, None]
    sk.scale_rows(rows, limit, total)
    assert rows.tobytes() == want.tobytes()


@settings(max_examples=80, deadline=None)
@given(**SIZES, day=st.integers(0, 60))
def test_production_matches_numpy_over_the_producing_rows(n, e, c, seed, day):
    rng, _, _, values = _network(seed, n, e, c)
    base, target = values((n, c)), values((n, c))
    start = rng.integers(0, 40, size=(n, c)).astype(float)
    days = np.where(rng.random((n, c)) < 0.3, 0.0, rng.integers(1, 30, size=(n, c)).astype(float))
    factor = np.where(rng.random(n) < 0.5, 1.0, rng.random(n))
    rows = np.flatnonzero(rng.random(n) < 0.6)
    idle = np.setdiff1d(np.arange(n), rows)
    base[idle], target[idle] = 0.0, 0.0  # outside the rows nothing is made
    stock, produced = values((n, c)), values((n, c))
    side = rng.integers(0, 2, size=n)
    # the numpy form (production.rate, produce)
    elapsed = day - start
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(days > 0, elapsed / days, (elapsed >= 0).astype(float))
    rate = base + (target - base) * np.clip(frac, 0.0, 1.0)
    made_np = rate * factor[:, None]
    want = [stock + made_np, produced + made_np]
    # both in one pass (production.produce without a storage limit)
    fused = [stock.copy(), produced.copy()]
    ramp = (base, target, start, days, factor)
    by_side = sk.produce_rows(rows, day, ramp, *fused, side, 2)
    assert by_side.tobytes() == _by(side, made_np, 2).tobytes()
    assert fused[0].tobytes() == want[0].tobytes() and fused[1].tobytes() == want[1].tobytes()
    made = np.zeros((n, c))
    sk.ramp_rates(rows, day, base, target, start, days, factor, made)
    assert made.tobytes() == made_np.tobytes()
    by_side = sk.add_rows(rows, made, stock, produced, side, 2)
    assert by_side.tobytes() == _by(side, made_np, 2).tobytes()
    assert stock.tobytes() == want[0].tobytes() and produced.tobytes() == want[1].tobytes()


def test_max_and_min_return_what_numpy_returns_on_nan_and_signed_zeros():
    pairs = [(-0.0, 0.0), (0.0, -0.0), (np.nan, 1.0), (1.0, np.nan), (2.0, 3.0), (3.0, 2.0)]
    a, b = np.array(pairs).T
    for kernel, ufunc in ((sk.np_max, np.maximum), (sk.np_min, np.minimum)):
        got = np.array([kernel(x, y) for x, y in pairs])
        assert got.tobytes() == ufunc(a, b).tobytes()


@numba.njit
def _max_min_rows(a, b, out):  # pragma: no cover - compiled
    """The helpers inlined in a loop over arrays, as the kernels use them."""
    for k in range(a.shape[0]):
        out[0, k] = sk.np_max(a[k], b[k])
        out[1, k] = sk.np_min(a[k], b[k])


def test_max_and_min_in_a_compiled_loop_return_numpys_bits_on_every_special_pair():
    # two NaNs told apart by their payload: the one numpy returns is the one kept
    nan_a, nan_b = np.array([0x7FF8000000000001, 0xFFF8000000000002], dtype=np.uint64).view(float)
    specials = [0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, np.inf, -np.inf, nan_a, nan_b]
    a, b = (x.ravel() for x in np.meshgrid(specials, specials))
    out = np.empty((2, a.size))
    _max_min_rows(a, b, out)
    assert out[0].tobytes() == np.maximum(a, b).tobytes()
    assert out[1].tobytes() == np.minimum(a, b).tobytes()


def _echelon_numpy(own, pos, shares, src, dst, sweeps):
    """routing.echelon_need before the kernel: Jacobi sweeps until nothing changes."""
    need = own
    with np.errstate(all="ignore"):
        for _ in range(sweeps):
            grown = np.maximum(own, _by(src, need[dst] * shares, len(own)) - pos)
            if np.array_equal(grown, need):
                break
            need = grown
    return need


def _echelon_kernel(own, pos, shares, src, dst, sweeps):
    """The kernel as routing runs it: the first sweep's sums from the order's link pass."""
    n, c = own.shape
    out_ptr, out_link = csr(src, n)
    in_ptr, in_order = csr(dst, n)
    by_source, out_dst = shares[out_link], dst[out_link]
    asked, placed = np.full((n, c), np.nan), np.zeros((n, c))
    sums = (shares.copy(), placed.copy(), own, asked)
    sk.orders_on_links(placed, shares, src, dst, *sums, tuple(range(c)))
    return ek.echelon_need(
        own, pos, asked, by_source, out_ptr, out_dst, in_ptr, src[in_order], sweeps, (*range(c),)
    )


SPECIALS = st.lists(st.sampled_from([np.nan, np.inf, -np.inf, -0.0, 1e308]), max_size=3)


@settings(max_examples=150, deadline=None)
@given(**SIZES, sweeps=st.sampled_from([1, 2, 3, 50]), small=st.booleans(), specials=SPECIALS)
def test_echelon_need_matches_the_numpy_sweeps(n, e, c, seed, sweeps, small, specials):
    # random networks: cycles, self-loops and parallel links included; shares either
    # spread over many orders of magnitude (needs grow round cycles until the cap) or
    # at most 1 (they settle); a few cells NaN, infinite, -0.0 or huge
    rng, src, dst, values = _network(seed, n, e, c)
    own, pos, shares = values((n, c)), values((n, c)) - values((n, c)), values((e, c))
    if small:
        shares = np.minimum(shares, 1.0)
    for x in specials:
        a = (own, pos, shares)[int(rng.integers(0, 3))]
        if a.size:
            a.flat[int(rng.integers(0, a.size))] = x
    want = _echelon_numpy(own, pos, shares, src, dst, sweeps)
    got = _echelon_kernel(own, pos, shares, src, dst, sweeps)
    assert _nan_as_one(got).tobytes() == _nan_as_one(want).tobytes()


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 8), c=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_echelon_first_sweep_lists_the_nodes_whose_bits_moved(n, c, seed):
    # each cell drawn from specials and small values, so ties, signed zeros and NaN
    # (in own, in the asks or made by inf - inf) are common
    rng = np.random.default_rng(seed)
    pick = np.array([0.0, -0.0, 1.0, 2.0, -1.0, np.inf, -np.inf, np.nan])
    own, pos, asked = (pick[rng.integers(0, pick.size, size=(n, c))] for _ in range(3))
    with np.errstate(invalid="ignore"):
        want = np.maximum(own, asked - pos)
    bits_moved = want.view(np.int64) != own.view(np.int64)
    moved_rows = np.flatnonzero((bits_moved | np.isnan(want)).any(axis=1))
    need, changed = np.full((n, c), 7.0), np.full(n, -1)
    same, n_changed, nans = ek._echelon_first(own, pos, asked, need, changed, tuple(range(c)))
    assert need.tobytes() == want.tobytes()
    assert same == bool((want == own).all())
    assert changed[:n_changed].tolist() == moved_rows.tolist()
    assert nans == int(np.isnan(want).sum())


def _nan_as_one(a):
    """``a`` with every NaN the same NaN: which of two NaN operands an addition passes
    on (its sign bit) is the compiler's choice, in numpy's C loops as in numba's; every
    other bit, the sign of zeros included, must match."""
    return np.where(np.isnan(a), np.nan, a)


def test_echelon_need_stops_at_the_sweep_cap():
    # a chain of 60 nodes, each supplying the next at share 1, the last needing 1:
    # sweep k carries it k echelons up, so after 50 sweeps the last 51 nodes need 1
    n = 60
    src, dst = np.arange(n - 1), np.arange(1, n)
    own, pos, shares = np.zeros((n, 1)), np.zeros((n, 1)), np.ones((n - 1, 1))
    own[-1, 0] = 1.0
    need = _echelon_kernel(own, pos, shares, src, dst, 50)[:, 0]
    assert need.tolist() == [0.0] * 9 + [1.0] * 51
    # a two-node cycle at position -1 grows by one a sweep: 50 after 50 sweeps
    two = _echelon_kernel(np.zeros((2, 1)), -np.ones((2, 1)), np.ones((2, 1)), *_ring(2), 50)
    assert two[:, 0].tolist() == [50.0, 50.0]


def _ring(n):
    return np.arange(n), (np.arange(n) + 1) % n


def test_the_orders_kernels_refuse_columns_that_are_not_the_rows_columns():
    """``columns`` must be ``tuple(range(C))`` of the nodes' rows (C = 2 here)."""
    n, c = 2, 2
    src, dst = np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64)
    nodes, shares = np.ones((n, c)), np.ones((1, c))
    sums = (shares.copy(), nodes.copy(), nodes.copy(), nodes.copy())
    unit = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((n, c)))
    position = (nodes, np.zeros(0), -1, np.zeros(n, np.bool_), np.zeros((4, n, c)))
    wear = (np.zeros(0), np.zeros(0), -1, -1)
    for cols in [(0,), (0, 1, 2)]:
        with pytest.raises(ValueError, match="columns"):
            sk.orders_on_links(nodes, shares, src, dst, *sums, cols)
        with pytest.raises(ValueError, match="columns"):
            sk.order_levels(
                np.zeros((0, c)), wear, unit, position, nodes, nodes.copy(), nodes.copy(),
                np.ones(n), np.ones(n), 0.5, nodes.copy(), cols,
            )  # fmt: skip
        with pytest.raises(ValueError, match="columns"):
            ptr, one = np.array([0, 1, 1]), np.zeros(1, np.int64)
            ek.echelon_need(nodes, nodes, nodes.copy(), shares, ptr, dst, ptr, one, 3, cols)
    sk.orders_on_links(nodes * 3.0, shares * 0.5, src, dst, *sums, (0, 1))
    assert sums[1].tolist() == [[1.5, 1.5], [0.0, 0.0]]  # node 1's 3.0 x 0.5, by sender 0
