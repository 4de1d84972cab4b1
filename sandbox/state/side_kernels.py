"""Compiled kernels (numba) for the metrics' daily sums per side, of the nodes and the links.

The contract of :mod:`sandbox.state.kernels`: one implementation (the metrics call
these), each sum from 0.0 in row order, as numpy's sum over the rows of one side.
"""

from __future__ import annotations

import numba
import numpy as np

F64 = np.ndarray


@numba.njit(cache=True, nogil=True)
def node_side_sums(
    side: np.ndarray,
    is_front: np.ndarray,
    producing: np.ndarray,
    fronts: np.ndarray,
    produced: F64,
    received: F64,
    demand: F64,
    consumed: F64,
    stock: F64,
    destroyed: F64,
    n_sides: int,
) -> F64:  # pragma: no cover - compiled
    """The daily per-side sums of the node metrics (S, 8C), each in node order from 0.0.

    Column blocks: produced, received at fronts, demand, consumed, shortfall
    (demand less consumed), stock, stock at fronts, destroyed. Production is
    summed over the ``producing`` rows, the next four blocks and front stock
    over the ``fronts`` rows (front nodes and units' nodes, ascending): a row
    left out holds exact zeros there, so the sums are those over every row.
    "At fronts" multiplies by 1.0 or 0.0, as a boolean mask does in numpy.

    Two sides (``n_sides`` must be 2). Each sum is kept in a local, three columns
    in one pass over the rows (the arrays read once, not once per column; with
    fewer columns left the last is summed again and dropped); a row adds to its
    own side's locals only, so every sum has the same operands in the same order.
    """
    if n_sides != 2:
        raise ValueError("node_side_sums sums two sides")
    c = stock.shape[1]
    out = np.zeros((2, 8 * c))
    for j in range(c):
        p0 = p1 = 0.0
        for r in producing:
            if side[r] == 0:
                p0 += produced[r, j]
            else:
                p1 += produced[r, j]
        out[0, j], out[1, j] = p0, p1
    for j in range(0, c, 3):
        for sd in range(2):
            _front_sums(side, sd, is_front, fronts, (received, demand, consumed, stock), j, out[sd])
        _pair_sums(side, stock, destroyed, j, out, 5 * c, 7 * c)  # stock, destroyed blocks
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _put3(row: F64, at: int, c: int, v: tuple[float, float, float]) -> None:  # pragma: no cover
    """``row[at + k] = v[k]`` for the columns ``at - at % c + k`` that exist (< c)."""
    j = at % c
    row[at] = v[0]
    if j + 1 < c:
        row[at + 1] = v[1]
    if j + 2 < c:
        row[at + 2] = v[2]


@numba.njit(cache=True, nogil=True, inline="always")
def _front_sums(
    side: np.ndarray,
    sd: int,
    is_front: np.ndarray,
    fronts: np.ndarray,
    arrays: tuple[F64, F64, F64, F64],
    j: int,
    row: F64,
) -> None:  # pragma: no cover - compiled
    """:func:`node_side_sums`' blocks over the ``fronts`` rows of side ``sd``, for
    columns ``j .. j + 2`` (the last existing column repeated), into ``row`` (8C,)."""
    received, demand, consumed, stock = arrays
    c = stock.shape[1]
    j1, j2 = min(j + 1, c - 1), min(j + 2, c - 1)
    g0 = g1 = g2 = a0 = a1 = a2 = u0 = u1 = u2 = h0 = h1 = h2 = f0 = f1 = f2 = 0.0
    for r in fronts:
        if side[r] != sd:
            continue
        front = 1.0 if is_front[r] else 0.0
        w0, w1, w2 = demand[r, j], demand[r, j1], demand[r, j2]
        x0, x1, x2 = consumed[r, j], consumed[r, j1], consumed[r, j2]
        g0 += received[r, j] * front
        g1 += received[r, j1] * front
        g2 += received[r, j2] * front
        a0 += w0
        a1 += w1
        a2 += w2
        u0 += x0
        u1 += x1
        u2 += x2
        h0 += w0 - x0
        h1 += w1 - x1
        h2 += w2 - x2
        f0 += stock[r, j] * front
        f1 += stock[r, j1] * front
        f2 += stock[r, j2] * front
    _put3(row, c + j, c, (g0, g1, g2))
    _put3(row, 2 * c + j, c, (a0, a1, a2))
    _put3(row, 3 * c + j, c, (u0, u1, u2))
    _put3(row, 4 * c + j, c, (h0, h1, h2))
    _put3(row, 6 * c + j, c, (f0, f1, f2))


@numba.njit(cache=True, nogil=True, inline="always")
def _pair_sums(
    side: np.ndarray, first: F64, second: F64, j: int, out: F64, at_first: int, at_second: int
) -> None:  # pragma: no cover - compiled
    """Two (R, C) arrays summed over every row by ``side`` (0 or 1), in row order from 0.0,
    for columns ``j .. j + 2`` (the last existing column repeated), each sum in a local;
    written into ``out`` (2, M) at ``at_first + j`` and ``at_second + j``."""
    c = first.shape[1]
    j1, j2 = min(j + 1, c - 1), min(j + 2, c - 1)
    s0 = s1 = s2 = t0 = t1 = t2 = d0 = d1 = d2 = e0 = e1 = e2 = 0.0
    for r in range(first.shape[0]):
        x0, x1, x2 = first[r, j], first[r, j1], first[r, j2]
        y0, y1, y2 = second[r, j], second[r, j1], second[r, j2]
        if side[r] == 0:
            s0 += x0
            s1 += x1
            s2 += x2
            d0 += y0
            d1 += y1
            d2 += y2
        else:
            t0 += x0
            t1 += x1
            t2 += x2
            e0 += y0
            e1 += y1
            e2 += y2
    _put3(out[0], at_first + j, c, (s0, s1, s2))
    _put3(out[1], at_first + j, c, (t0, t1, t2))
    _put3(out[0], at_second + j, c, (d0, d1, d2))
    _put3(out[1], at_second + j, c, (e0, e1, e2))


@numba.njit(cache=True, nogil=True)
def link_side_sums(link_side: np.ndarray, shipped: F64, in_transit: F64, n_sides: int) -> F64:
    """(S, 2C): ``shipped`` then ``in_transit`` summed per side, in link order from 0.0.

    Two sides (``n_sides`` must be 2), three columns a pass, each sum in a local,
    as :func:`node_side_sums`.
    """
    if n_sides != 2:
        raise ValueError("link_side_sums sums two sides")
    c = shipped.shape[1]
    out = np.zeros((2, 2 * c))
    for j in range(0, c, 3):
        _pair_sums(link_side, shipped, in_transit, j, out, 0, c)
    return out
