"""Orders that see lead time: the order-up-to rule and its bullwhip signature.

The chain is factory -> depot -> front with ample capacity and stock, one unit
at the front. The front's orders depend only on its own demand, so the
assumptions of Chen, Ryan and Simchi-Levi (2000) hold there: demand i.i.d. from
day to day (``demand_cv``; a cv of 0.1 leaves the truncation at zero some ten
standard deviations away), exponential smoothing with weight ``a =
1 / forecast_days``, an order every day (review period 1), a fixed lead time,
and orders that are never cut at zero (measured: none is, at these settings).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.model import LogisticsModel

ROUNDS_PER_DAY = 1000.0  # 10 guns x 100 rounds


def chain(transit_days: int, demand_cv: float = 0.1, forecast_days: float = 4.0) -> dict:
    return {
        "scenario": {"name": "orders", "days": 10},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.001}},
        "logistics": {
            "front_target_days": 0,
            "depot_target_days": 2,
            "forecast_days": forecast_days,
        },
        "nodes": [
            {
                "id": "factory",
                "kind": "factory",
                "side": "blue",
                "lon": 20.0,
                "lat": 50.0,
                "production": {"ammunition": 10 * ROUNDS_PER_DAY},
            },
            {
                "id": "depot",
                "kind": "depot",
                "side": "blue",
                "lon": 24.0,
                "lat": 50.0,
                "stock": {"ammunition": 50 * ROUNDS_PER_DAY},
            },
            {
                "id": "front",
                "kind": "front",
                "side": "blue",
                "lon": 30.0,
                "lat": 50.0,
                "stock": {"ammunition": 50 * ROUNDS_PER_DAY},
            },
        ],
        "links": [
            {"source": "factory", "target": "depot", "capacity_t": 1e6, "transit_days": 1},
            {"source": "depot", "target": "front", "capacity_t": 1e6, "transit_days": transit_days},
        ],
        "units": [
            {
                "id": "battery",
                "side": "blue",
                "node": "front",
                "guns": 10,
                "rounds_per_gun_per_day": 100,
                "demand_cv": demand_cv,
            }
        ],
    }


def front_series(raw: dict, days: int, seed: int = 1, step: dict[int, float] | None = None):
    """The front's daily demand and the orders it placed, day by day."""
    model = LogisticsModel(sandbox.from_dict(raw), rng=seed, record="daily")
    s = model.state
    front = s.node_index["front"]
    into_front = s.dst == front
    demand, orders = [], []
    for day in range(1, days + 1):
        if step and day in step:
            s.fire_intensity[:] = step[day]
        model.step()
        demand.append(float(s.today.demand[front, 0]))
        orders.append(float(s.today.requested[into_front, 0].sum()))
    return np.array(demand), np.array(orders)


def chen_ryan_simchi_levi(a: float, lead_plus_review: float) -> float:
    """Var(orders) / Var(demand) for order-up-to with exponential smoothing (2000)."""
    L = lead_plus_review
    return 1 + 2 * a * L + 2 * a**2 * L**2 / (2 - a)


@pytest.mark.parametrize(("transit", "expected"), [(1, 1300.0), (4, 1450.0)])
def test_a_step_in_demand_is_ordered_with_its_lead_time_cover(transit, expected):
    # demand steps 1,000 -> 1,200 on day 5; a = 1/4, the level covers 0 + 1 + transit days:
    # order = 1,200 + (1 + transit) x a x 200 that day, then the level keeps rising by a
    # quarter of the remaining gap, so the orders fall back towards 1,200
    demand, orders = front_series(chain(transit, demand_cv=0.0), 8, step={5: 1.2})
    assert demand.tolist() == [1000.0] * 4 + [1200.0] * 4
    assert orders[:4].tolist() == [1000.0] * 4
    assert orders[4] == pytest.approx(expected, rel=1e-12)
    gap = 200.0 * 0.75  # what the forecast still lacks after day 5
    assert orders[5] == pytest.approx(1200.0 + (1 + transit) * 0.25 * gap, rel=1e-12)


def test_a_fall_of_the_level_is_netted_from_later_orders_not_lost():
    # demand halves on day 5 (1,000 -> 500), transit 4 so the level is 5 x forecast, a = 1/4.
    # day 5: forecast 875, level falls 625 -> 500 - 625 = -125: orders 0, 125 carried
    # day 6: forecast 781.25, level falls 468.75 -> 500 - 468.75 - 125 = -93.75: 0 again
    # day 7: forecast 710.9375, level falls 351.5625 -> 500 - 351.5625 - 93.75 = 54.6875
    demand, orders = front_series(chain(4, demand_cv=0.0), 60, step={5: 0.5})
    assert orders[4:7].tolist() == pytest.approx([0.0, 0.0, 54.6875], abs=1e-9)
    # so the orders add up to the demand plus the change of the level, as order-up-to does
    level_change = 5 * (500.0 + 500.0 * 0.75**56 - 1000.0)
    assert orders.sum() == pytest.approx(demand.sum() + level_change, rel=1e-12)


def test_order_variance_ratio_matches_theory_and_grows_with_lead_time():
    days, warmup, a = 1500, 50, 0.25
    measured, theory = {}, {}
    for transit in (1, 4):
        demand, orders = front_series(chain(transit), days)
        demand, orders = demand[warmup:], orders[warmup:]
        assert (orders > 0).all()  # no order cut at zero: the theory's linear rule holds
        measured[transit] = float(orders.var() / demand.var())
        theory[transit] = chen_ryan_simchi_levi(a, transit + 1)  # L = lead time + review
    assert theory == pytest.approx({1: 2.2857, 4: 5.2857}, abs=1e-4)
    for transit in (1, 4):
        assert measured[transit] == pytest.approx(theory[transit], rel=0.15), measured
    assert measured[4] > 1.5 * measured[1]


def test_demand_cv_draws_iid_demand_and_zero_draws_nothing():
    demand, _ = front_series(chain(1, demand_cv=0.2), 1000, seed=3)
    assert demand.mean() == pytest.approx(ROUNDS_PER_DAY, rel=0.02)
    assert demand.std() / demand.mean() == pytest.approx(0.2, rel=0.1)
    lag1 = np.corrcoef(demand[:-1], demand[1:])[0, 1]
    assert abs(lag1) < 0.1  # independent from day to day
    # the default, 0: deterministic demand, and the generator is left untouched
    model = LogisticsModel(sandbox.from_dict(chain(1, demand_cv=0.0)), rng=5, record="daily")
    before = copy.deepcopy(model.rng.bit_generator.state)
    for _ in range(5):
        model.step()
    assert model.rng.bit_generator.state == before


def test_demand_cv_is_truncated_at_zero():
    demand, _ = front_series(chain(1, demand_cv=3.0), 400, seed=2)
    assert demand.min() == 0.0 and (demand >= 0).all()
    assert (demand == 0).mean() > 0.3  # P(1 + 3Z < 0) = P(Z < -1/3) = 0.37


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ({"demand_cv": -0.1}, ["units[0] 'battery'", "demand_cv", "greater than or equal to 0"]),
        ({"demand_cv": "lots"}, ["units[0] 'battery'", "demand_cv"]),
    ],
)
def test_bad_demand_cv_names_file_entry_and_field(change, fragments):
    raw = chain(1)
    raw["units"][0].update(change)
    with pytest.raises(ScenarioError) as info:
        sandbox.from_dict(raw, source="bad.toml")
    text = str(info.value)
    assert "bad.toml" in text
    for fragment in fragments:
        assert fragment in text, text
