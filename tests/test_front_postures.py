"""The front law reads the sector postures: only an offensive's attacker advances.

maps/examples/sector.toml with no losses and next to no wear (``kills_per_round = 0``;
barrels wear 1e-9 of a gun per round, inside the tolerance 1e-6), over five days in which
both fronts fire from stock what they ask for.
Effective fire P = rounds x quality; the attacker gains ``km_per_day x (1 - 3 P_d / P_a)``
(``km_per_day = 1``, ``attack_ratio = 3`` on the map).

Doctrine: blue 20 guns x 30 = 600 rounds, red 50 x 40 = 2,000. An offensive multiplies
its attacker's fire by 1.5 (defender 1.0); defensive 0.75 both; quiet 0.25 both.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import sandbox
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES

DAYS = 5
ONE_TO_FIVE = np.arange(1, DAYS + 1)


def front(*operations: dict[str, Any], red_quality: float = 3.0, blue_quality: float = 1.0):
    raw = load_scenario(EXAMPLES / "sector.toml").to_dict()
    raw["operations"] = list(operations)
    for side, quality in (("blue", blue_quality), ("red", red_quality)):
        raw["sides"][side].update(quality=quality, kills_per_round=0.0, barrel_life_rounds=1e9)
    d = sandbox.run(sandbox.from_dict(raw), seed=0, days=DAYS).daily
    return d["sector.east.front_km"].to_numpy()


def op(posture: str, start: int = 1, end: int | None = None, **kw: Any) -> dict[str, Any]:
    out = {"id": f"{posture}{start}", "sector": "east", "posture": posture, "start_day": start}
    return out | ({} if end is None else {"end_day": end}) | kw


def test_without_a_window_the_stronger_fire_advances():
    # red 2,000 x 3 = 6,000 against blue 600: ratio 10, 1 - 3/10 = 0.7 km a day toward blue
    assert np.allclose(front(), -0.7 * ONE_TO_FIVE, rtol=1e-6)


def test_an_offensive_by_the_weaker_side_stops_the_stronger_from_advancing():
    # blue attacks: blue 900 against red 6,000; red may not advance, blue is below 3:1
    assert (front(op("offensive", attacker="blue")) == 0.0).all()


def test_an_offensive_by_the_stronger_side_advances_with_the_attackers_fire():
    # red attacks: red 3,000 x 3 = 9,000 against 600: ratio 15, 1 - 3/15 = 0.8 km a day
    km = front(op("offensive", attacker="red"))
    assert np.allclose(km, -0.8 * ONE_TO_FIVE, rtol=1e-6)
    # blue attacks with quality 20: 900 x 20 = 18,000 against red 2,000 x 0.3 = 600:
    # ratio 30, 1 - 3/30 = 0.9 km a day toward red
    km = front(op("offensive", attacker="blue"), red_quality=0.3, blue_quality=20.0)
    assert np.allclose(km, 0.9 * ONE_TO_FIVE, rtol=1e-6)


def test_the_threshold_still_applies_to_the_attacker():
    # red attacks at quality 0.6: 3,000 x 0.6 = 1,800 against 600 is exactly 3:1: it holds
    assert (front(op("offensive", attacker="red"), red_quality=0.6) == 0.0).all()


@pytest.mark.parametrize("posture", ["defensive", "quiet"])
def test_defensive_and_quiet_sectors_hold_whatever_the_fire(posture):
    # without the window red would gain 0.7 km a day (same ratio: both sides scaled alike)
    assert (front(op(posture)) == 0.0).all()


def test_the_front_moves_again_when_the_window_ends():
    # quiet on days 1-2, then no posture: red gains 0.7 km a day from day 3
    km = front(op("quiet", 1, 2))
    assert np.allclose(km, [0.0, 0.0, -0.7, -1.4, -2.1], rtol=1e-6)
