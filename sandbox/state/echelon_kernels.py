"""Compiled kernel (numba) for routing's echelon demand: Jacobi sweeps over a worklist.

The contract of :mod:`sandbox.state.supply_kernels`: one implementation (routing
calls it), the numpy expression's floating-point operations on the same operands
in the same order, ``np.maximum`` as :func:`~sandbox.state.supply_kernels.np_max`.
What a numpy sweep recomputes for every node, this recomputes only where an input
changed, so the values, and the number of sweeps, are the same.
"""

from __future__ import annotations

import numba
import numpy as np

from sandbox.state.supply_kernels import check_columns, np_max

F64 = np.ndarray


@numba.njit(cache=True, nogil=True)
def echelon_need(
    own: F64,
    pos: F64,
    asked: F64,
    shares: F64,
    out_ptr: np.ndarray,
    out_dst: np.ndarray,
    in_ptr: np.ndarray,
    in_src: np.ndarray,
    sweeps: int,
    columns: tuple[int, ...],
) -> F64:  # pragma: no cover - compiled
    """Each node's need (N, C) grown by its customers' asks; see routing.echelon_need.

    The Jacobi sweeps ``grown = max(own, by_src(need[dst] x shares) - pos)``
    from ``need = own`` until ``grown == need`` (NaN never equal), at most
    ``sweeps``, returning the last ``need``. ``asked`` is the first sweep's
    ``by_src(own[dst] x shares)`` (summed by
    :func:`sandbox.state.supply_kernels.orders_on_links`); it is overwritten with
    the need (and returned unless nothing changed). ``shares`` and ``out_dst`` are in
    CSR order by sender (:class:`~sandbox.state.geometry.Adjacency`): node
    ``i``'s out-links are rows ``out_ptr[i]:out_ptr[i + 1]``, ascending, summed
    from 0.0 as the scatter-add by sender does. Sweep k recomputes only the suppliers
    (``in_src[in_ptr[b]:in_ptr[b + 1]]``) of the nodes whose need changed in
    sweep k - 1 (every node in the first): any other node's inputs are the
    same bits, so its value is too.
    """
    n, c = own.shape[0], check_columns(own, columns)  # compiled for C: see kernels
    changed = np.empty(n, np.int64)
    need = asked  # each cell read, then written
    same, n_changed, nans = _echelon_first(own, pos, asked, need, changed, columns)
    if same or sweeps < 1:  # every node equal: no NaN anywhere
        return own
    grown = np.empty((n, c))
    todo = np.empty(n, np.int64)
    mark = np.zeros(n, np.bool_)
    for _ in range(sweeps - 1):
        n_todo = _suppliers(changed, n_changed, in_ptr, in_src, mark, todo)
        links = (shares, out_ptr, out_dst)
        same = _echelon_sweep(need, own, pos, links, todo, n_todo, grown, columns)
        if same and nans == 0:  # a NaN anywhere: array_equal is False
            break
        n_changed, nans = _echelon_apply(need, grown, (todo, n_todo), changed, nans, columns)
    return need


@numba.njit(cache=True, nogil=True)
def _echelon_first(
    own: F64, pos: F64, asked: F64, need: F64, changed: np.ndarray, columns: tuple[int, ...]
) -> tuple[bool, int, int]:  # pragma: no cover - compiled
    """The first sweep, from ``own`` and its sums ``asked``, over every node into
    ``need``: whether every value equals its own need, the nodes whose bits changed
    (into ``changed``: their count) and the NaNs in ``need``."""
    n, c = own.shape[0], len(columns)
    same, n_changed, nans = True, 0, 0
    for i in range(n):
        moved = False
        for j in range(c):
            g, old = np_max(own[i, j], asked[i, j] - pos[i, j]), own[i, j]
            need[i, j] = g
            same = same and g == old
            moved = moved or _moved(g, old)
            nans += 1 if g != g else 0
        if moved:
            changed[n_changed] = i
            n_changed += 1
    return same, n_changed, nans


@numba.njit(cache=True, nogil=True, inline="always")
def _moved(g: float, old: float) -> bool:  # pragma: no cover - compiled
    """Whether ``g`` and ``old`` may differ in bits (NaNs count as moved: recomputing is exact)."""
    return g != old or np.copysign(1.0, g) != np.copysign(1.0, old)


@numba.njit(cache=True, nogil=True)
def _echelon_sweep(
    need: F64,
    own: F64,
    pos: F64,
    links: tuple[F64, np.ndarray, np.ndarray],
    todo: np.ndarray,
    n_todo: int,
    grown: F64,
    columns: tuple[int, ...],
) -> bool:  # pragma: no cover - compiled
    """Row ``k`` of ``grown`` = the new need of node ``todo[k]``; True if all equal the old.
    ``links = (shares, out_ptr, out_dst)``, in CSR order by sender."""
    shares, out_ptr, out_dst = links
    c = len(columns)
    same = True
    for k in range(n_todo):
        i = todo[k]
        for j in range(c):
            grown[k, j] = 0.0
        for p in range(out_ptr[i], out_ptr[i + 1]):
            b = out_dst[p]
            for j in range(c):
                grown[k, j] += need[b, j] * shares[p, j]
        for j in range(c):
            g = np_max(own[i, j], grown[k, j] - pos[i, j])
            grown[k, j] = g
            if not g == need[i, j]:
                same = False
    return same


@numba.njit(cache=True, nogil=True)
def _echelon_apply(
    need: F64,
    grown: F64,
    todo: tuple[np.ndarray, int],
    changed: np.ndarray,
    nans: int,
    columns: tuple[int, ...],
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Write ``grown`` into ``need`` (rows ``todo = (nodes, count)``); list the nodes whose
    bits changed; count the NaNs."""
    todo_nodes, n_todo = todo
    c = len(columns)
    n_changed = 0
    for k in range(n_todo):
        i = todo_nodes[k]
        moved = False
        for j in range(c):
            g, old = grown[k, j], need[i, j]
            moved = moved or _moved(g, old)
            nans += (1 if g != g else 0) - (1 if old != old else 0)
            need[i, j] = g
        if moved:
            changed[n_changed] = i
            n_changed += 1
    return n_changed, nans


@numba.njit(cache=True, nogil=True)
def _suppliers(
    changed: np.ndarray,
    n_changed: int,
    in_ptr: np.ndarray,
    in_src: np.ndarray,
    mark: np.ndarray,
    todo: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Write into ``todo`` the suppliers of the ``changed`` nodes, once each; their count."""
    n_todo = 0
    for k in range(n_changed):
        b = changed[k]
        for p in range(in_ptr[b], in_ptr[b + 1]):
            a = in_src[p]
            if not mark[a]:
                mark[a] = True
                todo[n_todo] = a
                n_todo += 1
    for k in range(n_todo):
        mark[todo[k]] = False
    return n_todo
