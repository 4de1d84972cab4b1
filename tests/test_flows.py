"""Exact day-by-day flows on tiny maps, computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

import sandbox
from sandbox.state.supply import FRONT


def step_trace(model: sandbox.LogisticsModel, days: int, fields: list[str]) -> dict[str, list]:
    s = model.state
    trace: dict[str, list] = {f: [] for f in fields}
    for _ in range(days):
        model.step()
        for f in fields:
            if f == "shipped":
                trace[f].append(float(s.today.shipped[0, 0]))
            elif f == "received":
                trace[f].append(float(s.today.received[s.kind == FRONT, 0].sum()))
            elif f == "front_stock":
                trace[f].append(float(s.stock[s.kind == FRONT, 0].sum()))
            elif f == "consumed":
                trace[f].append(float(s.today.consumed[:, 0].sum()))
            elif f == "shortfall":
                trace[f].append(float((s.today.demand - s.today.consumed)[:, 0].sum()))
            elif f == "in_transit":
                trace[f].append(float(s.in_transit[:, 0].sum()))
    return trace


def test_two_node_day_by_day(examples):
    # plant makes 1,000 rounds a day and ships all of it (the front always needs more);
    # 3 days in transit; the front starts with 5,000 and fires 1,500 a day.
    model = sandbox.LogisticsModel(examples / "two_node.toml", rng=0)
    t = step_trace(
        model, 7, ["shipped", "received", "front_stock", "consumed", "shortfall", "in_transit"]
    )
    assert t["shipped"] == [1000.0] * 7
    assert t["received"] == [0.0, 0.0, 0.0, 1000.0, 1000.0, 1000.0, 1000.0]
    # day 1-3: 5000 -> 3500 -> 2000 -> 500; day 4: 500 + 1000 arrive, 1500 fired
    assert t["front_stock"] == [3500.0, 2000.0, 500.0, 0.0, 0.0, 0.0, 0.0]
    assert t["consumed"] == [1500.0, 1500.0, 1500.0, 1500.0, 1000.0, 1000.0, 1000.0]
    assert t["shortfall"] == [0.0, 0.0, 0.0, 0.0, 500.0, 500.0, 500.0]
    # Little: 3 days of 1,000 on the rails once the pipeline is full
    assert t["in_transit"] == [1000.0, 2000.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0]


def three_node(
    production: float = 600.0, cap_t: float = 1000.0, guns: float = 10
) -> sandbox.Scenario:
    return sandbox.from_dict(
        {
            "scenario": {"name": "three", "days": 10},
            "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.05}},
            "nodes": [
                {
                    "id": "plant",
                    "kind": "factory",
                    "side": "blue",
                    "lon": 20,
                    "lat": 50,
                    "production": {"ammunition": production},
                },
                {"id": "depot", "kind": "depot", "side": "blue", "lon": 25, "lat": 50},
                {
                    "id": "front",
                    "kind": "front",
                    "side": "blue",
                    "lon": 30,
                    "lat": 50,
                    "stock": {"ammunition": 2500},
                },
            ],
            "links": [
                {"source": "plant", "target": "depot", "capacity_t": cap_t, "transit_days": 1},
                {"source": "depot", "target": "front", "capacity_t": cap_t, "transit_days": 2},
            ],
            "units": [
                {
                    "id": "u",
                    "side": "blue",
                    "node": "front",
                    "guns": guns,
                    "rounds_per_gun_per_day": 100,
                }
            ],
        }
    )


def test_three_node_chain_day_by_day():
    # 600 made a day; 1 day to the depot, which forwards it the day it arrives;
    # 2 more days to the front: the first rounds arrive on day 4.
    model = sandbox.LogisticsModel(three_node(), rng=0)
    s = model.state
    depot_in, front_in, front_stock, short = [], [], [], []
    for _ in range(6):
        model.step()
        depot_in.append(float(s.today.received[1, 0]))
        front_in.append(float(s.today.received[2, 0]))
        front_stock.append(float(s.stock[2, 0]))
        short.append(float(s.today.demand[2, 0] - s.today.consumed[2, 0]))
    assert depot_in == [0.0, 600.0, 600.0, 600.0, 600.0, 600.0]
    assert front_in == [0.0, 0.0, 0.0, 600.0, 600.0, 600.0]
    assert front_stock == [1500.0, 500.0, 0.0, 0.0, 0.0, 0.0]
    assert short == [0.0, 0.0, 500.0, 400.0, 400.0, 400.0]
    assert s.stock[1, 0] == 0.0  # the depot holds nothing back from a hungry front


def test_capacity_binds_on_the_narrow_link():
    # 100 t/day = 2,000 rounds a day at most, whatever the plant makes and the front asks
    model = sandbox.LogisticsModel(three_node(production=5000, cap_t=100, guns=100), rng=0)
    for _ in range(10):
        model.step()
    flows_t = model.state.today.shipped @ model.state.tonnes_per_unit
    assert flows_t == pytest.approx([100.0, 100.0])


def test_diamond_front_draws_on_both_suppliers(examples):
    model = sandbox.LogisticsModel(examples / "diamond.toml", rng=0)
    for _ in range(30):
        model.step()
    s = model.state
    into_front = [e for e in range(s.n_links) if s.node_ids[s.dst[e]] == "front"]
    tonnes = s.today.shipped[into_front] @ s.tonnes_per_unit
    # the front needs 280 t a day, one road carries 150: both roads are busy
    assert (tonnes > 10).all()
    assert tonnes.sum() == pytest.approx(280.0, rel=0.1)


def test_cut_link_is_routed_around_from_the_next_day(examples):
    model = sandbox.LogisticsModel(examples / "diamond.toml", rng=0)
    for _ in range(30):
        model.step()
    s = model.state
    north = next(
        e
        for e in range(s.n_links)
        if s.node_ids[s.src[e]] == "hub_north" and s.node_ids[s.dst[e]] == "front"
    )
    south = next(
        e
        for e in range(s.n_links)
        if s.node_ids[s.src[e]] == "hub_south" and s.node_ids[s.dst[e]] == "front"
    )
    s.link_up[north] = False
    model.step()
    assert s.today.shipped[north].sum() == 0.0
    # the other road now runs at its capacity
    assert float(s.today.shipped[south] @ s.tonnes_per_unit) == pytest.approx(150.0)


def test_littles_law_on_a_chain(examples):
    model = sandbox.LogisticsModel(examples / "chain.toml", rng=0)
    for _ in range(60):
        model.step()
    s = model.state
    flow = s.today.shipped[:, 0]
    np.testing.assert_allclose(flow, [1000.0, 1000.0])  # steady: the front's 1,000 a day
    np.testing.assert_allclose(s.in_transit[:, 0], flow * s.transit_days)
