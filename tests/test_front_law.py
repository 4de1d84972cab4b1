"""The front law: a defender advantage and a threshold, so balanced sectors hold.

The attacker (the side with more effective fire P) gains
``km_per_day x (1 - attack_ratio x P_defender / P_attacker)`` km a day, and nothing at or
below ``attack_ratio`` (default 3, the doctrine's 3:1 at the point of attack).
"""

from __future__ import annotations

import numpy as np
import pytest

import sandbox
from tests.combat_maps import one_sector, run
from tests.conftest import ROOT


def front(**kw) -> np.ndarray:
    # no losses (kills_per_round = 0): the fire ratio is the same every day
    raw = one_sector(kills_per_round=0.0, law="linear", days=20, km_per_day=0.2, **kw)
    return run(raw)["sector.line.front_km"].to_numpy()


@pytest.mark.parametrize(
    "kw",
    [
        {"blue_guns": 100, "red_guns": 100},  # balanced
        {"blue_guns": 100, "red_guns": 290},  # red 2.9:1, below the default 3:1
        {"blue_guns": 290, "red_guns": 100},  # blue 2.9:1
        {"blue_guns": 100, "red_guns": 100, "red_quality": 3.0},  # exactly 3:1 in fire
        {"blue_guns": 100, "red_guns": 500, "attack_ratio": 5.0},  # 5:1 against 5
    ],
)
def test_at_or_below_the_attack_ratio_the_front_holds(kw):
    assert (front(**kw) == 0.0).all()


def test_above_the_threshold_the_attacker_gains_at_the_documented_rate():
    # blue 600 guns x quality 1 against red 100: ratio 6; 0.2 x (1 - 3 / 6) = 0.1 km a day
    km = front(blue_guns=600, red_guns=100)
    assert np.allclose(km, 0.1 * np.arange(1, 21), rtol=1e-12)
    # red 4:1 (200 guns x quality 2 against 100): 0.2 x (1 - 3 / 4) = 0.05 km a day toward blue
    km = front(blue_guns=100, red_guns=200, red_quality=2.0)
    assert np.allclose(km, -0.05 * np.arange(1, 21), rtol=1e-12)
    # a lower threshold: 2:1 against attack_ratio 1.5 gives 0.2 x (1 - 0.75) = 0.05 km a day
    km = front(blue_guns=200, red_guns=100, attack_ratio=1.5)
    assert np.allclose(km, 0.05 * np.arange(1, 21), rtol=1e-12)


def test_a_defender_without_fire_gives_ground_at_km_per_day():
    raw = one_sector(
        kills_per_round=0.0, law="linear", days=10, km_per_day=0.2, blue_guns=100, red_guns=100
    )
    raw["nodes"][0]["stock"]["ammunition"] = 0.0  # blue front empty, its plant makes none
    raw["nodes"][2]["production"]["ammunition"] = 0.0
    km = run(raw)["sector.line.front_km"].to_numpy()
    assert np.allclose(km, -0.2 * np.arange(1, 11), rtol=1e-12)


def test_default_map_fronts_move_a_few_km_where_the_forces_say_so():
    sc = sandbox.load_scenario(ROOT / "maps" / "ukraine_2023.toml")
    res = sandbox.run(sc, seed=0, days=365)
    d = res.daily
    ids = [s.id for s in sc.spec.sectors]
    start = {s.id: s.front_km for s in sc.spec.sectors}
    for k in ids:
        moved = (d[f"sector.{k}.front_km"] - start[k]).abs()
        assert moved.max() <= 15.0, (k, moved.max())
    # Bakhmut: red's fire beats the sector's threshold from day 1; red gains ground every
    # day until its front there runs short of shells (Wagner's shortage in May: the map
    # cuts its trucks to a third on 1 May, the front's stock lasts about two weeks), then
    # its fire falls below the sector's 1.2:1 and the line holds to the end of the
    # offensive (20 May 2023, day 140)
    n = res.nodes
    front = n[(n["node"] == "red_front_bakhmut") & (n["commodity"] == "ammunition")]
    short = front.loc[front["shortfall"] > 0.01 * (front["consumed"] + front["shortfall"]), "day"]
    stall = int(short.min())
    assert 121 <= stall <= 140  # in May, before the city fell
    bakhmut = d["sector.bakhmut.front_km"] - start["bakhmut"]
    assert (bakhmut.loc[: stall - 1].diff().dropna() < 0).all() and bakhmut.loc[140] < -0.5
    assert (bakhmut.loc[stall - 1 : 140] == bakhmut.loc[stall - 1]).all()  # short: holds
    # everywhere else the forces are near balance until blue's stocks run down: they hold
    for k in ids:
        if k != "bakhmut":
            assert (d.loc[:150, f"sector.{k}.front_km"] == start[k]).all(), k
