"""Conservation and limits over hypothesis-generated maps and seeds, with and without combat."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandbox
from sandbox.observe.metrics import mass_balance_error
from sandbox.rules.combat.fighting import combat_state
from tests.strategies import random_maps, random_maps_with_sectors

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def step_and_check(model: sandbox.LogisticsModel) -> None:
    """Step a day, then check the invariants against the links as they were when shipping.

    Strikes cut links and displacement lowers capacity after the day's shipping.
    """
    s = model.state
    shipping = s.capacity_t.copy(), s.link_up.copy()
    model.step()
    now = s.capacity_t, s.link_up
    s.capacity_t, s.link_up = shipping
    check_invariants(model)
    s.capacity_t, s.link_up = now


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


def check_combat(model: sandbox.LogisticsModel) -> None:
    """Strengths, worn guns, guns in action, rounds and fire: finite, >= 0; fronts finite."""
    s = model.state
    c = combat_state(s)
    assert c is not None
    for name, arr in (
        ("strength", c.strength),
        ("guns_worn", c.worn),
        ("guns_in_action", s.guns_in_action),
        ("rounds", c.rounds_ks),
        ("fire", c.fire_ks),
        ("losses", c.losses),
    ):
        assert np.all(np.isfinite(arr)) and np.all(arr >= 0), (name, arr)
    assert np.all(c.strength <= c.strength0 * (1 + 1e-12)), "strength only falls"
    # the kits owed are the worn guns; the new wear is part of them
    assert np.array_equal(s.worn_backlog, c.worn)
    assert np.all(s.worn_new >= 0) and np.all(s.worn_new <= s.worn_backlog)
    assert np.all(np.isfinite(c.front_km)), c.front_km


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_maps_with_sectors(), seed=st.integers(0, 2**31 - 1))
def test_combat_on_random_maps_keeps_mass_balance_and_finite_non_negative_forces(raw, seed):
    # random laws (p, q up to 6), strengths down to subnormal, kill rates up to 50 a round:
    # no overflow, no NaN, no warning (-W error in pyproject would not be enough here)
    model = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=seed, record="daily")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for _ in range(15):
            model.step()
            check_invariants(model)
            check_combat(model)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_maps_with_sectors(strikes=True), seed=st.integers(0, 2**31 - 1))
def test_combat_and_strikes_on_random_maps_keep_mass_balance_every_day(raw, seed):
    model = sandbox.LogisticsModel(sandbox.from_dict(raw), rng=seed, record="daily")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for _ in range(15):
            step_and_check(model)
            check_combat(model)
