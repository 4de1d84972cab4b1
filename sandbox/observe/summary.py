"""Scalar outcomes of a run, computed from its daily table (pure functions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sandbox.state.supply import SIDES

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
        firsts: dict[str, int | None] = {s: out[f"{s}.ammunition.first_short_day"] for s in SIDES}
        out["first_side_short_of_ammunition"] = _first_side(firsts)
    out.update(combat_summary(daily))
    return out


def _first_side(firsts: dict[str, int | None]) -> str | None:
    known = {s: d for s, d in firsts.items() if d is not None}
    if not known:
        return None
    earliest = min(known.values())
    sides = sorted(s for s, d in known.items() if d == earliest)
    return sides[0] if len(sides) == 1 else "both"


def fires_below_doctrine(daily: pd.DataFrame, side: str) -> pd.Series:
    """Boolean series: days the side fired fewer rounds than its guns in action asked for."""
    asked = daily[f"{side}.rounds_demanded"]
    return daily[f"{side}.rounds_fired"] < asked - SHORT_TOL * asked.clip(lower=1.0)


def combat_summary(daily: pd.DataFrame) -> dict[str, Any]:
    """Strength, losses, fire, sectors and who is winning (empty for old daily tables)."""
    if "blue.strength" not in daily or not len(daily):
        return {}
    out: dict[str, Any] = {}
    first30 = daily.iloc[:30]
    for side in SIDES:
        start = float(daily[f"{side}.strength"].iloc[0] + daily[f"{side}.losses"].iloc[0])
        end = float(daily[f"{side}.strength"].iloc[-1])
        out[f"{side}.strength_start"] = start
        out[f"{side}.strength_end"] = end
        out[f"{side}.losses"] = float(daily[f"{side}.losses"].sum())
        out[f"{side}.guns_in_action_end"] = float(daily[f"{side}.guns_in_action"].iloc[-1])
        out[f"{side}.guns_worn_end"] = float(daily[f"{side}.guns_worn"].iloc[-1])
        out[f"{side}.rounds_per_day_first_30"] = float(first30[f"{side}.rounds_fired"].mean())
        out[f"{side}.fires_below_doctrine_day"] = first_day(fires_below_doctrine(daily, side))
    blue30 = out["blue.rounds_per_day_first_30"]
    out["fire_ratio_red_blue_first_30"] = (
        out["red.rounds_per_day_first_30"] / blue30 if blue30 > 0 else None
    )
    sectors = sorted({c.split(".")[1] for c in daily.columns if c.startswith("sector.")})
    held = {"blue": 0, "red": 0}
    front_km = 0.0
    for k in sectors:
        control = daily[f"sector.{k}.control"]
        end = int(control.iloc[-1])
        out[f"sector.{k}.holder"] = {1: "blue", -1: "red"}.get(end, "contested")
        out[f"sector.{k}.fell_on_day"] = first_day(control != 0)
        out[f"sector.{k}.front_km_end"] = float(daily[f"sector.{k}.front_km"].iloc[-1])
        front_km += out[f"sector.{k}.front_km_end"] - float(daily[f"sector.{k}.front_km"].iloc[0])
        if end:
            held["blue" if end > 0 else "red"] += 1
    out["sectors_won.blue"], out["sectors_won.red"] = held["blue"], held["red"]
    out["front_km_gained_by_blue"] = front_km
    out["winning"] = _winner(held, front_km, out)
    return out


def _winner(held: dict[str, int], front_km: float, out: dict[str, Any]) -> str:
    """More sectors won; then ground gained; then the larger share of strength kept."""
    if held["blue"] != held["red"]:
        return "blue" if held["blue"] > held["red"] else "red"
    if abs(front_km) > 1e-9:
        return "blue" if front_km > 0 else "red"
    kept = {
        s: out[f"{s}.strength_end"] / out[f"{s}.strength_start"]
        for s in SIDES
        if out[f"{s}.strength_start"] > 0
    }
    if len(kept) < 2 or kept["blue"] == kept["red"]:
        return "neither"
    return "blue" if kept["blue"] > kept["red"] else "red"
