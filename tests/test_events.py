"""Events: validated at load like --set, applied at the start of their day, logged in Results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.rules import events
from sandbox.scenario.load import load_scenario
from sandbox.scenario.timeline import MUTABLE
from tests.conftest import EXAMPLES


def with_events(name: str, *evs: dict[str, Any], **extra: Any) -> sandbox.Scenario:
    raw = load_scenario(EXAMPLES / name).to_dict()
    raw["events"] = list(evs)
    raw.update(extra)
    return sandbox.from_dict(raw, source=name)


def problems(name: str, *evs: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as err:
        with_events(name, *evs)
    return str(err.value)


def test_bad_events_are_clear_errors_naming_the_event_and_the_key():
    text = problems(
        "two_node.toml",
        {"day": 3, "set": {"units.battery.gunz": 5}},
        {"day": 4, "set": {"links.plant->front.transit_days": 5}},
        {"day": 5, "set": {"units.battery.guns": -1}},
        {"day": 6, "set": {"strikes.red.p_hit": 0.4}},
    )
    assert "events[0] (day 3): 'units.battery.gunz': unknown key 'gunz' (did you mean" in text
    assert "events[1] (day 4): 'links.plant->front.transit_days': cannot change during a run" in (
        text
    )
    assert "events[2] (day 5) ('units.battery.guns'): units[0] 'battery': field 'guns'" in text
    assert "events[3] (day 6): 'strikes.red.p_hit': the map has no red strike settings" in text
    when = problems(
        "two_node.toml",
        {"date": dt.date(2022, 12, 1), "set": {"units.battery.guns": 1}},
        {"day": 7, "date": dt.date(2023, 1, 7), "set": {"units.battery.guns": 1}},
    )
    assert "events[0]: field 'date': 2022-12-01 is before the start date 2023-01-01" in when
    assert "events[1]: fields 'day' and 'date': give one or the other, not both" in when


def test_events_are_validated_on_the_map_as_earlier_events_left_it():
    # day 2 turns the quiet window into an offensive with an attacker; day 1 alone is wrong
    op = {"id": "w", "sector": "east", "posture": "quiet", "start_day": 1}
    ok = {"day": 2, "set": {"operations.w.posture": "offensive", "operations.w.attacker": "red"}}
    later = {"day": 5, "set": {"operations.w.attacker": "blue"}}  # valid only after day 2
    with_events("sector.toml", later, ok, operations=[op])
    with pytest.raises(
        ScenarioError, match=r"\(day 1\) \('operations.w.attacker'\): .* only an offensive has one"
    ):
        with_events(
            "sector.toml", {"day": 1, "set": {"operations.w.attacker": "red"}}, operations=[op]
        )


def test_a_date_is_a_day_counted_from_the_start_date_as_day_1():
    ev = {"date": dt.date(2023, 1, 10), "set": {"nodes.plant.production.ammunition": 0}}
    res = sandbox.run(with_events("two_node.toml", ev), seed=0, days=12)
    produced = res.daily["blue.ammunition.produced"]
    assert produced.loc[9] == 1000.0 and produced.loc[10] == 0.0
    assert res.events.to_dict("records") == [
        {
            "day": 10,
            "date": "2023-01-10",
            "key": "nodes.plant.production.ammunition",
            "value": "0",
            "note": "",
        }
    ]


def test_link_capacity_event_caps_shipments_from_its_day():
    ev = {"day": 5, "set": {"links.plant->front.capacity_t": 25.0}, "note": "bridge hit"}
    m = sandbox.LogisticsModel(with_events("two_node.toml", ev), rng=0)
    shipped_t = []
    for _ in range(8):
        m.step()
        shipped_t.append(float(m.state.today.shipped[0] @ m.state.tonnes_per_unit))
    assert max(shipped_t[:4]) > 25.0
    assert max(shipped_t[4:]) <= 25.0 + 1e-9


def test_guns_and_rounds_events_change_demand_that_day():
    evs = (
        {"day": 3, "set": {"units.battery.guns": 20}},
        {"day": 5, "set": {"units.battery.rounds_per_gun_per_day": 10}},
    )
    d = sandbox.run(with_events("two_node.toml", *evs), seed=0, days=6).daily
    assert d["blue.ammunition.demand"].tolist() == [1500.0, 1500.0, 3000.0, 3000.0, 200.0, 200.0]


def test_ramp_target_event_sets_a_ramp_from_then_on():
    ev = {
        "day": 4,
        "set": {"nodes.plant.ramp.ammunition": {"target": 2000, "start_day": 4, "days": 4}},
    }
    d = sandbox.run(with_events("two_node.toml", ev), seed=0, days=9).daily
    assert d["blue.ammunition.produced"].tolist() == [1000.0] * 4 + [
        1250.0,
        1500.0,
        1750.0,
        2000.0,
        2000.0,
    ]


def test_side_quality_event_scales_fire():
    ev = {"day": 2, "set": {"sides.red.quality": 0.6}}  # from 0.3
    m = sandbox.LogisticsModel(with_events("sector.toml", ev), rng=0)
    m.step()
    assert m.totals["red.fire"] == pytest.approx(0.3 * m.totals["sector.east.red.rounds"])
    m.step()
    assert m.totals["red.fire"] == pytest.approx(0.6 * m.totals["sector.east.red.rounds"])


def test_strike_event_stops_an_asset_and_air_defence_changes():
    evs = (
        {"day": 3, "set": {"strikes.blue.strikes_per_day": 0}},
        {"day": 3, "set": {"strikes.blue.air_defence": 1.0}},
    )
    m = sandbox.LogisticsModel(with_events("strikes.toml", *evs), rng=0)
    for _ in range(6):
        m.step()
        if m.day >= 3:
            assert m.totals["blue.strikes"] == 0.0
            assert m.totals["red.hits"] == 0.0  # every red strike on blue is intercepted
    assert (m.interdiction.intercept[m.state.side == 0] == 1.0).all()


def test_events_are_saved_and_loaded_with_the_run(tmp_path):
    ev = {"day": 2, "set": {"units.battery.guns": 12}, "note": "reinforced"}
    res = sandbox.run(with_events("two_node.toml", ev), seed=0, days=3)
    back = sandbox.Results.load(res.save(tmp_path / "run"))
    assert back.events.to_dict("records") == [
        {
            "day": 2,
            "date": "2023-01-02",
            "key": "units.battery.guns",
            "value": "12",
            "note": "reinforced",
        }
    ]
    assert back.scenario["events"][0]["set"] == {"units.battery.guns": 12}


def test_apply_orders_between_days_and_refused_orders_change_nothing():
    m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "two_node.toml"), rng=0)
    m.step()
    with pytest.raises(ScenarioError, match=r"'links\.plant->front\.transit_days': cannot change"):
        m.apply_orders({"units.battery.guns": 30, "links.plant->front.transit_days": 1})
    assert m.state.guns.tolist() == [10.0]
    m.apply_orders({"units.battery.guns": 30}, note="order 1")
    m.step()
    assert m.totals["blue.ammunition.demand"] == 4500.0
    assert m.timeline.frame().to_dict("records") == [
        {
            "day": 2,
            "date": "2023-01-02",
            "key": "units.battery.guns",
            "value": "30",
            "note": "order 1",
        }
    ]


def test_every_mutable_table_has_an_applier():
    assert {p[0] for p in MUTABLE} == set(events.APPLIERS)


def test_dashboard_marks_each_event_day_on_every_time_axis():
    from sandbox.plots.dashboard import dashboard_figure
    from sandbox.plots.keys import KEY_GID
    from sandbox.plots.timeline import EVENT_GID, EVENT_LINE_GID, day_text

    evs = (
        {"day": 4, "set": {"sides.red.quality": 0.6}},
        {"day": 9, "set": {"units.blue_brigade.guns": 25}, "note": "reinforcements arrive"},
    )
    res = sandbox.run(with_events("sector.toml", *evs), seed=0, days=12)
    fig = dashboard_figure(res)
    timed = [ax for ax in fig.axes if ax.get_xlabel() == "day"]
    assert len(timed) == 6  # stock, production, deliveries, fire, strength, front
    for ax in timed:
        verticals = [ln.get_xdata() for ln in ax.get_lines() if ln.get_gid() == EVENT_LINE_GID]
        assert [list(x) for x in verticals] == [[4, 4], [9, 9]]
    # numbered 1, 2 above each panel (the front's above its operations band, if any)
    numbers = [t for ax in fig.axes for t in ax.texts if t.get_gid() == EVENT_GID]
    assert [t.get_text() for t in numbers] == ["1", "2"] * 6
    assert {t.xy[0] for t in numbers} == {4, 9}
    (key,) = [t.get_text() for t in fig.texts if t.get_gid() == KEY_GID]
    assert "  1  day 4, 2023-01-04: red.quality=0.6\n" in key
    assert "  2  day 9, 2023-01-09: reinforcements arrive" in key
    assert day_text(res.events[res.events["day"] == 9]) == "reinforcements arrive"


def test_timeline_entries_after_the_horizon_are_warned_about_and_aid_nodes_are_sources():
    sc = with_events(
        "two_node.toml",
        {"day": 31, "set": {"units.battery.guns": 1}},
        aid=[
            {
                "name": "late",
                "node": "front",
                "commodity": "ammunition",
                "pool": 1,
                "per_delivery": 1,
                "start_day": 40,
            }
        ],
    )
    assert sc.warnings == (
        "events[0]: starts on day 31, after the map's 30 days: a default run never sees it",
        "aid[0] 'late': starts on day 40, after the map's 30 days: a default run never sees it",
    )
    raw = load_scenario(EXAMPLES / "two_node.toml").to_dict()
    raw["links"] = []  # the front's only source is now an aid pool
    raw["nodes"][1]["stock"] = {}
    assert sandbox.from_dict(raw).warnings == (
        "nodes[1] 'front': front has no path from any factory or stock",
    )
    raw["aid"] = [
        {"name": "a", "node": "front", "commodity": "ammunition", "pool": 1, "per_delivery": 1}
    ]
    assert sandbox.from_dict(raw).warnings == ()


def test_an_event_can_withdraw_every_gun_of_a_unit_with_random_demand():
    # demand_cv varies the unit's ammunition demand; with no guns there is none to vary,
    # and the event (a unit withdrawn, or a player's order) is valid: it asks for nothing
    raw = load_scenario(EXAMPLES / "two_node.toml").to_dict()
    raw["units"][0]["demand_cv"] = 0.5
    raw["events"] = [{"day": 3, "set": {"units.battery.guns": 0}}]
    res = sandbox.run(sandbox.from_dict(raw, source="two_node.toml"), seed=2, days=5)
    demand = res.daily["blue.ammunition.demand"]
    assert (demand.loc[1:2] > 0).all()
    assert (demand.loc[3:] == 0).all()
