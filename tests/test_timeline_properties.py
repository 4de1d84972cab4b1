"""The timeline keeps the model's invariants: mass balance, capacity, no negative stock."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandbox
from tests.strategies import random_maps_with_timeline
from tests.test_properties import check_combat, check_invariants


def step_and_check(model: sandbox.LogisticsModel) -> None:
    """Step a day, then check the invariants against the links as they were when shipping.

    Events change capacities before shipping, strikes cut links after it: the
    capacities to check are those the ship phase saw.
    """
    s = model.state
    seen: list[tuple[np.ndarray, np.ndarray]] = []
    ship = model.ship

    def watched(day: int) -> None:
        seen.append((s.capacity_t.copy(), s.link_up.copy()))
        ship(day)

    model.ship = watched  # type: ignore[method-assign]
    model.step()
    del model.ship
    now = s.capacity_t, s.link_up
    s.capacity_t, s.link_up = seen[0]
    check_invariants(model)
    s.capacity_t, s.link_up = now


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
