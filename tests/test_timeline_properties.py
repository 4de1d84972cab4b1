"""The timeline keeps the model's invariants: mass balance, capacity, no negative stock."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandbox
from tests.strategies import random_maps_with_timeline
from tests.test_properties import check_combat, step_and_check


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_maps_with_timeline(), seed=st.integers(0, 2**31 - 1))
def test_aid_postures_and_events_keep_mass_balance_every_day(raw, seed):
    model = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=seed, record="daily")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for _ in range(15):
            step_and_check(model)
            check_combat(model)
    pools = sum(a["pool"] for a in raw["aid"])
    assert model.aid.delivered.sum() <= pools * (1 + 1e-12)
