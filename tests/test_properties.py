"""Conservation and limits over hypothesis-generated maps and seeds."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandbox
from sandbox.metrics import mass_balance_error
from tests.strategies import random_maps

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(model: sandbox.LogisticsModel) -> None:
    s = model.state
    scale = 1.0 + s.ledger.initial + s.ledger.produced
    err = mass_balance_error(s)
    assert np.all(np.abs(err) <= 1e-9 * scale), err
    assert (s.stock >= 0).all()
    assert (s.in_transit >= 0).all()
    flows_t = s.today.shipped @ s.tonnes_per_unit
    assert np.all(flows_t <= s.capacity_t * (1 + 1e-9))
    assert np.all(s.today.shipped[~s.link_up] == 0)


@SETTINGS
@given(raw=random_maps(), seed=st.integers(0, 2**31 - 1))
def test_mass_balance_capacity_and_no_negative_stock_every_day(raw, seed):
    sc = sandbox.from_dict(raw)
    model = sandbox.LogisticsModel(sc, rng=seed, record="daily")
    rng = np.random.default_rng(seed)
    for _ in range(20):
        # links go down and come back at random, as strikes will do
        model.state.link_up[:] = rng.random(model.state.n_links) > 0.2
        model.step()
        check_invariants(model)


@SETTINGS
@given(raw=random_maps())
def test_storage_never_overfilled_once_within_it(raw):
    # initial stocks may start above storage; from then on nothing adds to such a node
    sc = sandbox.from_dict(raw)
    model = sandbox.LogisticsModel(sc, rng=0, record="daily")
    s = model.state
    start_t = s.tonnes(s.stock)
    for _ in range(15):
        model.step()
        held = s.tonnes(s.stock + s.inbound())
        allowed = np.maximum(s.storage_t, start_t)
        assert np.all(held <= allowed * (1 + 1e-9) + 1e-6)
