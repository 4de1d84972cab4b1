"""Lesson 1, the production gap: expenditure above production drains the stockpile.

The front fires more than the plant makes; the stockpile covers the gap until
the depletion day. A ramp-up closes the gap, but new lines take a production
lead time before any extra round comes out and then ramp up over months: the
decision has to come long before the stockpile looks low.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from sandbox.lessons.base import Lesson, Number, Outcome, fmt
from sandbox.lessons.common import describe_overrides, figure, run_variant

KEY = "nodes.plant"
C = "blue.ammunition"


class ProductionGap(Lesson):
    name = "production_gap"
    number = 1
    title = "The production gap: who runs dry, and when a ramp-up comes too late"
    goal = (
        "See that a stockpile only buys time when expenditure exceeds production, "
        "compute the depletion day, and see that a ramp-up must be decided a "
        "production lead time plus a ramp before that day."
    )
    questions = (
        "The front fires 5,000 rounds a day and the plant makes 3,000. With about "
        "340,000 rounds in stock, on which day does the front run short?",
        "How much later is that day if the plant makes 3,500 or 4,000 a day?",
        "New lines take 60 days to come online and 90 more to reach 6,000 a day. "
        "What is the last day on which the ramp-up can be decided?",
    )
    takeaway = (
        "Depletion day is roughly stock / (expenditure - production), so every round of "
        "daily production added pushes it out; but a ramp-up only helps if it is decided "
        "while the stockpile can still cover the lead time and the ramp. Decided when the "
        "stockpile looks low, it arrives after the guns fall silent."
    )
    explore = (
        "nodes.plant.ramp.ammunition.days: a faster ramp (what a war economy buys).",
        "nodes.stockpile.stock.ammunition: a larger peacetime stockpile.",
        "units.corps_artillery.rounds_per_gun_per_day: ration fire to stretch the stock.",
        "Add a second plant with its own ramp (see maps/README.md).",
    )
    map_file = "production_gap.toml"

    base_rates = (3000.0, 3500.0, 4000.0)  # rounds a day, no ramp
    decision_days = (0, 50, 100)  # ramp-up decided on these days
    lead_days = 60  # from decision to first extra output

    def experiment(self, days: int) -> Outcome:
        sc = self.scenario()
        raw = sc.to_dict()
        plant = next(n for n in raw["nodes"] if n["id"] == "plant")
        ramp = plant["ramp"]["ammunition"]
        base0 = float(plant["production"]["ammunition"])
        target, ramp_days = float(ramp["target"]), int(ramp["days"])
        out = Outcome()
        demand = 0.0
        stock0 = sum(float(n.get("stock", {}).get("ammunition", 0)) for n in raw["nodes"])

        level_rows, stock_by_level = [], {}
        for rate in self.base_rates:
            ov: dict[str, Any] = {
                f"{KEY}.production.ammunition": rate,
                f"{KEY}.ramp.ammunition.target": rate,  # no ramp
            }
            res = run_variant(sc, ov, days, self.seed)
            demand = float(res.daily[f"{C}.demand"].iloc[0])
            first = res.summary[f"{C}.first_short_day"]
            gap = demand - rate
            estimate = stock0 / gap if gap > 0 else None
            level_rows.append(
                {
                    "production/day": rate,
                    "gap/day": gap,
                    "depletion day": first,
                    "estimate stock/gap": None if estimate is None else round(estimate, 1),
                    "shortfall days": res.summary[f"{C}.shortfall_days"],
                }
            )
            stock_by_level[rate] = res.daily[f"{C}.stock"]
            out.ran.append(f"production {fmt(rate)}/day, no ramp: {describe_overrides(ov)}")
        levels = pd.DataFrame(level_rows).set_index("production/day")

        ramp_rows, ramp_runs = [], {}
        for decided in self.decision_days:
            start = decided + self.lead_days
            ov = {f"{KEY}.production.ammunition": base0, f"{KEY}.ramp.ammunition.start_day": start}
            res = run_variant(sc, ov, days, self.seed)
            first = res.summary[f"{C}.first_short_day"]
            ramp_rows.append(
                {
                    "decided on day": decided,
                    "ramp starts": start,
                    "gap closed on day": start + _close_days(base0, target, demand, ramp_days),
                    "depletion day": first,
                    "lowest stock": float(res.daily[f"{C}.stock"].min()),
                    "rounds short": res.summary[f"{C}.shortfall"],
                }
            )
            ramp_runs[decided] = res
            out.ran.append(
                f"ramp to {fmt(target)}/day over {ramp_days} days, decided on day {decided}, "
                f"lead time {self.lead_days} days: {describe_overrides(ov)}"
            )
        ramps = pd.DataFrame(ramp_rows).set_index("decided on day")

        latest = _latest_decision(stock0, base0, target, demand, ramp_days, self.lead_days)
        in_time = [
            d
            for d, r in zip(self.decision_days, ramp_rows, strict=True)
            if r["depletion day"] is None
        ]
        late = [
            d
            for d, r in zip(self.decision_days, ramp_rows, strict=True)
            if r["depletion day"] is not None
        ]
        nums: dict[str, Number] = {
            "demand_per_day": demand,
            "initial_stock": stock0,
            "latest_decision_day_estimate": latest,
            "latest_in_time_decision_tried": max(in_time) if in_time else None,
            "earliest_late_decision_tried": min(late) if late else None,
        }
        for rate, row in zip(self.base_rates, level_rows, strict=True):
            nums[f"depletion_day_at_{int(rate)}"] = row["depletion day"]
        for decided, row in zip(self.decision_days, ramp_rows, strict=True):
            nums[f"ramp_decided_{decided}_depletion_day"] = row["depletion day"]
            nums[f"ramp_decided_{decided}_lowest_stock"] = row["lowest stock"]
        out.numbers = nums
        out.tables = {"Production level, no ramp": levels, "Ramp-up decisions": ramps}

        for rate, row in zip(self.base_rates, level_rows, strict=True):
            d = row["depletion day"]
            when = f"did not run short within {days} days" if d is None else f"ran short on day {d}"
            out.found.append(
                f"At {fmt(rate)} rounds/day against {fmt(demand)} fired, the front {when} "
                f"(estimate stock/gap: day {fmt(row['estimate stock/gap'], none='never')})."
            )
        for row in ramp_rows:
            d = row["depletion day"]
            verdict = (
                f"in time: the stock bottomed out at {fmt(row['lowest stock'])} rounds"
                if d is None
                else f"too late: the front ran short on day {d}, "
                f"{fmt(row['rounds short'])} rounds short in all"
            )
            out.found.append(
                f"Ramp-up decided on day {_decided(row, self.lead_days)} "
                f"(output rising from day {row['ramp starts']}, gap closed on day "
                f"{fmt(row['gap closed on day'])}): {verdict}."
            )
        out.found.append(
            f"Estimated last day to decide: day {fmt(latest, none='none (already too late)')} "
            f"(stock {fmt(stock0)}, gap {fmt(demand - base0)}/day, lead {self.lead_days} days, "
            f"ramp {ramp_days} days)."
        )

        depl = [row["depletion day"] for row in level_rows]
        out.checks = {
            "the depletion day moves later with more production": _later(depl, days),
            "an early ramp-up avoids depletion and a late one does not": bool(in_time and late)
            and max(in_time) < min(late),
        }
        out.figures = self._figures(stock_by_level, ramp_runs, days)
        return out

    def _figures(
        self, stock_by_level: dict[float, pd.Series], ramp_runs: dict[int, Any], days: int
    ) -> dict[str, Any]:
        fig, (a0, a1) = figure(f"{self.title} ({days} days)", ncols=2, width=13)
        for rate, s in stock_by_level.items():
            a0.plot(s.index, s.to_numpy(), label=f"production {fmt(rate)}/day")
        a0.set_title("Stock (all nodes) by production level")
        for decided, res in ramp_runs.items():
            a1.plot(
                res.daily.index,
                res.daily[f"{C}.stock"].to_numpy(),
                label=f"ramp decided day {decided}",
            )
        a1.set_title("Stock by ramp-up decision day")
        for ax in (a0, a1):
            ax.set_xlabel("day")
            ax.set_ylabel("rounds")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        fig2, ax = figure("Production vs expenditure by ramp-up decision day")
        for decided, res in ramp_runs.items():
            (line,) = ax.plot(
                res.daily.index,
                res.daily[f"{C}.produced"].to_numpy(),
                label=f"produced, decided day {decided}",
            )
            ax.plot(
                res.daily.index,
                res.daily[f"{C}.consumed"].to_numpy(),
                ls="--",
                color=line.get_color(),
                label=f"fired, decided day {decided}",
            )
        ax.set_xlabel("day")
        ax.set_ylabel("rounds per day")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        return {"stock": fig, "production": fig2}


def _decided(row: dict[str, Any], lead: int) -> int:
    return int(row["ramp starts"]) - lead


def _close_days(base: float, target: float, demand: float, ramp_days: int) -> float:
    """Days after the ramp starts until production reaches demand (inf if never)."""
    if base >= demand:
        return 0.0
    if target <= demand:
        return float("inf")
    return ramp_days * (demand - base) / (target - base)


def _latest_decision(
    stock: float, base: float, target: float, demand: float, ramp_days: int, lead: int
) -> float | None:
    """Last decision day that keeps cumulative shortfall within the stock (linear ramp)."""
    gap = demand - base
    if gap <= 0:
        return None
    close = _close_days(base, target, demand, ramp_days)
    # stock = gap * start + gap * close / 2  (the deficit shrinks linearly while ramping)
    start = (stock - gap * close / 2) / gap
    decided = start - lead
    return decided if decided >= 0 else None


def _later(depletion: list[int | None], days: int) -> bool:
    """Strictly later at each step ('not within the horizon' counts as later than any day)."""
    vals = [days + 1 if d is None else d for d in depletion]
    return all(b > a or a == b == days + 1 for a, b in itertools.pairwise(vals))


LESSON = ProductionGap()
