"""Compiled kernels (numba) for the per-tick work on (N, C) and (E, C) arrays.

One implementation: the rules call these, there is no numpy twin. Each kernel
performs the same floating-point operations, on the same operands and in the
same order, as the numpy expression it replaced, so results are bit for bit
what they were:

* a scatter-add (``np.bincount`` over a flat index) adds, into each output
  cell starting from 0.0, its rows in index order; :func:`scatter_add` loops
  over the rows in that order;
* elementwise expressions are evaluated per element as written; ``max(x, 0)``
  keeps NaN as ``np.maximum`` does;
* units to tonnes (``units x tonnes_per_unit`` summed over the commodities) is
  not numpy's matrix product, whose summation order and fused multiply-adds
  depend on the CPU OpenBLAS detects (so another worker's CPU could give other
  bits), but :func:`row_tonnes`: each row from 0.0 in column order,
  ``((0.0 + x0*t0) + x1*t1) + x2*t2``, each product rounded then added (numba
  without ``fastmath`` neither contracts to FMA nor reorders the sum), the same
  on every CPU; :func:`tonnes` for any (..., C) array, and :func:`demand_flows`
  returns its rows' tonnes from the same helper.

The day's kernels over (N, C) and (E, C) rows take ``columns``, the state's
``tuple(range(C))`` (:attr:`sandbox.state.geometry.Geometry.columns`): a tuple's
length is part of its numba type, so each kernel is compiled for the number of
commodities and its loops over a row's columns have a constant count, which LLVM
unrolls (the same operations in the same order). A ``columns`` that does not
match the arrays is refused (:func:`~sandbox.state.supply_kernels.check_columns`).

``cache=True`` keeps the compiled code in ``__pycache__``, one version per
number of commodities; the first compile in a fresh checkout costs a few
seconds (see docs/performance.md).
"""

from __future__ import annotations

import numba
import numpy as np

from sandbox.state.supply_kernels import check_columns

F64 = np.ndarray


def _read_only(a: np.ndarray, dtype: type) -> np.ndarray:
    """``a`` as a read-only C-contiguous array of ``dtype`` (a view when it already is one)."""
    view: np.ndarray = np.ascontiguousarray(a, dtype=dtype).view()
    view.flags.writeable = False
    return view


def scatter_add(index: np.ndarray, values: F64, n: int) -> F64:
    """Rows of ``values`` (K, C) summed into ``n`` rows by ``index`` (K,): (n, C).

    Whatever the arrays' integer type, layout and write flag, the kernel sees
    one signature (int64 and float64, read-only, C order), so a process loads
    one compiled version from the cache, not one per combination.
    """
    return scatter_rows(_read_only(index, np.int64), _read_only(values, np.float64), n)


@numba.njit(cache=True, nogil=True)
def scatter_rows(index: np.ndarray, values: F64, n: int) -> F64:  # pragma: no cover - compiled
    """The compiled scatter-add behind :func:`scatter_add`, for other kernels to call."""
    k_rows, c = values.shape
    out = np.zeros((n, c))
    for k in range(k_rows):
        i = index[k]
        for j in range(c):
            out[i, j] += values[k, j]
    return out


def tonnes(units: F64, tonnes_per_unit: F64) -> F64:
    """An (..., C) array of units in tonnes, summed over the commodities: (...)."""
    c = units.shape[-1]
    rows = _read_only(units, np.float64).reshape(-1, c)
    return row_tonnes(rows, _read_only(tonnes_per_unit, np.float64)).reshape(units.shape[:-1])


@numba.njit(cache=True, nogil=True)
def row_tonnes(x: F64, tpu: F64) -> F64:  # pragma: no cover - compiled
    """Each row of ``x`` (K, C) in tonnes (K,): :func:`_row_tonnes` row by row."""
    out = np.empty(x.shape[0])
    for k in range(x.shape[0]):
        out[k] = _row_tonnes(x, k, tpu)
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _row_tonnes(x: F64, k: int, tpu: F64) -> float:  # pragma: no cover - compiled
    """``((0.0 + x[k, 0] * tpu[0]) + x[k, 1] * tpu[1]) + ...``: the one order of the sum
    (three columns written out: a loop of three trips per row costs 2.4x as much)."""
    c = x.shape[1]
    if c == 0:
        return 0.0
    t = 0.0 + x[k, 0] * tpu[0]
    if c > 1:
        t += x[k, 1] * tpu[1]
    if c > 2:
        t += x[k, 2] * tpu[2]
    for j in range(3, c):
        t += x[k, j] * tpu[j]
    return t


@numba.njit(cache=True, nogil=True)
def demand_flows(
    q: F64,
    need: F64,
    stock: F64,
    src: np.ndarray,
    dst: np.ndarray,
    from_factory: np.ndarray,
    link_up: np.ndarray,
    tpu: F64,
    columns: tuple[int, ...],
) -> tuple[F64, F64]:  # pragma: no cover - compiled
    """Each link's flow before the capacity and stock limits (E, C) and its tonnes (E,)
    (:func:`row_tonnes`' sum, per ``tpu`` tonnes a unit); see routing.route.

    A link asks for half the positive pressure gap ``q[src] - q[dst]``, all
    the stock of a factory source, nothing when cut; a receiver takes no more
    than its ``need``, in proportion to what each in-link asks.
    """
    c = check_columns(q, columns)
    e_links = src.shape[0]
    want = np.empty((e_links, c))
    asked_in = np.zeros(need.shape)
    for e in range(e_links):
        a, b = src[e], dst[e]
        for j in range(c):
            if not link_up[e]:
                w = 0.0
            elif from_factory[e]:
                w = stock[a, j]
            else:
                gap = q[a, j] - q[b, j]
                if gap < 0.0:
                    gap = 0.0
                w = gap * 0.5
            want[e, j] = w
            asked_in[b, j] += w
    fill = asked_in  # from here on, the share of its asks each receiver takes
    _shares_of(need, asked_in, fill, columns)
    tonnes_e = np.empty(e_links)
    for e in range(e_links):
        b = dst[e]
        for j in range(c):
            want[e, j] = want[e, j] * fill[b, j]
        tonnes_e[e] = _row_tonnes(want, e, tpu)
    return want, tonnes_e


@numba.njit(cache=True, nogil=True)
def _shares_of(
    have: F64, asked: F64, out: F64, columns: tuple[int, ...]
) -> None:  # pragma: no cover - compiled
    """``out`` = ``have / asked`` where ``asked > have``, else 1.0 (may be ``asked`` itself).

    Rows are then scaled by the share unconditionally: ``x * 1.0`` is ``x``
    bit for bit, and the loop over the links has no branch to mispredict.
    """
    n, c = have.shape[0], len(columns)
    for i in range(n):
        for j in range(c):
            a, h = asked[i, j], have[i, j]
            out[i, j] = h / a if a > h else 1.0


@numba.njit(cache=True, nogil=True)
def limit_by_stock(
    flows: F64,
    stock: F64,
    src: np.ndarray,
    capacity_t: F64,
    tonnes: F64,
    columns: tuple[int, ...],
) -> None:  # pragma: no cover - compiled
    """Scale flows in place to the links' capacity, then so no sender ships more than it
    holds, same share for each link.

    A link whose ``tonnes`` exceed its ``capacity_t`` first has its row scaled by
    ``capacity_t / tonnes`` (:func:`sandbox.state.supply_kernels.scale_rows`), in the
    pass that sums the rows by sender (row ``e`` scaled, then added: the bits of the
    two passes, one pass over the links fewer).
    """
    e_links, c = flows.shape[0], check_columns(flows, columns)
    share = np.zeros(stock.shape)
    for e in range(e_links):
        if tonnes[e] > capacity_t[e]:
            r = capacity_t[e] / tonnes[e]
            for j in range(c):
                flows[e, j] *= r
        a = src[e]
        for j in range(c):
            share[a, j] += flows[e, j]
    _shares_of(stock, share, share, columns)
    for e in range(e_links):
        a = src[e]
        for j in range(c):
            flows[e, j] *= share[a, j]


@numba.njit(cache=True, nogil=True)
def ship(
    stock: F64,
    pipeline: F64,
    in_transit: F64,
    shipped: F64,
    flows: F64,
    src: np.ndarray,
    transit_days: np.ndarray,
    day: int,
    columns: tuple[int, ...],
) -> None:  # pragma: no cover - compiled
    """Take flows from their senders' stock and put them on the links' pipelines.

    A flow shipped on ``day`` arrives in ring slot ``(day + transit) % H``.
    ``shipped`` is written, every link (``0.0 + flow``: the bits of a cleared
    record added to).
    """
    n, c = stock.shape[0], check_columns(flows, columns)
    out = np.zeros((n, c))
    h = pipeline.shape[0]
    for e in range(flows.shape[0]):
        a = src[e]
        t = (day + transit_days[e]) % h
        for j in range(c):
            f = flows[e, j]
            out[a, j] += f
            pipeline[t, e, j] += f
            in_transit[e, j] += f
            shipped[e, j] = 0.0 + f  # written whole (Today): as if added to a zero
    for i in range(n):
        for j in range(c):
            x = stock[i, j] - out[i, j]
            stock[i, j] = 0.0 if x < 0.0 else x  # float rounding only


@numba.njit(cache=True, nogil=True)
def arrive(
    stock: F64,
    ring: F64,
    in_transit: F64,
    received: F64,
    dst: np.ndarray,
    inbound: F64,
    columns: tuple[int, ...],
) -> None:  # pragma: no cover - compiled
    """Empty today's pipeline slot ``ring`` (E, C) into the receivers' stock.

    One pass over the links (each link's in-transit less what arrives, the
    arrivals (into ``received``, every node) and what stays in transit summed by
    receiver in link order from 0.0, the slot zeroed), then one over the nodes
    adding the arrivals to stock. ``inbound`` (N, C) receives the in-transit sum (the order's
    inventory position; :func:`scatter_rows` of the new ``in_transit``).
    """
    e_links, c = ring.shape[0], check_columns(ring, columns)
    n = stock.shape[0]
    received[:] = 0.0  # written whole (Today): a sum from +0.0 is never -0.0, so 0.0 + it
    inbound[:] = 0.0
    for e in range(e_links):
        b = dst[e]
        for j in range(c):
            x = ring[e, j]
            y = in_transit[e, j] - x
            y = 0.0 if y < 0.0 else y
            in_transit[e, j] = y
            received[b, j] += x
            inbound[b, j] += y
            ring[e, j] = 0.0
    for i in range(n):
        for j in range(c):
            stock[i, j] += received[i, j]
