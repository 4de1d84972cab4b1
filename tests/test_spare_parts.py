"""Spare parts counted once: kits demanded = barrels worn + base need, however long they wait.

The map is ``maps/examples/sector.toml`` with no losses (kills_per_round 0), so
only barrel wear moves the guns: blue's 20 guns fire 30 rounds each a day and
wear a barrel every 1,000 rounds; red's 50 guns fire 40 and wear one every 800.
A worn gun's kit is demanded once, at the draw after the wear, so over ``n`` days
the kits demanded are ``base x n + rounds fired on days 1..n-1 / barrel life``:
the wear of the last day is demanded the day after the run.
"""

from __future__ import annotations

import copy
import math
import tomllib

import numpy as np
import pytest

import sandbox
from sandbox.model import LogisticsModel
from tests.conftest import EXAMPLES

BASE = tomllib.loads((EXAMPLES / "sector.toml").read_text())
LIFE = {"blue": 1000.0, "red": 800.0}
BASE_NEED = {"blue": 0.5, "red": 0.0}  # kits a day besides barrels


def node(raw, ident):
    return next(n for n in raw["nodes"] if n["id"] == ident)


def no_losses() -> dict:
    raw = copy.deepcopy(BASE)
    for side in ("blue", "red"):
        raw["sides"][side]["kills_per_round"] = 0.0
    raw["units"][0]["spare_parts_per_day"] = BASE_NEED["blue"]
    production = node(raw, "blue_plant")["production"]
    production["ammunition"] = 600  # never short of rounds
    production["spare_parts"] = 50  # nor of kits (the short case below starts them late)
    return raw


def run(raw, days):
    return sandbox.run(sandbox.from_dict(copy.deepcopy(raw)), seed=0, days=days, record="daily")


def kits_expected(d, side: str) -> tuple[float, float]:
    """(kits demanded by the rule above, the last day's wear: demanded after the run)."""
    rounds = d[f"{side}.rounds_fired"].to_numpy()
    n = len(rounds)
    return BASE_NEED[side] * n + rounds[:-1].sum() / LIFE[side], rounds[-1] / LIFE[side]


@pytest.mark.parametrize("short", [False, True])
def test_kits_demanded_equal_barrels_worn_plus_base_need(short):
    raw = no_losses()
    if short:  # blue's kits: none until the plant starts on day 10 (they arrive on day 12)
        node(raw, "blue_front")["stock"]["spare_parts"] = 0
        plant = node(raw, "blue_plant")
        plant["production"]["spare_parts"] = 0
        plant["ramp"] = {"spare_parts": {"target": 50.0, "start_day": 10, "days": 0}}
    d = run(raw, 40).daily
    for side in ("blue", "red"):
        demanded = float(d[f"{side}.spare_parts.demand"].sum())
        rule, last_day = kits_expected(d, side)
        assert math.isclose(demanded, rule, rel_tol=1e-12), side
        # the form: rounds fired / barrel life + base need, within the last day's wear
        worn = float(d[f"{side}.rounds_fired"].sum()) / LIFE[side]
        assert 0 < worn + BASE_NEED[side] * len(d) - demanded == pytest.approx(last_day)
    # blue: 20 x 30 = 600 rounds a day, one barrel per 1,000 rounds: about 0.6 kits a day
    assert 0.55 * 39 < float(d["blue.spare_parts.demand"].sum()) - 0.5 * 40 < 0.6 * 39


def test_backlog_is_its_own_column_and_clears_when_kits_arrive():
    raw = no_losses()
    node(raw, "blue_front")["stock"]["spare_parts"] = 0
    plant = node(raw, "blue_plant")
    plant["production"]["spare_parts"] = 0
    plant["ramp"] = {"spare_parts": {"target": 50.0, "start_day": 10, "days": 0}}
    d = run(raw, 20).daily
    backlog = d["blue.guns_worn"]  # each worn gun is owed one kit: the column is the backlog
    # the kits owed are the worn guns; before the first kits arrive (day 12) they pile up:
    # 3% of the guns in action wear each day, so 20 x (1 - 0.97^d) are owed on day d
    days = np.arange(1, 12)
    assert np.allclose(backlog.loc[1:11], 20 * (1 - 0.97**days), rtol=1e-12)
    # ... while the demand of each day is its base need plus the previous day's wear only
    rounds = d["blue.rounds_fired"]
    wear_before = np.r_[0.0, rounds.to_numpy()[:-1] / 1000.0]
    assert np.allclose(d["blue.spare_parts.demand"], 0.5 + wear_before, rtol=1e-12)
    # day 12: the kits arrive and clear the backlog; only that day's wear is still owed
    assert math.isclose(d.loc[12, "blue.guns_repaired"], backlog.loc[11], rel_tol=1e-12)
    assert math.isclose(backlog.loc[12], rounds.loc[12] / 1000.0, rel_tol=1e-12)
    assert (backlog.loc[12:] < 0.61).all()
    # the day that clears it consumes the backlog's kits, demanded on earlier days
    assert d.loc[12, "blue.spare_parts.consumed"] > d.loc[12, "blue.spare_parts.demand"]


def test_expected_wear_is_forecast_from_day_one():
    raw = no_losses()
    model = LogisticsModel(sandbox.from_dict(raw), rng=0, record="daily")
    s = model.state
    parts = s.commodities.index("spare_parts")
    # before any gun is worn: base need + 600 rounds / 1,000 (blue); 2,000 / 800 (red)
    assert s.forecast[s.node_index["blue_front"], parts] == pytest.approx(0.5 + 0.6, rel=1e-12)
    assert s.forecast[s.node_index["red_front"], parts] == pytest.approx(2.5, rel=1e-12)
    # and the forecast stays at the wear rate: no backlog ever enters it
    for _ in range(30):
        model.step()
    assert s.forecast[s.node_index["blue_front"], parts] == pytest.approx(0.5 + 0.6, rel=0.05)
