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
    """Units draw what they ask from their nodes; see consumption.consume.

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
    demand_today, consumed_today = records
    parts, backlog, new = owed
    c = need_u.shape[1]
    got_u = np.empty_like(need_u)
    by_side = np.zeros((n_sides, c))
    for k in range(rows.shape[0]):
        r, lo, hi = rows[k], ptr[k], ptr[k + 1]
        for j in range(c):
            if j == parts:
                continue
            asked = 0.0
            for p in range(lo, hi):
                asked += need_u[units[p], j]
            demand_today[r, j] += asked
            got, share = _give(stock, r, j, asked, consumed_today)
            by_side[side[r], j] += got
            for p in range(lo, hi):
                u = units[p]
                got_u[u, j] = need_u[u, j] * share
        if parts >= 0:  # the kits owed asked, the kits newly worn demanded
            asked, demanded = 0.0, 0.0
            for p in range(lo, hi):
                u = units[p]
                asked += need_u[u, parts] + backlog[u]
                demanded += need_u[u, parts] + new[u]
            demand_today[r, parts] += demanded
            got, share = _give(stock, r, parts, asked, consumed_today)
            by_side[side[r], parts] += got
            for p in range(lo, hi):
                u = units[p]
                got_u[u, parts] = (need_u[u, parts] + backlog[u]) * share
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
    rows, ptr, units = by_node
    demand_today, consumed_today = records
    c = got_u.shape[1]
    by_side = np.zeros((n_sides, c))
    for k in range(rows.shape[0]):
        r, lo, hi = rows[k], ptr[k], ptr[k + 1]
        asked = 0.0
        for p in range(lo, hi):
            u = units[p]
            asked += per_round[u] * got_u[u, ammo]
        demand_today[r, parts] += asked
        got, share = _give(stock, r, parts, asked, consumed_today)
        by_side[side[r], parts] += got
        for p in range(lo, hi):
            u = units[p]
            extra = per_round[u] * got_u[u, ammo] * share
            for j in range(c):
                got_u[u, j] = got_u[u, j] + (extra if j == parts else 0.0)
    return by_side
