"""Players' orders: checked like --set and by side, applied next morning, replayed bit for bit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sandbox
from sandbox.cli.main import main
from sandbox.errors import ScenarioError
from sandbox.scenario.load import load_scenario
from sandbox.scenario.orders_file import with_orders
from sandbox.simulation import collect_results
from tests.conftest import EXAMPLES

SECTOR = EXAMPLES / "sector.toml"
# (day the order is given after, side, changes, note)
GAME = (
    (3, "blue", {"units.blue_brigade.rounds_per_gun_per_day": 10.0}, "conserve"),
    (3, "red", {"sides.red.quality": 0.5}, "better fuzes"),
    (7, "blue", {"nodes.blue_plant.production.ammunition": 900.0}, ""),
    (7, "blue", {"links.blue_plant->blue_front.capacity_t": 50.0}, "rail cut"),
)


def play(sc: sandbox.Scenario, days: int = 12) -> sandbox.Results:
    model = sandbox.LogisticsModel(sc, rng=3)
    for day in range(1, days + 1):
        model.step()
        for after, side, changes, note in GAME:
            if after == day:
                model.apply_orders(changes, side=side, note=note)
    return collect_results(model, seed=3)


def test_a_bad_order_changes_nothing_and_says_why():
    m = sandbox.LogisticsModel(load_scenario(SECTOR), rng=0)
    m.step()
    before = m.timeline.current.to_dict()
    cases = {
        "'sides.red.quality': red's key; a blue order may not set it": {
            "units.blue_brigade.guns": 30,  # fine alone: the whole order is refused
            "sides.red.quality": 2.0,
        },
        "'units.red_brigade.guns': red's key": {"units.red_brigade.guns": 1},
        "'nodes.blue_plant.production.amunition'": {"nodes.blue_plant.production.amunition": 1},
        "'links.blue_plant->blue_front.transit_days': cannot change during a run": {
            "links.blue_plant->blue_front.transit_days": 1
        },
        "field 'guns'": {"units.blue_brigade.guns": -5},
    }
    for why, changes in cases.items():
        with pytest.raises(ScenarioError, match=why.replace("(", r"\(").replace(".", r"\.")):
            m.apply_orders(changes, side="blue", note="bad")
    with pytest.raises(ScenarioError, match="side 'green'"):
        m.apply_orders({"units.blue_brigade.guns": 1}, side="green")
    m.step()
    assert m.state.guns.tolist() == [20.0, 50.0]
    assert m.timeline.current.to_dict() == before
    assert m.orders.log == [] and m.timeline.log == []


def test_orders_take_effect_next_morning_and_are_logged():
    res = play(load_scenario(SECTOR))
    d = res.daily
    demand = d["blue.ammunition.demand"]
    # conserve: 10 rounds per gun of at most 20 guns from day 4, 30 per gun before
    assert demand.loc[4] <= 20 * 10.0 < demand.loc[3] / 2
    assert d["blue.ammunition.produced"].loc[8] == 900.0
    assert d["blue.ammunition.produced"].loc[7] == 250.0
    rows = res.orders.to_dict("records")
    assert [(r["order"], r["day"], r["side"], r["key"], r["note"]) for r in rows] == [
        (0, 4, "blue", "units.blue_brigade.rounds_per_gun_per_day", "conserve"),
        (1, 4, "red", "sides.red.quality", "better fuzes"),
        (2, 8, "blue", "nodes.blue_plant.production.ammunition", ""),
        (3, 8, "blue", "links.blue_plant->blue_front.capacity_t", "rail cut"),
    ]
    assert rows[0]["date"] == "2023-01-04"


def test_orders_and_the_equivalent_map_events_give_identical_tables():
    played = play(load_scenario(SECTOR))
    raw = load_scenario(SECTOR).to_dict()
    raw["events"] = [
        {"day": after + 1, "side": side, "set": changes, "note": note}
        for after, side, changes, note in GAME
    ]
    scripted = sandbox.run(sandbox.from_dict(raw, source="events"), seed=3, days=12)
    pd.testing.assert_frame_equal(played.daily, scripted.daily)
    pd.testing.assert_frame_equal(played.nodes, scripted.nodes)
    pd.testing.assert_frame_equal(played.sectors, scripted.sectors)


def test_save_then_replay_with_orders_gives_identical_tables(tmp_path: Path):
    played = play(load_scenario(SECTOR))
    played.save(tmp_path / "game")
    replay = sandbox.run(
        with_orders(load_scenario(SECTOR), tmp_path / "game" / "orders.toml"), 3, 12
    )
    pd.testing.assert_frame_equal(played.daily, replay.daily)
    pd.testing.assert_frame_equal(played.links, replay.links)
    back = sandbox.Results.load(tmp_path / "game")
    pd.testing.assert_frame_equal(back.orders, played.orders)
    # and from the command line
    code = main(
        [
            "run",
            str(SECTOR),
            "--days",
            "12",
            "--seed",
            "3",
            "--no-progress",
            "--orders",
            str(tmp_path / "game" / "orders.toml"),
            "--out",
            str(tmp_path / "cli"),
        ]
    )
    assert code == 0
    cli = pd.read_parquet(tmp_path / "cli" / "daily.parquet")
    pd.testing.assert_frame_equal(cli, pd.read_parquet(tmp_path / "game" / "daily.parquet"))


def test_a_replayed_order_of_the_wrong_side_is_refused_at_load(tmp_path: Path, capsys):
    bad = tmp_path / "orders.toml"
    bad.write_text('[[events]]\nday = 2\nside = "blue"\nset = { "sides.red.quality" = 2.0 }\n')
    with pytest.raises(ScenarioError, match=r"events\[0\] \(day 2\): 'sides\.red\.quality': red's"):
        with_orders(load_scenario(SECTOR), bad)
    bad.write_text("[scenario]\nname = 'x'\n")
    code = main(["run", str(SECTOR), "--orders", str(bad), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "unknown key 'scenario': an orders file holds only [[events]]" in capsys.readouterr().err
