"""Metrics: small pure functions of the model, declared once.

The DataCollector, the CLI summary and the dashboard all read these. Daily
columns are named ``side.commodity.metric`` (for example
``blue.ammunition.stock``) plus per-side columns such as
``blue.rounds_fired``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sandbox import fighting, strikes
from sandbox.state import SIDES, SupplyState

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

# per side and commodity, in the commodity's own unit
COMMODITY_METRICS = (
    "produced",
    "shipped",
    "delivered",
    "demand",
    "consumed",
    "shortfall",
    "stock",
    "front_stock",
    "in_transit",
    "destroyed",
)
SIDE_METRICS = ("rounds_fired", "rounds_demanded", "shipped_t", "in_transit_t")
# per side, from sandbox/strikes.py: the side's own strikes, hits and strikes
# intercepted by the enemy; the side's links down, stock destroyed (t) and
# depots moved back so far
STRIKE_METRICS = ("strikes", "hits", "intercepted", "links_down", "destroyed_t", "depots_moved")


def column_names(commodities: list[str], sectors: list[str] | None = None) -> list[str]:
    cols = [f"{s}.{c}.{m}" for s in SIDES for c in commodities for m in COMMODITY_METRICS]
    cols += [f"{s}.{m}" for s in SIDES for m in SIDE_METRICS]
    cols += [f"{s}.{m}" for s in SIDES for m in STRIKE_METRICS]
    cols += fighting.column_names(sectors or [])
    return cols


NODE_METRICS = (
    "produced",
    "delivered",
    "demand",
    "consumed",
    "shortfall",
    "stock",
    "front_stock",
    "destroyed",
)
LINK_METRICS = ("shipped", "in_transit")


def daily_totals(s: SupplyState) -> dict[str, float]:
    """All daily columns for the state as it is at the end of a day.

    The per-node metrics are summed per side in one pass (one ``bincount``
    over the arrays side by side), the per-link ones in another: the same
    sums, in the same order, as one ``side_sum`` per metric.
    """
    t = s.today
    front = s.is_front[:, None]
    node_parts = {
        "produced": t.produced,
        "delivered": t.received * front,
        "demand": t.demand,
        "consumed": t.consumed,
        "shortfall": t.demand - t.consumed,
        "stock": s.stock,
        "front_stock": s.stock * front,
        "destroyed": t.destroyed,
    }
    c = len(s.commodities)
    per_node = s.side_sum(np.concatenate([node_parts[m] for m in NODE_METRICS], axis=1))
    per_link = s.side_sum_links(np.concatenate([t.shipped, s.in_transit], axis=1))
    per: dict[str, np.ndarray] = {
        m: per_node[:, k * c : (k + 1) * c] for k, m in enumerate(NODE_METRICS)
    }
    per.update({m: per_link[:, k * c : (k + 1) * c] for k, m in enumerate(LINK_METRICS)})
    table = np.stack([per[m] for m in COMMODITY_METRICS], axis=-1).tolist()  # (S, C, M)
    out: dict[str, float] = {}
    for si, side in enumerate(SIDES):
        for ci, cname in enumerate(s.commodities):
            for m, v in zip(COMMODITY_METRICS, table[si][ci], strict=True):
                out[f"{side}.{cname}.{m}"] = v
        if s.ammo >= 0:
            out[f"{side}.rounds_fired"] = float(per["consumed"][si, s.ammo])
            out[f"{side}.rounds_demanded"] = float(per["demand"][si, s.ammo])
        else:
            out[f"{side}.rounds_fired"] = out[f"{side}.rounds_demanded"] = 0.0
        out[f"{side}.shipped_t"] = float(per["shipped"][si] @ s.tonnes_per_unit)
        out[f"{side}.in_transit_t"] = float(per["in_transit"][si] @ s.tonnes_per_unit)
    for m, per_side in strikes.daily_counts(s).items():
        for si, side in enumerate(SIDES):
            out[f"{side}.{m}"] = float(per_side[si])
    out.update(fighting.daily_columns(s))
    return out


def metric(model: LogisticsModel, name: str) -> float:
    """DataCollector reporter: one daily column (module level, so models pickle)."""
    return model.totals[name]


def reporters(commodities: list[str], sectors: list[str] | None = None) -> dict[str, Any]:
    return {name: partial(metric, name=name) for name in column_names(commodities, sectors)}


class DailyCollector(mesa.DataCollector):
    """A DataCollector that reads :func:`metric` reporters straight from ``model.totals``.

    Same table as ``mesa.DataCollector``; it skips the per-reporter type checks
    and deep copies (the values are floats) for the ``metric`` reporters and
    collects any other reporter the usual way.
    """

    _fast: dict[str, str] | None = None

    def collect(self, model: Any) -> None:
        fast = self._fast
        if fast is None:
            fast = self._fast = {
                var: rep.keywords["name"]
                for var, rep in self.model_reporters.items()
                if isinstance(rep, partial) and rep.func is metric and not rep.args
            }
        if (
            len(fast) != len(self.model_reporters)
            or self.agent_reporters
            or (self.agenttype_reporters)
        ):
            super().collect(model)
            return
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        totals = model.totals
        for var, name in fast.items():
            self.model_vars[var].append(totals[name])


def mass_balance_error(s: SupplyState) -> np.ndarray:
    """initial + produced - (stock + in transit + consumed + destroyed), per side and commodity."""
    lg = s.ledger
    held = s.side_sum(s.stock) + s.side_sum_links(s.in_transit)
    return lg.initial + lg.produced - (held + lg.consumed + lg.destroyed)
