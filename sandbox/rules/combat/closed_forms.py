"""Closed forms of the square and linear laws: invariants, annihilation time, exact losses.

Written for the checks of :mod:`sandbox.rules.combat.laws` (the integrator must reproduce
them) and for the fight phase, which takes a day's square- or linear-law losses from
:func:`exact_share_losses` instead of integrating them.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from sandbox.scenario.law_spec import LINEAR, SQUARE, Law

F64 = npt.NDArray[np.float64]


def square_law_invariant(A: npt.ArrayLike, B: npt.ArrayLike, a: float, b: float) -> F64:
    """``a A² - b B²``: constant under the square law; its sign names the winner."""
    return a * np.asarray(A, float) ** 2 - b * np.asarray(B, float) ** 2


def linear_law_invariant(A: npt.ArrayLike, B: npt.ArrayLike, a: float, b: float) -> F64:
    """``a A - b B``: constant under the linear law; its sign names the winner."""
    return a * np.asarray(A, float) - b * np.asarray(B, float)


def time_to_annihilation(A0: float, B0: float, a: float, b: float) -> float:
    """Square law: when the first side reaches zero (``inf`` if neither ever does).

    >>> round(time_to_annihilation(1000.0, 800.0, 0.01, 0.01), 4)  # atanh(0.8) / 0.01
    109.8612
    """
    if A0 <= 0 or B0 <= 0:
        return 0.0
    inv = a * A0**2 - b * B0**2
    if inv == 0:
        return math.inf
    # (x, y): loser and winner strengths; kx kills x per unit of y, ky kills y per x
    x, y, kx, ky = (A0, B0, b, a) if inv < 0 else (B0, A0, a, b)
    if ky == 0:
        return x / (kx * y)
    return math.atanh(math.sqrt(ky / kx) * x / y) / math.sqrt(a * b)


def square_law_closed_form(
    A0: float, B0: float, a: float, b: float, t: npt.ArrayLike
) -> tuple[F64, F64]:
    """Exact square-law strengths at times ``t``; the loser stays at 0 once annihilated.

    ``A(t) = A0 cosh(√(ab) t) - √(b/a) B0 sinh(√(ab) t)``, and symmetrically for ``B``
    (evaluated in the equivalent exponential form, which stays accurate for a draw).

    >>> A, B = square_law_closed_form(1000.0, 800.0, 0.01, 0.01, [0.0, 1000.0])
    >>> A.round(9).tolist(), B.tolist()
    ([1000.0, 600.0], [800.0, 0.0])
    """
    t = np.asarray(t, float)
    ts = time_to_annihilation(A0, B0, a, b)
    tc = np.minimum(t, ts)
    if a > 0 and b > 0:
        s, ka, kb = math.sqrt(a * b), math.sqrt(b / a), math.sqrt(a / b)
        up, down = np.exp(s * tc), np.exp(-s * tc)
        A = 0.5 * (A0 - ka * B0) * up + 0.5 * (A0 + ka * B0) * down
        B = 0.5 * (B0 - kb * A0) * up + 0.5 * (B0 + kb * A0) * down
    else:  # one side does not fire: the other loses at a constant rate
        A, B = A0 - b * B0 * tc, B0 - a * A0 * tc
    A, B = np.maximum(A, 0.0), np.maximum(B, 0.0)
    inv = square_law_invariant(A0, B0, a, b)
    if math.isfinite(ts) and A0 > 0 and B0 > 0:
        end = t >= ts
        if inv < 0:
            A, B = np.where(end, 0.0, A), np.where(end, math.sqrt(-inv / b), B)
        else:
            A, B = np.where(end, math.sqrt(inv / a), A), np.where(end, 0.0, B)
    return A, B


def linear_law_closed_form(
    A0: float, B0: float, a: float, b: float, t: npt.ArrayLike
) -> tuple[F64, F64]:
    """Exact linear-law strengths at times ``t`` (no side is annihilated in finite time).

    With ``C = a A0 - b B0`` conserved, ``A(t) = C A0 / (a A0 - b B0 exp(-C t))`` and
    ``B = (a A - C) / b``; for ``C == 0``, ``A(t) = A0 / (1 + a A0 t)``. The winner tends to
    ``A0 - (b/a) B0``.

    >>> A, B = linear_law_closed_form(1000.0, 500.0, 1e-4, 1e-4, [0.0, 2000.0])
    >>> A.round(6).tolist(), B.round(6).tolist()
    ([1000.0, 500.0], [500.0, 0.0])
    """
    t = np.asarray(t, float)
    C = a * A0 - b * B0
    if C == 0:
        return A0 / (1 + a * A0 * t), B0 / (1 + b * B0 * t)
    E = np.exp(-abs(C) * t)  # the forms below never overflow or cancel
    if C > 0:
        den = a * A0 - b * B0 * E
        return C * A0 / den, C * B0 * E / den
    den = b * B0 - a * A0 * E
    return -C * A0 * E / den, -C * B0 / den


def helmbold_constant_fire(A0: float, rate: float, q: float, t: npt.ArrayLike) -> F64:
    """Helmbold's ``dA/dt = -rate A^q`` (B's fire ``rate = b B^p`` constant), ``0 <= q < 1``.

    ``A^(1-q)`` falls linearly: ``A(t) = (A0^(1-q) - (1-q) rate t)^(1/(1-q))``, zero from
    ``t* = A0^(1-q) / ((1-q) rate)`` on.

    >>> helmbold_constant_fire(4.0, 1.0, 0.5, [0.0, 1.0, 4.0]).tolist()  # (2 - t/2)^2
    [4.0, 2.25, 0.0]
    """
    if not 0.0 <= q < 1.0:
        raise ValueError(f"need 0 <= q < 1, got {q!r}")
    r = 1.0 - q
    return np.maximum(A0**r - r * rate * np.asarray(t, float), 0.0) ** (1.0 / r)


def exact_share_losses(
    law: Law, alpha: float, beta: float, dt: float
) -> tuple[float, float] | None:
    """Exact losses over ``dt`` of two sides starting at strength 1, or ``None``.

    The square and linear laws have closed forms (see :func:`square_law_closed_form` and
    :func:`linear_law_closed_form`); written here for the losses themselves (``1 - x``,
    with ``expm1`` and ``sinh``), so a small loss keeps its relative accuracy instead of
    being the difference of two numbers close to 1. ``alpha`` is the rate at which A
    destroys B, ``beta`` that of B on A. Returns ``None`` for other laws and for a
    square-law period in which a side reaches zero (integrate those with
    :func:`daily_losses`).

    >>> lx, ly = exact_share_losses(LINEAR, 0.1, 0.1, 1.0)
    >>> round(lx, 12), round(ly, 12)  # x = y = 1 / (1 + 0.1 t)
    (0.090909090909, 0.090909090909)
    """
    if law == LINEAR:  # dx/dt = -beta x y, dy/dt = -alpha x y; alpha x - beta y conserved
        c = alpha - beta
        if c == 0.0:
            return beta * dt / (1.0 + beta * dt), alpha * dt / (1.0 + alpha * dt)
        em = math.expm1(-abs(c) * dt)  # in (-1, 0]
        den = abs(c) - (beta if c > 0 else alpha) * em
        return -beta * em / den, -alpha * em / den
    if law == SQUARE:  # dx/dt = -beta y, dy/dt = -alpha x
        s = math.sqrt(alpha * beta)
        if s == 0.0:  # a rate is zero, or their product underflows: sinh(s t) = s t exactly
            lx, ly = beta * dt, alpha * dt
        else:
            st = s * dt
            sh, sh2 = math.sinh(st), math.sinh(st / 2)
            # x = cosh - sqrt(beta/alpha) sinh, so 1 - x = sqrt(beta/alpha) sinh - 2 sinh(st/2)^2
            lx = beta / s * sh - 2.0 * sh2 * sh2
            ly = alpha / s * sh - 2.0 * sh2 * sh2
        if not (lx < 1.0 and ly < 1.0):
            return None  # a side is annihilated within the period
        return lx, ly
    return None
