"""Helmbold laws with 0 < q < 1: a side under fire reaches zero in finite time, and lands there.

With B's fire constant (B not hit: ``a = 0``), ``dA/dt = -b B^p A^q`` has the closed form
``A(t) = (A0^(1-q) - (1-q) b B^p t)^(1/(1-q))``, zero at ``t* = A0^(1-q) / ((1-q) b B^p)``
(:func:`closed_forms.helmbold_constant_fire`). Integrated in ``A`` the RK4 stalled short of
zero (``Law(1, 0.25)``, ``b = 2``: A lost 0.99581 of 1 with 24 steps); integrated in
``u = A^(1-q)`` (linear here, so RK4 is exact) the side lands on exactly zero at ``t*``.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.integrate import solve_ivp

from sandbox.rules.combat import laws
from sandbox.rules.combat.closed_forms import helmbold_constant_fire
from sandbox.rules.combat.laws import daily_losses, integrate
from sandbox.scenario.law_spec import Law

QS = [0.25, 0.5, 0.75]
PATHS = {"float": 10**6, "vector": 0}  # values of laws.SCALAR_MAX_SECTORS forcing each path


def t_star(A0: float, rate: float, q: float) -> float:
    return A0 ** (1 - q) / ((1 - q) * rate)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("q", QS)
def test_constant_fire_losses_follow_the_closed_form(monkeypatch, path, q):
    monkeypatch.setattr(laws, "SCALAR_MAX_SECTORS", PATHS[path])
    A0 = np.array([2.0, 2.0, 1.0, 0.3])
    B0 = np.array([1.0, 4.0, 1.0, 2.0])
    b = np.array([0.2, 0.1, 0.7, 0.05])
    rate = b * B0  # p = 1
    assert all(t_star(x, k, q) > 1.0 for x, k in zip(A0, rate, strict=True))  # none die
    lost_A, lost_B = daily_losses(Law(1.0, q), A0, B0, np.zeros(4), b, substeps=24)
    want = A0 - np.array(
        [helmbold_constant_fire(x, k, q, 1.0) for x, k in zip(A0, rate, strict=True)]
    )
    assert_allclose(lost_A, want, rtol=1e-9)
    assert np.all(lost_B == 0.0)  # A does not fire


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("q", QS)
def test_a_side_whose_t_star_falls_within_the_day_loses_exactly_all_of_it(monkeypatch, path, q):
    monkeypatch.setattr(laws, "SCALAR_MAX_SECTORS", PATHS[path])
    A0, B0 = np.array([1.0, 2.0, 0.5]), np.array([1.0, 3.0, 1.0])
    b = np.array([5.0, 4.0, 9.0])
    assert all(t_star(x, k, q) < 1.0 for x, k in zip(A0, b * B0, strict=True))
    lost_A, lost_B = daily_losses(Law(1.0, q), A0, B0, np.zeros(3), b, substeps=24)
    assert lost_A.tolist() == A0.tolist()  # on main: 0.9958 of the first (q = 0.25)
    assert lost_B.tolist() == [0.0, 0.0, 0.0]


def test_the_example_of_the_issue_annihilates_with_any_step_count():
    for steps in (1, 24, 48, 2400):
        lost_A, _ = daily_losses(Law(1.0, 0.25), [1.0], [1.0], 0.0, 2.0, substeps=steps)
        assert lost_A[0] == 1.0  # t* = 2/3 of the day


@pytest.mark.parametrize("q", QS)
def test_integrate_annihilates_at_t_star(q):
    # b chosen so that t* = 0.73 (between grid points 0.7 and 0.8)
    A0, B0, T = 3.0, 2.0, 0.73
    b = A0 ** (1 - q) / ((1 - q) * B0 * T)
    law = Law(1.0, q)
    tr = integrate(A0, B0, 0.0, b, law, t_end=2.0, dt=0.1)
    alive = tr.t < T
    assert_allclose(tr.A[alive], helmbold_constant_fire(A0, b * B0, q, tr.t[alive]), rtol=1e-9)
    assert np.all(tr.A[alive] > 0) and np.all(tr.A[~alive] == 0.0)
    assert np.all(tr.B == B0)
    # the crossing itself, to a part in 1e9 of t* (the bisection resolves 2^-60 of a step)
    before = integrate(A0, B0, 0.0, b, law, t_end=T * (1 - 1e-9), dt=0.1)
    after = integrate(A0, B0, 0.0, b, law, t_end=T * (1 + 1e-9), dt=0.1)
    assert before.A[-1] > 0.0 and after.A[-1] == 0.0


def helmbold_rhs(p: float, q: float, a: float, b: float):
    def f(_t: float, y: np.ndarray) -> list[float]:
        A, B = max(y[0], 0.0), max(y[1], 0.0)
        return [-b * B**p * A**q, -a * A**p * B**q]

    return f


@pytest.mark.parametrize(("p", "q"), [(1.0, 0.25), (1.0, 0.5), (0.5, 0.5), (1.0, 0.75)])
def test_both_sides_firing_agree_with_radau_while_both_are_alive(p, q):
    A0, B0, a, b = 1.0, 1.5, 0.4, 0.9  # B wins: A reaches zero within t_end
    gone = lambda _t, y: y[0]  # noqa: E731
    gone.terminal, gone.direction = True, -1  # type: ignore[attr-defined]
    sol = solve_ivp(
        helmbold_rhs(p, q, a, b), (0.0, 4.0), [A0, B0], method="Radau",
        rtol=1e-12, atol=1e-14, events=gone, dense_output=True,
    )  # fmt: skip
    t_end_A = float(sol.t_events[0][0])
    assert t_end_A < 4.0
    tr = integrate(A0, B0, a, b, Law(p, q), t_end=4.0, dt=0.01)
    alive = tr.t < t_end_A - 0.01  # grid points before the step in which A dies
    want = sol.sol(tr.t[alive])
    assert_allclose(tr.A[alive], want[0], rtol=1e-6, atol=1e-12)
    assert_allclose(tr.B[alive], want[1], rtol=1e-6)
    dead = tr.t > t_end_A + 0.01
    assert np.all(tr.A[dead] == 0.0) and np.all(np.diff(tr.B[dead]) == 0.0)
    assert tr.B[-1] == pytest.approx(sol.y[1, -1], rel=1e-6)  # B's strength when A died
