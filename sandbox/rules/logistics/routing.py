"""Ship: order-up-to demand, routed by back-pressure over the links, per commodity.

Two quantities per node and commodity drive the day's shipments:

* its **need**: its order-up-to level (target stock, plus one day of
  forecast demand, plus the demand of its lead time, the longest transit of
  its in-links: :func:`sandbox.rules.logistics.ordering.order_up_to`), or,
  where more, what its downstream asks of it today (its **echelon demand**:
  each out-link's customer's need, in that link's share of the customer's
  orders, :func:`echelon_need`), minus its inventory position (stock on hand
  plus what is already on its way, less the spare-part kits its worn guns are
  owed): the classic order-up-to quantity, so that in steady state the stock
  on hand is the target, and a node whose own forecast has decayed to nothing
  (its customers stopped ordering for a while) still passes on stock its
  customers need now instead of stalling the chain;
* its **pressure**: its inventory position, less its target at a front.

A link asks for half the pressure gap between its ends (the amount that
would level them), and nothing if the gap is negative, so stock never
sloshes back and forth on a pair of links or round a cycle. A link from a
factory asks for all the factory holds: factories do not store, they ship.
A depot's own target sets how much it orders, never whether it serves its
customers: a front below its target pulls from any depot that holds more
than the front's position less its target. Between depots stock levels out,
so a small depot upstream of a large one holds stock until it has more than
the large one (a buffer, not a block; see docs/model.md). Each receiver
takes no more than its need, in proportion to what each supplier offers.
Then three limits apply, in order:

1. the link's capacity in tonnes per day, shared by the commodities in
   proportion to what each asks;
2. the sender's stock on hand (links asking for more than it holds get the
   same share of what each asked; with ``nodes.ID.priority`` weights, a share
   in proportion to priority x ask, water-filled so no link gets more than it
   asked: priorities 3:1 on two equal asks split a short supply 3:1);
3. the receiver's storage (tonnes on hand and inbound never exceed it).

This is max-weight (back-pressure) routing in the sense of Tassiulas and
Ephremides (1992), bounded by order-up-to demand: a node with several
suppliers draws on all of them, cycles need no special case, a cut link asks
for nothing so flow goes around it from the next day, and with ample
production the delivery rate to the fronts approaches the max-flow bound
(tests/test_maxflow.py: at least 95% on random graphs with cycles).
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.logistics import transit
from sandbox.rules.logistics.ordering import order_shares
from sandbox.state import echelon_kernels, kernels, supply_kernels
from sandbox.state.geometry import float_bincount
from sandbox.state.supply import SupplyState

# at most this many sweeps of echelon demand a day: a chain deeper than this passes its
# front's need up this far on the day (the rest through the next days' orders), and a
# cycle whose every way in is cut (its asks can grow each sweep) stops here
ECHELON_SWEEPS = 50


def ship(s: SupplyState, day: int) -> None:
    """Route today's flows and put them on the links (:func:`transit.ship`)."""
    transit.ship(s, route(s), day)


def route(s: SupplyState) -> np.ndarray:
    """Return today's flows (E, C), in units, every limit applied."""
    flows, tonnes = _asked(s)
    return _limit(s, flows, tonnes)


def _asked(s: SupplyState) -> tuple[np.ndarray, np.ndarray]:
    """What each link asks (E, C) and its tonnes (E,), before any limit."""
    if s.route_inputs is None:
        raise RuntimeError("routing needs today's order first (ordering.order)")
    pos, need, q, asked = s.route_inputs
    if s.n_links:
        need = echelon_need(s, need, pos, asked)
    return kernels.demand_flows(
        q,
        need,
        s.stock,
        s.src,
        s.dst,
        s.from_factory,
        s.link_up,
        s.tonnes_per_unit,
        s.geometry.columns,
    )


def echelon_need(
    s: SupplyState, own: np.ndarray, pos: np.ndarray, asked: np.ndarray | None = None
) -> np.ndarray:
    """Each node's need (N, C): up to the larger of its level and its downstream's ask.

    ``own`` is each node's own need, ``max(level - pos, 0)``; the result is
    ``max(max(level, ask) - pos, 0) = max(own, ask - pos)`` with ``ask`` the needs of the
    node's customers, each in the share of its orders that goes to the link from this
    node (:func:`~sandbox.rules.logistics.ordering.order_shares`). A customer's need holds
    its own customers' asks, so a front's need reaches every echelon above it the same
    day. Solved by sweeps from the own needs (one echelon further each; it only grows),
    until nothing changes, at most ``ECHELON_SWEEPS`` (on a graph without cycles, its
    depth); each sweep recomputes only the suppliers of the nodes that changed in the
    one before (:func:`sandbox.state.echelon_kernels.echelon_need`).

    ``asked`` is the first sweep's sum, ``own[dst] x shares`` by sender: the order
    sums it in its pass over the links (:func:`sandbox.state.supply_kernels.
    orders_on_links`, with the shares it checked: nothing changes the links between
    order and ship), else it is summed here (overwritten with the need).
    """
    adj = s.geometry.adjacency
    if asked is None:
        asked = kernels.scatter_add(s.src, own[s.dst] * order_shares(s), s.n_nodes)
    memo = s.geometry.shares_memo
    assert memo is not None  # set by order_shares
    return echelon_kernels.echelon_need(
        own,
        pos,
        asked,
        memo.by_source,
        adj.out_ptr,
        adj.out_dst,
        adj.in_ptr,
        adj.in_src,
        ECHELON_SWEEPS,
        s.geometry.columns,
    )


def _limit(s: SupplyState, flows: np.ndarray, tonnes: np.ndarray) -> np.ndarray:
    """Apply the links' capacity (``flows`` weigh ``tonnes``), the senders' stock and the
    receivers' storage limits to ``flows``."""
    if s.priority is None:  # the capacity in the stock limit's pass over the links
        kernels.limit_by_stock(flows, s.stock, s.src, s.capacity_t, tonnes, s.geometry.columns)
    else:
        supply_kernels.scale_rows(flows, s.capacity_t, tonnes)
        flows = _share_by_priority(s, flows, s.geometry.by_src(flows) > s.stock)
    if s.finite_storage:
        room_t = np.maximum(s.storage_t - s.tonnes(s.stock + s.inbound()), 0.0)
        into_t = float_bincount(s.dst, s.tonnes(flows), s.n_nodes)
        supply_kernels.scale_rows(flows, room_t[s.dst], into_t[s.dst])
    return flows


def _share_by_priority(s: SupplyState, flows: np.ndarray, short: np.ndarray) -> np.ndarray:
    """Where a sender is ``short`` (N, C), share its stock by priority x ask, capped at asks.

    Water-filling: each pass offers what is left in proportion to the weighted asks
    of the links not yet filled; a link offered at least its ask is filled and leaves.
    Each pass fills a link or ends, so at most E + 1 passes.
    """
    assert s.priority is not None
    w = s.priority[s.dst][:, None]
    got = np.zeros_like(flows)
    open_ = flows > 0
    for _ in range(len(flows) + 1):
        weighted = np.where(open_, w * flows, 0.0)
        total = s.geometry.by_src(weighted)
        left = np.maximum(s.stock - s.geometry.by_src(got), 0.0)
        rate = np.divide(left, total, out=np.zeros_like(total), where=total > 0)
        offer = rate[s.src] * weighted
        rest = flows - got
        filled = open_ & (offer >= rest)
        got = np.where(filled, flows, np.where(open_, got + offer, got))
        if not filled.any():
            break
        got = np.where(open_ & ~filled, got - offer, got)  # unfilled links wait for the next pass
        open_ &= ~filled
    return np.where(short[s.src], got, flows)
