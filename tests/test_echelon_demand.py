"""A hub that consumes nothing passes on what its customers need (echelon demand).

The chain is factory -> hub -> depot -> front, one day on each link, ample capacity,
the factory making 200 rounds a day; nobody holds stock but the front (400 rounds).
Targets 2 days, forecast smoothed over 2 days (weight a = 1/2). The front's battery has
no guns until day 10, when one gun firing 100 rounds a day arrives: until then no node
forecasts any demand, so the hub's forecast is zero (as after a long quiet spell).

Day 10: the front draws 100 (400 -> 300). Its forecast becomes 50 and its level
(2 + 1 + 1) x 50 = 200, so it orders 100 + 200 = 300.
Day 11: the depot's forecast becomes 0.5 x 300 = 150, its level (2 + 1 + 1) x 150 = 600:
it needs 600 and has nothing. The hub's own forecast is still zero (the depot's order
reaches it only today), so with its own level alone the hub needs nothing, takes nothing
from the factory and the chain stalls for a day; the front (300 left, 100 a day) is short
on day 14 (rounds shipped on day 12 reach the front on day 15). With echelon demand the
hub needs what the depot asks (600): the factory ships on day 11, the stock reaches the
front on day 14, and the front is never short.
"""

from __future__ import annotations

import numpy as np
import pytest

import sandbox
from sandbox.model import LogisticsModel
from sandbox.rules.logistics import ordering, routing

DAYS = 20


def _node(node_id: str, kind: str, lon: float, **fields) -> dict:
    return {"id": node_id, "kind": kind, "side": "blue", "lon": lon, "lat": 50.0, **fields}


def chain() -> dict:
    return {
        "scenario": {"name": "echelon", "days": DAYS},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.001}},
        "logistics": {"front_target_days": 2, "depot_target_days": 2, "forecast_days": 2},
        "nodes": [
            _node("factory", "factory", 20.0, production={"ammunition": 200}),
            _node("hub", "depot", 22.0),
            _node("depot", "depot", 24.0),
            _node("front", "front", 26.0, stock={"ammunition": 400}),
        ],
        "links": [
            {"source": "factory", "target": "hub", "capacity_t": 1e6, "transit_days": 1},
            {"source": "hub", "target": "depot", "capacity_t": 1e6, "transit_days": 1},
            {"source": "depot", "target": "front", "capacity_t": 1e6, "transit_days": 1},
        ],
        "units": [
            {
                "id": "battery",
                "side": "blue",
                "node": "front",
                "guns": 0,
                "rounds_per_gun_per_day": 100,
            },
        ],
        "events": [{"day": 10, "set": {"units.battery.guns": 1}}],
    }


def run_chain() -> tuple[LogisticsModel, list[float], list[float]]:
    """The model after DAYS days, the front's shortfall and the factory's shipments a day."""
    raw = chain()
    model = LogisticsModel(sandbox.from_dict(raw), rng=0, record="daily")
    s = model.state
    front, factory = s.node_index["front"], s.node_index["factory"]
    short, shipped = [], []
    for _ in range(DAYS):
        model.step()
        short.append(float(s.today.demand[front, 0] - s.today.consumed[front, 0]))
        shipped.append(float(s.today.shipped[s.src == factory, 0].sum()))
    return model, short, shipped


def test_the_hub_passes_on_its_customers_need_the_same_day():
    model, _, shipped = run_chain()
    s = model.state
    # nothing moves before the gun arrives (no forecast anywhere, the front holds enough)
    assert shipped[:10] == [0.0] * 10
    # day 11: the depot needs 600 (hand-worked in the module docstring); the hub, with a
    # zero forecast of its own, asks for it and the factory ships that day
    assert shipped[10] == pytest.approx(600.0, rel=1e-12)
    assert s.forecast[s.node_index["hub"], 0] > 0  # it learnt from the orders since


def test_the_front_is_never_short_when_it_holds_the_chains_transit():
    # 400 rounds: day 10-13 at 100 a day; the stock shipped on day 11 arrives on day 14
    _, short, _ = run_chain()
    assert short == [0.0] * DAYS


def test_echelon_need_on_a_hand_state():
    # own needs zero at hub and depot (levels decayed), the front 250 below its level:
    # the depot needs the front's 250, the hub the depot's 250 less the 100 it holds
    model = LogisticsModel(sandbox.from_dict(chain()), rng=0, record="daily")
    s = model.state
    own = np.zeros((s.n_nodes, 1))
    own[s.node_index["front"], 0] = 250.0
    pos = np.zeros((s.n_nodes, 1))
    pos[s.node_index["front"], 0] = 400.0
    pos[s.node_index["hub"], 0] = 100.0
    need = routing.echelon_need(s, own, pos)[:, 0]
    by_id = dict(zip(s.node_ids, need.tolist(), strict=True))
    assert by_id == {"factory": 150.0, "hub": 150.0, "depot": 250.0, "front": 250.0}
    # a node's own need counts where it is more than what is asked of it
    own[s.node_index["hub"], 0] = 900.0
    assert routing.echelon_need(s, own, pos)[s.node_index["hub"], 0] == 900.0
    assert ordering.order_shares(s)[:, 0].tolist() == [1.0, 1.0, 1.0]
