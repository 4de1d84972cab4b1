"""Pulling depots back by order: ``nodes.ID.pulled_back = true`` moves a depot to its
fallback (the displacement rule: transit grows by extra km / mode speed, rounded up;
road capacity falls in proportion) and strikes measure their reach from there."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.rules.strikes.displacement import SPEED_KM_PER_DAY
from sandbox.state.geometry import haversine_km
from tests.conftest import EXAMPLES

MAP = EXAMPLES / "strikes.toml"
ORDER_DAY = 5  # the order is given after day 5: the depot moves on the morning of day 6
# blue's asset always hits (no air defence, p_hit 1), one strike a day at red's depots
SURE_HITS = {"strikes.blue.p_hit": 1.0, "strikes.red.strikes_per_day": 0}


def scenario(**extra):
    return sandbox.load_scenario(MAP).with_overrides({**SURE_HITS, **extra})


def hits_by_day(model: sandbox.LogisticsModel, node: str, days: int) -> list[float]:
    """Step ``days`` days; the hits on ``node`` each day."""
    out = []
    i = model.state.node_index[node]
    for _ in range(days):
        model.step()
        out.append(float(model.state.strikes.node_hits[i]))
    return out


def test_ordered_back_the_depot_moves_transit_grows_by_the_rule_and_strikes_stop():
    model = sandbox.LogisticsModel(scenario(), rng=3)
    s = model.state
    near = s.node_index["r_depot_near"]
    front = s.node_index["r_front"]
    leg = int(np.flatnonzero((s.src == near) & (s.dst == front))[0])
    old_days, old_cap = int(s.transit_days[leg]), float(s.capacity_t[leg])
    before = hits_by_day(model, "r_depot_near", ORDER_DAY)
    assert before == [1.0] * ORDER_DAY  # in reach (~37 km from blue's front): hit daily
    model.apply_orders({"nodes.r_depot_near.pulled_back": True}, side="red", note="pull back")
    assert s.lon[near] == 36.8  # nothing moves before the next morning
    after = hits_by_day(model, "r_depot_near", 10)
    assert (s.lon[near], s.lat[near]) == (38.0, 48.5)
    assert s.strikes.displaced[near]
    km_old = haversine_km(36.8, 48.5, 36.3, 48.5)
    km_new = haversine_km(38.0, 48.5, 36.3, 48.5)
    want_days = old_days + math.ceil((km_new - km_old) / SPEED_KM_PER_DAY["road"])
    assert want_days == 2  # ~37 km -> ~125 km of road at 100 km a day: one more day
    assert s.transit_days[leg] == want_days
    assert s.capacity_t[leg] == pytest.approx(old_cap * old_days / want_days)
    # blue's launchers sit at its front, reach 80 km; the fallback is ~124 km away
    assert haversine_km(38.0, 48.5, 36.0, 48.5) > 80.0
    assert after == [0.0] * 10  # never hit again: out of reach from day 6
    assert model.totals["red.depots_moved"] == 1.0


def test_the_order_and_the_map_key_agree():
    """Ordered back after day 5 equals a map event setting the key on day 6."""
    ordered = sandbox.LogisticsModel(scenario(), rng=3)
    for _ in range(ORDER_DAY):
        ordered.step()
    ordered.apply_orders({"nodes.r_depot_near.pulled_back": True}, side="red")
    for _ in range(10):
        ordered.step()
    event = [{"day": ORDER_DAY + 1, "set": {"nodes.r_depot_near.pulled_back": True}}]
    sc = scenario().with_overrides({"events": event})
    res = sandbox.run(sc, seed=3, days=ORDER_DAY + 10)
    got = ordered.datacollector.get_model_vars_dataframe()
    assert np.array_equal(got.to_numpy(), res.daily[got.columns].to_numpy())


def test_pulled_back_in_the_map_starts_at_the_fallback_and_is_never_hit():
    model = sandbox.LogisticsModel(scenario(**{"nodes.r_depot_near.pulled_back": True}), rng=3)
    s = model.state
    near = s.node_index["r_depot_near"]
    assert (s.lon[near], s.lat[near]) == (38.0, 48.5)
    assert hits_by_day(model, "r_depot_near", 10) == [0.0] * 10


@pytest.mark.parametrize(
    ("changes", "side", "why"),
    [
        ({"nodes.b_hub_a.pulled_back": True}, "blue", "no 'fallback' position"),
        ({"nodes.r_depot_near.pulled_back": True}, "blue", "red's key"),
        ({"nodes.r_depot_near.pulled_back": "yes"}, "red", "pulled_back"),
    ],
)
def test_a_bad_pull_back_order_says_why_and_changes_nothing(changes, side, why):
    model = sandbox.LogisticsModel(scenario(), rng=3)
    with pytest.raises(ScenarioError, match=why):
        model.apply_orders(changes, side=side)
    model.step()
    assert not model.state.strikes.displaced.any()
    assert model.orders.log == []


def test_a_depot_pulled_back_stays_back():
    model = sandbox.LogisticsModel(scenario(), rng=3)
    model.apply_orders({"nodes.r_depot_near.pulled_back": True}, side="red")
    model.step()
    for value in (False, True):
        with pytest.raises(ScenarioError, match="already pulled back"):
            model.apply_orders({"nodes.r_depot_near.pulled_back": value}, side="red")
