"""The two verdicts of a run: who wins the logistics race (``winning``: the larger share of
its doctrine's rounds fired) and who took ground (``ground``), on daily tables built by
hand, and their printout. The default map's verdicts are in tests/test_calibration.py."""

from __future__ import annotations

import pandas as pd
import pytest

from sandbox.cli.summary_text import ground_line, race_line
from sandbox.observe.race import (
    GROUND_MARGIN_KM,
    RACE_MARGIN_SHARE,
    doctrine_fire_share,
    ground_verdict,
    over_runs,
    over_runs_text,
    race_winner,
)
from sandbox.observe.summary import combat_summary, race_summary
from sandbox.state.columns import DAILY, SUMMARY

WIN, GROUND = SUMMARY.overall("winning"), SUMMARY.overall("ground")
SHARE = {s: SUMMARY.side(s, "doctrine_fire_share") for s in ("blue", "red")}


def fire_table(blue: tuple[list[float], list[float]], red: tuple[list[float], list[float]]):
    """Daily rounds (fired, demanded) per side, one entry a day from day 1."""
    cols = {}
    for side, (fired, demanded) in (("blue", blue), ("red", red)):
        cols[DAILY.side(side, "rounds_fired")] = fired
        cols[DAILY.side(side, "rounds_demanded")] = demanded
    return pd.DataFrame(cols, index=pd.RangeIndex(1, len(blue[0]) + 1, name="day"))


def test_both_sides_fire_all_doctrine_asks_for_neither_wins():
    s = race_summary(fire_table(([100, 100], [100, 100]), ([400, 400], [400, 400])))
    assert s[SHARE["blue"]] == 1.0 and s[SHARE["red"]] == 1.0
    assert s[WIN] == "neither"


def test_red_fires_all_blue_nine_tenths_red_wins():
    # blue asks 100 a day for 10 days and fires 100 on 9 of them, none on the 10th: 900/1000
    blue = ([100.0] * 9 + [0.0], [100.0] * 10)
    red = ([400.0] * 10, [400.0] * 10)
    s = race_summary(fire_table(blue, red))
    assert s[SHARE["blue"]] == pytest.approx(0.9, rel=1e-15)
    assert s[SHARE["red"]] == 1.0
    assert s[WIN] == "red"


def test_the_race_weighs_rounds_not_days():
    # blue misses half its rounds on one day of two; red fires 3/4 of a doctrine 4x larger
    # on both days: blue (100 + 50) / 200 = 0.75, red (300 + 300) / 800 = 0.75 -> neither;
    # one more round fired by blue: 151/200 = 0.755 is within 1 point of 0.75 -> neither
    s = race_summary(fire_table(([100, 50], [100, 100]), ([300, 300], [400, 400])))
    assert s[SHARE["blue"]] == s[SHARE["red"]] == 0.75 and s[WIN] == "neither"
    s = race_summary(fire_table(([100, 51], [100, 100]), ([300, 300], [400, 400])))
    assert s[SHARE["blue"]] == 0.755 and s[WIN] == "neither"
    # 3 more rounds: 0.77 vs 0.75 is 2 points -> blue
    s = race_summary(fire_table(([100, 54], [100, 100]), ([300, 300], [400, 400])))
    assert s[SHARE["blue"]] == 0.77 and s[WIN] == "blue"


@pytest.mark.parametrize(
    "blue_share, red_share, winner",
    [
        (0.995, 1.0, "neither"),  # half a point: within the margin
        (0.9901, 1.0, "neither"),  # just within (1 - 0.99 is 0.010000000000000009 in floats)
        (0.985, 1.0, "red"),  # 1.5 points
        (1.0, 0.98, "blue"),
        (None, 1.0, "neither"),  # blue's doctrine asked for nothing: no race
    ],
)
def test_the_margin(blue_share, red_share, winner):
    assert RACE_MARGIN_SHARE == 0.01
    assert race_winner({"blue": blue_share, "red": red_share}) == winner


def test_a_side_that_asks_for_nothing_has_no_share():
    assert doctrine_fire_share(0.0, 0.0) is None
    s = race_summary(fire_table(([0, 0], [0, 0]), ([5, 5], [10, 10])))
    assert s[SHARE["blue"]] is None and s[SHARE["red"]] == 0.5 and s[WIN] == "neither"


def combat_table(fronts_km: dict[str, list[float]], controls: dict[str, list[int]]):
    """Two sides of constant strength 100 firing all they ask, and sectors whose front
    (km, + = blue advanced) and control (+1 blue, -1 red, 0 contested) go as given."""
    days = len(next(iter(fronts_km.values())))
    cols: dict[str, list[float]] = {}
    for side in ("blue", "red"):
        for metric, value in (("strength", 100.0), ("losses", 0.0), ("guns_in_action", 10.0),
                              ("guns_worn", 0.0), ("rounds_fired", 50.0),
                              ("rounds_demanded", 50.0)):  # fmt: skip
            cols[DAILY.side(side, metric)] = [value] * days
    for k, front in fronts_km.items():
        cols[DAILY.sector(k, "front_km")] = front
        cols[DAILY.sector(k, "control")] = controls[k]
    return pd.DataFrame(cols, index=pd.RangeIndex(1, days + 1, name="day"))


def test_a_fallen_sector_goes_to_its_taker():
    # red takes the east on day 2 and loses 1 km in the west; blue gains 9 km in the south:
    # sectors come first, so red has the ground although the fronts moved +8 km for blue
    t = combat_table(
        {"east": [0, 0, 0], "west": [0, -1, -1], "south": [0, 4, 9]},
        {"east": [0, -1, -1], "west": [0, 0, 0], "south": [0, 0, 0]},
    )
    s = combat_summary(t, ["east", "west", "south"])
    assert s[SUMMARY.tally("sectors_won", "red")] == 1
    assert s[SUMMARY.overall("front_km_gained_by_blue")] == 8.0
    assert s[GROUND] == "red"


@pytest.mark.parametrize(
    "north, south, ground",
    [
        ([0.0, 3.0], [0.0, 0.0], "stalemate"),  # +3 km
        ([0.0, 3.0], [0.0, 3.0], "blue"),  # +6 km summed over the sectors
        ([0.0, 5.0], [0.0, 0.0], "stalemate"),  # exactly the margin: still a stalemate
        ([2.0, 8.0], [0.0, 0.0], "blue"),  # +6 km from where the front started, not from 0
        ([0.0, -4.0], [1.0, -2.0], "red"),  # -4 and -3: -7 km
        ([0.0, 9.0], [0.0, -9.0], "stalemate"),  # what one sector gains the other gives
    ],
)
def test_the_ground_by_the_net_front(north, south, ground):
    assert GROUND_MARGIN_KM == 5.0
    t = combat_table({"north": north, "south": south}, {"north": [0, 0], "south": [0, 0]})
    assert combat_summary(t, ["north", "south"])[GROUND] == ground


def test_sectors_beat_kilometres_and_a_sector_each_is_a_draw_on_sectors():
    assert ground_verdict({"blue": 0, "red": 1}, 50.0) == "red"
    assert ground_verdict({"blue": 1, "red": 1}, 6.0) == "blue"
    assert ground_verdict({"blue": 1, "red": 1}, -4.0) == "stalemate"


def summary_of(shares, below_days, winner):
    s = {WIN: winner}
    for side, share, day in zip(("blue", "red"), shares, below_days, strict=True):
        s[SHARE[side]] = share
        s[SUMMARY.side(side, "fires_below_doctrine_day")] = day
    return s


def test_the_race_line_names_the_winner_first():
    s = summary_of((0.93, 1.0), (326, None), "red")
    assert race_line(s) == (
        "logistics race: red (red fired 100.0% of its doctrine's rounds, never below "
        "doctrine; blue 93.0%, first below on day 326)"
    )
    s = summary_of((0.999, 0.9951), (None, 40), "neither")
    assert race_line(s) == (
        "logistics race: neither (blue fired 99.9% of its doctrine's rounds, never below "
        "doctrine; red 99.5%, first below on day 40; within 1 point)"
    )
    s = summary_of((0.999, None), (None, None), "neither")
    assert race_line(s) == "logistics race: neither (red: doctrine asked for no rounds)"


def test_the_ground_line():
    s = {
        GROUND: "stalemate",
        SUMMARY.tally("sectors_won", "blue"): 0,
        SUMMARY.tally("sectors_won", "red"): 0,
        SUMMARY.overall("front_km_gained_by_blue"): 1.27,
    }
    assert ground_line(s) == (
        "ground: stalemate (sectors taken: blue 0, red 0; fronts +1.3 km net for blue, within 5 km)"
    )
    s[GROUND], s[SUMMARY.tally("sectors_won", "red")] = "red", 1
    s[SUMMARY.overall("front_km_gained_by_blue")] = -7.0
    assert (
        ground_line(s) == "ground: red (sectors taken: blue 0, red 1; fronts -7.0 km net for blue)"
    )


def test_the_race_over_runs():
    # three runs: red by 10 points, within half a point, blue's share stored as NaN (a
    # sweep's None): 1 won by red, 2 by neither; blue's mean over the two it has
    runs = [
        {SHARE["blue"]: 0.9, SHARE["red"]: 1.0},
        {SHARE["blue"]: 0.995, SHARE["red"]: 1.0},
        {SHARE["blue"]: float("nan"), SHARE["red"]: 0.7},
    ]
    nums = over_runs(runs)
    assert nums["race_won_by_red"] == 1 and nums["race_won_by_blue"] == 0
    assert nums["race_won_by_neither"] == 2
    assert nums["blue_doctrine_fire_share"] == pytest.approx(0.9475, rel=1e-15)
    assert nums["red_doctrine_fire_share"] == pytest.approx(0.9, rel=1e-15)
    assert over_runs_text(nums, 240) == (
        "The logistics race (the larger share of its doctrine's rounds fired over 240 days, "
        "by more than 1 point): red in 1 of 3 runs; neither in 2 of 3 runs (mean shares: "
        "blue 94.8%, red 90.0%)."
    )
    none = over_runs([{SHARE["red"]: 1.0}])
    assert none["blue_doctrine_fire_share"] is None and none["race_won_by_neither"] == 1
