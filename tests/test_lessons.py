"""The lessons run end to end and their claimed effects hold (notebooks: test_notebooks.py)."""

from __future__ import annotations

import html
import itertools
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from sandbox import lessons
from sandbox.cli.main import main
from sandbox.experiments import load_results
from sandbox.lessons import bottlenecks, race_2023
from sandbox.observe import record as public_record
from tests.conftest import ROOT

NAMES = [
    "production_gap",
    "bottlenecks",
    "interdiction",
    "quality_quantity",
    "bullwhip",
    "race_2023",
    "logistics_chief",
]
SHORT_DAYS = {
    "production_gap": None,
    "bottlenecks": 30,
    "interdiction": 40,
    "quality_quantity": 30,
    "bullwhip": 60,
    "race_2023": 240,  # through the summer counteroffensive
    "logistics_chief": 240,  # spring priority, summer priority, investment after 90 days
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every lesson run once (short horizon where the effect allows), shared by the tests."""
    out = {}
    for name in NAMES:
        folder = tmp_path_factory.mktemp(name)
        out[name] = lessons.get(name).run(folder, days=SHORT_DAYS[name])
    return out


def test_registry_finds_every_lesson_with_its_text_and_map():
    found = lessons.all_lessons()
    assert [x.name for x in found] == NAMES
    for lesson in found:
        d = lesson.describe()
        assert d["title"] and d["goal"] and d["takeaway"]
        assert d["questions"] and d["explore"]
        assert Path(d["map"]).is_file()
        lesson.scenario()  # the map validates


def test_unknown_lesson_names_the_known_ones():
    with pytest.raises(lessons.UnknownLesson, match="bottlenecks"):
        lessons.get("no_such_lesson")


@pytest.mark.parametrize("name", NAMES)
def test_every_claimed_effect_holds(results, name):
    res = results[name]
    assert res.checks, "a lesson must check its claims"
    assert res.all_checks_hold, {k: v for k, v in res.checks.items() if not v}


def test_production_gap_depletion_day_moves_later_with_more_production(results):
    n = results["production_gap"].numbers
    d3000, d3500, d4000 = (n[f"depletion_day_at_{r}"] for r in (3000, 3500, 4000))
    days = results["production_gap"].days
    assert d3000 is not None and d3500 is not None
    assert d3000 < d3500 < (days + 1 if d4000 is None else d4000)
    # close to stock / gap (the pipeline and the front's target shift it by days)
    estimate = n["initial_stock"] / (n["demand_per_day"] - 3000)
    assert abs(d3000 - estimate) <= 0.1 * estimate


def test_production_gap_early_ramp_in_time_late_ramp_too_late(results):
    n = results["production_gap"].numbers
    assert n["ramp_decided_0_depletion_day"] is None
    assert n["ramp_decided_50_depletion_day"] is None
    assert n["ramp_decided_100_depletion_day"] is not None
    assert n["ramp_decided_0_lowest_stock"] > n["ramp_decided_50_lowest_stock"] > 0
    # the analytic last decision day lies between the in-time and the late decision tried
    assert 50 <= n["latest_decision_day_estimate"] < 100


def test_bottleneck_min_cut_matches_networkx_max_flow():
    raw = bottlenecks.LESSON.scenario().to_dict()
    g = bottlenecks.supply_graph(raw)
    value, edges = bottlenecks.min_cut(g)
    assert value == pytest.approx(nx.maximum_flow_value(g, bottlenecks.SOURCE, bottlenecks.SINK))
    assert value == pytest.approx(400.0)
    assert edges == [("railhead_north", "front"), ("railhead_south", "front")]


def test_throughput_unchanged_off_the_cut_and_raised_on_it(results):
    n = results["bottlenecks"].numbers
    base = n["base_throughput_t"]
    assert base == pytest.approx(n["min_cut_t"], rel=0.01)
    assert n["off_cut_throughput_t"] == pytest.approx(base, rel=0.01)
    # +100 on the cut: the whole 100 gets through
    assert n["on_cut_plus_100_throughput_t"] == pytest.approx(base + 100, rel=0.01)
    # +300 on the cut: only up to the next cut (port->railhead_north 400 + 150 = 550)
    assert n["on_cut_plus_300_max_flow_t"] == pytest.approx(550.0)
    assert n["on_cut_plus_300_throughput_t"] == pytest.approx(550.0, rel=0.01)
    assert n["on_cut_plus_300_expected_gain_t"] < 300


def test_order_variance_ratio_grows_upstream_echelon_by_echelon(results):
    n = results["bullwhip"].numbers
    chain = ["front", "forward", "regional", "national"]
    ratios = [n[f"ratio_{e}"] for e in chain]
    assert ratios[0] > 1
    assert all(b > a for a, b in itertools.pairwise(ratios)), ratios
    smoother = [n[f"smoother_ratio_{e}"] for e in chain]
    assert all(b > a for a, b in itertools.pairwise(smoother)), smoother


def test_bullwhip_lead_time_lever_follows_the_theory(results):
    n = results["bullwhip"].numbers
    measured = [n[f"lead_{k}_front_ratio"] for k in (1, 3, 6)]
    assert all(b > a for a, b in itertools.pairwise(measured)), measured
    # a = 1/3 (forecast_days 3), L = 4 target days + 1 review day + transit
    for k, L in ((1, 6), (3, 8), (6, 11)):
        theory = 1 + 2 * L / 3 + 2 * L**2 / 9 / (2 - 1 / 3)
        assert n[f"lead_{k}_front_theory"] == pytest.approx(theory, rel=1e-12)
        assert n[f"lead_{k}_front_ratio"] == pytest.approx(theory, rel=0.15)
    assert results["bullwhip"].all_checks_hold


def test_interdiction_displacement_saves_stock_and_lengthens_lead_time(results):
    n = results["interdiction"].numbers
    assert n["off_depot_losses_t"] == 0
    assert n["on_depot_losses_t"] > 0
    # struck-depot losses fall with displacement: at most the first hit's fifth, not dozens
    assert n["displaced_depot_losses_t"] < 0.25 * n["on_depot_losses_t"]
    # lead time into the front: one day forward, three after the move (ceil(~117 km / 100))
    assert n["off_lead_time_days"] == n["on_lead_time_days"] == 1
    assert n["displaced_lead_time_days"] == 3
    # measured from the shipments (Little's law on res.links), not only read off the map
    assert n["on_measured_transit_days"] == pytest.approx(1.0, rel=0.02)
    assert n["displaced_measured_transit_days"] == pytest.approx(3.0, rel=0.02)
    assert n["displaced_plant_to_front_days"] > n["on_plant_to_front_days"]
    assert n["displaced_truck_capacity_t"] == pytest.approx(n["on_truck_capacity_t"] / 3)
    assert n["displaced_on_the_road_t"] > n["on_on_the_road_t"]


def test_quality_quantity_square_and_linear_equivalences(results):
    n = results["quality_quantity"].numbers
    assert n["numbers_ratio"] == 4
    # ample supply: 4:1 numbers vs 16x quality ends even under aimed fire, vs 4x under area fire
    assert n["square_q16_blue_share"] == pytest.approx(n["square_q16_red_share"], abs=1e-9)
    assert n["linear_q4_blue_share"] == pytest.approx(n["linear_q4_red_share"], abs=1e-9)
    assert n["square_q16_red_share"] < 1  # they did fight
    assert n["helmbold_q8_blue_share"] == pytest.approx(n["helmbold_q8_red_share"], abs=1e-9)
    # the break-even qualities found by bisection: the odds to the power 2 - q
    assert n["square_break_even_quality"] == pytest.approx(16, rel=2e-3)
    assert n["helmbold_break_even_quality"] == pytest.approx(8, rel=2e-3)
    assert n["linear_break_even_quality"] == pytest.approx(4, rel=2e-3)
    # 4x quality is enough under area fire but not under aimed fire
    assert n["square_q4_blue_share"] > n["square_q4_red_share"]
    assert n["linear_q16_red_share"] > n["linear_q16_blue_share"]
    # short of supply, the quality side loses the even fight and needs more quality
    assert n["square_short_red_share"] < n["square_short_blue_share"]
    assert n["linear_short_red_share"] < n["linear_short_blue_share"]
    assert n["square_break_even_quality_short"] > 16
    assert n["linear_break_even_quality_short"] > 4


def test_race_2023_ranking_is_computed_from_the_stored_sweep(results):
    res = results["race_2023"]
    n = res.numbers
    stored = load_results(res.out_dir / "sweep")
    assert len(stored) == n["runs"] == 9 * len(race_2023.LESSON.seeds)
    assert (stored["status"] == "ok").all()
    # recompute the effects from the stored parts, independently of race_2023.ranking
    ok = stored.assign(
        name=stored["lever"].str.split(":").str[0],
        factor=stored["lever"].str.split(":").str[1].astype(float),
    )
    means = ok.groupby(["name", "factor"])[race_2023.OUTCOME].mean()
    effects = {lever: means[(lever, 2.0)] - means[(lever, 0.5)] for lever in race_2023.LEVERS}
    order = sorted(effects, key=lambda k: (-abs(effects[k]), k))
    assert sorted(race_2023.LEVERS, key=lambda k: n[f"rank_{k}"]) == order
    for lever in race_2023.LEVERS:
        assert n[f"effect_{lever}_km"] == pytest.approx(effects[lever])
    # the report states that order
    md = res.report_md.read_text(encoding="utf-8")
    stated = md[md.index("Levers ranked by") :].splitlines()[0]
    assert [stated.index(f"{i}. {k} (") for i, k in enumerate(order, 1)] == sorted(
        stated.index(f"{i}. {k} (") for i, k in enumerate(order, 1)
    )
    # who runs short first, from the map-as-is rows of the sweep
    base = ok[ok["name"] == "base"]
    short = {}
    for side in ("blue", "red"):
        days = base[f"{side}.ammunition.first_short_day"]
        short[side] = n[f"{side}_ammunition_first_short_day"]
        if days.isna().all():
            assert short[side] is None
        else:
            assert short[side] == pytest.approx(days.mean())
    known = {s: d for s, d in short.items() if d is not None}
    if not known:
        assert "Neither side runs short of ammunition within 240 days." in md
    else:  # the 2023 map: red (Wagner at Bakhmut, May) before blue (after the US lapse)
        first = min(known, key=lambda s: known[s])
        assert f"{first} runs short of ammunition first, on day {known[first]:,.0f}" in md


def test_race_2023_plots_the_map_against_the_record(results):
    res = results["race_2023"]
    n = res.numbers
    # the record's figures that end within 240 days: the six of Jan-Sep and Bakhmut
    record = [f for f in public_record.load_record() if f.day_to <= 240]
    assert n["record_figures"] == len(record) > 0
    # every one read (a sector's first short day from the per-node records), and the
    # calibrated map lies in every band (tests/test_calibration.py checks the year)
    assert n["record_figures_within"] == n["record_figures"]
    assert res.figures["race_2023_record"].is_file()


def test_logistics_chief_priority_shares_a_shortage_and_creates_no_rounds(results):
    n = results["logistics_chief"].numbers
    tables = results["logistics_chief"].tables
    spring = tables["Rounds delivered in spring, Bakhmut first minus nobody"]
    gain = n["spring_gain_bakhmut"]
    assert gain > 0
    # Kramatorsk feeds Bakhmut and Donetsk: Donetsk pays most of Bakhmut's gain
    assert spring.loc["blue_front_donetsk", "aid paused"] < -0.5 * gain
    assert abs(n["spring_total_change"]) < 0.1 * gain
    assert (spring["aid flowing"] == 0.0).all()  # nothing short: priority is inert
    assert n["summer_fronts_sharing"] == 1 and n["summer_largest_change"] == 0.0


def test_logistics_chief_pull_back_and_investment_follow_their_rules(results):
    from sandbox.lessons.logistics_chief import FALLBACKS, INVEST_FACTOR, SCRIPT
    from sandbox.state.geometry import haversine_km

    n = results["logistics_chief"].numbers
    # Kramatorsk (37.58, 48.74) -> Bakhmut front, 1 day by road; pulled back to the west
    sc = lessons.get("logistics_chief").scenario().spec
    front = next(x for x in sc.nodes if x.id == "blue_front_bakhmut")
    lon, lat = FALLBACKS["blue_railhead_kramatorsk"]
    extra = haversine_km(lon, lat, front.lon, front.lat) - haversine_km(
        37.58, 48.74, front.lon, front.lat
    )
    assert 0 < extra <= 100  # one more day at 100 km a day of road
    assert n["leg_days_before"] == pytest.approx(1.0, abs=0.05)
    assert n["leg_days_after"] == pytest.approx(2.0, abs=0.1)  # Little's law
    # a second line at Unterluss (200 a day, flat): nothing for 90 days, then +200 a day
    first = SCRIPT[0].day + 1 + sc.logistics.investment_lead_days
    assert n["invest_produced_before"] == 0.0
    new_line_days = 240 - first + 1
    assert n["invest_produced_after"] == pytest.approx(200 * (INVEST_FACTOR - 1) * new_line_days)


def test_bullwhip_is_deterministic_for_a_seed(tmp_path):
    a = lessons.get("bullwhip").run(tmp_path / "a", days=30).numbers
    b = lessons.get("bullwhip").run(tmp_path / "b", days=30).numbers
    assert a == b


@pytest.mark.parametrize("name", NAMES)
def test_reports_exist_and_hold_this_runs_numbers(results, name):
    res = results[name]
    md = res.report_md.read_text(encoding="utf-8")
    page = res.report_html.read_text(encoding="utf-8")
    for fig in res.figures.values():
        assert fig.is_file() and fig.stat().st_size > 1000
        assert f"]({fig.name})" in md
    assert page.count("data:image/png;base64,") == len(res.figures)
    for text in (md, page):
        assert "Takeaway" in text and "What was run" in text and "What came out" in text
    for line in res.found:  # sentences built from this run's numbers
        assert line in md
        assert html.escape(line) in page
    n = res.numbers
    if name == "production_gap":
        marker = f"ran short on day {n['depletion_day_at_3000']}"
    elif name == "bottlenecks":
        marker = f"delivered {n['base_throughput_t']:,.1f} t a day"
    elif name == "interdiction":
        marker = f"lost {n['on_depot_losses_t']:,.0f} t"
    elif name == "quality_quantity":
        marker = f"break-even quality found by bisection is {n['square_break_even_quality']:,.2f}"
    elif name == "race_2023":
        marker = f"quality ({n['effect_quality_km']:+,.1f} km)"
    elif name == "logistics_chief":
        marker = f"Bakhmut received {n['spring_gain_bakhmut']:+,.0f} rounds"
    else:
        marker = f"national {n['ratio_national']:,.1f}"
    assert marker in md and html.escape(marker) in page


def test_cli_lists_lessons_one_line_each(capsys):
    assert main(["lesson"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == NAMES


def test_cli_unknown_lesson_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "sandbox", "lesson", "no_such_lesson"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "no lesson called 'no_such_lesson'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_runs_a_lesson_into_its_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["lesson", "bottlenecks", "--days", "20"]) == 0
    (folder,) = (tmp_path / "runs").glob("lesson-bottlenecks-*")
    assert {p.name for p in folder.iterdir()} == {"report.md", "report.html", "bottlenecks.png"}
    assert "holds" in capsys.readouterr().out
    assert main(["lesson", "bottlenecks", "--days", "0"]) == 2
