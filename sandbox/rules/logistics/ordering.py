"""Order: every node forecasts the demand it serves and sets a target stock.

The demand a node serves is what its own units need plus the orders it
received from downstream yesterday. The forecast is exponentially smoothed
over ``logistics.forecast_days``; the target stock is ``target_days`` of the
forecast. The order-up-to level covers the forecast over the target days, the
one-day review period and the node's lead time (the longest transit of its
in-links, :attr:`Geometry.lead_days`): ``S = (target_days + 1 + lead) x
forecast``, the same level routing ships to. Each day a node orders what it
served plus the rise in that level (the order-up-to rule), so orders travel up
the graph one echelon a day, and a forecast that moves with demand makes them
swing wider at every echelon, the more so the longer the lead time: the
bullwhip effect (Chen, Ryan and Simchi-Levi 2000: at a node facing i.i.d.
demand, ``Var(orders)/Var(demand) = 1 + 2aL + 2a^2 L^2/(2 - a)`` with
``a = 1/forecast_days`` and ``L = target_days + 1 + lead``). What is shipped
follows the node's need, see :mod:`sandbox.rules.logistics.routing`.
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.logistics import consumption
from sandbox.state import supply_kernels, unit_kernels
from sandbox.state.geometry import SharesMemo
from sandbox.state.supply import SupplyState


def order(s: SupplyState, unit_need: np.ndarray) -> None:
    """One day of ordering at every node: forecast, order-up-to, orders on the links.

    The demand a node served today is what its own units need (``unit_need``,
    (U, C), with the spare parts their rounds would wear out:
    :func:`consumption.with_expected_wear`, added as the kernel sums them) plus
    the orders it received (``s.orders_in``). Its forecast moves
    towards it by ``forecast_alpha``. It orders what it served plus the rise in
    its order-up-to level (:func:`order_up_to`, before and after the forecast
    moved), split over its working in-links by capacity (:func:`order_shares`).
    An order is never negative (nothing is sent back): when the level falls by
    more than the day's demand, the rest is kept in ``s.over_level`` and netted
    from the next orders, so the orders bring the inventory position up to the
    level as order-up-to does, and over time they add up to the demand served
    (not more, as they would if each fall were simply cut at zero).

    That carry stands for stock the node holds above its level, so it is first
    cut to what the node really holds above it (the carry cut). The carry is the
    part of a fall of the level that the day's demand did not absorb: stock the
    node would hold above its new level had its orders been filled. They are not
    always: routing ships to a node by its need and its suppliers' stock, not by
    its orders, and aid lands at a node whatever it ordered. A level that rose on
    orders nobody filled and then fell left a carry for stock that never came
    (51 million rounds at Sunny Point on the default map, holding 18,000), netted
    from every later order, so the node passed nothing up for the rest of the run
    and its suppliers' forecasts fell to zero with stock on their hands. So the
    carry is at most the inventory position (stock plus inbound, less the kits
    owed: routing's) less the level it was carried against (yesterday's, before
    the forecast moves), and none where the node is below its level (where
    routing ships to it). Where the carry is no more than that, nothing changes.

    The orders are today's ``s.today.requested``; each supplier's sum of them is
    ``s.orders_in``, from which it forecasts tomorrow. One pass over the nodes
    (:func:`supply_kernels.order_levels`: the units' needs summed, the carry cut,
    routing's inputs for the day written into ``s.route_inputs``) and one over
    the links (:func:`supply_kernels.orders_on_links`), in place.
    """
    g = s.geometry
    owed, parts = owed_kits(s)
    route_inputs = _route_buffer(s)
    position = (s.stock, owed, parts, s.is_front, route_inputs)
    placed = np.empty_like(s.forecast)
    supply_kernels.order_levels(
        np.ascontiguousarray(unit_need, dtype=np.float64),
        consumption.wear_columns(s),
        (s.unit_node, g.unit_rows, g.zeroed("own_need", s.forecast.shape)),
        position,
        s.orders_in,
        s.forecast,
        s.over_level,
        s.target_days,
        g.lead_days,
        float(s.forecast_alpha),
        placed,
        g.columns,
    )
    # the orders, and from the needs what each node's customers ask of it (route_inputs[3])
    sums = (s.today.requested, s.orders_in, route_inputs[1], route_inputs[3])
    supply_kernels.orders_on_links(placed, order_shares(s), s.src, s.dst, *sums, g.columns)
    s.inbound_sum, s.route_inputs = None, route_inputs  # for routing


def _route_buffer(s: SupplyState) -> np.ndarray:
    """(4, N, C) for routing's inputs (``s.route_inputs``), row 0 the inbound: summed by
    arrive (``s.inbound_sum``), else here (the links' loads moved since, or no arrive)."""
    buf = s.geometry.scratch("route_inputs", (4, *s.stock.shape))
    if s.inbound_sum is None or s.inbound_sum.base is not buf:
        supply_kernels.sum_rows_into(s.dst, s.in_transit, buf[0])
    return buf


_NONE_OWED = np.zeros(0)


def owed_kits(s: SupplyState) -> tuple[np.ndarray, int]:
    """(N,) spare-part kits owed at each node and the spare-parts column, or none and -1."""
    if s.parts >= 0 and unit_kernels.any_nonzero(s.worn_backlog):
        owed = np.bincount(s.unit_node, weights=s.worn_backlog, minlength=s.n_nodes)
        return owed.astype(np.float64, copy=False), s.parts
    return _NONE_OWED, -1


def order_shares(s: SupplyState) -> np.ndarray:
    """(E, C) share of a node's order of a commodity that goes to each in-link.

    Split by capacity over the working in-links whose source can supply the
    commodity at all (some producer or stock of it upstream), so a fuel
    refinery is not asked for ammunition.

    Kept in ``s.geometry.shares_memo`` until a link's capacity or state
    changes (strikes cut and repair links in place, displacement lowers
    capacities): the inputs are compared with a copy, so any change, by
    whatever route, recomputes.
    """
    hit = s.geometry.shares_memo
    if (
        hit is not None
        and np.array_equal(hit.link_up, s.link_up)
        and np.array_equal(hit.capacity_t, s.capacity_t)
    ):
        return hit.shares
    cap = (s.capacity_t * s.link_up)[:, None] * s.geometry.can_supply[s.src]
    cap_in = s.geometry.by_dst(cap)[s.dst]
    shares = np.divide(cap, cap_in, out=np.zeros_like(cap), where=cap_in > 0)
    shares.flags.writeable = False  # shared by later calls
    by_source = shares[s.geometry.adjacency.out_link]
    memo = SharesMemo(s.link_up.copy(), s.capacity_t.copy(), shares, by_source)
    s.geometry.shares_memo = memo
    return shares


def order_shares_by_source(s: SupplyState) -> np.ndarray:
    """:func:`order_shares`, its rows in each sender's out-link order
    (:attr:`Geometry.adjacency`)."""
    order_shares(s)
    assert s.geometry.shares_memo is not None
    return s.geometry.shares_memo.by_source


def order_up_to(s: SupplyState) -> np.ndarray:
    """Order-up-to level per node and commodity, in units (N, C).

    The target stock plus the forecast over the review period (one day) and
    the lead time (``s.geometry.lead_days``: the longest transit of the node's
    in-links, 0 at a node without any): ``(target_days + 1 + lead) x forecast``.
    Routing ships up to it (inventory position: on hand plus inbound), and the
    orders follow its changes, so lead time amplifies orders as it does in
    order-up-to theory.
    """
    out = np.empty_like(s.forecast)
    supply_kernels.levels(s.forecast, s.target_days, s.geometry.lead_days, out)
    return out


def variance_ratio_theory(smoothing: float, cover_days: float) -> float:
    """Var(orders)/Var(demand) of order-up-to with exponential smoothing, i.i.d. demand.

    Chen, Ryan and Simchi-Levi (2000): ``1 + 2aL + 2a^2 L^2 / (2 - a)`` with
    ``a`` the smoothing weight (``1 / forecast_days`` here) and ``L`` the days
    the level covers (lead time plus review period; in this model
    ``target_days + 1 + lead``, since the target stock moves with the forecast too).
    """
    a, L = smoothing, cover_days
    return 1.0 + 2.0 * a * L + 2.0 * a * a * L * L / (2.0 - a)


def initial_forecast(s: SupplyState, unit_need: np.ndarray, sweeps: int = 50) -> np.ndarray:
    """A starting forecast, so day 1 does not begin with empty targets.

    Front demand is passed upstream, each node's share split over its
    in-links by capacity, for a fixed number of sweeps (which converges on
    graphs with cycles as well, since a share never exceeds one).
    """
    own = s.geometry.by_unit_node(unit_need)
    if s.n_links == 0:
        return own
    share = order_shares(s)
    f = own.copy()
    for _ in range(sweeps):
        passed = f[s.dst] * share
        f_new = own + s.geometry.by_src(passed)
        if np.allclose(f_new, f, rtol=1e-9, atol=1e-12):
            break
        f = f_new
    return f
