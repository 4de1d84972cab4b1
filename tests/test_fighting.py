"""Combat in the model: fire limited by what reached the front, wear, attrition, sectors."""

from __future__ import annotations

import copy
import math
import tomllib

import numpy as np
import pandas as pd
import pytest

import sandbox
from sandbox.cli.main import main
from sandbox.errors import ScenarioError
from sandbox.observe.metrics import mass_balance_error
from tests.conftest import EXAMPLES

BASE = tomllib.loads((EXAMPLES / "sector.toml").read_text())


def node(raw, ident):
    return next(n for n in raw["nodes"] if n["id"] == ident)


def run_raw(raw, days, seed=0):
    return sandbox.run(sandbox.from_dict(copy.deepcopy(raw)), seed=seed, days=days, record="daily")


def test_front_without_ammunition_fires_nothing_and_inflicts_nothing():
    raw = copy.deepcopy(BASE)
    node(raw, "blue_front")["stock"]["ammunition"] = 0
    node(raw, "blue_plant")["production"]["ammunition"] = 0
    d = run_raw(raw, 20).daily
    assert (d["blue.rounds_fired"] == 0).all()
    assert (d["sector.east.blue.rounds"] == 0).all()
    assert (d["blue.fire"] == 0).all()
    assert (d["red.losses"] == 0).all()
    assert (d["blue.losses"] > 0).all()  # red still fires
    assert d["blue.rounds_demanded"].iloc[0] == 600.0  # it asked for doctrine


@pytest.mark.parametrize("law", ["square", "linear", {"p": 1.0, "q": 0.5}])
def test_halving_ammunition_delivery_halves_fire_while_stock_is_zero(law):
    raw = copy.deepcopy(BASE)
    raw["sectors"][0]["law"] = law
    node(raw, "blue_front")["stock"]["ammunition"] = 0
    fired = {}
    for rate in (300.0, 150.0):
        node(raw, "blue_plant")["production"]["ammunition"] = rate
        d = run_raw(raw, 20).daily
        assert (d["blue.ammunition.front_stock"] == 0).all()
        fired[rate] = d
    full, half = fired[300.0], fired[150.0]
    # nothing arrives before day 3 (2 days in transit); then the delivery is all it fires
    assert (full["blue.rounds_fired"].loc[:2] == 0).all()
    assert np.allclose(full["blue.rounds_fired"].loc[3:], 300.0, rtol=1e-12)
    assert np.allclose(half["blue.rounds_fired"].loc[3:], 150.0, rtol=1e-12)
    assert np.allclose(half["blue.fire"].loc[3:], full["blue.fire"].loc[3:] / 2, rtol=1e-12)
    # ... still below what the guns in action ask for: the rate of fire is cut, not lethality
    assert (full["blue.rounds_demanded"].loc[3:] > 300.0).all()


def test_worn_guns_stay_out_of_action_until_parts_arrive():
    raw = copy.deepcopy(BASE)
    for side in ("blue", "red"):
        raw["sides"][side]["kills_per_round"] = 0.0  # no losses: only wear moves the guns
    node(raw, "blue_front")["stock"]["spare_parts"] = 0
    plant = node(raw, "blue_plant")
    plant["production"]["spare_parts"] = 0
    plant["production"]["ammunition"] = 600  # ammunition never short here
    plant["ramp"] = {"spare_parts": {"target": 50.0, "start_day": 10, "days": 0}}
    d = run_raw(raw, 25).daily
    arrived = int(d.index[d["blue.spare_parts.delivered"] > 0][0])
    assert arrived == 12  # made on day 10, two days in transit
    # 20 guns x 30 rounds, one barrel per 1,000 rounds: each day 3% of the guns in action wear
    before = d.loc[: arrived - 1]
    days = before.index.to_numpy()
    assert np.allclose(before["blue.guns_worn"], 20 * (1 - 0.97**days), rtol=1e-12)
    assert np.allclose(before["blue.guns_in_action"], 20 * 0.97**days, rtol=1e-12)
    assert np.allclose(before["blue.rounds_fired"], 600 * 0.97 ** (days - 1), rtol=1e-12)
    assert (before["blue.guns_repaired"] == 0).all()
    assert before["blue.spare_parts.shortfall"].iloc[-1] > 0  # worn guns ask for kits
    # the kits that arrive repair the backlog; from then on only one day's wear is out
    worn_before = float(before["blue.guns_worn"].iloc[-1])
    assert math.isclose(d.loc[arrived, "blue.guns_repaired"], worn_before, rel_tol=1e-12)
    after = d.loc[arrived + 1 :]
    assert (after["blue.guns_worn"] < 0.61).all()
    assert (after["blue.guns_in_action"] > 19.39).all()
    assert (after["blue.rounds_fired"] > 580).all()


def test_losses_feed_back_into_fire_and_demand():
    d = run_raw(BASE, 20).daily
    assert (d["blue.losses"] > 0).all() and (d["red.losses"] > 0).all()
    assert (d["blue.strength"].diff().dropna() < 0).all()
    # guns alive follow strength (20 guns at strength 1,000), and demand follows the guns
    # in action: 30 rounds a gun for yesterday's guns in action
    alive = d["blue.guns_in_action"] + d["blue.guns_worn"]
    assert np.allclose(alive, 20 * d["blue.strength"] / 1000, rtol=1e-12)
    assert (alive.diff().dropna() < 0).all()
    demanded = d["blue.rounds_demanded"].to_numpy()
    assert np.allclose(demanded[1:], 30 * d["blue.guns_in_action"].to_numpy()[:-1], rtol=1e-12)
    assert d["red.rounds_demanded"].iloc[-1] < 2000


def test_sector_falls_below_threshold_and_goes_quiet():
    raw = copy.deepcopy(BASE)
    raw["sides"]["red"]["kills_per_round"] = 0.2
    raw["sectors"][0]["fall_threshold"] = 0.6
    res = run_raw(raw, 40)
    d, s = res.daily, res.summary
    fell = s["sector.east.fell_on_day"]
    assert fell is not None
    assert s["sector.east.holder"] == "red" and s["ground"] == "red"
    assert d.loc[fell, "sector.east.blue.strength"] < 0.6 * 1000
    assert d.loc[fell - 1, "sector.east.blue.strength"] >= 0.6 * 1000
    quiet = d.loc[fell + 1 :]
    assert (quiet["blue.rounds_fired"] == 0).all() and (quiet["red.rounds_fired"] == 0).all()
    assert (quiet["sector.east.front_km"] == d.loc[fell, "sector.east.front_km"]).all()
    assert (d.loc[:fell, "sector.east.front_km"].diff().dropna() <= 0).all()  # red pushes


def test_side_short_of_fuel_does_not_advance_and_fires_less():
    raw = copy.deepcopy(BASE)
    raw["sides"]["red"]["quality"] = 0.01  # blue has the better fire and would advance
    ok = run_raw(raw, 10).daily
    assert (ok["sector.east.front_km"].diff().dropna() > 0).all()
    node(raw, "blue_front")["stock"]["fuel"] = 0
    node(raw, "blue_plant")["production"]["fuel"] = 0
    dry = run_raw(raw, 10).daily
    assert (dry["sector.east.front_km"] == 0).all()
    # no fuel at all: fire at 1 - 0.5 of its effectiveness (fuel_shortage_penalty default)
    assert math.isclose(dry["blue.fire"].iloc[0], 0.5 * ok["blue.fire"].iloc[0], rel_tol=1e-12)


def test_mass_balance_with_combat_driven_consumption():
    model = sandbox.LogisticsModel(sandbox.from_dict(copy.deepcopy(BASE)), rng=3)
    for _ in range(60):
        model.step()
        s = model.state
        scale = 1.0 + s.ledger.initial + s.ledger.produced
        assert np.all(np.abs(mass_balance_error(s)) <= 1e-9 * scale)
        assert (s.stock >= 0).all()
    assert model.state.guns_in_action.min() >= 0


def test_same_seed_same_combat():
    sc = sandbox.load_scenario(EXAMPLES / "sector.toml")
    a = sandbox.run(sc, seed=5, days=40)
    b = sandbox.run(sc, seed=5, days=40)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=True)
    assert a.summary == b.summary


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda r: r["sectors"][0].update(blue="blue_frnt"),
            ["sectors[0] 'east'", "field 'blue'", "unknown node 'blue_frnt'", "did you mean"],
        ),
        (
            lambda r: r["sectors"][0].update(red="blue_front"),
            ["sectors[0] 'east'", "field 'red'", "is a blue node", "same side twice"],
        ),
        (
            lambda r: r["sectors"][0].update(blue="blue_plant"),
            ["sectors[0] 'east'", "field 'blue'", "is a factory, expected a front node"],
        ),
        (
            lambda r: r["sectors"][0].update(law="cubic"),
            ["sectors[0] 'east'", "field 'law'", "bad attrition law 'cubic'"],
        ),
        (
            lambda r: r["sectors"][0].update(law={"p": 1, "r": 2}),
            ["sectors[0] 'east'", "field 'law'", "'p' and 'q'"],
        ),
        (
            lambda r: r["sectors"][0].update(fall_threshold=1.5),
            ["sectors[0] 'east'", "'fall_threshold'", "less than or equal to 1"],
        ),
        (
            lambda r: r["sectors"].append(dict(r["sectors"][0])),
            ["sectors[1] 'east'", "duplicate id", "already fights in sectors[0]"],
        ),
        (
            lambda r: r["units"][0].update(spare_parts_per_1000_rounds=1.0),
            ["units[0] 'blue_brigade'", "spare_parts_per_1000_rounds", "barrel_life_rounds"],
        ),
    ],
)
def test_bad_sectors_name_entry_and_field(mutate, expected):
    raw = copy.deepcopy(BASE)
    mutate(raw)
    with pytest.raises(ScenarioError) as info:
        sandbox.from_dict(raw, source="bad.toml")
    for fragment in expected:
        assert fragment in str(info.value)


def test_validate_exits_2_naming_the_sector_field(tmp_path, capsys):
    text = (EXAMPLES / "sector.toml").read_text().replace('law = "linear"', 'law = "cube"')
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "sectors[0] 'east': field 'law'" in err and "Traceback" not in err
    assert main(["validate", str(EXAMPLES / "sector.toml")]) == 0


def test_overrides_reach_sector_fields():
    sc = sandbox.load_scenario(EXAMPLES / "sector.toml")
    sc2 = sc.with_overrides({"sectors.east.law": "square", "sides.red.barrel_life_rounds": 500})
    assert sc2.spec.sectors[0].law == "square"
    assert sc2.spec.sides["red"].barrel_life_rounds == 500


def test_sector_table_round_trips_through_the_run_folder(tmp_path):
    res = sandbox.run(sandbox.load_scenario(EXAMPLES / "sector.toml"), seed=2, days=12)
    t = res.sectors
    assert list(t.columns) == [
        "day",
        "sector",
        "front_km",
        "control",
        "blue_rounds",
        "red_rounds",
        "blue_strength",
        "red_strength",
    ]
    assert len(t) == 12 and (t["sector"] == "east").all()
    assert t["day"].tolist() == list(range(1, 13))
    d = res.daily
    assert np.array_equal(t["front_km"], d["sector.east.front_km"])
    assert np.array_equal(t["red_rounds"], d["sector.east.red.rounds"])
    assert np.array_equal(t["blue_strength"], d["sector.east.blue.strength"])
    res.save(tmp_path / "run")
    assert (tmp_path / "run" / "sectors.parquet").exists()
    back = sandbox.Results.load(tmp_path / "run")
    pd.testing.assert_frame_equal(back.sectors, t)
    # a map without sectors: an empty frame with the same columns, also after loading
    plain = sandbox.run(sandbox.load_scenario(EXAMPLES / "chain.toml"), seed=2, days=3)
    assert plain.sectors.empty and list(plain.sectors.columns) == list(t.columns)
    plain.save(tmp_path / "plain")
    again = sandbox.Results.load(tmp_path / "plain").sectors
    assert again.empty and list(again.columns) == list(t.columns)


def _dashboard_figure(res, path):
    """Write the dashboard, and return its figure (drawn again, as dashboard() draws it)."""
    from sandbox.plots import dashboard as plots

    assert plots.dashboard(res, path).exists()
    return plots.dashboard_figure(res)


def test_dashboard_with_sectors_has_the_combat_panels(tmp_path):
    from sandbox.plots import dashboard as plots

    res = sandbox.run(sandbox.load_scenario(EXAMPLES / "sector.toml"), seed=1, days=15)
    fig = _dashboard_figure(res, tmp_path / "dashboard.png")
    titles = [ax.get_title() for ax in fig.axes]
    for title in plots.COMBAT_TITLES:
        assert title in titles
    assert any(t.startswith("Supply network") for t in titles)
    assert "Stock (all nodes): ammunition" in titles
    fire = fig.axes[titles.index(plots.COMBAT_TITLES[0])]
    labels = {ln.get_label() for ln in fire.get_lines()}
    assert {"blue fired", "red fired"} <= labels
    twins = [ax for ax in fig.axes if ax is not fire and ax.get_shared_x_axes().joined(ax, fire)]
    assert [ax.get_ylabel() for ax in twins] == ["red:blue"]
    front = fig.axes[titles.index(plots.COMBAT_TITLES[2])]
    assert front.get_lines()[0].get_label() == "east"
    strength = fig.axes[titles.index(plots.COMBAT_TITLES[1])]
    assert {"blue strength", "red strength"} <= {ln.get_label() for ln in strength.get_lines()}
    # a map with strikes and no sectors: a hits panel, no combat column
    strikes = sandbox.run(sandbox.load_scenario(EXAMPLES / "strikes.toml"), seed=1, days=10)
    fig = _dashboard_figure(strikes, tmp_path / "s.png")
    titles = [ax.get_title() for ax in fig.axes]
    assert plots.STRIKES_TITLE in titles
    assert not set(plots.COMBAT_TITLES) & set(titles)
