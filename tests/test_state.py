"""The state's owners: typed fields, derived geometry and its invalidation, the day's reset."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sandbox
from sandbox.rules.strikes import displacement
from sandbox.scenario.schema import SIDES
from sandbox.state.geometry import EARTH_RADIUS_KM, Geometry, Scatter, node_sum
from sandbox.state.supply import SupplyState, Today, build_state
from tests.conftest import EXAMPLES

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # 111.195 km along a meridian


def test_supply_state_has_typed_owners_and_no_catch_all_dict():
    names = {f.name for f in dataclasses.fields(SupplyState)}
    assert "extra" not in names
    assert {"today", "strikes", "combat", "geometry"} <= names
    model = sandbox.LogisticsModel(EXAMPLES / "sector.toml", rng=0, record="daily")
    s = model.state
    assert not hasattr(s, "extra")
    assert s.combat is model.combat
    assert type(s.strikes).__name__ == "StrikeLog"
    assert s.strikes.node_hits.shape == (s.n_nodes,)
    assert s.strikes.link_hits.shape == (s.n_links,)


# -- geometry: displacement invalidates it --------------------------------------------


def three_nodes(depot_lat: float, last_leg_days: int, last_leg_t: float) -> dict[str, Any]:
    """Plant, depot and front on the meridian 30°E, a degree apart; road links."""
    return {
        "scenario": {"name": "three nodes"},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.05}},
        "nodes": [
            {"id": "plant", "kind": "factory", "side": "red", "lon": 30.0, "lat": 50.0},
            {
                "id": "depot",
                "kind": "depot",
                "side": "red",
                "lon": 30.0,
                "lat": depot_lat,
                "fallback": {"lon": 30.0, "lat": 49.5},
            },
            {"id": "front", "kind": "front", "side": "red", "lon": 30.0, "lat": 48.0},
        ],
        "links": [
            {
                "source": "plant",
                "target": "depot",
                "mode": "road",
                "capacity_t": 300.0,
                "transit_days": 1,
            },
            {
                "source": "depot",
                "target": "front",
                "mode": "road",
                "capacity_t": last_leg_t,
                "transit_days": last_leg_days,
            },
        ],
    }


def geometry_of(g: Geometry) -> dict[str, np.ndarray]:
    return {"link_km": g.link_km, "lead_days": g.lead_days, "capacity_in": g.capacity_in}


def test_displacement_invalidates_the_geometry_to_what_a_fresh_state_has():
    s = build_state(sandbox.from_dict(three_nodes(49.0, 2, 300.0)))
    before = geometry_of(s.geometry)  # computed and kept before the move
    assert before["link_km"] == pytest.approx([KM_PER_DEGREE, KM_PER_DEGREE])
    assert before["lead_days"].tolist() == [0.0, 1.0, 2.0]
    assert before["capacity_in"].tolist() == [300.0, 300.0]

    fallback = np.full((3, 2), np.nan)
    fallback[1] = (30.0, 49.5)
    displacement.move_depots(s, np.array([1]), fallback, ["road", "road"], day=0)

    # the depot moved half a degree south: the first leg shrinks (no change), the
    # last grows by 55.6 km, one more day of road at 100 km a day, capacity x 2/3
    assert s.transit_days.tolist() == [1, 3]
    assert s.capacity_t.tolist() == [300.0, 200.0]
    after = geometry_of(s.geometry)
    assert after["link_km"] == pytest.approx([0.5 * KM_PER_DEGREE, 1.5 * KM_PER_DEGREE])
    assert after["lead_days"].tolist() == [0.0, 1.0, 3.0]
    assert after["capacity_in"].tolist() == [300.0, 200.0]

    rebuilt = geometry_of(Geometry(s, len(SIDES)))
    fresh = geometry_of(build_state(sandbox.from_dict(three_nodes(49.5, 3, 200.0))).geometry)
    for name, value in after.items():
        assert np.array_equal(value, rebuilt[name]), name
        assert np.array_equal(value, fresh[name]), name


def test_without_invalidate_the_kept_geometry_would_be_stale():
    """The check above is not vacuous: the kept values do depend on what moved."""
    s = build_state(sandbox.from_dict(three_nodes(49.0, 2, 300.0)))
    kept = s.geometry.lead_days
    s.transit_days[1] = 5
    assert s.geometry.lead_days is kept and kept[2] == 2.0
    s.geometry.invalidate()
    assert s.geometry.lead_days[2] == 5.0


# -- scatter sums --------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 6),
    k=st.integers(0, 12),
    c=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_scatter_sums_bit_for_bit_like_a_bincount_per_column(n, k, c, seed):
    rng = np.random.default_rng(seed)
    index = rng.integers(0, n, size=k)
    values = rng.normal(size=(k, c)) * 10.0 ** rng.integers(-8, 9, size=(k, c))
    per_column = np.stack(
        [np.bincount(index, weights=values[:, j], minlength=n) for j in range(c)], axis=1
    )
    scatter = Scatter(index, n)
    for _ in range(2):  # the second call uses the kept flat index
        got = scatter(values)
        assert got.tobytes() == per_column.tobytes()
    assert node_sum(index, values, n).tobytes() == per_column.tobytes()


def test_a_scatter_keeps_its_own_read_only_index():
    index = np.array([1, 0, 1])
    scatter = Scatter(index, 2)
    index[0] = 0  # the caller's array changes; the scatter's does not
    assert scatter(np.ones((3, 1))).tolist() == [[1.0], [2.0]]
    assert not scatter.index.flags.writeable


# -- the day's records: one reset -------------------------------------------------------


def test_begin_day_resets_every_record_of_the_day_and_nothing_else():
    model = sandbox.LogisticsModel(EXAMPLES / "sector.toml", rng=0, record="daily")
    for _ in range(3):
        model.step()
    s, c = model.state, model.combat
    assert s.today.consumed.sum() > 0 and c.losses.sum() > 0 and c.fire_ks.sum() > 0
    s.strikes.counts[:] = 1.0
    s.strikes.node_hits[:] = 2.0
    s.strikes.link_repair_day[:] = 9
    strength, stock = c.strength.copy(), s.stock.copy()

    s.begin_day(4)

    assert s.day == 4
    for name, arr in vars(s.today).items():  # those written whole are written, not cleared
        assert name in Today.WRITTEN_WHOLE or not arr.any(), name
    assert not s.strikes.counts.any() and not s.strikes.node_hits.any()
    for arr in (c.rounds_ks, c.fire_ks, c.losses, c.repaired):
        assert not arr.any()
    # what lasts beyond the day is kept
    assert (s.strikes.link_repair_day == 9).all()
    assert np.array_equal(c.strength, strength) and np.array_equal(s.stock, stock)


def test_the_records_written_whole_are_written_every_day():
    # received, shipped and requested are not cleared: their phase writes every cell. With
    # NaN in them at each day's start, the days are those of a twin model, byte for byte
    a, b = (sandbox.LogisticsModel(EXAMPLES / "sector.toml", rng=0, record="daily") for _ in "ab")
    assert set(Today.WRITTEN_WHOLE) == {"received", "shipped", "requested"}
    for _ in range(4):
        for name in Today.WRITTEN_WHOLE:
            getattr(b.state.today, name).fill(np.nan)
        a.step()
        b.step()
        for name, arr in vars(a.state.today).items():
            assert arr.tobytes() == getattr(b.state.today, name).tobytes(), name
        assert a.state.stock.tobytes() == b.state.stock.tobytes()
    assert a.state.today.shipped.any() and a.state.today.requested.any()


def test_the_model_step_starts_each_day_with_begin_day(monkeypatch):
    model = sandbox.LogisticsModel(EXAMPLES / "chain.toml", rng=0, record="daily")
    days: list[int] = []
    original = SupplyState.begin_day

    def spy(self: SupplyState, day: int) -> None:
        days.append(day)
        original(self, day)

    monkeypatch.setattr(SupplyState, "begin_day", spy)
    for _ in range(3):
        model.step()
    assert days == [1, 2, 3]


# -- side defaults are filled at validation ------------------------------------------------


def test_a_map_omitting_a_side_gets_the_documented_defaults_at_validation():
    raw = three_nodes(49.0, 2, 300.0) | {"sides": {"blue": {"quality": 0.5}}}
    sc = sandbox.from_dict(raw)
    red = sc.spec.sides["red"]
    # maps/README.md, [sides.red]: the documented defaults
    assert (red.quality, red.quantity, red.kills_per_round) == (1.0, 1.0, 0.001)
    assert (red.fuel_shortage_penalty, red.barrel_life_rounds, red.label) == (0.5, None, "")
    assert sc.spec.sides["blue"].quality == 0.5
    assert list(sc.spec.sides) == ["blue", "red"]
    assert "red" not in sc.to_dict()["sides"]  # the map as written is unchanged


def test_a_map_without_any_sides_table_gets_both_sides():
    sc = sandbox.from_dict(three_nodes(49.0, 2, 300.0))
    assert set(sc.spec.sides) == set(SIDES)
    assert all(cfg.kills_per_round == 0.001 for cfg in sc.spec.sides.values())
    assert "sides" not in sc.to_dict()
