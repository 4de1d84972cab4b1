"""Attrition laws as pure functions: Lanchester's square and linear laws, Helmbold's form.

Helmbold's general form, with ``A``, ``B`` the two strengths and ``a``, ``b`` the
per-unit kill-rate coefficients of side A and side B::

    dA/dt = -b B^p A^q        dB/dt = -a A^p B^q

The square law (aimed fire) is ``(p, q) = (1, 0)``; the linear law (area fire) is
``(1, 1)``. A side at zero neither fires nor takes losses, and no strength ever goes
below zero; for ``0 < q < 1`` a side reaches zero in finite time, and these laws are
integrated in ``u = A^(1-q)``, ``v = B^(1-q)`` (:func:`_smooth_form`). Nothing here knows
about the model: the fight phase calls :func:`daily_losses` once a day for the sectors of
each law without a closed form (:mod:`sandbox.rules.combat.closed_forms`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sandbox.scenario.law_spec import SQUARE, Law, LawSpec, law_from_spec  # noqa: F401 (doctests)
from sandbox.state import law_kernels

F64 = npt.NDArray[np.float64]
_BISECTIONS = 60  # halvings of a step when locating the moment a side reaches zero
SUBSTEPS = 24  # RK4 steps a period (hourly, for a day) at ordinary loss rates
MAX_SUBSTEPS = 2400  # stable up to a stiffness of 1,200 a period


@dataclass(frozen=True)
class _Exps:  # exponents of the equations integrated, unchecked: p / (1 - q) may exceed 10
    p: float
    q: float


Exps = Law | _Exps


@functools.lru_cache(maxsize=256)
def _smooth_form(law: Law) -> tuple[_Exps, float] | None:
    """For ``0 < q < 1``: the equations in ``u = A^r``, ``v = B^r`` (``r = 1 - q``), and ``r``.

    ``du/dt = r A^(-q) dA/dt = -r b v^(p/r)``, ``dv/dt = -r a u^(p/r)``: Helmbold's form,
    exponents ``(p/r, 0)``, coefficients ``r a``, ``r b``. Under constant fire ``u`` falls
    linearly to zero at ``t* = A0^r / (r b B^p)``, which the crossing bisection finds; in
    ``A`` (slope ``A^q`` infinitely steep at 0) RK4 stalled short of zero. ``None``: other laws.

    >>> _smooth_form(Law(1.0, 0.5)), _smooth_form(SQUARE)
    ((_Exps(p=2.0, q=0.0), 0.5), None)
    """
    if not 0.0 < law.q < 1.0:
        return None
    r = 1.0 - law.q
    return _Exps(law.p / r, 0.0), r


def _pow(x: F64, e: float) -> F64 | float:
    """``x**e`` extended oddly to x < 0 (exact for e = 0 or 1), so RK4 stages stay smooth."""
    if e == 1 or e == 0:
        return x if e == 1 else 1.0
    return np.sign(x) * np.abs(x) ** e


def _rhs(law: Exps, A: F64, B: F64, a: F64, b: F64, live: npt.NDArray[np.bool_]) -> tuple[F64, F64]:
    dA = -b * _pow(B, law.p) * _pow(A, law.q)
    dB = -a * _pow(A, law.p) * _pow(B, law.q)
    return np.where(live, dA, 0.0), np.where(live, dB, 0.0)


def rates(
    law: Law, A: npt.ArrayLike, B: npt.ArrayLike, a: npt.ArrayLike, b: npt.ArrayLike
) -> tuple[F64, F64]:
    """Return ``(dA/dt, dB/dt)`` elementwise; a side at (or below) zero neither fires nor dies.

    >>> dA, dB = rates(SQUARE, [100.0, 0.0], [50.0, 50.0], 0.1, 0.2)
    >>> dA.tolist(), dB.tolist()
    ([-10.0, 0.0], [-10.0, 0.0])
    """
    A_, B_ = np.maximum(np.asarray(A, float), 0.0), np.maximum(np.asarray(B, float), 0.0)
    a_, b_ = np.asarray(a, float), np.asarray(b, float)
    return _rhs(law, A_, B_, a_, b_, (A_ > 0) & (B_ > 0))


Source = Callable[[F64, F64], tuple[F64, F64]]  # (t0, t1) -> arrivals of A and B in [t0, t1)


def _rk4(law: Exps, A: F64, B: F64, a: F64, b: F64, t: F64, h: F64, src: Source) -> tuple[F64, F64]:
    """One classical RK4 step of size ``h``; continuous arrivals enter as their exact integral.

    Who is alive is fixed at the start of the step; stage states may dip below zero (the
    caller then cuts the step at the crossing).
    """
    live = (A > 0) & (B > 0)
    k1 = _rhs(law, A, B, a, b, live)
    sA, sB = src(t, t + h / 2)
    k2 = _rhs(law, A + h / 2 * k1[0] + sA, B + h / 2 * k1[1] + sB, a, b, live)
    k3 = _rhs(law, A + h / 2 * k2[0] + sA, B + h / 2 * k2[1] + sB, a, b, live)
    sA, sB = src(t, t + h)
    k4 = _rhs(law, A + h * k3[0] + sA, B + h * k3[1] + sB, a, b, live)
    A1 = A + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]) + sA
    B1 = B + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]) + sB
    return A1, B1


def _advance(
    law: Exps, A: F64, B: F64, a: F64, b: F64, t: F64, h: F64, src: Source
) -> tuple[F64, F64]:
    """Advance every element by ``h``; a side crossing zero lands on exactly zero.

    The step is cut where the crossing is (bisection on the RK4 step length), the loser set
    to 0 there, and the rest of the step taken with the loser silent. A side at zero at the
    start of a step neither fires nor is hit during it, even if reinforced meanwhile.
    """

    def zero_time(side: int, hmax: F64) -> F64:
        lo, hi = np.zeros_like(hmax), hmax.copy()
        for _ in range(_BISECTIONS):
            mid = (lo + hi) / 2
            below = _rk4(law, A, B, a, b, t, mid, src)[side] <= 0
            hi, lo = np.where(below, mid, hi), np.where(below, lo, mid)
        return hi

    left = h.copy()
    while np.any(left > 0):
        A1, B1 = _rk4(law, A, B, a, b, t, left, src)
        cross = [(A > 0) & (A1 < 0), (B > 0) & (B1 < 0)]
        if not (cross[0].any() or cross[1].any()):
            return np.maximum(A1, 0.0), np.maximum(B1, 0.0)
        hz = [np.where(c, zero_time(i, left), np.inf) for i, c in enumerate(cross)]
        hs = np.minimum(left, np.minimum(hz[0], hz[1]))
        A1, B1 = _rk4(law, A, B, a, b, t, hs, src)
        A = np.where(hz[0] <= hs, 0.0, np.maximum(A1, 0.0))
        B = np.where(hz[1] <= hs, 0.0, np.maximum(B1, 0.0))
        t, left = t + hs, left - hs
    return A, B


@dataclass(frozen=True)
class Reinforcement:
    """``amount`` men arriving uniformly over ``[start, start + duration)``; 0 = all at once."""

    amount: float
    start: float
    duration: float = 0.0

    def __post_init__(self) -> None:
        if not all(0 <= v < math.inf for v in (self.amount, self.start, self.duration)):
            raise ValueError(f"amount, start and duration must be finite and >= 0: {self}")


@dataclass(frozen=True)
class Trajectory:
    """Strengths ``A``, ``B`` at times ``t`` (right-continuous: arrivals at ``t`` included)."""

    t: F64
    A: F64
    B: F64


def _spread(schedule: Sequence[Reinforcement], t0: F64, t1: F64) -> F64:
    out = np.zeros_like(t0)
    for r in schedule:
        if r.duration > 0:
            s, d = r.start, r.duration
            out = out + r.amount * (np.clip((t1 - s) / d, 0, 1) - np.clip((t0 - s) / d, 0, 1))
    return out


def integrate(
    A0: float,
    B0: float,
    a: float,
    b: float,
    law: LawSpec,
    t_end: float,
    dt: float,
    reinforcements_A: Sequence[Reinforcement] = (),
    reinforcements_B: Sequence[Reinforcement] = (),
) -> Trajectory:
    """Integrate the law with fixed-step RK4 from 0 to ``t_end`` (last step may be shorter).

    Instantaneous reinforcements land at the first step boundary at or after ``start``;
    spread ones enter each RK4 stage as their exact integral, so none are lost. For
    ``0 < q < 1`` a step is taken in ``u = A^(1-q)`` (:func:`_smooth_form`), except a step
    with spread arrivals: that one stays in ``A``, where they are exact. In ``u`` they
    would add ``(1-q) s(t) u^(-q/(1-q))``, singular at ``u = 0`` and no longer an exact
    integral; and a side fed at a rate ``s > 0`` has no crossing to miss (at ``A = 0``,
    ``dA/dt = s > 0``).

    >>> tr = integrate(1000.0, 800.0, 0.01, 0.01, SQUARE, t_end=200.0, dt=0.1)
    >>> round(float(tr.A[-1]), 6), float(tr.B[-1])
    (600.0, 0.0)
    """
    if not (t_end > 0 and dt > 0 and all(math.isfinite(x) and x >= 0 for x in (A0, B0, a, b))):
        raise ValueError("need t_end > 0, dt > 0 and finite non-negative A0, B0, a, b")
    law, n = law_from_spec(law), max(1, math.ceil(t_end / dt - 1e-9))
    t = np.minimum(np.arange(n + 1) * dt, t_end)
    jumps = np.zeros((2, n + 1))
    for side, sched in enumerate((reinforcements_A, reinforcements_B)):
        for r in sched:
            if r.duration == 0 and r.start <= t_end + 1e-9 * dt:
                jumps[side, min(n, math.ceil(r.start / dt - 1e-9))] += r.amount

    def src(t0: F64, t1: F64) -> tuple[F64, F64]:
        return _spread(reinforcements_A, t0, t1), _spread(reinforcements_B, t0, t1)

    out = np.empty((2, n + 1))
    A, B = np.array([A0 + jumps[0, 0]]), np.array([B0 + jumps[1, 0]])
    av, bv = np.array([float(a)]), np.array([float(b)])
    out[:, 0] = A[0], B[0]
    smooth = _smooth_form(law)
    rs = [x for x in (*reinforcements_A, *reinforcements_B) if x.duration > 0]
    at: tuple[F64, ...] = ()  # (A, B, u, v) where the steps in u, v began, then (u, v) now
    for k in range(1, n + 1):
        t0, h = t[k - 1 : k], t[k : k + 1] - t[k - 1 : k]
        if smooth is None or any(x.start < t[k] and t[k - 1] < x.start + x.duration for x in rs):
            A, B, at = (*_advance(law, A, B, av, bv, t0, h, src), ())
        else:  # state kept in u, v; a side whose u has not moved keeps its strength exactly
            (eqs, w), e = smooth, 1.0 / smooth[1]
            at = at or (A, B, A**w, B**w, A**w, B**w)
            u, v = _advance(eqs, at[4], at[5], w * av, w * bv, t0, h, _no_source)
            A, B = np.where(u == at[2], at[0], u**e), np.where(v == at[3], at[1], v**e)
            at = (*at[:4], u, v)
        if jumps[:, k].any():
            A, B, at = A + jumps[0, k], B + jumps[1, k], ()
        out[:, k] = A[0], B[0]
    return Trajectory(t=t, A=out[0], B=out[1])


def daily_losses(
    law: LawSpec,
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    a_fire: npt.ArrayLike,
    b_fire: npt.ArrayLike,
    dt: float = 1.0,
    substeps: int | None = None,
) -> tuple[F64, F64]:
    """Losses of A and of B over one period ``dt``, elementwise over sectors.

    ``a_fire``/``b_fire`` are the period's effective kill-rate coefficients. Each sector is
    integrated with ``substeps`` RK4 steps; losses never exceed strength. By default
    (``None``) the steps are :func:`stable_substeps` for the stiffest live sector at the
    start of the period (:func:`fastest_rate`): 24, or more for fast attrition. Too few
    steps for the rates make RK4 diverge: a side that should lose 98% of its strength
    is annihilated, or one that should lose most loses nothing.

    >>> lA, lB = daily_losses(SQUARE, [100.0, 10.0], [50.0, 100.0], 0.0, [0.02, 5.0])
    >>> lA.round(9).tolist(), lB.tolist()
    ([1.0, 10.0], [0.0, 0.0])
    """
    if (substeps is not None and substeps < 1) or not dt > 0:
        raise ValueError(f"need dt > 0 and substeps >= 1, got dt={dt!r}, substeps={substeps!r}")
    law = law_from_spec(law)
    args = (A, B, a_fire, b_fire)
    if substeps is None:
        rate = fastest_rate(law, *args) * dt
        substeps = stable_substeps(law, rate)
        if 2.0 * rate * max(1.0, law.q) > MAX_SUBSTEPS:
            raise ValueError(
                f"attrition too fast for {MAX_SUBSTEPS} RK4 steps: a side loses {rate:.4g} "
                "times its strength a period at the start; pass a shorter dt (or substeps)"
            )
    if _scalar_path(law, args):
        h1, cols = dt / substeps, [x.tolist() for x in args]  # type: ignore[union-attr]
        lost = [_losses_scalar(law, *x, h1, substeps) for x in zip(*cols, strict=True)]  # type: ignore[call-arg]
        out = np.array(lost, dtype=float).reshape(-1, 2)
        return out[:, 0], out[:, 1]
    arrs = np.broadcast_arrays(*(np.asarray(x, float) for x in args))
    if any(np.any(~np.isfinite(x) | (x < 0)) for x in arrs):
        raise ValueError("strengths and fire coefficients must be finite and >= 0")
    A0, B0, av, bv = (np.array(x) for x in arrs)
    smooth = _smooth_form(law)
    if smooth is None:
        A1, B1 = _steps(law, (A0, B0, av, bv), dt / substeps, substeps)
        return np.clip(A0 - A1, 0.0, A0), np.clip(B0 - B1, 0.0, B0)
    (eqs, r), e = smooth, 1.0 / smooth[1]
    u0, v0 = A0**r, B0**r
    u1, v1 = _steps(eqs, (u0, v0, r * av, r * bv), dt / substeps, substeps)
    lost_A = np.where(u1 > 0, np.clip(u0**e - u1**e, 0.0, A0), A0)
    return lost_A, np.where(v1 > 0, np.clip(v0**e - v1**e, 0.0, B0), B0)


def _no_source(t0: F64, t1: F64) -> tuple[F64, F64]:  # the same ``+ 0.0`` as before
    return 0.0 * t0, 0.0 * t0


def _steps(law: Exps, state: tuple[F64, F64, F64, F64], h1: float, n: int) -> tuple[F64, F64]:
    """``n`` steps of size ``h1`` of every element from ``state`` = (A, B, a, b), no arrivals."""
    A1, B1, av, bv = state
    h = np.full(A1.shape, h1)
    for i in range(n):
        A1, B1 = _advance(law, A1, B1, av, bv, i * h, h, _no_source)
    return A1, B1


def fastest_rate(
    law: LawSpec, A: npt.ArrayLike, B: npt.ArrayLike, a_fire: npt.ArrayLike, b_fire: npt.ArrayLike
) -> float:
    """The fastest relative loss rate at the start, among the sectors where both sides are
    alive: ``b B^p A^(q-1)`` for A, ``a A^p B^(q-1)`` for B (the share of its strength a
    side would lose per unit time at that rate); 0.0 where nobody fights.

    >>> fastest_rate(SQUARE, [100.0, 10.0], [50.0, 100.0], 0.0, [0.02, 5.0])
    50.0
    """
    law = law_from_spec(law)
    arrs = np.broadcast_arrays(*(np.asarray(x, float) for x in (A, B, a_fire, b_fire)))
    if any(np.any(~np.isfinite(x) | (x < 0)) for x in arrs):
        raise ValueError("strengths and fire coefficients must be finite and >= 0")
    A_, B_, a_, b_ = arrs
    live = (A_ > 0) & (B_ > 0)
    if not live.any():
        return 0.0
    A_, B_, a_, b_ = A_[live], B_[live], a_[live], b_[live]
    with np.errstate(over="ignore"):
        on_A = b_ * B_**law.p * A_ ** (law.q - 1.0)
        on_B = a_ * A_**law.p * B_ ** (law.q - 1.0)
    return float(max(on_A.max(), on_B.max()))


def stable_substeps(law: Law, rate: float) -> int:
    """RK4 steps for a period: :data:`SUBSTEPS`, or more so that ``rate x max(1, q) x h
    <= 1/2`` (well inside RK4's stability), at most :data:`MAX_SUBSTEPS`.

    >>> stable_substeps(SQUARE, 0.3), stable_substeps(SQUARE, 40.0)
    (24, 80)
    """
    stiff = rate * max(1.0, law.q)  # d/dy of y^q at y = 1
    if not math.isfinite(stiff):
        return MAX_SUBSTEPS
    return min(max(SUBSTEPS, math.ceil(2.0 * stiff)), MAX_SUBSTEPS)


# -- the same integration one sector at a time, compiled -----------------------------------
# For the few sectors of a map a day, numpy's per-call overhead dominates ``_advance``. The
# kernel ``law_kernels.rk4_steps`` performs, for one element, exactly the floating-point
# operations that ``_advance`` performs elementwise (same operands, same order, the same
# ``+ 0.0`` of the zero source term; ``x ** 0.5`` and ``x ** 2.0`` are ``math.sqrt(x)`` and
# ``x * x`` in numpy too), and ``law_kernels.crossing_step`` what it does in a step in which a
# side crosses zero (the bisection). ``tests/test_combat_paths.py`` forces each path on random
# sectors and laws and holds them to agree within 1e-12 relative.

#: The one switch between the two forms: up to this many sectors (and for exponents in
#: ``_SCALAR_EXP``), :func:`daily_losses` integrates one sector at a time (compiled);
#: above it the vectorised form is faster. 0 forces the vectorised form everywhere.
SCALAR_MAX_SECTORS = 64
_SCALAR_EXP = (0.0, 0.5, 1.0)


def _scalar_path(law: Law, args: tuple[npt.ArrayLike, ...]) -> bool:
    """Whether :func:`daily_losses` takes the per-sector float path for these arguments."""
    if law.p not in _SCALAR_EXP or law.q not in _SCALAR_EXP:
        return False
    if not all(type(x) is np.ndarray and x.dtype == np.float64 and x.ndim == 1 for x in args):
        return False
    shapes = {x.shape for x in args}  # type: ignore[union-attr]
    return len(shapes) == 1 and len(args[0]) <= SCALAR_MAX_SECTORS  # type: ignore[arg-type]


def _losses_scalar(
    law: Law, A0: float, B0: float, a: float, b: float, h: float, substeps: int
) -> tuple[float, float]:
    """``daily_losses`` for one sector (see above), in Python floats; ``0 < q < 1`` in ``u``."""
    if not all(math.isfinite(v) and v >= 0 for v in (A0, B0, a, b)):
        raise ValueError("strengths and fire coefficients must be finite and >= 0")
    smooth = _smooth_form(law)
    if smooth is None:
        A, B = _final_scalar(law, (A0, B0, a, b), h, substeps)
        return min(max(A0 - A, 0.0), A0), min(max(B0 - B, 0.0), B0)
    if smooth[1] != 0.5:
        raise ValueError(f"the float path takes q in {_SCALAR_EXP}, not {law.q}")
    u0, v0 = math.sqrt(A0), math.sqrt(B0)  # as daily_losses: numpy's ** 0.5 and ** 2.0
    u, v = _final_scalar(smooth[0], (u0, v0, 0.5 * a, 0.5 * b), h, substeps)
    lost_A = min(max(u0 * u0 - u * u, 0.0), A0) if u > 0 else A0
    return lost_A, min(max(v0 * v0 - v * v, 0.0), B0) if v > 0 else B0


def _final_scalar(
    law: Exps, state: tuple[float, float, float, float], h: float, substeps: int
) -> tuple[float, float]:
    """One sector's state after ``substeps`` steps: the RK4 steps compiled
    (:func:`sandbox.state.law_kernels.rk4_steps`), a step in which a side crosses zero
    by :func:`~sandbox.state.law_kernels.crossing_step`, then the steps after it.
    """
    A0, B0, a, b = state
    p, q = float(law.p), float(law.q)
    form = law_kernels.form_of(p, q)
    A, B, i = law_kernels.rk4_steps(form, p, q, (A0, B0, a, b), h, 0, substeps)
    while i < substeps:  # step i crosses zero
        A, B = law_kernels.crossing_step(form, p, q, (A, B, a, b), h)
        A, B, i = law_kernels.rk4_steps(form, p, q, (A, B, a, b), h, i + 1, substeps)
    return A, B
