"""The default map against the public record (maps/ukraine_2023_record.csv).

One run of the default map (seed 1, the year) per test module; each figure of the
record must lie in its band, so a change that moves the showcase away from the record
fails here. The record's bands come from the sources (docs/calibration.md), not from a
run.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sandbox
from sandbox.observe.race import GROUND_MARGIN_KM, RACE_MARGIN_SHARE
from sandbox.observe.record import RECORD, compare, load_record, model_value, start_fronts
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.state.columns import DAILY, SUMMARY

FIGURES = load_record()


@pytest.fixture(scope="module")
def res() -> sandbox.Results:
    return sandbox.run(sandbox.load_scenario(DEFAULT_MAP), seed=1)


@pytest.fixture(scope="module")
def table(res) -> pd.DataFrame:
    return compare(res, FIGURES)


def test_the_record_is_well_formed():
    ids = [f.id for f in FIGURES]
    assert len(ids) == len(set(ids)) >= 15
    for f in FIGURES:
        assert f.low <= f.high, f.id
        assert f.source and f.date, f.id
        assert 0 <= f.day_from <= f.day_to <= 365, f.id
        if f.value is not None and not f.assumption:
            assert f.low <= f.value <= f.high, f.id  # a sourced figure sits in its own band


@pytest.mark.parametrize("fig", FIGURES, ids=[f.id for f in FIGURES])
def test_each_figure_of_the_record_lies_in_its_band(table, fig):
    row = table.loc[fig.id]
    assert fig.low <= row["model"] <= fig.high, (
        f"{RECORD.name}: {fig.id} ({fig.what}): model {row['model']:.4g} "
        f"outside {fig.low:.4g}..{fig.high:.4g} ({fig.source})"
    )


def test_metrics_read_the_run_as_documented(res):
    # hand-readable cross-checks of the metric definitions on the same run
    d, start = res.daily, start_fronts(res.scenario)
    by_id = {f.id: f for f in FIGURES}
    early = by_id["ratio_early"]
    ratio = d.loc[1:90, "red.rounds_fired"].mean() / d.loc[1:90, "blue.rounds_fired"].mean()
    assert model_value(res, early, start) == pytest.approx(ratio, rel=1e-12)
    nk = by_id["north_korea_2023"]
    # 100,000 every 10 days from 1 September (day 244): days 244, 254, ..., 364
    assert model_value(res, nk, start) == 13 * 100_000
    # first_short: the first day fired < 99% of asked, read straight off the daily table
    blue = by_id["blue_first_short"]
    short = d.index[d["blue.rounds_fired"] < 0.99 * d["blue.rounds_demanded"]]
    assert model_value(res, blue, start) == short.min()
    # ... and for a sector, off its front node's records (consumed against demand)
    wagner = by_id["wagner_short_bakhmut"]
    n = res.nodes
    rows = n[(n["node"] == "red_front_bakhmut") & (n["commodity"] == "ammunition")]
    rows = rows[rows["day"] <= wagner.day_to]
    asked = rows["consumed"] + rows["shortfall"]
    assert model_value(res, wagner, start) == rows["day"][rows["consumed"] < 0.99 * asked].min()


def test_the_shortages_come_from_supply_not_from_doctrine(res):
    # blue: from its first short day on, doctrine asks for more than the fronts can fire
    # (guns in action x rounds per gun): a fire cut written into the map would lower
    # rounds_demanded instead, and leave rounds_fired equal to it
    d, start = res.daily, start_fronts(res.scenario)
    by_id = {f.id: f for f in FIGURES}
    first = int(model_value(res, by_id["blue_first_short"], start))
    late = d.loc[first:]
    assert (late["blue.rounds_fired"] < late["blue.rounds_demanded"]).mean() > 0.5
    assert late["blue.rounds_demanded"].min() > late["blue.rounds_fired"].min()
    # red at Bakhmut: short in May, the red side as a whole nowhere else in the year
    red_short = d.index[d["red.rounds_fired"] < 0.99 * d["red.rounds_demanded"]]
    assert red_short.min() == model_value(res, by_id["wagner_short_bakhmut"], start)
    # the trucks come back on 21 May (day 141) and their first loads arrive a day later
    assert red_short.max() == 141


def test_the_line_moves_only_where_an_operation_lets_it_in_the_first_half(res):
    # Jan-May only Bakhmut has a window (red's offensive); the others have none and the
    # forces there are below the 3:1 threshold, so they hold
    d, start = res.daily, start_fronts(res.scenario)
    for k, km in start.items():
        moved = (d.loc[:140, f"sector.{k}.front_km"] - km).abs().max()
        assert (moved > 0) == (k == "bakhmut"), (k, moved)
    # the offensive over, Bakhmut is defensive from day 141: its line stays put
    bakhmut = d.loc[141:, "sector.bakhmut.front_km"]
    assert (bakhmut == bakhmut.iloc[0]).all()


def test_red_wins_the_logistics_race_and_the_ground_is_a_stalemate(res):
    # red out-fires blue ~4:1 and runs short only briefly (a few days around day 136); blue
    # runs short for weeks from late in the year: red kept its guns supplied. The fronts
    # move a few km either way and no sector falls (the record's 2023 was a stalemate).
    s, d = res.summary, res.daily
    share = {side: s[SUMMARY.side(side, "doctrine_fire_share")] for side in ("blue", "red")}
    for side in ("blue", "red"):
        fired = d[DAILY.side(side, "rounds_fired")].sum()
        asked = d[DAILY.side(side, "rounds_demanded")].sum()
        assert share[side] == pytest.approx(fired / asked, rel=1e-12)
    assert 0.99 < share["red"] <= 1.0
    assert 0.95 < share["blue"] < share["red"] - RACE_MARGIN_SHARE
    assert s[SUMMARY.overall("winning")] == "red"
    assert s[SUMMARY.side("blue", "fires_below_doctrine_day")] > 300
    assert abs(s[SUMMARY.overall("front_km_gained_by_blue")]) < GROUND_MARGIN_KM
    assert s[SUMMARY.overall("ground")] == "stalemate"
