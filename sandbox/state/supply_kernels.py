"""Compiled kernels (numba) for the daily supply rules: order, route inputs, draw, produce.

The same contract as :mod:`sandbox.state.kernels`: one implementation (the
rules call these, there is no numpy twin), each kernel performing the numpy
expression's floating-point operations on the same operands in the same
order, fused into one pass over the rows instead of one temporary per
operation. ``np.maximum``, ``np.minimum`` and ``np.clip`` are :func:`np_max`
and :func:`np_min`, which return what numpy returns also for NaN (propagated)
and for ties such as ``-0.0`` against ``0.0`` (the second operand).

The order-up-to level ``(target_days x forecast) + forecast x (1 + lead)``
(:func:`sandbox.rules.logistics.ordering.order_up_to`) is written once, in
:func:`_level`; ordering computes it in its pass over the forecast, with
routing's inputs for the day, instead of materialising it (it was built three
times a day).

The kernels over (N, C) and (E, C) rows take ``columns = tuple(range(C))`` and are
compiled for the number of commodities (see :mod:`sandbox.state.kernels` and
:func:`check_columns`).
"""

from __future__ import annotations

import numba
import numpy as np

F64 = np.ndarray


@numba.njit(cache=True, nogil=True, inline="always")
def np_max(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.maximum(a, b)``: NaN from either side, else the larger, ``b`` on a tie.

    One select, no branch (``a`` when it is larger or NaN; else ``b``, NaN or not):
    branches on the data cost a misprediction a cell where the larger side varies."""
    return a if (a > b) | (a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def np_min(a: float, b: float) -> float:  # pragma: no cover - compiled
    """``np.minimum(a, b)``: NaN from either side, else the smaller, ``b`` on a tie
    (one select, as :func:`np_max`)."""
    return a if (a < b) | (a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def check_columns(rows: F64, columns: tuple[int, ...]) -> int:  # pragma: no cover - compiled
    """The number of columns C, a constant where compiled: ``columns`` is
    ``tuple(range(C))`` (its length is part of its numba type, so the kernel taking it is
    compiled for C and its loops over a row unrolled); refused unless ``rows`` has C columns."""
    c = len(columns)
    if rows.shape[1] != c:
        raise ValueError("columns must be tuple(range(C)), C the rows' number of columns")
    return c


@numba.njit(cache=True, nogil=True, inline="always")
def _level(target: float, forecast: float, cover: float) -> float:  # pragma: no cover
    """Order-up-to level from the target stock, the forecast and ``1 + lead``."""
    return target + forecast * cover


@numba.njit(cache=True, nogil=True, inline="always")
def wear_need(
    need: float, rounds: float, per_round: float, per_wear: float
) -> float:  # pragma: no cover - compiled
    """A unit's need of spare parts with what its ``rounds`` would wear out
    (consumption.with_expected_wear): ``need + (parts_per_round + wear_per_round) x rounds``."""
    return need + (per_round + per_wear) * rounds


@numba.njit(cache=True, nogil=True)
def levels(forecast: F64, target_days: F64, lead_days: F64, out: F64) -> None:  # pragma: no cover
    """``out`` (N, C) = the order-up-to level of every node and commodity."""
    n, c = forecast.shape
    for i in range(n):
        td, cover = target_days[i], 1.0 + lead_days[i]
        for j in range(c):
            f = forecast[i, j]
            out[i, j] = _level(td * f, f, cover)


@numba.njit(cache=True, nogil=True)
def sum_rows_into(index: np.ndarray, values: F64, out: F64) -> None:  # pragma: no cover
    """``out`` = the rows of ``values`` summed by ``index``, each cell from 0.0 in row
    order (:func:`sandbox.state.kernels.scatter_rows`, into a kept buffer)."""
    out[:] = 0.0
    for k in range(index.shape[0]):
        i = index[k]
        for j in range(values.shape[1]):
            out[i, j] += values[k, j]


@numba.njit(cache=True, nogil=True, inline="always")
def _route_cell(
    out: F64, i: int, j: int, pos: float, level: float, front_target: float
) -> None:  # pragma: no cover - compiled
    """Routing's inputs of node ``i``, commodity ``j`` (nothing moves between order and
    ship): ``out[0]`` the inventory position, ``out[1]`` the need (the new level less
    the position, at least zero), ``out[2]`` the pressure (the position less the
    target at a front: ``front_target``, the target x 1.0 or 0.0)."""
    out[0, i, j] = pos
    out[1, i, j] = np_max(level - pos, 0.0)
    out[2, i, j] = pos - front_target


@numba.njit(cache=True, nogil=True, inline="always")
def _sum_units(
    unit_need: F64,
    wear: tuple[F64, F64, int, int],
    unit_node: np.ndarray,
    rows: np.ndarray,
    own: F64,
    c: int,
) -> None:  # pragma: no cover - compiled
    """``own`` rows ``rows`` = the units' needs with wear (see :func:`order_levels`) summed
    by ``unit_node``, from 0.0 in unit order (a scatter: one unit a node is the common
    case, where it beats a loop over :class:`~sandbox.state.geometry.UnitsByNode`)."""
    per_round, per_wear, ammo, wear_col = wear
    for r in rows:
        for j in range(c):
            own[r, j] = 0.0
    for u in range(unit_node.shape[0]):
        b = unit_node[u]
        w = 0.0
        if wear_col >= 0:
            w = wear_need(unit_need[u, wear_col], unit_need[u, ammo], per_round[u], per_wear[u])
        for j in range(c):
            own[b, j] += w if j == wear_col else unit_need[u, j]


@numba.njit(cache=True, nogil=True)
def order_levels(
    unit_need: F64,
    wear: tuple[F64, F64, int, int],
    by_unit: tuple[np.ndarray, np.ndarray, F64],
    position: tuple[F64, F64, int, np.ndarray, F64],
    orders_in: F64,
    forecast: F64,
    over_level: F64,
    target_days: F64,
    lead_days: F64,
    alpha: float,
    placed: F64,
    columns: tuple[int, ...],
) -> None:  # pragma: no cover - compiled
    """One day of the order-up-to rule at every node, in place.

    ``by_unit = (unit_node, unit_rows, own)``: ``own`` (N, C) becomes the units'
    needs summed by node (in unit order from 0.0): its ``unit_rows`` (the units'
    nodes) are cleared and summed into; its other rows must be, and stay, zero.
    A unit's need is ``unit_need``, in column ``wear[3]`` (-1: none) with the
    parts its rounds would wear (:func:`wear_need`, ``wear = (parts_per_round,
    wear_per_round, ammo, parts)``). The carry
    ``over_level`` is first cut to the surplus ``max(position - old level, 0)``
    (ordering.cap_over_level); ``position`` is ``(stock, owed, parts, is_front,
    out)``: the position is stock plus inbound (``out[0]`` on entry, from
    :func:`sandbox.state.kernels.arrive`) less ``owed[i]`` in column ``parts``
    (kits owed; -1: none). Observed demand ``own + orders_in``; the level before
    and after the forecast moves ``f += alpha x (observed - f)``; the raw order
    ``observed + new level - old level - over_level``, placed at no less than
    zero, the rest kept in ``over_level`` (see ordering.order). ``out[:3]`` gets
    routing's inputs for the day (:func:`_route_cell`).
    """
    n, c = forecast.shape[0], check_columns(forecast, columns)
    stock, owed, parts, is_front, out = position
    unit_node, unit_rows, own = by_unit
    _sum_units(unit_need, wear, unit_node, unit_rows, own, c)
    for i in range(n):
        td, cover = target_days[i], 1.0 + lead_days[i]
        front = 1.0 if is_front[i] else 0.0
        for j in range(c):
            obs = own[i, j] + orders_in[i, j]
            f = forecast[i, j]
            old = _level(td * f, f, cover)
            pos = stock[i, j] + out[0, i, j]
            if j == parts:
                pos = pos - owed[i]
            carry = np_min(over_level[i, j], np_max(pos - old, 0.0))
            f = f + alpha * (obs - f)
            forecast[i, j] = f
            target = td * f
            level = _level(target, f, cover)
            raw = obs + level - old - carry
            p = np_max(raw, 0.0)
            over_level[i, j] = p - raw
            placed[i, j] = p
            _route_cell(out, i, j, pos, level, target * front)


@numba.njit(cache=True, nogil=True)
def orders_on_links(
    placed: F64,
    shares: F64,
    src: np.ndarray,
    dst: np.ndarray,
    requested: F64,
    orders_in: F64,
    need: F64,
    asked: F64,
    columns: tuple[int, ...],
) -> None:  # pragma: no cover - compiled
    """Each link's order ``placed[dst] x shares``: written to ``requested`` (as ``0.0 +
    order``, see Today), summed into ``orders_in`` by sender (from 0.0, in link order:
    what its suppliers see tomorrow). In the same pass ``need[dst] x shares`` summed
    into ``asked`` by sender, the same way: what each node's customers ask of it, the
    first sweep of echelon demand (:func:`sandbox.state.echelon_kernels.echelon_need`)."""
    c = check_columns(placed, columns)
    orders_in[:] = 0.0
    asked[:] = 0.0
    for e in range(src.shape[0]):
        a, b = src[e], dst[e]
        for j in range(c):
            share = shares[e, j]
            o = placed[b, j] * share
            requested[e, j] = 0.0 + o
            orders_in[a, j] += o
            asked[a, j] += need[b, j] * share


@numba.njit(cache=True, nogil=True)
def scale_rows(rows: F64, limit: F64, total: F64) -> None:  # pragma: no cover - compiled
    """Scale each row of ``rows`` in place by ``limit / total`` where ``total > limit``."""
    for e in range(rows.shape[0]):
        if total[e] > limit[e]:
            r = limit[e] / total[e]
            for j in range(rows.shape[1]):
                rows[e, j] *= r


@numba.njit(cache=True, nogil=True, inline="always")
def _ramp_rate(
    day: int, i: int, j: int, base: F64, target: F64, start: F64, days: F64, factor: F64
) -> float:  # pragma: no cover - compiled
    """Node ``i``'s output of commodity ``j`` on ``day`` (see :func:`ramp_rates`)."""
    elapsed = day - start[i, j]
    if days[i, j] > 0:
        frac = elapsed / days[i, j]
    else:
        frac = 1.0 if elapsed >= 0 else 0.0
    frac = np_min(np_max(frac, 0.0), 1.0)
    return (base[i, j] + (target[i, j] - base[i, j]) * frac) * factor[i]


@numba.njit(cache=True, nogil=True)
def ramp_rates(
    rows: np.ndarray,
    day: int,
    base: F64,
    target: F64,
    start: F64,
    days: F64,
    factor: F64,
    out: F64,
) -> None:  # pragma: no cover - compiled
    """Write into ``out`` the day's output of node ``rows`` (see production.rate).

    The ramp's share done ``(day - start) / days`` (a step when ``days`` is 0),
    clipped to [0, 1]; the rate ``base + (target - base) x share``, times the
    node's ``factor``.
    """
    for i in rows:
        for j in range(out.shape[1]):
            out[i, j] = _ramp_rate(day, i, j, base, target, start, days, factor)


@numba.njit(cache=True, nogil=True)
def add_rows(
    rows: np.ndarray, made: F64, stock: F64, produced: F64, side: np.ndarray, n_sides: int
) -> F64:  # pragma: no cover - compiled
    """Add ``made`` of node ``rows`` (ascending) to stock and today's produced; its sum
    per side (S, C), in node order from 0.0."""
    c = made.shape[1]
    by_side = np.zeros((n_sides, c))
    for i in rows:
        sd = side[i]
        for j in range(c):
            x = made[i, j]
            stock[i, j] += x
            produced[i, j] += x
            by_side[sd, j] += x
    return by_side


@numba.njit(cache=True, nogil=True)
def produce_rows(
    rows: np.ndarray,
    day: int,
    ramp: tuple[F64, F64, F64, F64, F64],
    stock: F64,
    produced: F64,
    side: np.ndarray,
    n_sides: int,
) -> F64:  # pragma: no cover - compiled
    """:func:`ramp_rates` then :func:`add_rows` in one pass over node ``rows`` (ascending),
    no (N, C) of output between them: ``ramp = (base, target, start, days, factor)``.
    Returns the output's sum per side (S, C), in node order from 0.0."""
    base, target, start, days, factor = ramp
    c = stock.shape[1]
    by_side = np.zeros((n_sides, c))
    for i in rows:
        sd = side[i]
        for j in range(c):
            x = _ramp_rate(day, i, j, base, target, start, days, factor)
            stock[i, j] += x
            produced[i, j] += x
            by_side[sd, j] += x
    return by_side
