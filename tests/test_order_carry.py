"""A fall of the level is carried only as stock the node really holds above it.

The chain is factory -> hub -> depot -> front, one day on each link, ample capacity,
targets 2 days, forecast smoothed over 2 days (a = 1/2): a level is (2 + 1 + 1) x the
forecast. The factory makes 150 rounds a day; one gun at the front fires 100 a day, five
on days 10-12. That spike's orders swing wider at each echelon (the hub's forecast
reaches 1,900 a day, the factory's 5,500) and nobody can fill them: the factory makes
150. When the forecasts fall back, each level falls by far more than a day's demand.
The order-up-to rule carries that fall (``over_level``) and nets it from later orders,
as if the node held it above its level; but its orders were never filled, so it does
not. Carried in full (the hub's up to 5,900, the depot's 3,000), they took weeks of
orders to net: the depot ordered nothing from day 14 to day 53 and the hub nothing from
day 14 to the end, both with their positions below their levels, and the front ran short
on days 38-61 and every other day after (~450 rounds) with the factory's stock growing.
Cut to what the node holds above its level, the depot orders again from day 22, the hub
from day 29, and the front is never short after the spike.
"""

from __future__ import annotations

import numpy as np
import pytest

import sandbox
from sandbox.model import LogisticsModel
from sandbox.rules.logistics import ordering

DAYS = 80


def _node(node_id: str, kind: str, lon: float, **fields) -> dict:
    return {"id": node_id, "kind": kind, "side": "blue", "lon": lon, "lat": 50.0, **fields}


def _link(source: str, target: str) -> dict:
    return {"source": source, "target": target, "capacity_t": 1e6, "transit_days": 1}


def _battery() -> dict:
    fire = {"guns": 1, "rounds_per_gun_per_day": 100}
    return {"id": "battery", "side": "blue", "node": "front", **fire}


def chain() -> dict:
    return {
        "scenario": {"name": "carry", "days": DAYS},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.001}},
        "logistics": {"front_target_days": 2, "depot_target_days": 2, "forecast_days": 2},
        "nodes": [
            _node("factory", "factory", 20.0, production={"ammunition": 150}),
            _node("hub", "depot", 22.0, stock={"ammunition": 600}),
            _node("depot", "depot", 24.0, stock={"ammunition": 600}),
            _node("front", "front", 26.0, stock={"ammunition": 600}),
        ],
        "links": [_link("factory", "hub"), _link("hub", "depot"), _link("depot", "front")],
        "units": [_battery()],
        "events": [
            {"day": 10, "set": {"units.battery.guns": 5}},
            {"day": 13, "set": {"units.battery.guns": 1}},
        ],
    }


def run_chain() -> tuple[np.ndarray, np.ndarray]:
    """(days, 3) orders placed by hub, depot and front each day; (days,) the front's short."""
    model = LogisticsModel(sandbox.from_dict(chain()), rng=0, record="daily")
    s = model.state
    front = s.node_index["front"]
    placers = [s.node_index[k] for k in ("hub", "depot", "front")]
    orders, short = [], []
    for _ in range(DAYS):
        model.step()
        orders.append([s.today.requested[s.dst == i, 0].sum() for i in placers])
        short.append(s.today.demand[front, 0] - s.today.consumed[front, 0])
    return np.array(orders), np.array(short)


def test_after_the_spike_the_front_is_never_short():
    # days 10-12 the front asks 500 a day with 600 - 200 = 400 on hand: short on those
    # days whatever the rule; from day 14 the chain has had the time to refill it
    _, short = run_chain()
    assert short[:9].tolist() == [0.0] * 9
    assert (short[9:12] > 0).all()
    assert short[13:].tolist() == [0.0] * (DAYS - 13)


def test_the_orders_pass_the_fronts_demand_up_again():
    orders, _ = run_chain()
    # the depot and the hub order again by day 30 (carried in full: the depot from day 54,
    # the hub never in 80 days)
    for col in (0, 1):
        assert (orders[13:30, col] > 0).any(), col
    # and settle on the front's 100 a day, as every echelon of a steady chain does
    assert orders[59:, :] == pytest.approx(np.full((DAYS - 59, 3), 100.0), rel=1e-6)


def _hand_state(stock: float, carry: float) -> tuple[float, float]:
    """The depot's order and carry after one ordering pass on a hand-set state.

    Forecast 100 at the depot and 100 ordered of it: the forecast stays 100, the level
    (2 + 1 + 1) x 100 = 400 before and after, so the order is 100 less the carry netted.
    """
    model = LogisticsModel(sandbox.from_dict(chain()), rng=0, record="daily")
    s = model.state
    depot = s.node_index["depot"]
    into = np.flatnonzero(s.dst == depot)
    s.stock[depot, 0] = stock
    s.in_transit[:] = 0.0
    s.forecast[depot, 0] = 100.0
    s.orders_in[depot, 0] = 100.0
    s.over_level[depot, 0] = carry
    before = s.today.requested[into, 0].sum()
    ordering.order(s, np.zeros((1, 1)))
    return float(s.today.requested[into, 0].sum() - before), float(s.over_level[depot, 0])


@pytest.mark.parametrize(
    ("stock", "order", "carry"),
    [
        (0.0, 100.0, 0.0),  # below its level (400): nothing above it to net, the 1,000 is dropped
        (1300.0, 0.0, 800.0),  # 900 above: 900 netted, 100 - 900 = -800 carried
        (1500.0, 0.0, 900.0),  # 1,100 above: the whole 1,000 netted, as before the cut
    ],
)
def test_a_carry_nets_only_what_the_node_holds_above_its_level(stock, order, carry):
    assert _hand_state(stock, 1000.0) == (pytest.approx(order), pytest.approx(carry))
