"""Scalar outcomes of a run, computed from its daily table (pure functions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sandbox.observe.race import doctrine_fire_share, ground_verdict, race_winner
from sandbox.state.columns import DAILY, SUMMARY
from sandbox.state.supply import SIDES

SUMMED = ("produced", "delivered", "consumed", "demand", "shortfall", "destroyed")
# (daily column, summary entry) per side, summed over the days; links_down gives link-days
STRIKE_SUMS = (
    ("strikes", "strikes"),
    ("hits", "hits"),
    ("intercepted", "intercepted"),
    ("destroyed_t", "destroyed_t"),
    ("links_down", "link_days_down"),
)
SHORT_TOL = 1e-9  # a shortfall below this share of demand is rounding, not a shortage


def short_days(daily: pd.DataFrame, side: str, commodity: str) -> pd.Series:
    """Boolean series: days on which the side's fronts got less than they needed."""
    demand = daily[DAILY.commodity(side, commodity, "demand")]
    return daily[DAILY.commodity(side, commodity, "shortfall")] > SHORT_TOL * demand.clip(lower=1.0)


def first_day(flags: pd.Series) -> int | None:
    hit = flags[flags]
    return int(hit.index[0]) if len(hit) else None


def summarize(
    daily: pd.DataFrame, commodities: list[str], sectors: list[str] | None = None
) -> dict[str, Any]:
    """Totals per side and commodity, end stocks, shortfall days and first short day.

    ``sectors``: the map's sector ids (the combat state's); by default those whose
    columns the daily table has.
    """
    out: dict[str, Any] = {SUMMARY.overall("days"): len(daily)}
    for side in SIDES:
        for c in commodities:
            out.update(_commodity_summary(daily, side, c))
        fired = daily[DAILY.side(side, "rounds_fired")]
        out[SUMMARY.side(side, "rounds_fired")] = float(fired.sum())
        out[SUMMARY.side(side, "rounds_per_day_mean")] = float(fired.mean()) if len(daily) else 0.0
        for m, entry in STRIKE_SUMS:
            col = DAILY.side(side, m)
            if col in daily:
                out[SUMMARY.side(side, entry)] = float(daily[col].sum())
        moved = DAILY.side(side, "depots_moved")
        if moved in daily:
            out[SUMMARY.side(side, "depots_moved")] = (
                int(daily[moved].iloc[-1]) if len(daily) else 0
            )
    if "ammunition" in commodities:
        firsts: dict[str, int | None] = {
            s: out[SUMMARY.commodity(s, "ammunition", "first_short_day")] for s in SIDES
        }
        out[SUMMARY.overall("first_side_short_of_ammunition")] = _first_side(firsts)
    out.update(race_summary(daily))
    if sectors is None:
        sectors = DAILY.sector_ids(daily.columns)
    out.update(combat_summary(daily, sectors))
    return out


def _commodity_summary(daily: pd.DataFrame, side: str, c: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in SUMMED:
        out[SUMMARY.commodity(side, c, m)] = float(daily[DAILY.commodity(side, c, m)].sum())
    stock = daily[DAILY.commodity(side, c, "stock")]
    out[SUMMARY.commodity(side, c, "stock_end")] = float(stock.iloc[-1]) if len(daily) else 0.0
    flags = short_days(daily, side, c)
    out[SUMMARY.commodity(side, c, "shortfall_days")] = int(flags.sum())
    out[SUMMARY.commodity(side, c, "first_short_day")] = first_day(flags)
    return out


def _first_side(firsts: dict[str, int | None]) -> str | None:
    known = {s: d for s, d in firsts.items() if d is not None}
    if not known:
        return None
    earliest = min(known.values())
    sides = sorted(s for s, d in known.items() if d == earliest)
    return sides[0] if len(sides) == 1 else "both"


def race_summary(daily: pd.DataFrame) -> dict[str, Any]:
    """Each side's share of its doctrine's rounds fired over the run, and the winner of the
    race (:mod:`sandbox.observe.race`); empty for daily tables without the demand."""
    if DAILY.side(SIDES[0], "rounds_demanded") not in daily:
        return {}
    shares: dict[str, float | None] = {
        s: doctrine_fire_share(
            float(daily[DAILY.side(s, "rounds_fired")].sum()),
            float(daily[DAILY.side(s, "rounds_demanded")].sum()),
        )
        for s in SIDES
    }
    out: dict[str, Any] = {SUMMARY.side(s, "doctrine_fire_share"): v for s, v in shares.items()}
    out[SUMMARY.overall("winning")] = race_winner(shares)
    return out


def fires_below_doctrine(daily: pd.DataFrame, side: str) -> pd.Series:
    """Boolean series: days the side fired fewer rounds than its guns in action asked for."""
    asked = daily[DAILY.side(side, "rounds_demanded")]
    fired = daily[DAILY.side(side, "rounds_fired")]
    return fired < asked - SHORT_TOL * asked.clip(lower=1.0)


def combat_summary(daily: pd.DataFrame, sectors: list[str] | None = None) -> dict[str, Any]:
    """Strength, losses, fire, sectors and who took ground (empty for old daily tables)."""
    if DAILY.side(SIDES[0], "strength") not in daily or not len(daily):
        return {}
    out: dict[str, Any] = {}
    first30 = daily.iloc[:30]
    for side in SIDES:
        out.update(_side_combat(daily, first30, side))
    blue30, red30 = (out[SUMMARY.side(s, "rounds_per_day_first_30")] for s in SIDES)
    out[SUMMARY.overall("fire_ratio_red_blue_first_30")] = red30 / blue30 if blue30 > 0 else None
    if sectors is None:
        sectors = DAILY.sector_ids(daily.columns)
    held, front_km = _sector_summary(daily, sorted(set(sectors)), out)
    for side in SIDES:
        out[SUMMARY.tally("sectors_won", side)] = held[side]
    out[SUMMARY.overall("front_km_gained_by_blue")] = front_km
    out[SUMMARY.overall("ground")] = ground_verdict(held, front_km)
    return out


def _side_combat(daily: pd.DataFrame, first30: pd.DataFrame, side: str) -> dict[str, Any]:
    def col(m: str) -> pd.Series:
        return daily[DAILY.side(side, m)]

    def entry(m: str) -> str:
        return SUMMARY.side(side, m)

    return {
        entry("strength_start"): float(col("strength").iloc[0] + col("losses").iloc[0]),
        entry("strength_end"): float(col("strength").iloc[-1]),
        entry("losses"): float(col("losses").sum()),
        entry("guns_in_action_end"): float(col("guns_in_action").iloc[-1]),
        entry("guns_worn_end"): float(col("guns_worn").iloc[-1]),
        entry("rounds_per_day_first_30"): float(first30[DAILY.side(side, "rounds_fired")].mean()),
        entry("fires_below_doctrine_day"): first_day(fires_below_doctrine(daily, side)),
    }


def _sector_summary(
    daily: pd.DataFrame, sectors: list[str], out: dict[str, Any]
) -> tuple[dict[str, int], float]:
    """Each sector's holder, fall day and end front into ``out``; sectors held per side and
    the front gained by blue, summed over the sectors."""
    held = {"blue": 0, "red": 0}
    front_km = 0.0
    for k in sectors:
        control = daily[DAILY.sector(k, "control")]
        front = daily[DAILY.sector(k, "front_km")]
        end = int(control.iloc[-1])
        out[SUMMARY.sector(k, "holder")] = {1: "blue", -1: "red"}.get(end, "contested")
        out[SUMMARY.sector(k, "fell_on_day")] = first_day(control != 0)
        out[SUMMARY.sector(k, "front_km_end")] = float(front.iloc[-1])
        front_km += out[SUMMARY.sector(k, "front_km_end")] - float(front.iloc[0])
        if end:
            held["blue" if end > 0 else "red"] += 1
    return held, front_km
