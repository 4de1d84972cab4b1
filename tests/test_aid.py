"""Aid as packages from finite pools: schedule, pause, storage, ledger, validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

import sandbox
from sandbox.errors import ScenarioError
from sandbox.observe.metrics import mass_balance_error
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES

POOL = {
    "name": "pledge",
    "node": "front",
    "commodity": "ammunition",
    "pool": 1000,
    "per_delivery": 300,
    "interval_days": 10,
    "start_day": 5,
}


def two_node(**extra: Any) -> dict[str, Any]:
    raw = load_scenario(EXAMPLES / "two_node.toml").to_dict()
    raw.update(extra)
    return raw


def deliveries(raw: dict[str, Any], days: int = 60) -> list[tuple[int, float]]:
    res = sandbox.run(sandbox.from_dict(raw), seed=0, days=days)
    return [(int(d), float(u)) for d, u in zip(res.aid["day"], res.aid["units"], strict=True)]


def test_pool_of_1000_in_300s_every_10_days_from_day_5():
    assert deliveries(two_node(aid=[POOL])) == [(5, 300.0), (15, 300.0), (25, 300.0), (35, 100.0)]


def test_delivered_aid_counts_as_produced_and_mass_balance_holds():
    plain = sandbox.run(sandbox.from_dict(two_node()), seed=0, days=40).daily
    model = sandbox.LogisticsModel(sandbox.from_dict(two_node(aid=[POOL])), rng=0)
    for _ in range(40):
        model.step()
        assert np.all(np.abs(mass_balance_error(model.state)) <= 1e-9)
    got = sandbox.simulation.collect_results(model, seed=0).daily
    extra = got["blue.ammunition.produced"] - plain["blue.ammunition.produced"]
    assert extra[extra != 0].to_dict() == {5: 300.0, 15: 300.0, 25: 300.0, 35: 100.0}
    assert model.aid.delivered.tolist() == [1000.0]


def test_pausing_skips_deliveries_and_the_pool_keeps_them():
    events = [
        {"day": 14, "set": {"aid.pledge.paused": True}, "note": "funding lapses"},
        {"day": 20, "set": {"aid.pledge.paused": False}},
    ]
    got = deliveries(two_node(aid=[POOL], events=events))
    assert got == [(5, 300.0), (25, 300.0), (35, 300.0), (45, 100.0)]


def test_end_day_and_explicit_dates():
    ends = deliveries(two_node(aid=[{**POOL, "end_day": 25}]))
    assert ends == [(5, 300.0), (15, 300.0), (25, 300.0)]
    dated = {k: v for k, v in POOL.items() if k not in ("start_day", "interval_days")}
    dated["dates"] = [dt.date(2023, 1, 3), dt.date(2023, 2, 1)]  # days 3 and 32
    assert deliveries(two_node(aid=[dated])) == [(3, 300.0), (32, 300.0)]


def test_a_package_is_cut_to_the_storage_left_and_the_rest_stays_in_the_pool():
    store = {"id": "store", "kind": "depot", "side": "blue", "lon": 30.0, "lat": 50.0}
    raw = two_node(aid=[{**POOL, "node": "store", "start_day": 1, "interval_days": 1}])
    raw["nodes"].append({**store, "capacity_t": 20.0})  # 400 rounds, nothing draws on it
    # day 1: 300 fit; day 2: the 100 that still fit; then the store is full
    assert deliveries(raw, days=8) == [(1, 300.0), (2, 100.0)]


def test_aid_validation_names_the_entry_and_field():
    bad = [
        {**POOL, "node": "frnt"},
        {**POOL, "name": "b", "commodity": "fuel"},
        {**POOL, "name": "c", "side": "red"},
        {**POOL, "name": "d", "dates": [dt.date(2023, 3, 1)]},
        {**POOL, "name": "e", "start_day": 9, "end_day": 3},
    ]
    with pytest.raises(ScenarioError) as err:
        sandbox.from_dict(two_node(aid=bad), source="m.toml")
    text = str(err.value)
    assert "aid[0] 'pledge': field 'node': unknown node 'frnt' (did you mean 'front'?)" in text
    assert "aid[1] 'b': field 'commodity': unknown commodity 'fuel'" in text
    assert "aid[2] 'c': field 'side': 'red', but node 'front' is blue" in text
    assert "aid[3] 'd': field 'dates': give dates or a start/end window, not both" in text
    assert "aid[4] 'e': field 'end_day': the window ends (day 3) before it starts (day 9)" in text


def test_aid_log_is_saved_and_loaded_with_the_run(tmp_path):
    res = sandbox.run(sandbox.from_dict(two_node(aid=[POOL])), seed=0, days=20)
    back = sandbox.Results.load(res.save(tmp_path / "run"))
    assert back.aid.to_dict("records") == [
        {
            "day": 5,
            "date": "2023-01-05",
            "aid": "pledge",
            "side": "blue",
            "node": "front",
            "commodity": "ammunition",
            "units": 300.0,
        },
        {
            "day": 15,
            "date": "2023-01-15",
            "aid": "pledge",
            "side": "blue",
            "node": "front",
            "commodity": "ammunition",
            "units": 300.0,
        },
    ]


def test_aid_nodes_are_sources_and_their_deliveries_are_summed_as_produced():
    # production is made and summed over the producing rows only: aid nodes are among them
    store = {"id": "store", "kind": "depot", "side": "blue", "lon": 30.0, "lat": 50.0}
    raw = two_node(aid=[{**POOL, "node": "store"}])
    raw["nodes"].append(store)
    raw["links"].append({"source": "store", "target": "front", "capacity_t": 10, "transit_days": 1})
    model = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=0)
    g, row = model.state.geometry, model.state.node_index["store"]
    assert row in g.producing.rows.tolist() and bool(g.can_supply[row, 0])
    for _ in range(5):
        model.step()
    assert model.totals["blue.ammunition.produced"] == 1000.0 + 300.0


def test_a_production_event_on_an_idle_factory_is_produced_and_summed():
    raw = two_node(events=[{"day": 3, "set": {"nodes.plant.production.ammunition": 400}}])
    raw["nodes"][0]["production"] = {"ammunition": 0}
    res = sandbox.run(sandbox.from_dict(raw), seed=0, days=4)
    assert res.daily["blue.ammunition.produced"].tolist() == [0.0, 0.0, 400.0, 400.0]
