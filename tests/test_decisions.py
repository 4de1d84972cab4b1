"""Decisions orders can make: front priority, production investment, strike policy, posture."""

from __future__ import annotations

from typing import Any

import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.play.decisions import invest
from sandbox.rules.logistics import production
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES


def fork(priority_a: float = 1.0, priority_b: float = 1.0, **logistics: Any) -> sandbox.Scenario:
    """A plant making 100 rounds a day for two fronts that each fire 100 a day."""
    front = {"kind": "front", "side": "blue", "lon": 31.0}
    return sandbox.from_dict(
        {
            "scenario": {"name": "fork", "days": 20},
            "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.01}},
            "logistics": logistics,
            "nodes": [
                {
                    "id": "plant",
                    "kind": "factory",
                    "side": "blue",
                    "lon": 30.0,
                    "lat": 50.0,
                    "production": {"ammunition": 100.0},
                },
                {"id": "a", **front, "lat": 50.5, "priority": priority_a},
                {"id": "b", **front, "lat": 49.5, "priority": priority_b},
            ],
            "links": [
                {"source": "plant", "target": t, "capacity_t": 1000.0, "transit_days": 1}
                for t in ("a", "b")
            ],
            "units": [
                {"id": f"u{t}", "side": "blue", "node": t, "guns": 10, "rounds_per_gun_per_day": 10}
                for t in ("a", "b")
            ],
        },
        source="fork",
    )


def flows(res: sandbox.Results) -> tuple[list[float], list[float]]:
    f = res.links.pivot(index="day", columns="target", values="flow_t")
    return f["a"].tolist(), f["b"].tolist()


def test_priority_splits_a_short_supply_by_its_weights():
    a, b = flows(sandbox.run(fork(3.0, 1.0), days=10))
    assert a == [0.75] * 10 and b == [0.25] * 10  # 100 rounds of 0.01 t: 75 and 25
    a, b = flows(sandbox.run(fork(), days=10))
    assert a == b == [0.5] * 10


def test_a_priority_never_gives_a_link_more_than_it_asked():
    # b asks for nothing once it has all it needs: a gets the whole output
    sc = fork(1.0, 5.0)
    raw = sc.to_dict()
    raw["units"][1]["rounds_per_gun_per_day"] = 0.0
    a, b = flows(sandbox.run(sandbox.from_dict(raw), days=5))
    assert a == [1.0] * 5 and b == [0.0] * 5


def test_a_priority_order_changes_the_split_from_the_next_day():
    m = sandbox.LogisticsModel(fork(), rng=0)
    m.step()
    m.apply_orders({"nodes.a.priority": 4.0}, side="blue", note="main effort north")
    m.step()
    res = sandbox.simulation.collect_results(m, seed=0)
    a, b = flows(res)
    assert a == [0.5, 0.8] and b == [0.5, 0.2]


def test_investment_raises_output_after_the_lead_time():
    m = sandbox.LogisticsModel(fork(investment_lead_days=10), rng=0)
    for _ in range(4):
        m.step()
    inv = invest(m, "plant", "ammunition", 160.0)
    assert inv.day == 15  # ordered for day 5, delivered 10 days on: an order of day 15
    assert inv.changes == {
        "nodes.plant.production.ammunition": 100.0,
        "nodes.plant.ramp.ammunition.target": 160.0,
        "nodes.plant.ramp.ammunition.start_day": 15,
        "nodes.plant.ramp.ammunition.days": 0,
    }
    m.apply_orders(inv.changes, side="blue", note="second shift", day=inv.day)
    rates = []
    for _ in range(5, 17):  # days 5 to 16
        m.step()
        rates.append(float(production.rate(m.state, m.day)[0, 0]))
    assert rates == [100.0] * 10 + [160.0] * 2
    with pytest.raises(ScenarioError, match="no node 'nowhere'"):
        invest(m, "nowhere", "ammunition", 1.0)


def test_strike_policy_targets_and_posture_are_orders_of_their_side():
    m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "strikes.toml"), rng=0)
    m.step()
    m.apply_orders(
        {"strikes.blue.policy": "largest_stock", "strikes.blue.targets": ["depot"]}, side="blue"
    )
    with pytest.raises(ScenarioError, match=r"'strikes\.red\.policy': red's key"):
        m.apply_orders({"strikes.red.policy": "random"}, side="blue")
    m.step()
    aim = next(a for a in m.interdiction.aims if a.side == 0)
    assert aim.cfg.policy == "largest_stock" and aim.cfg.targets == ["depot"]


def test_posture_per_sector_belongs_to_the_attacker():
    raw = load_scenario(EXAMPLES / "sector.toml").to_dict()
    raw["operations"] = [{"id": "w", "sector": "east", "posture": "quiet"}]
    m = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=0)
    m.step()
    attack = {"operations.w.posture": "offensive", "operations.w.attacker": "blue"}
    with pytest.raises(ScenarioError, match=r"'operations\.w\.attacker': blue's key; a red order"):
        m.apply_orders({**attack, "operations.w.attacker": "blue"}, side="red")
    m.apply_orders(attack, side="blue", note="attack")
    with pytest.raises(ScenarioError, match=r"'operations\.w\.end_day': blue's key; a red order"):
        m.apply_orders({"operations.w.end_day": 2}, side="red")
    m.step()
    assert m.timeline.current.spec.operations[0].attacker == "blue"
    with pytest.raises(ScenarioError, match=r"'operations\.w\.attacker': no value \(None\)"):
        m.apply_orders({"operations.w.attacker": None}, side="blue")
