"""Sector postures: quiet, defensive and offensive windows scale fire and fuel; who attacks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.rules.operations import FACTORS
from sandbox.scenario.load import load_scenario
from sandbox.state.postures import NO_ATTACKER, POSTURES
from tests.conftest import EXAMPLES

# maps/examples/sector.toml: blue 20 guns x 30 rounds, fuel 50 t/day; red 50 x 40, 60 t/day
BLUE_ROUNDS, RED_ROUNDS, BLUE_FUEL, RED_FUEL = 600.0, 2000.0, 50.0, 60.0


def sector(*operations: dict[str, Any], **extra: Any) -> sandbox.Scenario:
    raw = load_scenario(EXAMPLES / "sector.toml").to_dict()
    raw["operations"] = list(operations)
    raw.update(extra)
    return sandbox.from_dict(raw)


def op(posture: str, start: int, end: int | None = None, **kw: Any) -> dict[str, Any]:
    out = {"id": f"{posture}{start}", "sector": "east", "posture": posture, "start_day": start}
    return out | ({} if end is None else {"end_day": end}) | kw


def daily(sc: sandbox.Scenario, days: int = 20):
    return sandbox.run(sc, seed=0, days=days).daily


def test_quiet_window_cuts_rounds_and_fuel_by_the_documented_factors_on_day_1():
    fire, fuel = FACTORS["quiet"][0]
    assert (fire, fuel) == (0.25, 0.5)
    d = daily(sector(op("quiet", 1, 3)), days=1)
    assert d.loc[1, "sector.east.blue.rounds"] == fire * BLUE_ROUNDS == 150.0
    assert d.loc[1, "sector.east.red.rounds"] == fire * RED_ROUNDS == 500.0
    assert d.loc[1, "blue.fuel.demand"] == fuel * BLUE_FUEL
    assert d.loc[1, "red.fuel.demand"] == fuel * RED_FUEL


def test_quiet_window_later_cuts_that_days_rounds_by_the_factor_and_ends_on_its_end_day():
    base = daily(sector())
    quiet = daily(sector(op("quiet", 10, 12)))
    # identical until day 9; on day 10 both sides ask for a quarter of the same doctrine
    assert quiet.loc[:9].equals(base.loc[:9])
    for side in ("blue", "red"):
        assert base.loc[10, f"{side}.rounds_fired"] == base.loc[10, f"{side}.rounds_demanded"]
        assert quiet.loc[10, f"{side}.rounds_demanded"] == pytest.approx(
            0.25 * base.loc[10, f"{side}.rounds_demanded"], rel=1e-12
        )
    # day 13: full doctrine again, for the guns then in action
    m = sandbox.LogisticsModel(sector(op("quiet", 10, 12)), rng=0)
    for _ in range(12):
        m.step()
    guns = m.state.guns_in_action.copy()
    m.step()
    assert m.state.fire_intensity.tolist() == [1.0, 1.0]
    assert m.totals["blue.rounds_demanded"] == pytest.approx(guns[0] * 30, rel=1e-12)


def test_offensive_scales_the_attacker_only_and_is_exposed_as_state():
    sc = sector(op("offensive", 1, 2, attacker="red"), op("defensive", 3, 3))
    m = sandbox.LogisticsModel(sc, rng=0)
    m.step()
    p = m.state.postures
    assert p is not None
    assert (POSTURES[p.posture[0]], int(p.attacker[0])) == ("offensive", 1)
    assert m.totals["sector.east.red.rounds"] == 1.5 * RED_ROUNDS
    assert m.totals["sector.east.blue.rounds"] == BLUE_ROUNDS
    assert m.totals["red.fuel.demand"] == 1.5 * RED_FUEL
    m.step()
    m.step()
    assert (POSTURES[p.posture[0]], int(p.attacker[0])) == ("defensive", NO_ATTACKER)
    assert p.fire_factor[0].tolist() == [0.75, 0.75]
    m.step()
    assert (POSTURES[p.posture[0]], int(p.attacker[0])) == ("none", NO_ATTACKER)
    assert p.fire_factor[0].tolist() == [1.0, 1.0]


def test_a_fallen_sector_stays_stood_down_through_a_window():
    m = sandbox.LogisticsModel(sector(op("offensive", 1, attacker="blue")), rng=0)
    m.state.fire_intensity[1] = 0.0  # as the fight phase leaves a sector's loser
    m.step()
    assert m.state.fire_intensity.tolist() == [1.5, 0.0]


def test_events_change_a_window_during_the_run():
    ev = {
        "day": 2,
        "set": {"operations.quiet1.posture": "offensive", "operations.quiet1.attacker": "blue"},
    }
    d = daily(sector(op("quiet", 1), events=[ev]), days=2)
    assert d.loc[1, "sector.east.blue.rounds"] == 150.0
    m = sandbox.LogisticsModel(sector(op("quiet", 1), events=[ev]), rng=0)
    m.step()
    guns = m.state.guns_in_action[0]
    m.step()
    assert m.totals["blue.rounds_demanded"] == pytest.approx(1.5 * guns * 30, rel=1e-12)


def test_without_operations_the_state_has_no_postures():
    m = sandbox.LogisticsModel(sector(), rng=0)
    m.step()
    assert m.state.postures is None
    assert np.all(m.state.fire_intensity == 1.0)


def test_operation_validation():
    with pytest.raises(ScenarioError) as err:
        sector(
            op("offensive", 1, 10),
            op("quiet", 5, 12, attacker="red"),
            {"id": "x", "sector": "west", "posture": "quiet"},
        )
    text = str(err.value)
    assert "operations[0] 'offensive1': field 'attacker': an offensive needs one" in text
    assert "operations[1] 'quiet5': field 'attacker': only an offensive has one (quiet)" in text
    assert "operations[1] 'quiet5': overlaps operations[0] 'offensive1' in sector 'east'" in text
    assert "operations[2] 'x': field 'sector': unknown sector 'west'" in text


def test_operation_windows_are_shaded_on_the_front_panel_from_days_or_dates():
    import datetime as dt

    from sandbox.plots.timeline import operation_spans

    sc = sector(
        op("offensive", 3, 9, attacker="red"),
        {"id": "calm", "sector": "east", "posture": "quiet", "start_date": dt.date(2023, 1, 20)},
    ).to_dict()
    assert operation_spans(sc, last_day=60) == [
        ("east", "offensive", 3, 9, "#c0392b"),
        ("east", "quiet", 20, 60, "0.85"),
    ]
