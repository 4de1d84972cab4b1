"""Lesson 1, the production gap: expenditure above production drains the stockpile.

The front fires more than the plant makes; the stockpile covers the gap until
the depletion day. A ramp-up closes the gap, but new lines take a production
lead time before any extra round comes out and then ramp up over months: the
decision has to come long before the stockpile looks low.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from sandbox.lessons.base import Lesson, Measured, Number, Runs, fmt
from sandbox.lessons.common import describe_overrides, figure, run_variant
from sandbox.observe.results import Results
from sandbox.state.columns import DAILY, SUMMARY

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KEY = "nodes.plant"
SIDE = "blue"
C = "ammunition"


@dataclass(kw_only=True)
class GapRuns(Runs):
    """The map's plant and stock, and the runs by production level and by decision day."""

    base0: float  # rounds a day before any ramp
    target: float  # the ramp's target, rounds a day
    ramp_days: int
    stock0: float  # rounds in stock at the start, all nodes
    levels: dict[float, Results] = field(default_factory=dict)
    ramps: dict[int, Results] = field(default_factory=dict)


@dataclass(kw_only=True)
class GapMeasured(Measured):
    runs: GapRuns
    demand: float = 0.0  # rounds a day the front fires
    level_rows: list[dict[str, Any]] = field(default_factory=list)
    ramp_rows: list[dict[str, Any]] = field(default_factory=list)
    latest: float | None = None  # estimated last day to decide the ramp-up
    in_time: list[int] = field(default_factory=list)  # decision days that were in time
    late: list[int] = field(default_factory=list)


class ProductionGap(Lesson[GapRuns, GapMeasured]):
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
    knobs: ClassVar[dict[str, str]] = {
        "seed": "the model's random seed",
        "base_rates": "the plant's output without a ramp-up, rounds a day (one run each)",
        "decision_days": "days on which a ramp-up is decided (one run each)",
        "lead_days": "days from the decision to the first extra output",
    }

    def variants(self, days: int) -> GapRuns:
        sc = self.scenario()
        raw = sc.to_dict()
        plant = next(n for n in raw["nodes"] if n["id"] == "plant")
        ramp = plant["ramp"]["ammunition"]
        runs = GapRuns(
            base0=float(plant["production"]["ammunition"]),
            target=float(ramp["target"]),
            ramp_days=int(ramp["days"]),
            stock0=sum(float(n.get("stock", {}).get("ammunition", 0)) for n in raw["nodes"]),
        )
        for rate in self.base_rates:
            ov: dict[str, Any] = {
                f"{KEY}.production.ammunition": rate,
                f"{KEY}.ramp.ammunition.target": rate,  # no ramp
            }
            runs.levels[rate] = run_variant(sc, ov, days, self.seed)
            runs.ran.append(f"production {fmt(rate)}/day, no ramp: {describe_overrides(ov)}")
        for decided in self.decision_days:
            start = decided + self.lead_days
            ov = {
                f"{KEY}.production.ammunition": runs.base0,
                f"{KEY}.ramp.ammunition.start_day": start,
            }
            runs.ramps[decided] = run_variant(sc, ov, days, self.seed)
            runs.ran.append(
                f"ramp to {fmt(runs.target)}/day over {runs.ramp_days} days, decided on day "
                f"{decided}, lead time {self.lead_days} days: {describe_overrides(ov)}"
            )
        return runs

    def measure(self, runs: GapRuns, days: int) -> GapMeasured:
        m = GapMeasured(runs=runs)
        for rate, res in runs.levels.items():
            m.demand = float(res.daily[DAILY.commodity(SIDE, C, "demand")].iloc[0])
            gap = m.demand - rate
            estimate = runs.stock0 / gap if gap > 0 else None
            m.level_rows.append(
                {
                    "production/day": rate,
                    "gap/day": gap,
                    "depletion day": res.summary[SUMMARY.commodity(SIDE, C, "first_short_day")],
                    "estimate stock/gap": None if estimate is None else round(estimate, 1),
                    "shortfall days": res.summary[SUMMARY.commodity(SIDE, C, "shortfall_days")],
                }
            )
        close = _close_days(runs.base0, runs.target, m.demand, runs.ramp_days)
        for decided, res in runs.ramps.items():
            start = decided + self.lead_days
            m.ramp_rows.append(
                {
                    "decided on day": decided,
                    "ramp starts": start,
                    "gap closed on day": start + close,
                    "depletion day": res.summary[SUMMARY.commodity(SIDE, C, "first_short_day")],
                    "lowest stock": float(res.daily[DAILY.commodity(SIDE, C, "stock")].min()),
                    "rounds short": res.summary[SUMMARY.commodity(SIDE, C, "shortfall")],
                }
            )
        m.latest = _latest_decision(
            runs.stock0, runs.base0, runs.target, m.demand, runs.ramp_days, self.lead_days
        )
        tried = list(zip(self.decision_days, m.ramp_rows, strict=True))
        m.in_time = [d for d, r in tried if r["depletion day"] is None]
        m.late = [d for d, r in tried if r["depletion day"] is not None]
        m.numbers = self._numbers(m, runs)
        m.tables = {
            "Production level, no ramp": pd.DataFrame(m.level_rows).set_index("production/day"),
            "Ramp-up decisions": pd.DataFrame(m.ramp_rows).set_index("decided on day"),
        }
        return m

    def _numbers(self, m: GapMeasured, runs: GapRuns) -> dict[str, Number]:
        nums: dict[str, Number] = {
            "demand_per_day": m.demand,
            "initial_stock": runs.stock0,
            "latest_decision_day_estimate": m.latest,
            "latest_in_time_decision_tried": max(m.in_time) if m.in_time else None,
            "earliest_late_decision_tried": min(m.late) if m.late else None,
        }
        for rate, row in zip(self.base_rates, m.level_rows, strict=True):
            nums[f"depletion_day_at_{int(rate)}"] = row["depletion day"]
        for decided, row in zip(self.decision_days, m.ramp_rows, strict=True):
            nums[f"ramp_decided_{decided}_depletion_day"] = row["depletion day"]
            nums[f"ramp_decided_{decided}_lowest_stock"] = row["lowest stock"]
        return nums

    def narrate(self, m: GapMeasured, days: int) -> list[str]:
        found = []
        for rate, row in zip(self.base_rates, m.level_rows, strict=True):
            d = row["depletion day"]
            when = f"did not run short within {days} days" if d is None else f"ran short on day {d}"
            found.append(
                f"At {fmt(rate)} rounds/day against {fmt(m.demand)} fired, the front {when} "
                f"(estimate stock/gap: day {fmt(row['estimate stock/gap'], none='never')})."
            )
        for row in m.ramp_rows:
            d = row["depletion day"]
            verdict = (
                f"in time: the stock bottomed out at {fmt(row['lowest stock'])} rounds"
                if d is None
                else f"too late: the front ran short on day {d}, "
                f"{fmt(row['rounds short'])} rounds short in all"
            )
            found.append(
                f"Ramp-up decided on day {_decided(row, self.lead_days)} "
                f"(output rising from day {row['ramp starts']}, gap closed on day "
                f"{fmt(row['gap closed on day'])}): {verdict}."
            )
        runs = m.runs
        found.append(
            f"Estimated last day to decide: day {fmt(m.latest, none='none (already too late)')} "
            f"(stock {fmt(runs.stock0)}, gap {fmt(m.demand - runs.base0)}/day, "
            f"lead {self.lead_days} days, ramp {runs.ramp_days} days)."
        )
        return found

    def check(self, m: GapMeasured, days: int) -> dict[str, bool]:
        depl = [row["depletion day"] for row in m.level_rows]
        return {
            "the depletion day moves later with more production": _later(depl, days),
            "an early ramp-up avoids depletion and a late one does not": bool(m.in_time and m.late)
            and max(m.in_time) < min(m.late),
        }

    def figures(self, runs: GapRuns, m: GapMeasured, days: int) -> dict[str, Figure]:
        stock_by_level = {
            rate: res.daily[DAILY.commodity(SIDE, C, "stock")] for rate, res in runs.levels.items()
        }
        return self._figures(stock_by_level, runs.ramps, days)

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
                res.daily[DAILY.commodity(SIDE, C, "stock")].to_numpy(),
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
                res.daily[DAILY.commodity(SIDE, C, "produced")].to_numpy(),
                label=f"produced, decided day {decided}",
            )
            ax.plot(
                res.daily.index,
                res.daily[DAILY.commodity(SIDE, C, "consumed")].to_numpy(),
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
