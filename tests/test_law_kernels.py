"""The compiled RK4 of one sector (``law_kernels.rk4_steps``) gives, bit for bit, what the
per-sector Python float loop it replaced gave.

The Python form is written out here (one general form: ``_pow`` of exponents 0, 0.5, 1 is
exact where the old code had special cases: ``x * 1.0`` and ``x ** 1`` are ``x``; a law
with q = 0.5 in ``u = sqrt(A)``, ``v = sqrt(B)``, exponents ``(2p, 0)``), with the
crossing step handed to ``laws._advance`` as before, and compared by bytes on random
sectors, tiny to huge rates included, so that sides reach zero within the day.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.rules.combat import laws
from sandbox.scenario.law_spec import Law


def _pow(x: float, e: float) -> float:
    if e == 1.0:
        return x
    if e == 0.0:
        return 1.0
    if e == 2.0:
        return x * abs(x)
    if x > 0.0:
        return math.sqrt(x)
    return -math.sqrt(-x) if x < 0.0 else 0.0


def python_losses(law: Law, A0: float, B0: float, a: float, b: float, h: float, n: int):
    if law.q != 0.5:
        A, B = python_final(law, A0, B0, a, b, h, n)
        return min(max(A0 - A, 0.0), A0), min(max(B0 - B, 0.0), B0)
    # q = 0.5: in u = sqrt(A), v = sqrt(B): du/dt = -b/2 v^(2p), dv/dt = -a/2 u^(2p)
    u0, v0 = math.sqrt(A0), math.sqrt(B0)
    u, v = python_final(laws._Exps(2 * law.p, 0.0), u0, v0, a / 2, b / 2, h, n)
    lost_A = min(max(u0 * u0 - u * u, 0.0), A0) if u > 0 else A0
    return lost_A, min(max(v0 * v0 - v * v, 0.0), B0) if v > 0 else B0


def python_final(law: laws.Exps, A0: float, B0: float, a: float, b: float, h: float, n: int):
    p, q = float(law.p), float(law.q)
    na, nb, h2, h6 = -a, -b, h / 2, h / 6

    def rate(x: float, y: float) -> tuple[float, float]:
        return nb * _pow(y, p) * _pow(x, q), na * _pow(x, p) * _pow(y, q)

    A, B = A0, B0
    for i in range(n):
        if not (A > 0 and B > 0):
            A, B = max(A + 0.0, 0.0), max(B + 0.0, 0.0)
            break
        k1A, k1B = rate(A, B)
        k2A, k2B = rate(A + h2 * k1A + 0.0, B + h2 * k1B + 0.0)
        k3A, k3B = rate(A + h2 * k2A + 0.0, B + h2 * k2B + 0.0)
        k4A, k4B = rate(A + h * k3A + 0.0, B + h * k3B + 0.0)
        A1 = A + h6 * (k1A + 2 * k2A + 2 * k3A + k4A) + 0.0
        B1 = B + h6 * (k1B + 2 * k2B + 2 * k3B + k4B) + 0.0
        if A1 < 0 or B1 < 0:
            v = [np.array([x]) for x in (A, B, a, b, i * h, h)]
            nA, nB = laws._advance(
                law,
                *v,
                lambda t0, t1: (0.0 * t0, 0.0 * t0),  # type: ignore[arg-type]
            )
            A, B = float(nA[0]), float(nB[0])
        else:
            A, B = A1, B1
    return A, B


EXPONENTS = st.sampled_from([0.0, 0.5, 1.0])
MAGNITUDE = st.floats(-8.0, 2.5)  # log10 of a strength or rate: tiny to annihilating


@settings(max_examples=300, deadline=None)
@given(
    p=EXPONENTS,
    q=EXPONENTS,
    mags=st.lists(MAGNITUDE, min_size=4, max_size=4),
    zero=st.sampled_from([None, 0, 1, 2, 3]),
    n=st.integers(1, 48),
)
def test_compiled_rk4_matches_the_python_loop(p, q, mags, zero, n):
    values = [10.0**m for m in mags]
    if zero is not None:
        values[zero] = 0.0
    A0, B0, a, b = values
    law = Law(p=p, q=q)
    want = python_losses(law, A0, B0, a, b, 1.0 / n, n)
    got = laws._losses_scalar(law, A0, B0, a, b, 1.0 / n, n)
    assert np.array(got).tobytes() == np.array(want).tobytes()


def test_a_side_annihilated_within_the_day_goes_through_the_crossing_step():
    law = Law(p=1.0, q=0.0)  # square law: dB/dt = -40 A, B is gone within the first hour
    lost = laws._losses_scalar(law, 1.0, 1.0, 40.0, 0.1, 1.0 / 24, 24)
    assert lost[1] == 1.0  # all of B lost, none of it twice
    assert 0.0 < lost[0] < 0.1 / 24  # A lost less than an hour of B's full fire
    assert lost == python_losses(law, 1.0, 1.0, 40.0, 0.1, 1.0 / 24, 24)
