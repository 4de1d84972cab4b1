"""Strikes: reach, hit rates, min cuts, repair, mass balance, displacement, determinism."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import sandbox
from sandbox.rules.strikes import interdiction as strikes
from sandbox.rules.strikes import targeting
from tests.conftest import EXAMPLES
from tests.strategies import random_maps_with_strikes
from tests.test_properties import step_and_check

MAP = EXAMPLES / "strikes.toml"
T_PER_ROUND = 0.05


def load(**overrides):
    sc = sandbox.load_scenario(MAP)
    return sc.with_overrides(overrides) if overrides else sc


def delivered_t(res, days: slice) -> float:
    return float(res.daily["blue.ammunition.delivered"].loc[days].mean() * T_PER_ROUND)


def hits_on(res, node: str) -> pd.Series:
    nodes = res.nodes
    rows = nodes[(nodes["node"] == node) & (nodes["commodity"] == "ammunition")]
    return rows.set_index("day")["hits"]


def blue_flow_graph(sc, without: tuple[str, str] | None = None) -> nx.DiGraph:
    g = nx.DiGraph()
    for lk in sc.spec.links:
        if lk.source.startswith("b_") and (lk.source, lk.target) != without:
            g.add_edge(lk.source, lk.target, capacity=lk.capacity_t)
    return g


# -- reach and rate -------------------------------------------------------------


def test_haversine_matches_a_known_distance():
    # Kyiv to Kharkiv, ~409 km
    assert targeting.haversine_km(30.52, 50.45, 36.23, 49.99) == pytest.approx(409, abs=3)


def test_out_of_range_never_struck_in_range_struck_at_the_stated_rate():
    days, p_hit = 400, 0.3
    sc = load(**{"strikes.blue.p_hit": p_hit, "strikes.red.strikes_per_day": 0})
    res = sandbox.run(sc, seed=11, days=days)
    assert hits_on(res, "r_depot_far").sum() == 0  # ~221 km away, reach 80 km
    assert hits_on(res, "r_plant").sum() == 0
    near = hits_on(res, "r_depot_near")
    assert (res.daily["blue.strikes"] == 1).all()  # one target in reach, one strike a day
    lo, hi = stats.binom.interval(0.999, days, p_hit)
    assert lo <= near.sum() <= hi
    assert near.sum() == res.daily["blue.hits"].sum()


def test_air_defence_intercepts_at_its_rate():
    days = 400
    sc = load(**{"strikes.blue.p_hit": 1.0, "strikes.red.air_defence": 0.4})
    res = sandbox.run(sc, seed=5, days=days, record="daily")
    lo, hi = stats.binom.interval(0.999, days, 0.4)
    assert lo <= res.daily["blue.intercepted"].sum() <= hi
    assert (res.daily["blue.hits"] + res.daily["blue.intercepted"] == 1).all()


# -- min cut, spare capacity, repair ----------------------------------------------

CUT_DAY, REPAIR = 40, 40


def test_cutting_a_min_cut_link_lowers_the_steady_rate_by_its_capacity_and_repair_restores_it():
    sc = load(
        **{
            "strikes.blue.strikes_per_day": 0,
            "strikes.blue.air_defence": 0.0,
            "strikes.red.p_hit": 1.0,
            "strikes.red.start_day": CUT_DAY,
            "strikes.red.end_day": CUT_DAY,
            "strikes.red.effects.link_repair_days": REPAIR,
        }
    )
    g = blue_flow_graph(sc)
    g.add_edge("S", "b_plant")
    g.add_edge("b_front", "T")
    cut_value, (reach, _) = nx.minimum_cut(g, "S", "T")
    cut = {(u, v) for u, v in g.edges if u in reach and v not in reach}
    assert cut == {("b_hub_a", "b_front"), ("b_hub_b", "b_front")}
    res = sandbox.run(sc, seed=1, days=130)
    down = res.links[res.links["status"] == "cut"]
    struck = set(zip(down["source"].astype(str), down["target"].astype(str), strict=True))
    assert struck == {("b_hub_a", "b_front")}  # the cut link of largest capacity
    assert sorted(down["day"].unique()) == list(range(CUT_DAY, CUT_DAY + REPAIR))
    capacity = g.edges["b_hub_a", "b_front"]["capacity"]
    before = delivered_t(res, slice(20, CUT_DAY))
    during = delivered_t(res, slice(CUT_DAY + 10, CUT_DAY + REPAIR))
    after = delivered_t(res, slice(CUT_DAY + REPAIR + 20, 130))
    assert before == pytest.approx(cut_value, rel=0.02)
    assert before - during == pytest.approx(capacity, rel=0.02)
    assert after == pytest.approx(before, rel=0.01)


def test_cutting_a_link_with_spare_capacity_elsewhere_changes_nothing():
    sc = load(**{"strikes.enabled": False})
    spare = ("b_hub_a", "b_hub_b")
    g = blue_flow_graph(sc, without=spare)
    g.add_edge("S", "b_plant")
    g.add_edge("b_front", "T")
    assert nx.maximum_flow_value(g, "S", "T") == 250  # networkx: the link is not needed
    rates = []
    for cut in (False, True):
        model = sandbox.LogisticsModel(sc, rng=0, record="daily")
        s = model.state
        row = next(
            e for e in range(s.n_links) if (s.node_ids[s.src[e]], s.node_ids[s.dst[e]]) == spare
        )
        for day in range(1, 81):
            if cut and day == 30:
                strikes.cut_links(s, s.strikes, np.array([row]), day, 100)
            model.step()
        daily = model.datacollector.get_model_vars_dataframe()
        rates.append(daily["blue.ammunition.delivered"].iloc[-30:].mean() * T_PER_ROUND)
    assert rates[1] == pytest.approx(rates[0], rel=1e-3)


# -- mass balance ------------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_maps_with_strikes(), seed=st.integers(0, 2**31 - 1))
def test_mass_balance_with_strikes_every_day(raw, seed):
    model = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=seed, record="daily")
    s = model.state
    for _ in range(20):
        step_and_check(model)
        assert (s.output_factor >= 0).all()
    assert model.state.ledger.destroyed.sum() >= 0


# -- displacement --------------------------------------------------------------------


def test_displacement_lengthens_the_last_leg_delays_deliveries_and_ends_strikes():
    sc = load(
        **{
            "strikes.displacement": True,
            "strikes.blue.p_hit": 1.0,
            "strikes.red.strikes_per_day": 0,
        }
    )
    model = sandbox.LogisticsModel(sc, rng=3)
    s = model.state
    near = s.node_index["r_depot_near"]
    last_leg = int(np.flatnonzero(s.src == near)[0])
    assert s.transit_days[last_leg] == 1
    model.step()  # day 1: struck and moved back
    assert s.strikes.displaced[near]
    assert s.lon[near] == 38.0
    assert s.transit_days[last_leg] == 2  # ~37 km -> ~125 km of road at 100 km a day
    for _ in range(40):
        model.step()
    res = sandbox.run(sc, seed=3, days=41)
    assert hits_on(res, "r_depot_near").loc[2:].sum() == 0  # beyond reach from day 2
    assert res.daily["blue.strikes"].loc[2:].sum() == 0
    # deliveries to red's front arrive two days after they left, not one
    shipped = res.links[(res.links["source"] == "r_depot_near")].set_index("day")["flow_t"]
    got = res.nodes[(res.nodes["node"] == "r_front") & (res.nodes["commodity"] == "ammunition")]
    got_t = got.set_index("day")["received"] * T_PER_ROUND
    late = range(10, 41)
    assert np.allclose([got_t[d] for d in late], [shipped[d - 2] for d in late])
    # and twice as much is on the road (Little's law: in transit = flow x days)
    leg = res.links[res.links["source"] == "r_depot_near"].set_index("day")
    assert np.allclose(leg["in_transit_t"].loc[late], 2 * leg["flow_t"].loc[late])
    still = sandbox.run(load(**{"strikes.enabled": False}), seed=3, days=41).links
    leg0 = still[still["source"] == "r_depot_near"].set_index("day")
    assert np.allclose(leg0["in_transit_t"].loc[late], leg0["flow_t"].loc[late])


def test_displacement_off_keeps_the_depot_in_place_and_in_reach():
    res = sandbox.run(load(**{"strikes.blue.p_hit": 1.0}), seed=3, days=20)
    assert hits_on(res, "r_depot_near").sum() == 20
    assert res.daily["red.depots_moved"].iloc[-1] == 0


def test_grown_ring_buffer_keeps_pending_arrivals():
    sc = load(**{"strikes.enabled": False})
    model = sandbox.LogisticsModel(sc, rng=0)
    for _ in range(5):
        model.step()
    s = model.state
    before = s.in_transit.copy()
    pending = {d: s.pipeline[d % s.horizon].copy() for d in range(6, 6 + s.horizon - 1)}
    s.transit_days[0] = 9
    from sandbox.rules.strikes.displacement import grow_pipeline

    grow_pipeline(s, 5)
    assert s.horizon == 10
    for d, arr in pending.items():
        assert np.array_equal(s.pipeline[d % s.horizon], arr)
    assert np.allclose(s.pipeline.sum(axis=0), before)


# -- determinism ------------------------------------------------------------------------


def test_same_seed_same_strikes_including_random_targeting():
    sc = load(**{"strikes.blue.targets": ["depot", "front", "factory", "link"]})
    a = sandbox.run(sc, seed=9, days=60)
    b = sandbox.run(sc, seed=9, days=60)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=True)
    pd.testing.assert_frame_equal(a.nodes, b.nodes, check_exact=True)
    pd.testing.assert_frame_equal(a.links, b.links, check_exact=True)
    c = sandbox.run(sc, seed=10, days=60)
    assert not a.nodes["hits"].equals(c.nodes["hits"])


def test_strikes_off_is_the_plain_supply_model():
    off = sandbox.run(load(**{"strikes.enabled": False}), seed=1, days=30, record="daily")
    assert off.daily[["blue.strikes", "red.strikes", "blue.links_down"]].sum().sum() == 0
    assert off.summary["red.ammunition.destroyed"] == 0


# -- policies --------------------------------------------------------------------------


@pytest.mark.parametrize("policy", targeting.POLICIES)
def test_every_policy_strikes_only_enemy_targets_in_reach(policy):
    sc = load(
        **{
            "strikes.red.policy": policy,
            "strikes.red.targets": ["depot", "front", "factory", "link"],
            "strikes.red.range_km": 200,
            "strikes.red.strikes_per_day": 3,
        }
    )
    model = sandbox.LogisticsModel(sc, rng=2)
    s = model.state
    asset = next(a for a in model.strike_assets if a.side == 1)
    reach = targeting.node_reach_km(s, asset.launch)
    for _ in range(10):
        chosen = asset.choose(s, model.rng, s.strikes)
        nodes = chosen[chosen < s.n_nodes]
        links = chosen[chosen >= s.n_nodes] - s.n_nodes
        assert (s.side[nodes] == 0).all() and (reach[nodes] <= 200).all()
        assert (s.link_side[links] == 0).all()
        assert (np.minimum(reach[s.src[links]], reach[s.dst[links]]) <= 200).all()
        model.step()


# -- bad strike definitions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "fragments"),
    [
        ("strikes.blue.range_km", -5, ["strikes.blue", "'range_km'", "greater than or equal to 0"]),
        ("strikes.red.policy", "nearest", ["strikes.red", "'policy'", "'min_cut'"]),
        (
            "strikes.blue.launch_nodes",
            ["b_frnt"],
            ["strikes.blue", "'launch_nodes'", "unknown node 'b_frnt'", "did you mean 'b_front'"],
        ),
        ("strikes.blue.launch_nodes", ["r_front"], ["strikes.blue", "is red, not blue"]),
        ("strikes.red.p_hit", 1.5, ["strikes.red", "'p_hit'"]),
        ("strikes.blue.targets", ["bridge"], ["strikes.blue", "'targets.0'"]),
        ("strikes.red.rnage_km", 5, ["unknown key 'rnage_km'", "did you mean 'range_km'"]),
        ("nodes.b_front.fallback", {"lon": 30, "lat": 50}, ["'b_front'", "only depots"]),
    ],
)
def test_bad_strike_definitions_name_entry_and_field(key, value, fragments):
    with pytest.raises(sandbox.ScenarioError) as info:
        load(**{key: value})
    for fragment in fragments:
        assert fragment in str(info.value)


def test_validate_exits_2_on_a_bad_strike_definition(tmp_path, capsys):
    from sandbox.cli.main import main

    path = tmp_path / "bad.toml"
    path.write_text(MAP.read_text().replace("range_km = 80", "range_km = -80"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "strikes.blue" in err and "range_km" in err
    assert main(["validate", str(MAP), "--set", "strikes.displacement=true"]) == 0


def test_hit_arrays_are_zeroed_the_morning_after_a_hit_and_repairs_counted_down():
    m = sandbox.LogisticsModel(load(), rng=1, record="daily")
    s = m.state
    eff = load().spec.strikes.red.effects
    m.step()
    link, node = s.n_nodes, int(np.argmax(s.stock.sum(axis=1)))  # link 0; a node with stock
    strikes.apply_hits(s, s.strikes, np.array([node, node, link]), eff, day=1)
    log = s.strikes
    assert log.node_hits[node] == 2.0 and log.link_hits[0] == 1.0 and not s.link_up[0]
    assert s.today.destroyed[node].sum() > 0 and log.hits_written
    assert log.repairs_pending and log.link_repair_day[0] == 1 + eff.link_repair_days
    s.begin_day(2)  # the next morning: today's hits zeroed, the cut link still down
    assert not log.node_hits.any() and not log.link_hits.any() and not s.link_up[0]
    assert not s.today.destroyed.any() and not log.hits_written
    for day in range(2, 1 + eff.link_repair_days):
        m.interdiction.repair(s, day)
        assert not s.link_up[0]  # still down after the repair phase of days 2 .. r
    m.interdiction.repair(s, 1 + eff.link_repair_days)  # up from day 1 + r + 1 on
    assert s.link_up[0] and log.link_repair_day[0] == -1
    assert log.repairs_pending == bool((log.factory_repair_day >= 0).any())
