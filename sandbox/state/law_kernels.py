"""Compiled kernel (numba) for one sector's day of Lanchester-Helmbold fire: fixed-step RK4.

The same contract as :mod:`sandbox.state.kernels`: one implementation
(:func:`sandbox.rules.combat.laws.daily_losses` calls it for the few sectors of a map,
one at a time), performing, float for float, the operations of the vectorised RK4
step ``laws._rk4`` on one element: same operands, same order, the same ``+ 0.0`` of
the zero source term, ``x ** 0.5`` as a correctly rounded square root. Python's
``max(x, 0.0)`` is written out as it compares (``0.0 if 0.0 > x else x``).
"""

from __future__ import annotations

import math

import numba

LINEAR, SQUARE, P2_ZERO, OTHER = 0, 1, 2, 3  # the forms, by (p, q): (1, 1), (1, 0), (2, 0)


def form_of(p: float, q: float) -> int:
    """The form of :func:`rk4_steps` for exponents ``p``, ``q``.

    ``(2, 0)`` is Helmbold's ``(1, 0.5)`` as integrated, in ``u = A^(1/2)``
    (``laws._smooth_form``).
    """
    if p == 1.0 and q == 1.0:
        return LINEAR
    if p == 1.0 and q == 0.0:
        return SQUARE
    if p == 2.0 and q == 0.0:
        return P2_ZERO
    return OTHER


@numba.njit(cache=True, nogil=True, inline="always")
def _pow1(x: float, e: float) -> float:  # pragma: no cover - compiled
    """``sign(x) |x| ** e`` for ``e`` in 0, 0.5, 1, 2 (the scalar form of ``laws._pow``)."""
    if e == 1.0:
        return x
    if e == 0.0:
        return 1.0
    if e == 2.0:
        return x * abs(x)
    if x > 0.0:
        return math.sqrt(x)
    return -math.sqrt(-x) if x < 0.0 else 0.0


@numba.njit(cache=True, nogil=True, inline="always")
def _rate(form: int, p: float, q: float, na: float, nb: float, x: float, y: float):
    """``(dA, dB) = (-b y^p x^q, -a x^p y^q)`` as ``laws._losses_scalar`` writes each form."""
    if form == LINEAR:
        return nb * y * x, na * x * y
    if form == SQUARE:  # x^0 = 1.0: the product by 1.0 is exact
        return nb * y, na * x
    if form == P2_ZERO:  # as sign(y) |y| ** 2.0 * 1.0: |y| ** 2.0 is |y| |y| in numpy
        return nb * (y * abs(y)), na * (x * abs(x))
    return nb * _pow1(y, p) * _pow1(x, q), na * _pow1(x, p) * _pow1(y, q)


@numba.njit(cache=True, nogil=True, inline="always")
def _rk4(form: int, p: float, q: float, na: float, nb: float, A: float, B: float, h: float):
    """One RK4 step of size ``h`` from ``(A, B)``, both alive (``laws._rk4``, no arrivals)."""
    h2, h6 = h / 2, h / 6
    k1A, k1B = _rate(form, p, q, na, nb, A, B)
    x, y = A + h2 * k1A + 0.0, B + h2 * k1B + 0.0
    k2A, k2B = _rate(form, p, q, na, nb, x, y)
    x, y = A + h2 * k2A + 0.0, B + h2 * k2B + 0.0
    k3A, k3B = _rate(form, p, q, na, nb, x, y)
    x, y = A + h * k3A + 0.0, B + h * k3B + 0.0
    k4A, k4B = _rate(form, p, q, na, nb, x, y)
    A1 = A + h6 * (k1A + 2 * k2A + 2 * k3A + k4A) + 0.0
    B1 = B + h6 * (k1B + 2 * k2B + 2 * k3B + k4B) + 0.0
    return A1, B1


@numba.njit(cache=True, nogil=True)
def rk4_steps(
    form: int,
    p: float,
    q: float,
    state: tuple[float, float, float, float],
    h: float,
    first: int,
    substeps: int,
) -> tuple[float, float, int]:  # pragma: no cover - compiled
    """RK4 steps ``first .. substeps - 1`` of one sector; ``state`` = (A, B, a, b).

    Returns ``(A, B, i)``: ``i == substeps`` when the day is done; else step ``i``
    would take a side below zero and is left to :func:`crossing_step`, ``A, B``
    being the state before it. Once a side is at zero nobody fires: the state is
    kept (``max(x + 0.0, 0.0)``) and the day is done.
    """
    A, B, a, b = state
    na, nb = -a, -b
    for i in range(first, substeps):
        if not (A > 0 and B > 0):
            x, y = A + 0.0, B + 0.0
            return 0.0 if 0.0 > x else x, 0.0 if 0.0 > y else y, substeps
        A1, B1 = _rk4(form, p, q, na, nb, A, B, h)
        if A1 < 0 or B1 < 0:
            return A, B, i
        A, B = A1, B1
    return A, B, substeps


@numba.njit(cache=True, nogil=True)
def crossing_step(
    form: int, p: float, q: float, state: tuple[float, float, float, float], h: float
) -> tuple[float, float]:  # pragma: no cover - compiled
    """The step of size ``h`` in which a side crosses zero, as ``laws._advance`` takes it
    for one element (both alive at its start): cut at the crossing, found by 60
    halvings of the step length (``laws._BISECTIONS``); the loser set to exactly 0 there;
    the rest of the step with nobody firing."""
    A, B, a, b = state
    na, nb, left = -a, -b, h
    while left > 0:
        if A > 0 and B > 0:
            A1, B1 = _rk4(form, p, q, na, nb, A, B, left)
        else:  # nobody fires: A + h/6 (0 + 0 + 0 + 0) + 0.0
            A1, B1 = A + 0.0 + 0.0, B + 0.0 + 0.0
        cross_A, cross_B = A > 0 and A1 < 0, B > 0 and B1 < 0
        if not (cross_A or cross_B):
            return 0.0 if 0.0 > A1 else A1, 0.0 if 0.0 > B1 else B1
        hz_A, hz_B = math.inf, math.inf
        for side in range(2):
            if (cross_A, cross_B)[side]:
                lo, hi = 0.0, left
                for _ in range(60):
                    mid = (lo + hi) / 2
                    if _rk4(form, p, q, na, nb, A, B, mid)[side] <= 0:
                        hi = mid
                    else:
                        lo = mid
                hz_A, hz_B = (hi, hz_B) if side == 0 else (hz_A, hi)
        hs = min(left, min(hz_A, hz_B))
        A1, B1 = _rk4(form, p, q, na, nb, A, B, hs)
        A = 0.0 if hz_A <= hs else (0.0 if 0.0 > A1 else A1)
        B = 0.0 if hz_B <= hs else (0.0 if 0.0 > B1 else B1)
        left = left - hs
    return A, B
