"""The day's sums passed from phase to phase: arrive -> order -> ship.

Arrive sums what stays on the links by receiver (``s.inbound_sum``); the order turns
it into the inventory position and writes routing's need and pressure
(``s.route_inputs``); ship takes them. Nothing moves in between, so each is computed
once a day; outside that span they are None and a phase that needs them either sums
afresh (the order) or refuses (routing).
"""

from __future__ import annotations

import numpy as np
import pytest

import sandbox
from sandbox.model import LogisticsModel
from sandbox.rules.logistics import ordering, routing, transit
from tests.test_order_carry import chain


def _model_on_day(day: int) -> LogisticsModel:
    """tests/test_order_carry's chain with three days on each link, at the start of ``day``."""
    spec = chain()
    for link in spec["links"]:
        link["transit_days"] = 3  # goods stay on the links after a day's arrivals
    model = LogisticsModel(sandbox.from_dict(spec), rng=0, record="daily")
    for _ in range(day - 1):
        model.step()
    model.state.begin_day(day)
    return model


def test_routing_refuses_without_todays_order():
    model = _model_on_day(5)
    with pytest.raises(RuntimeError, match="order first"):
        routing.ship(model.state, 5)


def test_position_is_stock_plus_the_one_in_link_in_transit():
    model = _model_on_day(12)  # the spike's orders are on their way
    s = model.state
    transit.arrive(s, 12)
    assert s.inbound_sum is not None
    ordering.order(s, np.zeros((1, 1)))
    assert s.inbound_sum is None and s.route_inputs is not None
    for node in ("hub", "depot", "front"):  # one in-link each: its in-transit is the inbound
        i = s.node_index[node]
        (link,) = np.flatnonzero(s.dst == i)
        assert s.route_inputs[0][i, 0] == s.stock[i, 0] + s.in_transit[link, 0]
    factory = s.node_index["factory"]
    assert s.route_inputs[0][factory, 0] == s.stock[factory, 0] + 0.0
    assert (s.in_transit[:, 0] > 0).all()  # the check above saw goods on every link
    routing.ship(s, 12)
    assert s.route_inputs is None  # stock moved: not today's any more


def test_order_without_arrive_sums_the_inbound_itself():
    twins = [_model_on_day(12), _model_on_day(12)]
    for m in twins:
        transit.arrive(m.state, 12)
    twins[1].state.inbound_sum = None  # as if the links' goods were set by hand
    for m in twins:
        ordering.order(m.state, np.zeros((1, 1)))
    a, b = (m.state.route_inputs for m in twins)
    assert a is not None and b is not None
    assert a.tobytes() == b.tobytes()
