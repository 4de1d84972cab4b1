"""Order: every node forecasts the demand it serves and sets a target stock.

The demand a node serves is what its own units need plus the orders it
received from downstream yesterday. The forecast is exponentially smoothed
over ``logistics.forecast_days``; the target stock is ``target_days`` of the
forecast. Each day a node orders what it served plus the rise in its target
(the order-up-to rule), so orders travel up the graph one echelon a day, and
a forecast that moves with demand makes them swing wider at every echelon:
the bullwhip effect. What is shipped follows the node's need, see
:mod:`sandbox.rules.logistics.routing`.
"""

from __future__ import annotations

import numpy as np

from sandbox.state.geometry import SharesMemo
from sandbox.state.supply import SupplyState


def observed_demand(s: SupplyState, unit_need: np.ndarray) -> np.ndarray:
    """Demand each node served today: its units' needs plus orders received (N, C)."""
    return s.geometry.by_unit_node(unit_need) + s.orders_in


def update_forecast(s: SupplyState, observed: np.ndarray) -> None:
    s.forecast += s.forecast_alpha * (observed - s.forecast)


def place_orders(s: SupplyState, observed: np.ndarray, old_target: np.ndarray) -> np.ndarray:
    """Today's orders on each link (E, C): the order-up-to rule.

    A node orders what it served today plus the rise in its target stock
    (never less than nothing), split over its working in-links by capacity.
    Its suppliers forecast from these orders tomorrow.
    """
    placed = np.maximum(observed + targets(s) - old_target, 0.0)
    return placed[s.dst] * order_shares(s)


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
    s.geometry.shares_memo = SharesMemo(s.link_up.copy(), s.capacity_t.copy(), shares)
    return shares


def targets(s: SupplyState) -> np.ndarray:
    """Target stock per node and commodity, in units (N, C)."""
    return s.target_days[:, None] * s.forecast


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
