"""Scalar outcomes of a run, computed from its daily table (pure functions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sandbox.state import SIDES

SUMMED = ("produced", "delivered", "consumed", "demand", "shortfall", "destroyed")
STRIKE_SUMS = (
    "strikes",
    "hits",
    "intercepted",
    "destroyed_t",
    "links_down",
)  # links_down: link-days
SHORT_TOL = 1e-9  # a shortfall below this share of demand is rounding, not a shortage


def short_days(daily: pd.DataFrame, side: str, commodity: str) -> pd.Series:
    """Boolean series: days on which the side's fronts got less than they needed."""
    demand = daily[f"{side}.{commodity}.demand"]
    return daily[f"{side}.{commodity}.shortfall"] > SHORT_TOL * demand.clip(lower=1.0)


def first_day(flags: pd.Series) -> int | None:
    hit = flags[flags]
    return int(hit.index[0]) if len(hit) else None


def summarize(daily: pd.DataFrame, commodities: list[str]) -> dict[str, Any]:
    """Totals per side and commodity, end stocks, shortfall days and first short day."""
    out: dict[str, Any] = {"days": len(daily)}
    for side in SIDES:
        for c in commodities:
            key = f"{side}.{c}"
            for m in SUMMED:
                out[f"{key}.{m}"] = float(daily[f"{key}.{m}"].sum())
            out[f"{key}.stock_end"] = float(daily[f"{key}.stock"].iloc[-1]) if len(daily) else 0.0
            flags = short_days(daily, side, c)
            out[f"{key}.shortfall_days"] = int(flags.sum())
            out[f"{key}.first_short_day"] = first_day(flags)
        out[f"{side}.rounds_fired"] = float(daily[f"{side}.rounds_fired"].sum())
        out[f"{side}.rounds_per_day_mean"] = (
            float(daily[f"{side}.rounds_fired"].mean()) if len(daily) else 0.0
        )
        for m in STRIKE_SUMS:
            col = f"{side}.{m}"
            if col in daily:
                out[f"{side}.{m}" if m != "links_down" else f"{side}.link_days_down"] = float(
                    daily[col].sum()
                )
        if f"{side}.depots_moved" in daily:
            out[f"{side}.depots_moved"] = (
                int(daily[f"{side}.depots_moved"].iloc[-1]) if len(daily) else 0
            )
    if "ammunition" in commodities:
        firsts = {s: out[f"{s}.ammunition.first_short_day"] for s in SIDES}
        out["first_side_short_of_ammunition"] = _first_side(firsts)
    return out


def _first_side(firsts: dict[str, int | None]) -> str | None:
    known = {s: d for s, d in firsts.items() if d is not None}
    if not known:
        return None
    earliest = min(known.values())
    sides = sorted(s for s, d in known.items() if d == earliest)
    return sides[0] if len(sides) == 1 else "both"
