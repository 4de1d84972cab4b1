"""Compiled kernels (numba) for the units' side of the day: what they need and what they draw.

The same contract as :mod:`sandbox.state.supply_kernels`: one implementation,
the numpy expressions' floating-point operations on the same operands in the
same order. The units are visited by node (:class:`sandbox.state.geometry.
UnitsByNode`: each node's units in ascending unit order), so a node's sum of
its units' values, from 0.0 over that slice, is the sum a scatter-add by
``unit_node`` makes in that row, and the node's share can be handed back to
its units while their rows are still at hand: one pass, no (N, C) scratch.
"""

from __future__ import annotations

import numba
import numpy as np

from sandbox.state.supply_kernels import check_columns, np_max, np_min, wear_need

F64 = np.ndarray


@numba.njit(cache=True, nogil=True)
def any_nonzero(values: F64) -> bool:  # pragma: no cover - compiled
    """``values.any()`` of a (U,) array: some value is not zero (NaN counts, -0.0
    does not). No early exit: the loop is vectorised, and at 10k units it takes a
    fraction of numpy's reduction, whose cost is mostly setting it up."""
    found = False
    for i in range(values.shape[0]):
        found |= values[i] != 0.0
    return found


@numba.njit(cache=True, nogil=True)
def unit_need(
    needs_per_day: F64, fire: tuple[F64, F64, F64, F64], ammo: int
) -> F64:  # pragma: no cover - compiled
    """(U, C) what each unit needs today (consumption.unit_requirement).

    ``fire`` is ``(guns_in_action, rounds_per_gun_per_day, fire_intensity,
    factor)``: the rounds ``guns x rate x intensity``, times ``factor`` unless it
    is empty, added to ``needs_per_day`` in column ``ammo`` (-1: no ammunition).
    """
    guns, rate, intensity, factor = fire
    out = needs_per_day.copy()
    if ammo >= 0:
        varied = factor.shape[0] > 0
        for u in range(out.shape[0]):
            rounds = guns[u] * rate[u] * intensity[u]
            if varied:
                rounds = rounds * factor[u]
            out[u, ammo] = out[u, ammo] + rounds
    return out


@numba.njit(cache=True, nogil=True)
def expected_wear(need_u: F64, wear: tuple[F64, F64, int, int]) -> F64:  # pragma: no cover
    """(U, C) ``need_u`` with the parts the rounds would wear out (consumption.with_expected_wear):
    column ``parts`` of ``wear = (parts_per_round, wear_per_round, ammo, parts)`` by
    :func:`~sandbox.state.supply_kernels.wear_need`."""
    per_round, per_wear, ammo, parts = wear
    out = need_u.copy()
    for u in range(need_u.shape[0]):
        out[u, parts] = wear_need(need_u[u, parts], need_u[u, ammo], per_round[u], per_wear[u])
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _give(
    stock: F64, r: int, j: int, asked: float, consumed_today: F64
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Node ``r`` gives ``min(stock, asked)`` of column ``j``, keeping its stock at no
    less than zero, and adds it to ``consumed_today``; returns (given, share met)."""
    got = np_min(stock[r, j], asked)
    stock[r, j] = np_max(stock[r, j] - got, 0.0)
    consumed_today[r, j] += got
    return got, (got / asked if asked > 0 else 1.0)


@numba.njit(cache=True, nogil=True, inline="always")
def _sum_asks(
    c: int,
    need_u: F64,
    units: np.ndarray,
    lo: int,
    hi: int,
    owed: tuple[int, F64, F64],
    asked: F64,
) -> float:  # pragma: no cover - compiled
    """The first draw's ask of every column (``c`` of them) by the units ``units[lo:hi]``, summed
    into ``asked`` (from 0.0, in unit order) in one pass over their rows; in column
    ``parts`` of ``owed = (parts, backlog, new)`` each unit asks its need plus the
    kits owed. Returns that column's demand (need plus the kits newly worn, summed
    the same way; 0.0 without one). A column's sum is the same whatever the loop
    nesting: the same additions in the same order."""
    parts, backlog, new = owed
    for j in range(c):
        asked[j] = 0.0
    demanded = 0.0
    for p in range(lo, hi):
        u = units[p]
        for j in range(c):
            v = need_u[u, j]
            if j == parts:  # the kits owed asked, the kits newly worn demanded
                demanded += v + new[u]
                v = v + backlog[u]
            asked[j] += v
    return demanded


@numba.njit(cache=True, nogil=True, inline="always")
def _gives(
    c: int,
    stock: F64,
    r: int,
    asked: F64,
    demanded_parts: float,
    parts: int,
    records: tuple[F64, F64],
    share: F64,
    by_side: F64,
    sr: int,
) -> None:  # pragma: no cover - compiled
    """Node ``r`` gives each of its ``c`` columns (:func:`_give`) what its units ask,
    ``asked`` (column ``parts`` is recorded as demanding ``demanded_parts``, the others
    what they ask), writing the share met into ``share`` and adding what it gave to
    its side's row ``sr`` of ``by_side``."""
    demand_today, consumed_today = records
    for j in range(c):
        demand_today[r, j] += demanded_parts if j == parts else asked[j]
        got, share[j] = _give(stock, r, j, asked[j], consumed_today)
        by_side[sr, j] += got


@numba.njit(cache=True, nogil=True, inline="always")
def _write_got(
    c: int,
    need_u: F64,
    got_u: F64,
    units: np.ndarray,
    lo: int,
    hi: int,
    owed: tuple[int, F64, F64],
    share: F64,
    wear: tuple[F64, int, int],
) -> float:  # pragma: no cover - compiled
    """Each unit of ``units[lo:hi]`` gets ``share[j]`` of its ask of column ``j``,
    written in one pass over its row. When a second draw follows (``wear =
    (per_round, ammo, worn)``, ``worn`` >= 0), the ``+ 0.0`` it adds to the
    columns other than ``ammo`` (which it reads first) and ``worn`` is added here,
    as each got is written (the same operation on the same value), and its ask,
    ``per_round[u] x got[u, ammo]``, is summed (from 0.0, in unit order) and
    returned; 0.0 without one."""
    parts, backlog, _ = owed
    per_round, ammo, worn = wear
    wear_asked = 0.0
    for p in range(lo, hi):
        u = units[p]
        for j in range(c):
            if j == parts:
                got_u[u, j] = (need_u[u, j] + backlog[u]) * share[j]
            elif worn >= 0 and j != worn and j != ammo:  # the second draw's + 0.0, now
                got_u[u, j] = need_u[u, j] * share[j] + 0.0
            else:
                got_u[u, j] = need_u[u, j] * share[j]
        if worn >= 0:
            wear_asked += per_round[u] * got_u[u, ammo]
    return wear_asked


@numba.njit(cache=True, nogil=True, inline="always")
def _wear_got(
    got_u: F64, units: np.ndarray, lo: int, hi: int, wear: tuple[F64, int, int], share: float
) -> None:  # pragma: no cover - compiled
    """The second draw's got: unit ``u`` of ``units[lo:hi]`` gets ``+ extra``
    (``per_round[u] x got[u, ammo] x share``) in column ``worn`` and ``+ 0.0`` in
    column ``ammo`` (its other columns got theirs in :func:`_write_got`)."""
    per_round, ammo, worn = wear
    for p in range(lo, hi):
        u = units[p]
        extra = per_round[u] * got_u[u, ammo] * share
        if ammo != worn:
            got_u[u, ammo] = got_u[u, ammo] + 0.0
        got_u[u, worn] = got_u[u, worn] + extra


@numba.njit(cache=True, nogil=True)
def draw(
    stock: F64,
    need_u: F64,
    asks: tuple[tuple[int, F64, F64], tuple[F64, int, int]],
    by_node: tuple[np.ndarray, np.ndarray, np.ndarray],
    records: tuple[F64, F64],
    side: np.ndarray,
    n_sides: int,
    columns: tuple[int, ...],
) -> tuple[F64, F64, F64]:  # pragma: no cover - compiled
    """Units draw what they ask from their nodes, twice; see consumption.consume.

    First a unit asks ``need_u`` (U, C), in column ``owed[0]`` (-1: none) plus
    the kits it is owed ``owed[1]`` (U,), and is recorded as demanding
    ``need_u`` plus its newly worn ``owed[2]`` there (``asks = (owed, wear)``).
    Each node of ``by_node = (rows, ptr, units)`` gives ``min(stock, asked)``
    of its units' summed ask (from 0.0, in unit order), keeping its stock at no
    less than zero, and adds the summed demand and what it gave to ``records =
    (demand_today, consumed_today)``; each unit gets the share of its ask its
    node met (1 where the node was asked nothing). Then, unless ``wear[2]`` is
    -1, the same node draws again: unit ``u`` asks (and demands)
    ``parts_per_round[u] x got[u, ammo]`` of column ``parts`` (``wear =
    (parts_per_round, ammo, parts)``), and what it gets is added to its got
    (0.0 to its other columns, as the sum with a (U, C) array zero but there
    did). A node's second draw follows its first, which is all it reads.

    Returns what each unit got (U, C) and the amounts given in each draw,
    summed per side (S, C) in node order from 0.0. Nodes without units are
    asked nothing: there ``min(stock, 0)`` is 0 (stock is never negative), so
    leaving them out changes no value.

    ``columns`` is ``tuple(range(C))``, C = ``need_u.shape[1]``: its length is
    part of its numba type, so the kernel is compiled for each number of
    columns and the loops over a unit's row have a constant count, unrolled (a
    third less time at 10k nodes than with the count read from the array). A
    node's units are passed over three times, each taking a unit's whole row (the
    sums, the gots with the second draw's ask, the second draw's got).
    """
    rows, ptr, units = by_node
    owed, wear = asks
    parts, worn = owed[0], wear[2]
    demand_today, consumed_today = records
    c = check_columns(need_u, columns)  # a constant where compiled: row loops unrolled
    got_u = np.empty_like(need_u)
    by_side, by_side_wear = np.zeros((n_sides, c)), np.zeros((n_sides, c))
    asked, share = np.empty(c), np.empty(c)
    for k in range(rows.shape[0]):
        r, lo, hi = rows[k], ptr[k], ptr[k + 1]
        demanded_parts = _sum_asks(c, need_u, units, lo, hi, owed, asked)
        sr = side[r]
        _gives(c, stock, r, asked, demanded_parts, parts, records, share, by_side, sr)
        wear_asked = _write_got(c, need_u, got_u, units, lo, hi, owed, share, wear)
        if worn >= 0:
            demand_today[r, worn] += wear_asked
            got, wear_share = _give(stock, r, worn, wear_asked, consumed_today)
            _wear_got(got_u, units, lo, hi, wear, wear_share)
            by_side_wear[sr, worn] += got
    return got_u, by_side, by_side_wear
