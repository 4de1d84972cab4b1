"""Derived geometry of the state: distances, lead times, scatter indices, row subsets.

One :class:`Geometry` per state (``s.geometry``), built with it. It owns every
value derived from the static description that the rules would otherwise
recompute each day:

* from the topology, which never changes: the flat scatter indices of the
  static index arrays (:class:`Scatter`), the links by node (:class:`Adjacency`),
  the units by node (:class:`UnitsByNode`: units never change node), which
  nodes each commodity can reach (``can_supply``), the node rows the metrics
  sum over;
* from node positions, transit days and capacities, which displacement
  changes (:mod:`sandbox.rules.strikes.displacement`): link lengths, lead
  times, capacity into each link's target, and the memo of the order shares.
  These are computed on first use; a rule that moves nodes or changes transit
  days or capacities calls :meth:`Geometry.invalidate` afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sandbox.state import kernels

if TYPE_CHECKING:
    from sandbox.state.supply import SupplyState

F64 = np.ndarray
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray):
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    lo1, la1, lo2, la2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def flat_index(index: np.ndarray, c: int) -> np.ndarray:
    """Flat cells ``(index[k], j)`` of an (n, c) array, for every row ``k`` and column ``j``."""
    if c == 1:
        return index
    return (index[:, None] * c + np.arange(c)).reshape(-1)


def float_bincount(index: np.ndarray, weights: np.ndarray, minlength: int) -> F64:
    """``np.bincount`` with weights, as float64 also when there are none (numpy gives
    int64 then): a map with no links, or no units, sums like any other."""
    return np.bincount(index, weights=weights, minlength=minlength).astype(np.float64, copy=False)


def node_sum(index: np.ndarray, values: F64, n: int) -> F64:
    """Scatter-add rows of ``values`` (K, C) into ``n`` rows by ``index`` (K,).

    Each output cell adds its rows in index order from 0.0, exactly as a
    ``bincount`` over the flattened array does (:func:`kernels.scatter_add`),
    so the sums are bit-for-bit the same.
    """
    return kernels.scatter_add(index, values, n)


class Scatter:
    """:func:`node_sum` by one fixed index array, its flat index kept per column count."""

    def __init__(self, index: np.ndarray, n: int) -> None:
        if index.flags.writeable:  # a read-only copy: the kept flat indices stay valid
            index = np.array(index)
            index.flags.writeable = False
        self.index = index
        self.n = n
        self._flat: dict[int, np.ndarray] = {}

    def flat(self, c: int) -> np.ndarray:
        hit = self._flat.get(c)
        if hit is None:
            hit = self._flat[c] = flat_index(self.index, c)
        return hit

    def __call__(self, values: F64) -> F64:
        """Sum the rows of ``values`` (K, C) into (n, C) by the index."""
        return kernels.scatter_add(self.index, values, self.n)


@dataclass(frozen=True)
class RowSubset:
    """Node rows and a scatter of them into the sides, for sums over only those rows."""

    rows: np.ndarray
    by_side: Scatter


@dataclass(frozen=True)
class Adjacency:
    """Links by node in CSR form: each node's out-links and its in-links' sources.

    Node ``i``'s out-links are ``out_link[out_ptr[i]:out_ptr[i + 1]]`` in ascending
    link order (the order a scatter-add by source sums them in), their customers
    ``out_dst`` at the same positions; the sources of its in-links are
    ``in_src[in_ptr[i]:in_ptr[i + 1]]``.
    """

    out_ptr: np.ndarray
    out_link: np.ndarray
    out_dst: np.ndarray  # dst[out_link]: each out-link's customer, in that order
    in_ptr: np.ndarray
    in_src: np.ndarray


@dataclass(frozen=True)
class UnitsByNode:
    """Units by node in CSR form, over the units' nodes only.

    ``rows`` are the units' nodes, ascending; the units at ``rows[k]`` are
    ``units[ptr[k]:ptr[k + 1]]`` in ascending unit order, so a sum over that
    slice from 0.0 adds what a scatter-add by ``unit_node`` adds into that
    row, in the same order. Units never change node (``unit_node`` is frozen).
    """

    rows: np.ndarray
    ptr: np.ndarray
    units: np.ndarray


def csr(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(n + 1,) row pointers and the positions of ``index`` grouped by value, ascending."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(index, minlength=n), out=ptr[1:])
    return ptr, np.argsort(index, kind="stable").astype(np.int64)


def units_by_node(unit_node: np.ndarray, rows: np.ndarray) -> UnitsByNode:
    """:class:`UnitsByNode` of units at nodes ``unit_node``; ``rows`` = its distinct
    values, ascending (``np.unique(unit_node)``)."""
    ptr = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit_node)[rows], out=ptr[1:])
    units = np.argsort(unit_node, kind="stable").astype(np.int64)
    return UnitsByNode(rows.astype(np.int64), ptr, units)


@dataclass(frozen=True)
class SharesMemo:
    """The order shares and the link state they were computed for (see ordering)."""

    link_up: np.ndarray
    capacity_t: F64
    shares: F64
    by_source: F64  # shares[adjacency.out_link]: the rows in each sender's out-link order


class Geometry:
    """Derived views of a state's static arrays; see the module docstring."""

    def __init__(self, s: SupplyState, n_sides: int) -> None:
        self._s = s
        n = s.n_nodes
        self.by_src = Scatter(s.src, n)
        self.by_dst = Scatter(s.dst, n)
        self.by_unit_node = Scatter(s.unit_node, n)
        self.by_side = Scatter(s.side, n_sides)
        self.by_link_side = Scatter(s.link_side, n_sides)
        self.n_sides = n_sides
        # tuple(range(C)): the day's kernels take it, to be compiled for the number of commodities
        self.columns = tuple(range(s.stock.shape[1]))
        self.extra_sources: np.ndarray | None = None  # (N, C) bool: aid arrives there
        self.can_supply = self._can_supply()
        self._producing: RowSubset | None = None
        self._fronts: RowSubset | None = None
        self._lead_days: F64 | None = None
        self._capacity_in: F64 | None = None
        self._link_km: F64 | None = None
        self._adjacency: Adjacency | None = None
        self._units_by_node: UnitsByNode | None = None
        self.shares_memo: SharesMemo | None = None  # written by ordering.order_shares
        self.unit_rows = np.unique(s.unit_node)  # the units' nodes, ascending
        self._scratch: dict[str, np.ndarray] = {}
        self._zeroed: dict[str, np.ndarray] = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the kernels' buffers (a scratch buffer's contents are undefined
        and a zeroed one is zero when made again), so a saved or sent model carries its
        state, not ~ten (N, C) and (E, C) working arrays."""
        state = dict(self.__dict__)
        state["_scratch"], state["_zeroed"] = {}, {}
        return state

    def scratch(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float buffer kept for a kernel's working values (contents undefined)."""
        buf = self._scratch.get(name)
        if buf is None or buf.shape != shape:
            buf = self._scratch[name] = np.empty(shape)
        return buf

    def zeroed(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float buffer kept for a kernel, zero when made: what a kernel never writes
        stays zero (for sums over a fixed subset of rows)."""
        buf = self._zeroed.get(name)
        if buf is None or buf.shape != shape:
            buf = self._zeroed[name] = np.zeros(shape)
        return buf

    def invalidate(self) -> None:
        """Forget what follows positions, transit days and capacities (after displacement)."""
        self._lead_days = None
        self._capacity_in = None
        self._link_km = None
        self.shares_memo = None

    def sources_changed(self, extra_sources: np.ndarray | None = None) -> None:
        """Recompute who can supply what and which nodes produce.

        After an event changes production (:mod:`sandbox.rules.events`), or with the
        nodes that receive aid as extra sources (:mod:`sandbox.rules.aid`).
        """
        if extra_sources is not None:
            self.extra_sources = extra_sources
        self.can_supply = self._can_supply()
        self._producing = None
        self.shares_memo = None

    # -- follows positions, transit days and capacities -------------------------
    @property
    def lead_days(self) -> F64:
        """(N,) longest transit days of each node's in-links (0: none): its lead time."""
        if self._lead_days is None:
            s = self._s
            out = np.zeros(s.n_nodes)
            np.maximum.at(out, s.dst, s.transit_days.astype(float))
            self._lead_days = out
        return self._lead_days

    @property
    def capacity_in(self) -> F64:
        """(E,) total capacity into each link's target node (tonnes per day)."""
        if self._capacity_in is None:
            s = self._s
            total = float_bincount(s.dst, s.capacity_t, s.n_nodes)
            self._capacity_in = total[s.dst]
        return self._capacity_in

    @property
    def link_km(self) -> F64:
        """(E,) great-circle length of each link between its ends' positions."""
        if self._link_km is None:
            self._link_km = self.length_km(np.arange(self._s.n_links))
        return self._link_km

    def length_km(self, links: np.ndarray) -> F64:
        """Great-circle length of links ``links`` now (not kept)."""
        s = self._s
        a, b = s.src[links], s.dst[links]
        return haversine_km(s.lon[a], s.lat[a], s.lon[b], s.lat[b])

    # -- follows the topology only ------------------------------------------------
    @property
    def adjacency(self) -> Adjacency:
        """The links by node (:class:`Adjacency`); the links' ends never change."""
        if self._adjacency is None:
            s = self._s
            out_ptr, out_link = csr(s.src, s.n_nodes)
            in_ptr, in_order = csr(s.dst, s.n_nodes)
            out_dst = np.ascontiguousarray(s.dst[out_link], dtype=np.int64)
            in_src = np.ascontiguousarray(s.src[in_order], dtype=np.int64)
            self._adjacency = Adjacency(out_ptr, out_link, out_dst, in_ptr, in_src)
        return self._adjacency

    @property
    def units_by_node(self) -> UnitsByNode:
        """The units by node (:class:`UnitsByNode`); a unit's node never changes."""
        if self._units_by_node is None:
            self._units_by_node = units_by_node(self._s.unit_node, self.unit_rows)
        return self._units_by_node

    def _can_supply(self) -> np.ndarray:
        """(N, C) bool: some producer or initial stock of the commodity reaches the node.

        The seeds (nodes that make or hold the commodity when the state is built)
        and every node a path of links leads to from one: the closure, one link
        further per pass.
        """
        s = self._s
        out = (s.prod_base > 0) | (s.ramp_target > 0) | (s.stock > 0)
        if self.extra_sources is not None:
            out = out | self.extra_sources
        if s.n_links == 0:
            return out
        flat = self.by_dst.flat(out.shape[1])
        n = s.n_nodes * out.shape[1]
        while True:
            reached = np.bincount(flat, weights=out[s.src].reshape(-1), minlength=n) > 0
            grown = out | reached.reshape(out.shape)
            if np.array_equal(grown, out):
                return out
            out = grown

    @property
    def producing(self) -> RowSubset:
        """Nodes with a production rate or ramp: the only ones that produce."""
        if self._producing is None:
            s = self._s
            made = (s.prod_base != 0) | (s.ramp_target != 0)
            if self.extra_sources is not None:  # aid counts as produced where it arrives
                made = made | self.extra_sources
            rows = np.flatnonzero(made.any(axis=1))
            self._producing = RowSubset(rows, Scatter(s.side[rows], self.n_sides))
        return self._producing

    @property
    def fronts(self) -> RowSubset:
        """Front nodes and units' nodes: the only ones with deliveries, demand or use."""
        if self._fronts is None:
            s = self._s
            rows = np.union1d(np.flatnonzero(s.is_front), s.unit_node)
            self._fronts = RowSubset(rows, Scatter(s.side[rows], self.n_sides))
        return self._fronts
