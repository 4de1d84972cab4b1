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

from sandbox.state.supply_kernels import np_max, np_min, wear_need

F64 = np.ndarray


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
    out = np.empty_like(need_u)
    for u in range(need_u.shape[0]):
        for j in range(need_u.shape[1]):
            out[u, j] = wear_need(need_u, u, j, wear)
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _ask(
    need_u: F64, u: int, j: int, owed: tuple[int, F64, F64]
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Unit ``u``'s ask and recorded demand in column ``j``: its need, plus in column
    ``owed[0]`` the kits owed (``owed[1]``) and the kits newly worn (``owed[2]``)."""
    x = need_u[u, j]
    if j == owed[0]:
        return x + owed[1][u], x + owed[2][u]
    return x, x


@numba.njit(cache=True, nogil=True, inline="always")
def _give(
    stock: F64, r: int, j: int, asked: float, demanded: float, records: tuple[F64, F64]
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Node ``r`` gives ``min(stock, asked)`` of column ``j``, stock kept at no less than
    zero, and records ``demanded`` and what it gave; returns (given, share met)."""
    got = np_min(stock[r, j], asked)
    stock[r, j] = np_max(stock[r, j] - got, 0.0)
    records[0][r, j] += demanded
    records[1][r, j] += got
    return got, (got / asked if asked > 0 else 1.0)


@numba.njit(cache=True, nogil=True)
def draw(
    stock: F64,
    need_u: F64,
    owed: tuple[int, F64, F64],
    by_node: tuple[np.ndarray, np.ndarray, np.ndarray],
    records: tuple[F64, F64],
    side: np.ndarray,
    n_sides: int,
) -> tuple[F64, F64]:  # pragma: no cover - compiled
    """Units draw what they ask from their nodes; see consumption.draw.

    A unit asks ``need_u`` (U, C), in column ``owed[0]`` (-1: none) plus the
    kits it is owed ``owed[1]`` (U,), and is recorded as demanding ``need_u``
    plus its newly worn ``owed[2]`` there. Each node of ``by_node = (rows, ptr,
    units)`` gives ``min(stock, asked)`` of its units' summed ask (from 0.0, in
    unit order), keeping its stock at no less than zero, and adds the summed
    demand and what it gave to ``records = (demand_today, consumed_today)``;
    each unit gets the share of its ask its node met (1 where the node was
    asked nothing). Returns what each unit got (U, C) and the amounts given,
    summed per side (S, C) in node order from 0.0. Nodes without units are
    asked nothing: there ``min(stock, 0)`` is 0 (stock is never negative), so
    leaving them out changes no value.
    """
    rows, ptr, units = by_node
    c = need_u.shape[1]
    got_u = np.empty_like(need_u)
    by_side = np.zeros((n_sides, c))
    acc = np.empty((2, c))  # asked, demanded; then asked's share met
    for k in range(rows.shape[0]):
        r = rows[k]
        acc[:] = 0.0
        for p in range(ptr[k], ptr[k + 1]):
            for j in range(c):
                a, d = _ask(need_u, units[p], j, owed)
                acc[0, j] += a
                acc[1, j] += d
        for j in range(c):
            got, share = _give(stock, r, j, acc[0, j], acc[1, j], records)
            acc[0, j] = share
            by_side[side[r], j] += got
        for p in range(ptr[k], ptr[k + 1]):
            u = units[p]
            for j in range(c):
                got_u[u, j] = _ask(need_u, u, j, owed)[0] * acc[0, j]
    return got_u, by_side


@numba.njit(cache=True, nogil=True)
def draw_wear(
    stock: F64,
    got_u: F64,
    wear: tuple[F64, int, int],
    by_node: tuple[np.ndarray, np.ndarray, np.ndarray],
    records: tuple[F64, F64],
    side: np.ndarray,
    n_sides: int,
) -> F64:  # pragma: no cover - compiled
    """The spare parts for the rounds fired, drawn as :func:`draw` draws, added to ``got_u``.

    ``wear = (parts_per_round, ammo, parts)``: unit ``u`` asks (and demands)
    ``parts_per_round[u] x got_u[u, ammo]`` of column ``parts`` only; what it
    gets is added to ``got_u[u, parts]``, and 0.0 to its other columns (as the
    sum with a (U, C) array zero but there did). Returns the amounts given
    per side (S, C).
    """
    per_round, ammo, parts = wear
    c = got_u.shape[1]
    by_side = np.zeros((n_sides, c))
    for k in range(by_node[0].shape[0]):
        r, lo, hi = by_node[0][k], by_node[1][k], by_node[1][k + 1]
        asked = 0.0
        for p in range(lo, hi):
            u = by_node[2][p]
            asked += per_round[u] * got_u[u, ammo]
        got, share = _give(stock, r, parts, asked, asked, records)
        by_side[side[r], parts] += got
        for p in range(lo, hi):
            u = by_node[2][p]
            extra = per_round[u] * got_u[u, ammo] * share
            for j in range(c):
                got_u[u, j] = got_u[u, j] + (extra if j == parts else 0.0)
    return by_side
