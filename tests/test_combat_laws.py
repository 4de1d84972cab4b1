"""Attrition laws (rules.combat.laws): integrator vs closed forms, invariants, reinforcements.

Every expected number is either a closed form or hand-checkable (3-4-5 triangles etc.).
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.integrate import solve_ivp

from sandbox.rules.combat import closed_forms
from sandbox.rules.combat import laws as combat
from sandbox.rules.combat.closed_forms import (
    linear_law_closed_form,
    linear_law_invariant,
    square_law_closed_form,
    square_law_invariant,
    time_to_annihilation,
)
from sandbox.rules.combat.laws import Reinforcement, daily_losses, integrate, rates
from sandbox.scenario.law_spec import LINEAR, SQUARE, Law, law_from_spec

RTOL = 1e-6
SETTINGS = settings(max_examples=25, deadline=None)

# (A0, B0, a, b, t_end, dt, winner, winner's final strength)
SQUARE_CASES = [
    (1000.0, 800.0, 0.01, 0.01, 200.0, 0.1, "A", 600.0),  # sqrt(1000² - 800²)
    (300.0, 500.0, 0.02, 0.02, 100.0, 0.1, "B", 400.0),  # sqrt(500² - 300²)
    (100.0, 100.0, 0.04, 0.01, 100.0, 0.05, "A", math.sqrt(7500.0)),  # 100² - (1/4)·100²
    (500.0, 1000.0, 0.0, 0.01, 120.0, 0.1, "B", 1000.0),  # A never fires: B loses nothing
]
# (A0, B0, a, b, t_end, dt, winner, limit of the winner's strength)
LINEAR_CASES = [
    (1000.0, 500.0, 1e-4, 1e-4, 600.0, 0.5, "A", 500.0),  # 1000 - 500
    (400.0, 900.0, 2e-4, 1e-4, 3000.0, 0.5, "B", 100.0),  # 900 - 2·400
]


def _atol(*scale: float) -> float:
    return 1e-9 * max(scale)


@pytest.mark.parametrize("A0, B0, a, b, t_end, dt, winner, final", SQUARE_CASES)
def test_square_law_integrator_matches_closed_form_and_annihilates(
    A0, B0, a, b, t_end, dt, winner, final
):
    tr = integrate(A0, B0, a, b, SQUARE, t_end=t_end, dt=dt)
    A, B = square_law_closed_form(A0, B0, a, b, tr.t)
    assert_allclose(tr.A, A, rtol=RTOL, atol=_atol(A0, B0))
    assert_allclose(tr.B, B, rtol=RTOL, atol=_atol(A0, B0))
    win, lose = (tr.A, tr.B) if winner == "A" else (tr.B, tr.A)
    assert lose[-1] == 0.0 and lose.min() == 0.0  # exactly zero, never negative
    assert np.all(np.diff(lose) <= 0)  # and once at zero it stays there
    first_zero = int(np.argmax(lose == 0.0))
    t_star = time_to_annihilation(A0, B0, a, b)
    assert tr.t[first_zero - 1] - 1e-9 < t_star <= tr.t[first_zero] + 1e-9
    assert_allclose(win[-1], final, rtol=RTOL)
    assert_allclose(win[first_zero:], final, rtol=RTOL)  # the winner stops losing


def test_crossing_step_is_cut_at_the_crossing_even_with_coarse_steps():
    # t* = atanh(0.8)/0.01 = 109.86 falls mid-step for dt = 4; merely clipping the loser at
    # the end of that step would over-charge the winner by ~2e-4 relative.
    tr = integrate(1000.0, 800.0, 0.01, 0.01, SQUARE, t_end=200.0, dt=4.0)
    A, B = square_law_closed_form(1000.0, 800.0, 0.01, 0.01, tr.t)
    assert tr.B[-1] == 0.0 and tr.B.min() == 0.0
    assert_allclose(tr.A[-1], 600.0, rtol=RTOL)
    assert_allclose(tr.A, A, rtol=RTOL, atol=1e-6 * 1000.0)
    assert_allclose(tr.B, B, rtol=RTOL, atol=1e-6 * 1000.0)
    lA, lB = daily_losses(SQUARE, 1000.0, 800.0, 0.01, 0.01, dt=200.0, substeps=50)
    assert lB == 800.0 and lA == pytest.approx(400.0, rel=RTOL)


def test_square_law_closed_form_hand_values():
    # A0 = B0, a = b: both decay as A0·exp(-a t); the cosh/sinh form at t = 0 is A0.
    A, B = square_law_closed_form(100.0, 100.0, 0.1, 0.1, [0.0, 10.0, 100.0])
    assert_allclose(A, [100.0, 100.0 / math.e, 100.0 * math.exp(-10.0)], rtol=1e-12)
    assert_array_equal(A, B)
    # tanh(a t*) = 3/5 for 300 vs 500 at equal rates
    assert time_to_annihilation(300.0, 500.0, 0.02, 0.02) == pytest.approx(math.atanh(0.6) / 0.02)
    assert time_to_annihilation(100.0, 100.0, 0.1, 0.1) == math.inf
    assert time_to_annihilation(0.0, 100.0, 0.1, 0.1) == 0.0


@pytest.mark.parametrize("A0, B0, a, b, t_end, dt, winner, final", LINEAR_CASES)
def test_linear_law_integrator_matches_closed_form(A0, B0, a, b, t_end, dt, winner, final):
    tr = integrate(A0, B0, a, b, LINEAR, t_end=t_end, dt=dt)
    A, B = linear_law_closed_form(A0, B0, a, b, tr.t)
    assert_allclose(tr.A, A, rtol=RTOL, atol=_atol(A0, B0))
    assert_allclose(tr.B, B, rtol=RTOL, atol=_atol(A0, B0))
    win, lose = (tr.A, tr.B) if winner == "A" else (tr.B, tr.A)
    # The linear law only annihilates asymptotically: the loser tends to 0 from above.
    assert lose.min() >= 0.0 and lose[-1] < _atol(A0, B0)
    assert_allclose(win[-1], final, rtol=RTOL)


def test_linear_law_draw_closed_form():
    # C = aA0 - bB0 = 0: A(t) = A0 / (1 + a A0 t)
    A, B = linear_law_closed_form(100.0, 100.0, 0.01, 0.01, [0.0, 1.0, 9.0])
    assert_allclose(A, [100.0, 50.0, 10.0], rtol=1e-12)
    assert_allclose(B, A, rtol=1e-12)
    tr = integrate(100.0, 100.0, 0.01, 0.01, LINEAR, t_end=9.0, dt=0.01)
    assert_allclose(tr.A[-1], 10.0, rtol=RTOL)


@pytest.mark.parametrize("A0, B0, a, b, t_end, dt, _w, _f", SQUARE_CASES)
def test_square_law_invariant_is_conserved(A0, B0, a, b, t_end, dt, _w, _f):
    tr = integrate(A0, B0, a, b, SQUARE, t_end=t_end, dt=dt)
    inv = square_law_invariant(tr.A, tr.B, a, b)
    scale = max(a * A0**2, b * B0**2)
    assert_allclose(inv, square_law_invariant(A0, B0, a, b), rtol=0, atol=1e-9 * scale)


@pytest.mark.parametrize("A0, B0, a, b, t_end, dt, _w, _f", LINEAR_CASES)
def test_linear_law_invariant_is_conserved(A0, B0, a, b, t_end, dt, _w, _f):
    tr = integrate(A0, B0, a, b, LINEAR, t_end=t_end, dt=dt)
    inv = linear_law_invariant(tr.A, tr.B, a, b)
    scale = max(a * A0, b * B0)
    assert_allclose(inv, linear_law_invariant(A0, B0, a, b), rtol=0, atol=1e-9 * scale)


def test_helmbold_rates_reduce_to_square_and_linear():
    A = np.array([100.0, 4.0, 0.0, 7.0])
    B = np.array([50.0, 9.0, 3.0, 0.0])
    a, b = np.array([0.1, 0.5, 1.0, 2.0]), np.array([0.2, 2.0, 1.0, 3.0])
    alive = (A > 0) & (B > 0)
    dA, dB = rates(Law(1, 0), A, B, a, b)
    assert_array_equal(dA, np.where(alive, -b * B, 0.0))
    assert_array_equal(dB, np.where(alive, -a * A, 0.0))
    dA, dB = rates(Law(1, 1), A, B, a, b)
    assert_array_equal(dA, np.where(alive, -b * A * B, 0.0))
    assert_array_equal(dB, np.where(alive, -a * A * B, 0.0))
    dA, dB = rates(Law(0.5, 0.5), 4.0, 9.0, 0.5, 2.0)  # -2·√9·√4, -0.5·√4·√9
    assert (float(dA), float(dB)) == (-12.0, -3.0)


@pytest.mark.parametrize(
    "p, q, named, closed",
    [(1, 0, SQUARE, square_law_closed_form), (1, 1, LINEAR, linear_law_closed_form)],
)
def test_helmbold_integration_equals_named_law(p, q, named, closed):
    args = (1000.0, 800.0, 2e-4, 1e-4) if q else (1000.0, 800.0, 0.01, 0.01)
    general = integrate(*args, law_from_spec({"p": p, "q": q}), t_end=150.0, dt=0.1)
    special = integrate(*args, named, t_end=150.0, dt=0.1)
    assert_array_equal(general.A, special.A)
    assert_array_equal(general.B, special.B)
    A, B = closed(*args, general.t)
    assert_allclose(general.A, A, rtol=RTOL, atol=_atol(*args))
    assert_allclose(general.B, B, rtol=RTOL, atol=_atol(*args))
    # the general power path is continuous in the exponents
    near = integrate(*args, Law(p, q + 1e-9), t_end=150.0, dt=0.1)
    assert_allclose(near.A, special.A, rtol=1e-5, atol=1e-6 * args[0])


@SETTINGS
@given(k=st.floats(0.2, 5.0), n=st.floats(10.0, 1e4), T=st.floats(1.0, 100.0))
def test_square_law_k_times_numbers_draws_against_k_squared_quality(k, n, T):
    r = 1.0 / (k * T)  # so that sqrt(ab) = k r = 1/T
    A0, B0, a, b = k * n, n, r, k * k * r
    assert abs(square_law_invariant(A0, B0, a, b)) <= 1e-12 * a * A0**2
    tr = integrate(A0, B0, a, b, SQUARE, t_end=3.0 * T, dt=T / 100)
    assert_allclose(tr.A / A0, tr.B / B0, rtol=1e-8)  # equal fractions remain
    assert_allclose(tr.A[-1] / A0, math.exp(-3.0), rtol=RTOL)  # both decay as exp(-t/T)
    # and the threshold is sharp: 10% more quality wins (by t ≈ 1.8T), 10% less loses (≈ 2T)
    for factor, loser in ((1.1, 0), (1 / 1.1, 1)):
        tr = integrate(A0, B0, a, b * factor, SQUARE, t_end=2.5 * T, dt=T / 50)
        assert (tr.A[-1], tr.B[-1])[loser] == 0.0
        assert (tr.A[-1], tr.B[-1])[1 - loser] > 0.0


@SETTINGS
@given(k=st.floats(0.2, 5.0), n=st.floats(10.0, 1e4), T=st.floats(1.0, 100.0))
def test_linear_law_k_times_numbers_draws_against_k_times_quality(k, n, T):
    r = 1.0 / (k * n * T)  # so that a A0 = b B0 = 1/T
    A0, B0, a, b = k * n, n, r, k * r
    assert abs(linear_law_invariant(A0, B0, a, b)) <= 1e-12 * a * A0
    tr = integrate(A0, B0, a, b, LINEAR, t_end=5.0 * T, dt=T / 100)
    assert_allclose(tr.A / A0, tr.B / B0, rtol=1e-8)
    assert_allclose(tr.A[-1] / A0, 1.0 / 6.0, rtol=RTOL)  # A0 / (1 + a A0 t) at t = 5T


def test_reinforcements_without_attrition_follow_the_schedule_exactly():
    rA = [Reinforcement(100.0, 2.0), Reinforcement(300.0, 1.1, 3.3), Reinforcement(50.0, 2.1)]
    rB = [Reinforcement(40.0, 0.0), Reinforcement(60.0, 3.0, 2.0)]
    tr = integrate(1000.0, 500.0, 0.0, 0.0, SQUARE, 10.0, 0.25, rA, rB)
    t = tr.t
    # instantaneous: at the first step boundary >= start (2.0 -> 2.0, 2.1 -> 2.25)
    expect_A = 1000.0 + 100.0 * (t >= 2.0) + 50.0 * (t >= 2.25)
    expect_A += 300.0 * np.clip((t - 1.1) / 3.3, 0, 1)  # spread: a linear ramp
    expect_B = 500.0 + 40.0 + 60.0 * np.clip((t - 3.0) / 2.0, 0, 1)
    assert_allclose(tr.A, expect_A, rtol=1e-12)
    assert_allclose(tr.B, expect_B, rtol=1e-12)
    assert tr.A[-1] - 1000.0 == pytest.approx(450.0, rel=1e-12)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.floats(0.0, 1e4), st.floats(0.0, 20.0), st.sampled_from([0.0, 0.7, 5.0])),
        max_size=6,
    ),
    st.sampled_from([0.1, 0.25, 1.0]),
)
def test_total_reinforcement_equals_scheduled_amount(schedule, dt):
    rs = [Reinforcement(*x) for x in schedule]
    tr = integrate(10.0, 10.0, 0.0, 0.0, LINEAR, 30.0, dt, rs, ())
    assert tr.A[-1] - 10.0 == pytest.approx(sum(x[0] for x in schedule), rel=1e-12, abs=1e-9)
    assert np.all(np.diff(tr.A) >= 0) and np.all(tr.B == 10.0)


def test_instantaneous_reinforcement_is_a_jump_in_the_fight():
    a, b = 0.01, 0.01
    at_zero = integrate(600.0, 800.0, a, b, SQUARE, 50.0, 0.1, [Reinforcement(400.0, 0.0)])
    plain = integrate(1000.0, 800.0, a, b, SQUARE, 50.0, 0.1)
    assert_array_equal(at_zero.A, plain.A)
    # a jump at t = 20: same as stopping at 20, adding 400 men, and starting again
    mid = integrate(600.0, 800.0, a, b, SQUARE, 50.0, 0.1, [Reinforcement(400.0, 20.0)])
    first = integrate(600.0, 800.0, a, b, SQUARE, 20.0, 0.1)
    second = integrate(first.A[-1] + 400.0, first.B[-1], a, b, SQUARE, 30.0, 0.1)
    assert_allclose(mid.A[:200], first.A[:200], rtol=1e-12)
    assert_allclose(mid.A[200:], second.A, rtol=1e-9)
    assert_allclose(mid.B[200:], second.B, rtol=1e-9)


def test_spread_reinforcement_under_fire_matches_reference_ode():
    a, b, amount, start, dur = 0.01, 0.02, 300.0, 5.0, 10.0
    tr = integrate(500.0, 600.0, a, b, SQUARE, 30.0, 0.1, [Reinforcement(amount, start, dur)])

    def rhs(t, y, r):
        return [-b * y[1] + r, -a * y[0]]

    y = [500.0, 600.0]
    for lo, hi, r in ((0.0, start, 0.0), (start, start + dur, amount / dur), (start + dur, 30, 0)):
        y = solve_ivp(rhs, (lo, hi), y, args=(r,), method="DOP853", rtol=1e-12, atol=1e-9).y[:, -1]
    assert_allclose([tr.A[-1], tr.B[-1]], y, rtol=RTOL)
    # concentration beats piecemeal: the same men all at once leave A stronger
    at_once = integrate(500.0, 600.0, a, b, SQUARE, 30.0, 0.1, [Reinforcement(amount, start)])
    assert at_once.A[-1] > tr.A[-1] and at_once.B[-1] < tr.B[-1]


@pytest.mark.parametrize(
    "spec, match",
    [
        ("sqaure", "did you mean 'square'"),
        ("Lanchester", "bad attrition law"),
        ({"p": 1.0}, "exactly the keys 'p' and 'q'"),
        ({"p": 1.0, "q": 0.0, "r": 2.0}, "exactly the keys"),
        ({"p": -1.0, "q": 0.0}, "Law.p must be a number in 0..10"),
        ({"p": 1.0, "q": math.nan}, "Law.q"),
        ({"p": "1", "q": 0.0}, "Law.p"),
        ({"p": True, "q": 0.0}, "Law.p"),
        (42, "bad attrition law"),
        (None, "bad attrition law"),
        (["square"], "bad attrition law"),
    ],
)
def test_law_from_spec_rejects_bad_specs(spec, match):
    with pytest.raises(ValueError, match=match):
        law_from_spec(spec)


def test_law_from_spec_accepts_good_specs():
    assert law_from_spec("square") is SQUARE and law_from_spec("linear") is LINEAR
    assert law_from_spec({"p": 1, "q": 0}) == SQUARE
    assert law_from_spec({"q": 0.5, "p": 0.5}) == Law(0.5, 0.5)
    assert law_from_spec(LINEAR) is LINEAR


SECTORS = dict(
    A=np.array([1000.0, 10.0, 0.0, 500.0, 200.0, 50.0]),
    B=np.array([800.0, 100.0, 100.0, 0.0, 200.0, 5000.0]),
    a_fire=np.array([0.01, 0.5, 0.3, 0.2, 0.0, 0.001]),
    b_fire=np.array([0.01, 5.0, 0.3, 0.2, 0.05, 0.01]),
)


@pytest.mark.parametrize("law", [SQUARE, LINEAR, Law(0.5, 0.5)])
def test_daily_losses_vectorised_equals_one_at_a_time(law):
    steps = combat.stable_substeps(law, combat.fastest_rate(law, **SECTORS))
    lA, lB = daily_losses(law, **SECTORS, substeps=steps)
    for i in range(len(lA)):
        one = daily_losses(law, *(float(v[i]) for v in SECTORS.values()), substeps=steps)
        assert (float(one[0]), float(one[1])) == (lA[i], lB[i])
    assert np.all((lA >= 0) & (lA <= SECTORS["A"]) & (lB >= 0) & (lB <= SECTORS["B"]))


def test_daily_losses_hand_values_and_caps():
    lA, lB = daily_losses(SQUARE, **SECTORS)
    assert lA[1] == 10.0 and lB[1] < 100.0  # overwhelmed: loses exactly its strength
    assert lA[2] == 0.0 and lB[2] == 0.0  # nobody to shoot at / nobody shooting
    assert lA[3] == 0.0 and lB[3] == 0.0
    assert lA[4] == pytest.approx(0.05 * 200.0) and lB[4] == 0.0  # one-sided: b·B per day
    lA, lB = daily_losses("square", [1000.0], [800.0], 0.01, 0.01, dt=1.0, substeps=10)
    tr = integrate(1000.0, 800.0, 0.01, 0.01, SQUARE, t_end=1.0, dt=0.1)
    assert_allclose([lA[0], lB[0]], [1000.0 - tr.A[-1], 800.0 - tr.B[-1]], rtol=1e-12)
    A1, B1 = square_law_closed_form(1000.0, 800.0, 0.01, 0.01, 1.0)
    assert_allclose([lA[0], lB[0]], [1000.0 - A1, 800.0 - B1], rtol=1e-9)


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        integrate(-1.0, 10.0, 0.1, 0.1, SQUARE, 1.0, 0.1)
    with pytest.raises(ValueError):
        integrate(1.0, 10.0, 0.1, 0.1, SQUARE, 1.0, 0.0)
    with pytest.raises(ValueError):
        Reinforcement(-5.0, 0.0)
    with pytest.raises(ValueError):
        daily_losses(SQUARE, [1.0, -1.0], 1.0, 0.1, 0.1)
    with pytest.raises(ValueError):
        daily_losses(SQUARE, 1.0, 1.0, 0.1, 0.1, substeps=0)


def test_docstring_examples():
    result = doctest.testmod(combat, verbose=False)
    closed = doctest.testmod(closed_forms, verbose=False)
    assert result.attempted + closed.attempted >= 7
    assert result.failed == 0 and closed.failed == 0


def test_exact_share_losses_match_the_closed_forms_and_rk4():
    from sandbox.rules.combat.closed_forms import LINEAR, exact_share_losses, linear_law_closed_form

    for alpha, beta in [(0.1, 0.1), (0.3, 0.05), (1e-5, 2e-5), (0.8, 0.2), (0.0, 0.4)]:
        lx, ly = exact_share_losses(LINEAR, alpha, beta, 1.0)
        x, y = linear_law_closed_form(1.0, 1.0, alpha, beta, [1.0])
        assert lx == pytest.approx(1 - x[0], rel=1e-9, abs=1e-15)
        assert ly == pytest.approx(1 - y[0], rel=1e-9, abs=1e-15)
        sq = exact_share_losses(SQUARE, alpha, beta, 1.0)
        assert sq is not None
        x, y = square_law_closed_form(1.0, 1.0, alpha, beta, [1.0])
        assert sq[0] == pytest.approx(1 - x[0], rel=1e-9, abs=1e-15)
        assert sq[1] == pytest.approx(1 - y[0], rel=1e-9, abs=1e-15)
        for law, ex in ((LINEAR, (lx, ly)), (SQUARE, sq)):
            rA, rB = daily_losses(law, [1.0], [1.0], alpha, beta, substeps=240)
            assert ex[0] == pytest.approx(rA[0], rel=1e-6, abs=1e-12)
            assert ex[1] == pytest.approx(rB[0], rel=1e-6, abs=1e-12)
    assert exact_share_losses(SQUARE, 5.0, 0.5, 1.0) is None  # B annihilated: integrate
    assert exact_share_losses(Law(1.0, 0.5), 0.1, 0.1, 1.0) is None


def test_exact_square_losses_survive_an_underflowing_rate_product():
    # 1e-199 x 1e-200 underflows to 0: the closed form must fall back to first order
    from sandbox.rules.combat.closed_forms import exact_share_losses

    lx, ly = exact_share_losses(SQUARE, 1e-199, 1e-200, 1.0)
    assert (lx, ly) == (1e-200, 1e-199)


# -- fast attrition called directly: the default steps follow the rates ---------------------


@pytest.mark.parametrize("a_A0", [10.0, 50.0, 200.0])
def test_default_steps_keep_fast_linear_attrition_on_its_closed_form(a_A0):
    # linear law with A = B and a = b: dA/dt = -a A², so A(t) = A0 / (1 + a A0 t), never
    # zero. 24 fixed steps annihilated both sides here at a·A0 = 50 (RK4 diverged).
    A0, a = 100.0, a_A0 / 100.0
    lA, lB = daily_losses(LINEAR, [A0], [A0], a, a)
    want = A0 - A0 / (1.0 + a_A0)
    assert lA[0] == pytest.approx(want, rel=1e-5) and lB[0] == pytest.approx(want, rel=1e-5)


@pytest.mark.parametrize("rate", [5.0, 40.0, 300.0])
def test_default_steps_keep_fast_square_attrition_on_its_closed_form(rate):
    # square law with A = B and a = b: dA/dt = -a A, so A(t) = A0 e^(-a t)
    lA, _ = daily_losses(SQUARE, [2.0], [2.0], rate, rate)
    assert lA[0] == pytest.approx(-2.0 * math.expm1(-rate), rel=1e-5)


@SETTINGS
@given(
    q=st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5]),
    shares=st.tuples(st.floats(0.05, 1.0), st.floats(0.05, 1.0)),
    rates=st.tuples(st.floats(0.0, 48.0), st.floats(0.0, 48.0)),
)
def test_default_steps_converge_for_any_helmbold_law(q, shares, rates):
    # whatever the rates the fight can hand over (up to attrition's cap of 48 a day), the
    # default agrees with 2,400 steps: it has converged, not diverged (24 fixed steps were
    # off by up to 100%). Not closer than ~1e-3: with 0 < q < 1 the survivor's rate in
    # u = B^(1-q) is not smooth where the other side is annihilated (the annihilation
    # itself is exact: tests/test_helmbold_crossing.py); 1,500 examples: at most 5.9e-4.
    law = Law(1.0, q)
    args = ([shares[0]], [shares[1]], rates[0], rates[1])
    fine = np.array(daily_losses(law, *args, substeps=combat.MAX_SUBSTEPS))
    got = np.array(daily_losses(law, *args))
    assert_allclose(got, fine, rtol=2e-3, atol=1e-9)


def test_the_fight_and_a_direct_call_take_the_same_steps():
    # attrition integrates shares of the morning (1, 1) with stable_substeps(law, fastest
    # rate): the default of a direct call is that same choice, bit for bit
    alpha, beta = np.array([0.2, 31.0, 3.0]), np.array([47.0, 0.5, 0.0])
    one = np.ones(3)
    for law in (SQUARE, LINEAR, Law(1.0, 0.5), Law(0.5, 1.5)):
        steps = combat.stable_substeps(law, float(max(alpha.max(), beta.max())))
        assert steps > combat.SUBSTEPS  # the rates call for more than hourly steps
        default = daily_losses(law, one, one, alpha, beta)
        chosen = daily_losses(law, one, one, alpha, beta, substeps=steps)
        assert_array_equal(default[0], chosen[0]) and assert_array_equal(default[1], chosen[1])


def test_fastest_rate_reads_each_law_at_the_start():
    # b B^p A^(q-1) for A, a A^p B^(q-1) for B, live sectors only
    assert combat.fastest_rate(SQUARE, [4.0], [2.0], 0.5, 3.0) == 3.0 * 2.0 / 4.0
    assert combat.fastest_rate(LINEAR, [4.0], [2.0], 0.5, 3.0) == 3.0 * 2.0
    assert combat.fastest_rate(Law(1.0, 0.5), [4.0], [9.0], 1.0, 1.0) == 9.0 / 2.0
    assert combat.fastest_rate(SQUARE, [0.0, 1.0], [5.0, 1.0], [9.0, 0.05], [9.0, 0.1]) == 0.1
    assert combat.fastest_rate(SQUARE, [0.0], [5.0], 9.0, 9.0) == 0.0


def test_attrition_too_fast_for_any_step_count_is_refused_not_garbled():
    with pytest.raises(ValueError, match=r"too fast .* shorter dt"):
        daily_losses(LINEAR, [1000.0], [1000.0], 5.0, 5.0)  # 5,000 strengths a day
    lA, _ = daily_losses(LINEAR, [1000.0], [1000.0], 5.0, 5.0, dt=1e-3)  # 5 in a step
    assert lA[0] == pytest.approx(1000.0 - 1000.0 / 6.0, rel=1e-6)
