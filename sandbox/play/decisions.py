"""Decisions as orders: helpers that build the dotted-key changes of an order.

The decisions a side can order (each a key of ``model.apply_orders``):

* **front priority**: ``nodes.ID.priority`` weighs the asks of the links into a
  node when their supplier runs short (:mod:`sandbox.rules.logistics.routing`);
* **production investment**: :func:`invest` raises a plant's ramp target, delivered
  after the map's ``logistics.investment_lead_days``;
* **transport**: ``links.A->B.capacity_t``;
* **strikes**: ``strikes.S.{policy,targets,strikes_per_day,...}``;
* **posture per sector**: ``operations.ID.{posture,attacker}``;
* **pulling depots back**: ``nodes.ID.pulled_back = true`` moves a depot with a
  ``fallback`` there next morning (:mod:`sandbox.rules.strikes.displacement`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import ScenarioError, did_you_mean
from sandbox.rules.logistics import production

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel


def invest(
    model: LogisticsModel, node: str, commodity: str, target_per_day: float, ramp_days: int = 0
) -> dict[str, Any]:
    """The changes that raise ``node``'s output of ``commodity`` to ``target_per_day``.

    Ordered today, the new line starts ``logistics.investment_lead_days`` after the
    order's day (ramping over ``ramp_days``); until then the plant keeps making
    what it makes today (its base is set to today's rate).
    """
    s = model.state
    if node not in s.node_index:
        raise ScenarioError("order", [f"invest: no node {node!r}{did_you_mean(node, s.node_ids)}"])
    if commodity not in s.commodities:
        raise ScenarioError("order", [f"invest: no commodity {commodity!r}"])
    day = s.day + 1  # orders take effect next morning
    now = production.rate(s, day)[s.node_index[node], s.commodities.index(commodity)]
    lead = model.timeline.current.spec.logistics.investment_lead_days
    return invest_changes(node, commodity, float(now), target_per_day, day, lead, ramp_days)


def invest_changes(
    node: str,
    commodity: str,
    rate_now: float,
    target_per_day: float,
    order_day: int,
    lead_days: int,
    ramp_days: int = 0,
) -> dict[str, Any]:
    """The changes of an investment ordered for ``order_day``: output stays at
    ``rate_now`` until ``order_day + lead_days``, then ramps to ``target_per_day``."""
    ramp = {"target": float(target_per_day), "start_day": order_day + lead_days}
    ramp["days"] = int(ramp_days)  # (a dict, not dotted literals: "days" is also an output)
    out: dict[str, Any] = {f"nodes.{node}.production.{commodity}": float(rate_now)}
    out |= {".".join(("nodes", node, "ramp", commodity, k)): v for k, v in ramp.items()}
    return out
