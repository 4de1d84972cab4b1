"""Attrition: the day's losses per sector and side, from today's fire and the target's density.

Both sides of a sector share its frontage (``frontage_km``). B's density is
``B / frontage_km``; at the sector's ``reference_density_per_km`` one round of quality 1
destroys ``kills_per_round`` of B, and at other densities that times
``(density / reference)^q``, with ``q`` the law's target-density exponent (aimed fire
``q = 0``: a round kills the same whatever the density; area fire ``q = 1``: in proportion
to it; Helmbold in between). So at the start of the day B loses

    kills_per_round_A x fire_A x (B / B_ref)^q    per day,  B_ref = frontage x reference density,

with ``fire_A`` = rounds A fired x quality x fuel factor: fire is proportional to the guns in
action, so across days ``p = 1`` whatever the law says; the law's ``p`` only shapes how A's
fire falls with A's own losses within the day. ``B_ref`` is the same for both sides and never
either side's own starting strength, so numbers count: with red at N times blue's guns and the
same rounds per gun, loss shares are equal at blue quality ``N^(2 - q)`` (16, 8, 4 for q = 0,
0.5, 1 at N = 4), and scaling both sides by k scales both loss shares by ``k^q``
(``tests/test_attrition_density.py``).

The day is integrated in shares of the morning strengths (loss rates capped at
``MAX_SHARE_PER_DAY``); the square and linear laws in closed form
(:func:`sandbox.rules.combat.closed_forms.exact_share_losses`), other laws by RK4
(:func:`sandbox.rules.combat.laws.daily_losses`).
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.combat.closed_forms import exact_share_losses
from sandbox.rules.combat.laws import daily_losses, stable_substeps
from sandbox.state.combat import CONTESTED, F64, CombatState

TINY = 1e-9  # share of initial strength below which a side no longer fights
MAX_SHARE_PER_DAY = 48.0  # cap on the morning loss rate, in own strengths per day


def attrition(c: CombatState, strength_ks: F64) -> F64:
    """Strength lost today per sector and side (K, 2).

    Integrated in shares of the start-of-day strengths ``A_s``, ``B_s`` (``x = A / A_s``,
    ``y = B / B_s``, both 1 in the morning): Helmbold's law keeps its form,
    ``dy/dt = -alpha x^p y^q`` with ``alpha = kills_per_round_A x fire_A x (B_s/B_ref)^q / B_s``
    (the share of B destroyed per day at the morning rate), and symmetrically ``beta``.
    No power of a raw strength is taken, so tiny strengths or large exponents cannot
    overflow or underflow the coefficients into a side that inflicts nothing.
    """
    A, B = strength_ks[:, 0], strength_ks[:, 1]
    A0, B0 = c.strength0_ks[:, 0], c.strength0_ks[:, 1]
    # a side below a billionth of its initial strength is gone
    live = (c.control == CONTESTED) & (A > TINY * A0) & (B > TINY * B0)
    As, Bs = np.where(live, A, 1.0), np.where(live, B, 1.0)
    dense_A, dense_B = As / c.reference_strength, Bs / c.reference_strength
    kill = c.kills_per_round[None, :] * c.fire_ks
    with np.errstate(over="ignore"):  # a subnormal strength: capped just below
        alpha = np.where(live, kill[:, 0] * dense_B**c.q / Bs, 0.0)
        beta = np.where(live, kill[:, 1] * dense_A**c.q / As, 0.0)
    # physical guard: a side loses at most MAX_SHARE_PER_DAY times its strength a day
    # at the morning rate (all of it in half an hour); beyond that the outcome of the day
    # no longer changes, and the integration stays finite and stable
    alpha, beta = np.minimum(alpha, MAX_SHARE_PER_DAY), np.minimum(beta, MAX_SHARE_PER_DAY)
    out = np.zeros_like(strength_ks)
    rows = np.flatnonzero(live).tolist()
    if rows:
        _losses_into(c, (alpha, beta), (As, Bs), rows, out)
    return out


def _losses_into(
    c: CombatState, rates: tuple[F64, F64], morning: tuple[F64, F64], rows: list[int], out: F64
) -> None:
    """Write the losses of the live sectors ``rows`` into ``out`` (K, 2), in shares of
    the morning strengths times them: the closed form where the law has one (per sector,
    in Python floats), else RK4 (:func:`daily_losses`) for all of a law's sectors without
    one at once, with :func:`~sandbox.rules.combat.laws.stable_substeps` steps for the
    fastest rate among its live sectors."""
    alpha, beta = rates
    a_l, b_l = alpha.tolist(), beta.tolist()
    A_l, B_l = (x.tolist() for x in morning)
    law_of = c.law_id.tolist()
    todo: dict[int, list[int]] = {}
    for i in rows:
        exact = exact_share_losses(c.laws[law_of[i]], a_l[i], b_l[i], 1.0)
        if exact is None:
            todo.setdefault(law_of[i], []).append(i)
        else:
            out[i, 0], out[i, 1] = exact[0] * A_l[i], exact[1] * B_l[i]
    for j, idx in todo.items():
        law = c.laws[j]
        sel = np.array([i for i in rows if law_of[i] == j])
        steps = stable_substeps(law, float(max(alpha[sel].max(), beta[sel].max())))
        one = np.ones(len(idx))
        lx, ly = daily_losses(law, one, one, alpha[idx], beta[idx], substeps=steps)
        out[idx, 0], out[idx, 1] = lx * morning[0][idx], ly * morning[1][idx]
