"""An investment takes effect when its capacity arrives and never freezes a plant's ramp.

The rule (:func:`sandbox.play.decisions.invested_plan`): from the effective day the
plant continues from the old plan's rate and ramps to ``max(new, old target)``,
never making less than the old plan on any day. Orders may carry that day
(``model.apply_orders(..., day=D)``), are logged and written to ``orders.toml`` on
it, and replay bit for bit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sandbox
from sandbox.errors import ScenarioError
from sandbox.play.decisions import invest, invest_seen, invested_plan
from sandbox.play.session import Session
from sandbox.rules.logistics.production import Plan
from sandbox.scenario.load import load_scenario
from sandbox.scenario.orders_file import read_orders, with_orders
from tests.conftest import EXAMPLES

RATE = st.one_of(st.integers(0, 3000).map(float), st.floats(0.0, 5000.0))
DAY = st.integers(0, 300)


def slack(x: float) -> float:
    """Rounding allowance: where two plans draw the same straight line (a new target
    equal to the old one), the kernel's floats for the two may differ by an ulp."""
    return 1e-9 * max(1.0, abs(x))


@settings(max_examples=300, deadline=None)
@given(
    base=RATE,
    old_target=RATE,
    start=DAY,
    days=DAY,
    order_day=st.integers(1, 300),
    lead=st.integers(0, 200),
    ramp_days=DAY,
    new_target=RATE,
)
def test_an_investment_never_makes_less_and_ends_at_the_new_target(
    base, old_target, start, days, order_day, lead, ramp_days, new_target
):
    old = Plan(base, old_target, start, days)
    effective = order_day + lead
    new = invested_plan(old, new_target, effective, ramp_days)
    target = max(new_target, old_target)
    assert new.target_per_day == target
    assert new.base_per_day == old.rate(effective)  # continues from the old plan's rate
    if target >= old.rate(effective):  # rising: from the effective day, no slower than asked
        assert new.start_day == effective and new.days <= ramp_days
    assert new.start_day >= effective
    horizon = max(old.end_day, new.end_day, effective) + 3
    for day in range(1, horizon + 1):
        made = old.rate(day) if day < effective else new.rate(day)
        assert made >= old.rate(day) - slack(old.rate(day)), day
    for day in range(max(new.end_day, effective), horizon + 1):
        assert new.rate(day) == pytest.approx(target, rel=1e-12, abs=1e-12)


def mid_ramp(lead_days: int = 10) -> sandbox.Scenario:
    """A plant ramping 100 -> 200 rounds a day over days 0-20 (100 + 5 x day) for one
    front that fires 10 rounds a day: its output is never short of room."""
    return sandbox.from_dict(
        {
            "scenario": {"name": "mid_ramp", "days": 30},
            "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.01}},
            "logistics": {"investment_lead_days": lead_days},
            "nodes": [
                {
                    "id": "plant",
                    "kind": "factory",
                    "side": "blue",
                    "lon": 30.0,
                    "lat": 50.0,
                    "production": {"ammunition": 100.0},
                    "ramp": {"ammunition": {"target": 200.0, "start_day": 0, "days": 20}},
                },
                {"id": "front", "kind": "front", "side": "blue", "lon": 31.0, "lat": 50.0},
            ],
            "links": [
                {"source": "plant", "target": "front", "capacity_t": 1000.0, "transit_days": 1}
            ],
            "units": [
                {
                    "id": "u",
                    "side": "blue",
                    "node": "front",
                    "guns": 1,
                    "rounds_per_gun_per_day": 10,
                }
            ],
        },
        source="mid_ramp",
    )


def invested_run(target: float, ramp_days: int) -> tuple[sandbox.LogisticsModel, Any]:
    """Invest after day 4 (ordered for day 5, lead 10: in effect on day 15); 30 days."""
    m = sandbox.LogisticsModel(mid_ramp(), rng=0)
    for _ in range(4):
        m.step()
    inv = invest(m, "plant", "ammunition", target, ramp_days)
    m.apply_orders(inv.changes, side="blue", note="a second line", day=inv.day)
    while m.running:
        m.step()
    return m, inv


def produced(res: sandbox.Results) -> pd.Series:
    return res.daily["blue.ammunition.produced"]


def test_a_plant_mid_ramp_keeps_ramping_and_then_climbs_to_the_new_target():
    m, inv = invested_run(400.0, ramp_days=8)
    # on day 15 the old plan makes 175 and would reach 200 on day 20 (R = 5 days);
    # to 400 over 8 days: 175 + 225 x (day - 15) / 8, far steeper than the old 5 a day
    assert inv.day == 15
    assert inv.changes == {
        "nodes.plant.production.ammunition": 175.0,
        "nodes.plant.ramp.ammunition.target": 400.0,
        "nodes.plant.ramp.ammunition.start_day": 15,
        "nodes.plant.ramp.ammunition.days": 8,
    }
    got = produced(sandbox.simulation.collect_results(m, seed=0))
    base = produced(sandbox.run(mid_ramp(), seed=0))
    assert got.loc[[5, 14, 15]].tolist() == [125.0, 170.0, 175.0]  # the old plan until then
    assert got.loc[1:15].tolist() == base.loc[1:15].tolist()
    assert got.loc[[16, 20, 23, 30]].tolist() == [203.125, 315.625, 400.0, 400.0]
    assert base.loc[[16, 20, 23, 30]].tolist() == [180.0, 200.0, 200.0, 200.0]


def test_a_small_investment_is_not_slower_than_the_ramp_it_replaces():
    # to 215 over 10 days would make 195 on day 20, below the old plan's 200: the ramp
    # is shortened to floor(5 x (215 - 175) / (200 - 175)) = 8 days, the old 5 a day
    m, inv = invested_run(215.0, ramp_days=10)
    assert inv.changes["nodes.plant.ramp.ammunition.days"] == 8
    got = produced(sandbox.simulation.collect_results(m, seed=0))
    assert got.loc[15:23].tolist() == [175.0 + 5.0 * k for k in range(9)]  # 175 ... 215
    assert got.loc[24:30].tolist() == [215.0] * 7


def test_an_order_for_a_later_day_is_logged_then_and_replays(tmp_path: Path):
    m, _ = invested_run(400.0, ramp_days=8)
    res = sandbox.simulation.collect_results(m, seed=0)
    rows = res.orders[["order", "day", "date", "given_day", "key"]].drop_duplicates("order")
    assert rows.to_dict("records") == [
        {
            "order": 0,
            "day": 15,
            "date": "2023-01-15",
            "given_day": 4,
            "key": "nodes.plant.production.ammunition",
        }
    ]
    assert m.timeline.frame()["day"].unique().tolist() == [15]  # applied that morning
    folder = res.save(tmp_path / "game")
    (event,) = read_orders(folder / "orders.toml")
    assert (event["day"], event["given_day"], event["side"]) == (15, 4, "blue")
    replay = sandbox.run(with_orders(mid_ramp(), folder / "orders.toml"), seed=0)
    for table in ("daily", "nodes", "links"):
        pd.testing.assert_frame_equal(getattr(res, table), getattr(replay, table))
    back = sandbox.Results.load(folder)
    pd.testing.assert_frame_equal(back.orders, res.orders)


@pytest.mark.parametrize("day", [0, 3, 4, True, 15.5, "15"])
def test_an_order_for_a_day_already_played_is_refused_and_nothing_is_queued(day):
    m = sandbox.LogisticsModel(mid_ramp(), rng=0)
    for _ in range(4):
        m.step()
    before = m.timeline.current.to_dict()
    with pytest.raises(
        ScenarioError, match=r"order \(blue\): day .*: an order takes effect from day 5"
    ):
        m.apply_orders({"nodes.plant.production.ammunition": 1.0}, side="blue", day=day)
    assert m.orders.pending == []
    m.step()
    assert m.timeline.current.to_dict() == before and m.orders.log == []


def test_a_second_investment_builds_on_the_first_still_under_way():
    m = sandbox.LogisticsModel(mid_ramp(), rng=0)
    for _ in range(4):
        m.step()
    first = invest(m, "plant", "ammunition", 400.0, 8)
    m.apply_orders(first.changes, side="blue", day=first.day)
    m.step()  # day 5: the second, for day 16, starts from the first's 203.125 on day 16
    second = invest(m, "plant", "ammunition", 300.0, 0)
    assert second.day == 16
    assert second.changes["nodes.plant.production.ammunition"] == 203.125
    assert second.changes["nodes.plant.ramp.ammunition.target"] == 400.0  # max(300, 400)
    # the first still rising to 400 on day 23: the second's step meets it at once
    assert second.changes["nodes.plant.ramp.ammunition.days"] == 0


def test_a_saved_game_gives_an_investment_again_on_the_day_it_was_given(tmp_path: Path):
    sc = load_scenario(EXAMPLES / "sector.toml").with_overrides(
        {"logistics.investment_lead_days": 10}
    )

    def play(game: Session, turns: int) -> None:
        for _ in range(turns):
            if game.day == 7:  # after day 7: a line for day 18, and a priority for day 8
                v = game.view()
                inv = invest_seen(v, "blue_plant", "ammunition", 500.0)
                given = [({"nodes.blue_front.priority": 2.0}, None), (inv.changes, inv.day)]
                assert game.orders(given, "turn 2") == ""
            game.end_turn()

    for saved_after in (2, 3):  # day 14: the line pending; day 21: in effect
        game = Session(sc, seed=7, players={"blue": "human", "red": "none"}, turn_days=7)
        play(game, saved_after)
        loaded = Session.load(game.save(tmp_path / f"game{saved_after}"))
        pd.testing.assert_frame_equal(
            loaded.model.orders.frame(loaded.model), game.model.orders.frame(game.model)
        )
        assert [o.day for o in loaded.model.orders.pending] == [
            o.day for o in game.model.orders.pending
        ]
        play(game, 2)
        play(loaded, 2)
        pd.testing.assert_frame_equal(loaded.results().daily, game.results().daily)
        assert game.results().daily["blue.ammunition.produced"].loc[17:18].tolist() == [
            250.0,
            500.0,
        ]


def test_orders_given_together_are_all_or_none():
    game = Session(load_scenario(EXAMPLES / "sector.toml"), players={"blue": "human"})
    given = [({"nodes.blue_front.priority": 2.0}, None), ({"sides.red.quality": 0.1}, 20)]
    assert "red's key" in game.orders(given)
    assert game.model.orders.pending == []


def test_an_event_given_on_or_after_its_day_is_refused():
    raw = mid_ramp().to_dict()
    change = {"nodes.plant.production.ammunition": 1.0}
    raw["events"] = [{"day": 15, "side": "blue", "given_day": 15, "set": change}]
    with pytest.raises(
        ScenarioError, match=r"events\[0\] \(day 15\): field 'given_day': 15 is not"
    ):
        sandbox.from_dict(raw, source="orders")
    raw["events"][0]["given_day"] = 14  # the day before: valid (as_event leaves it out)
    assert sandbox.from_dict(raw, source="orders").spec.events[0].given_day == 14
