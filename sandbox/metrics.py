"""Metrics: small pure functions of the model, declared once.

The DataCollector, the CLI summary and the dashboard all read these. Daily
columns are named ``side.commodity.metric`` (for example
``blue.ammunition.stock``) plus per-side columns such as
``blue.rounds_fired``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox import fighting
from sandbox.state import FRONT, SIDES, SupplyState

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


def column_names(commodities: list[str], sectors: list[str] | None = None) -> list[str]:
    cols = [f"{s}.{c}.{m}" for s in SIDES for c in commodities for m in COMMODITY_METRICS]
    cols += [f"{s}.{m}" for s in SIDES for m in SIDE_METRICS]
    cols += fighting.column_names(sectors or [])
    return cols


def daily_totals(s: SupplyState) -> dict[str, float]:
    """All daily columns for the state as it is at the end of a day."""
    t = s.today
    front = (s.kind == FRONT)[:, None]
    per: dict[str, np.ndarray] = {
        "produced": s.side_sum(t.produced),
        "shipped": s.side_sum_links(t.shipped),
        "delivered": s.side_sum(t.received * front),
        "demand": s.side_sum(t.demand),
        "consumed": s.side_sum(t.consumed),
        "shortfall": s.side_sum(t.demand - t.consumed),
        "stock": s.side_sum(s.stock),
        "front_stock": s.side_sum(s.stock * front),
        "in_transit": s.side_sum_links(s.in_transit),
        "destroyed": s.side_sum(t.destroyed),
    }
    out: dict[str, float] = {}
    for si, side in enumerate(SIDES):
        for ci, c in enumerate(s.commodities):
            for m in COMMODITY_METRICS:
                out[f"{side}.{c}.{m}"] = float(per[m][si, ci])
        if s.ammo >= 0:
            out[f"{side}.rounds_fired"] = float(per["consumed"][si, s.ammo])
            out[f"{side}.rounds_demanded"] = float(per["demand"][si, s.ammo])
        else:
            out[f"{side}.rounds_fired"] = out[f"{side}.rounds_demanded"] = 0.0
        out[f"{side}.shipped_t"] = float(per["shipped"][si] @ s.tonnes_per_unit)
        out[f"{side}.in_transit_t"] = float(per["in_transit"][si] @ s.tonnes_per_unit)
    out.update(fighting.daily_columns(s))
    return out


def metric(model: LogisticsModel, name: str) -> float:
    """DataCollector reporter: one daily column (module level, so models pickle)."""
    return model.totals[name]


def reporters(commodities: list[str], sectors: list[str] | None = None) -> dict[str, Any]:
    return {name: partial(metric, name=name) for name in column_names(commodities, sectors)}


def mass_balance_error(s: SupplyState) -> np.ndarray:
    """initial + produced - (stock + in transit + consumed + destroyed), per side and commodity."""
    lg = s.ledger
    held = s.side_sum(s.stock) + s.side_sum_links(s.in_transit)
    return lg.initial + lg.produced - (held + lg.consumed + lg.destroyed)
