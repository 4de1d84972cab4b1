"""The compiled kernels give, bit for bit, what the numpy expressions they replaced give.

Each test writes the numpy form out (as the rules had it) and compares bytes on
random networks with values spread over many orders of magnitude, zeros, cut
links and factory sources included.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.state import kernels, side_kernels


def _network(seed: int, n: int, e: int, c: int):
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, size=e), rng.integers(0, n, size=e)

    def values(shape):
        x = rng.random(shape) * 10.0 ** rng.integers(-6, 7, size=shape)
        return np.where(rng.random(shape) < 0.2, 0.0, x)

    return rng, src, dst, values


def _by(index, values, n):
    c = values.shape[1]
    flat = (index[:, None] * c + np.arange(c)).reshape(-1)
    out = np.bincount(flat, weights=values.reshape(-1), minlength=n * c).astype(float)
    return out.reshape(n, c)


SIZES = dict(
    n=st.integers(1, 8), e=st.integers(0, 20), c=st.integers(1, 4), seed=st.integers(0, 2**32 - 1)
)


@settings(max_examples=80, deadline=None)
@given(**SIZES)
def test_route_demand_and_stock_limit_match_numpy(n, e, c, seed):
    rng, src, dst, values = _network(seed, n, e, c)
    q, need, stock = values((n, c)) - values((n, c)), values((n, c)), values((n, c))
    factory, up = rng.random(e) < 0.3, rng.random(e) < 0.8
    # the numpy form
    want = np.maximum(q[src] - q[dst], 0.0) * 0.5
    want[factory] = stock[src[factory]]
    want[~up] = 0.0
    asked_in = _by(dst, want, n)
    fill = np.divide(need, asked_in, out=np.ones_like(need), where=asked_in > need)
    expected = want * fill[dst]
    tpu = values((c,))
    cols = tuple(range(c))  # each c its own compiled specialisation
    got, got_t = kernels.demand_flows(q, need, stock, src, dst, factory, up, tpu, cols)
    assert got.tobytes() == expected.tobytes()
    # each row's tonnes from 0.0 in column order, product then add (no FMA): a float loop
    loop_t = np.zeros(e)  # not sum(): Python 3.12's sum of floats compensates
    for j in range(c):
        loop_t = loop_t + got[:, j] * tpu[j]  # elementwise, product rounded then added
    assert got_t.tobytes() == loop_t.tobytes()
    # the capacity limit (supply_kernels.scale_rows) before the stock limit, about half binding
    tonnes, capacity_t = values((e,)), values((e,))
    over = tonnes > capacity_t
    expected[over] *= (capacity_t[over] / tonnes[over])[:, None]
    asked = _by(src, expected, n)
    expected *= np.divide(stock, asked, out=np.ones_like(asked), where=asked > stock)[src]
    kernels.limit_by_stock(got, stock, src, capacity_t, tonnes, cols)
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=80, deadline=None)
@given(**SIZES, h=st.integers(2, 5), day=st.integers(0, 30))
def test_ship_and_arrive_match_numpy(n, e, c, seed, h, day):
    rng, src, dst, values = _network(seed, n, e, c)
    stock, flows = values((n, c)), values((e, c))
    flows[rng.random((e, c)) < 0.1] = -0.0  # written as 0.0 + flow: +0.0
    pipeline, shipped, received = values((h, e, c)), values((e, c)), values((n, c))
    in_transit = pipeline.sum(axis=0)
    transit = rng.integers(1, h, size=e)
    slot = (day + transit) % h
    want = [a.copy() for a in (stock, pipeline, in_transit, shipped, received)]
    cols = tuple(range(c))  # each c its own compiled specialisation
    kernels.ship(stock, pipeline, in_transit, shipped, flows, src, transit, day, cols)
    inbound = np.full((n, c), np.nan)  # contents undefined: the kernel must not read them
    kernels.arrive(stock, pipeline[day % h], in_transit, received, dst, inbound, cols)
    w_stock, w_pipe, w_transit, w_shipped, w_received = want
    w_stock -= _by(src, flows, n)
    np.maximum(w_stock, 0.0, out=w_stock)
    w_pipe[slot, np.arange(e)] += flows
    w_transit += flows
    w_shipped[:] = 0.0  # shipped and received are written whole (no clearing before)
    w_shipped += flows
    arriving = w_pipe[day % h].copy()
    w_pipe[day % h] = 0.0
    w_transit -= arriving
    np.maximum(w_transit, 0.0, out=w_transit)
    got_n = _by(dst, arriving, n)
    w_stock += got_n
    w_received[:] = 0.0
    w_received += got_n
    for a, b in zip((stock, pipeline, in_transit, shipped, received), want, strict=True):
        assert a.tobytes() == b.tobytes()
    assert inbound.tobytes() == _by(dst, w_transit, n).tobytes()


@settings(max_examples=60, deadline=None)
@given(**SIZES)
def test_node_side_sums_match_numpy_sums_over_every_row(n, e, c, seed):
    rng, _, _, values = _network(seed, n, e, c)
    side, is_front = rng.integers(0, 2, size=n), rng.random(n) < 0.5
    has_units = rng.random(n) < 0.3
    fronts = np.flatnonzero(is_front | has_units)
    producing = np.flatnonzero(rng.random(n) < 0.4)
    produced, received, demand, consumed, stock, destroyed = (values((n, c)) for _ in range(6))
    # rows outside the subsets hold zeros there, as in the model
    produced[np.setdiff1d(np.arange(n), producing)] = 0.0
    for a in (demand, consumed):
        a[~has_units] = 0.0
    received[~is_front] = 0.0
    front = is_front[:, None]
    parts = [produced, received * front, demand, consumed, demand - consumed]
    parts += [stock, stock * front, destroyed]
    expected = _by(side, np.concatenate(parts, axis=1), 2)
    got = side_kernels.node_side_sums(
        side, is_front, producing, fronts, produced, received, demand, consumed, stock, destroyed, 2
    )
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=60, deadline=None)
@given(**SIZES)
def test_link_side_sums_match_numpy(n, e, c, seed):
    rng, _, _, values = _network(seed, n, e, c)
    link_side, shipped, in_transit = rng.integers(0, 2, size=e), values((e, c)), values((e, c))
    expected = _by(link_side, np.concatenate([shipped, in_transit], axis=1), 2)
    got = side_kernels.link_side_sums(link_side, shipped, in_transit, 2)
    assert got.tobytes() == expected.tobytes()


def test_the_days_kernels_refuse_columns_that_are_not_the_rows_columns():
    """``columns`` must be ``tuple(range(C))`` of the rows it walks: a kernel compiled for
    two columns must not run over three (nor over one)."""
    n, e = 2, 1
    src, dst = np.zeros(e, dtype=np.int64), np.ones(e, dtype=np.int64)
    links, nodes = np.ones((e, 3)), np.ones((n, 3))
    up, factory = np.ones(e, dtype=np.bool_), np.zeros(e, dtype=np.bool_)
    pipeline = np.zeros((2, e, 3))
    for cols in [(0, 1), (0, 1, 2, 3), ()]:
        with pytest.raises(ValueError, match="columns"):
            kernels.demand_flows(nodes, nodes, nodes, src, dst, factory, up, np.ones(3), cols)
        with pytest.raises(ValueError, match="columns"):
            kernels.limit_by_stock(links, nodes, src, np.ones(e), np.ones(e), cols)
        with pytest.raises(ValueError, match="columns"):
            kernels.ship(
                nodes, pipeline, links, links.copy(), links, src, np.ones(e, np.int64), 0, cols
            )
        with pytest.raises(ValueError, match="columns"):
            kernels.arrive(nodes, pipeline[0], links, nodes.copy(), dst, nodes.copy(), cols)
    # the matching tuple: node 1 takes the link's half of the gap 2 - 0 (its need is 5)
    q = np.array([[2.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
    flows, t = kernels.demand_flows(
        q, nodes * 5, nodes, src, dst, factory, up, np.ones(3), (0, 1, 2)
    )
    assert flows.tolist() == [[1.0, 2.0, 0.0]] and t.tolist() == [3.0]
