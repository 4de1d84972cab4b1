"""Decisions as orders: helpers that build the dotted-key changes of an order.

The decisions a side can order (each a key of ``model.apply_orders``):

* **front priority**: ``nodes.ID.priority`` weighs the asks of the links into a
  node when their supplier runs short (:mod:`sandbox.rules.logistics.routing`);
* **production investment**: :func:`invest` raises a plant's ramp target, an order
  that takes effect when the new capacity arrives, the map's
  ``logistics.investment_lead_days`` after the order (:func:`invested_plan`);
* **transport**: ``links.A->B.capacity_t``;
* **strikes**: ``strikes.S.{policy,targets,strikes_per_day,...}``;
* **posture per sector**: ``operations.ID.{posture,attacker}``;
* **pulling depots back**: ``nodes.ID.pulled_back = true`` moves a depot with a
  ``fallback`` there next morning (:mod:`sandbox.rules.strikes.displacement`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sandbox.errors import ScenarioError, did_you_mean
from sandbox.rules.logistics.production import Plan, plan_of

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel
    from sandbox.play.fog import View


@dataclass(frozen=True)
class Investment:
    """An investment as an order: its ``changes``, to give for ``day`` (when the new
    capacity arrives): ``model.apply_orders(inv.changes, side, note, day=inv.day)``."""

    day: int
    changes: dict[str, Any]


def invest(
    model: LogisticsModel, node: str, commodity: str, target_per_day: float, ramp_days: int = 0
) -> Investment:
    """The order that raises ``node``'s output of ``commodity`` to ``target_per_day``.

    Ordered today (for the next morning, ``order_day``), it takes effect on
    ``order_day + logistics.investment_lead_days``, from the plant's plan as it will
    stand then (the current map with the orders queued by then); see
    :func:`invested_plan` for the new plan.
    """
    s = model.state
    if node not in s.node_index:
        raise ScenarioError("order", [f"invest: no node {node!r}{did_you_mean(node, s.node_ids)}"])
    if commodity not in s.commodities:
        raise ScenarioError("order", [f"invest: no commodity {commodity!r}"])
    order_day = s.day + 1
    lead = model.timeline.current.spec.logistics.investment_lead_days
    plan = plan_of(model.orders.foreseen(model, order_day + lead).spec, node, commodity)
    changes = invest_changes(node, commodity, plan, target_per_day, order_day, lead, ramp_days)
    return Investment(order_day + lead, changes)


def invest_seen(
    view: View, node: str, commodity: str, target_per_day: float, ramp_days: int = 0
) -> Investment:
    """:func:`invest` as a side orders it from what it sees (its own plants' plans,
    :attr:`View.plans <sandbox.play.fog.View.plans>`), after day ``view.day``."""
    plan = view.plans[node, commodity]
    lead = view.investment_lead_days
    changes = invest_changes(node, commodity, plan, target_per_day, view.day + 1, lead, ramp_days)
    return Investment(view.day + 1 + lead, changes)


def invest_changes(
    node: str,
    commodity: str,
    plan: Plan,
    target_per_day: float,
    order_day: int,
    lead_days: int,
    ramp_days: int = 0,
) -> dict[str, Any]:
    """The changes of an investment ordered for ``order_day``, to take effect (to be
    given for) ``order_day + lead_days``: the plant's new plan (:func:`invested_plan`)."""
    new = invested_plan(plan, target_per_day, order_day + lead_days, ramp_days)
    ramp = {"target": new.target_per_day, "start_day": new.start_day}
    ramp["days"] = new.days  # (a dict, not dotted literals: "days" is also an output)
    out: dict[str, Any] = {f"nodes.{node}.production.{commodity}": new.base_per_day}
    out |= {".".join(("nodes", node, "ramp", commodity, k)): v for k, v in ramp.items()}
    return out


def invested_plan(plan: Plan, target_per_day: float, day: int, ramp_days: int = 0) -> Plan:
    """The plan that replaces ``plan`` from ``day`` when capacity for
    ``target_per_day`` arrives then, to ramp up over ``ramp_days``.

    The rule, with ``r`` the old plan's rate on ``day`` and ``T`` its target:

    * the new target is ``T' = max(target_per_day, T)``; the new plan's base is
      ``r`` (output continues from the old plan's rate: no jump down);
    * when ``T' >= r``, the new ramp starts on ``day`` and takes ``ramp_days``,
      shortened if the old plan was still rising (``T > r``) so that the new line
      reaches ``T`` no later than the old plan did (on ``plan.end_day``):
      ``days' = min(ramp_days, floor(R x (T' - r) / (T - r)))``, ``R = plan.end_day -
      day``. The old plan rises along or below the straight line from ``r`` on
      ``day`` to ``T`` on its end day, and the new one runs on or above it;
    * when ``T' < r`` (the old plan falls and the new target is below today's
      rate), the plant falls as the old plan does but stops at ``T'``: from
      ``max(day, plan.start_day)`` over ``ceil(R x (r - T') / (r - T))`` days,
      ``R = plan.end_day - max(day, plan.start_day)``.

    So on no day from ``day`` on does the new plan make less than the old one
    (exactly, in real numbers; the kernel's floating point may differ by rounding),
    and from its end day on it makes ``T'``. ``floor``/``ceil`` are computed in
    exact fractions of the floats.
    """
    r = plan.rate(day)
    old_target = plan.target_per_day
    target = max(float(target_per_day), old_target)
    if target >= r:
        days = int(ramp_days)
        if old_target > r:  # the old plan still rising: reach its target no later
            left = Fraction(plan.end_day - day)
            share = (Fraction(target) - Fraction(r)) / (Fraction(old_target) - Fraction(r))
            days = min(days, math.floor(left * share))
        return Plan(r, target, day, days)
    start = max(day, plan.start_day)
    left = Fraction(plan.end_day - start)
    share = (Fraction(r) - Fraction(target)) / (Fraction(r) - Fraction(old_target))
    return Plan(r, target, start, math.ceil(left * share))
