"""Lesson 5, the bullwhip: orders swing wider the further upstream they travel.

The lesson drives the front's demand itself: each day it sets the fire
intensity of the front's units to a base level plus noise drawn from the
model's own generator (``model.rng``), with a step up on ``step_day``. Each
echelon forecasts the orders it receives (exponential smoothing) and orders
up to a target of days of that forecast (:mod:`sandbox.rules.logistics.ordering`),
so a change in demand is passed up amplified. The measure is the order
variance ratio: variance of the orders an echelon places over the variance of
the front's demand, after a warm-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx
import numpy as np
import pandas as pd

from sandbox.lessons.base import Lesson, Measured, Number, Runs, fmt
from sandbox.lessons.common import describe_overrides, figure
from sandbox.observe.results import Results
from sandbox.scenario.load import Scenario
from sandbox.simulation import run

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sandbox.model import LogisticsModel

C = "ammunition"


def echelons(raw: dict[str, Any], front: str) -> list[str]:
    """The chain from ``front`` upstream to (not including) the factory, front first."""
    g = nx.DiGraph((e["source"], e["target"]) for e in raw["links"])
    kinds = {n["id"]: n["kind"] for n in raw["nodes"]}
    chain = [front]
    while True:
        preds = [p for p in g.predecessors(chain[-1]) if kinds[p] != "factory"]
        if len(preds) != 1 or preds[0] in chain:
            return chain
        chain.append(preds[0])


def run_with_demand(
    sc: Scenario, days: int, seed: int, noise_sd: float, step_day: int, step_to: float
) -> Results:
    """Run the model, setting the front's fire intensity each morning."""

    def set_demand(model: LogisticsModel) -> None:
        day = model.steps + 1  # the day about to run
        level = step_to if day >= step_day else 1.0
        model.state.fire_intensity[:] = max(level + model.rng.normal(0.0, noise_sd), 0.0)

    return run(sc, seed=seed, days=days, on_step=set_demand)


def variance_ratios(res: Results, chain: list[str], warmup: int) -> pd.Series:
    """var(orders placed by each echelon) / var(the front's demand), after ``warmup`` days."""
    nodes = res.nodes[res.nodes["commodity"] == C]
    ordered = nodes.pivot(index="day", columns="node", values="ordered")
    demand = res.daily[f"blue.{C}.demand"]
    keep = ordered.index > warmup
    v0 = float(demand[demand.index > warmup].var())
    return pd.Series({n: float(ordered.loc[keep, n].var()) / v0 for n in chain}, name="ratio")


@dataclass(kw_only=True)
class WhipRuns(Runs):
    """The chain of echelons (front first) and one run per variant, the map's first."""

    chain: list[str]
    results: dict[str, Results] = field(default_factory=dict)

    @property
    def the_map(self) -> Results:
        return next(iter(self.results.values()))


@dataclass(kw_only=True)
class WhipMeasured(Measured):
    chain: list[str]
    table: pd.DataFrame  # variance ratio per echelon (rows) and variant (columns)
    main: pd.Series  # the map's ratios
    smooth: pd.Series  # the smoother forecast's ratios


class Bullwhip(Lesson[WhipRuns, WhipMeasured]):
    name = "bullwhip"
    number = 5
    title = "The bullwhip: orders swing wider the further upstream"
    goal = (
        "See how forecasting and order-up-to targets, passed up a chain with delays, "
        "amplify small changes in front-line demand into large swings in orders upstream, "
        "and measure it as an order variance ratio per echelon."
    )
    questions = (
        "The front's demand wobbles by about 10% a day and steps up by 20% on day 30. "
        "How much do the orders of the national depot, three echelons up, swing?",
        "Why does a depot order more than its customers' demand when that demand rises?",
        "Would smoother forecasts (a longer forecast time) calm the chain, and at what cost?",
    )
    takeaway = (
        "Each echelon that forecasts its customers' orders and keeps days of that forecast "
        "in stock over-orders on every rise and under-orders on every fall, so variance grows "
        "at each step up the chain: factories see boom and bust that the front never "
        "asked for. Sharing front-line demand, shorter delays and steadier ordering rules "
        "tame it; smoothing alone trades swings for slow reaction."
    )
    explore = (
        "logistics.forecast_days: 1 (no smoothing) makes the whip crack hardest.",
        "logistics.depot_target_days and front_target_days: bigger targets, bigger swings.",
        "links.*.transit_days: longer delays upstream.",
        "noise_sd, step_day and step_to on the lesson object: the shape of the demand.",
    )
    map_file = "bullwhip.toml"
    front = "front"
    noise_sd = 0.1
    step_day = 30
    step_to = 1.2
    warmup = 10
    smoother: ClassVar[dict[str, Any]] = {"logistics.forecast_days": 7}

    def variants(self, days: int) -> WhipRuns:
        if days <= self.warmup + 2:
            raise ValueError(f"the bullwhip needs more than {self.warmup + 2} days, got {days}")
        sc = self.scenario()
        raw = sc.to_dict()
        chain = echelons(raw, self.front)
        fd = raw.get("logistics", {}).get("forecast_days", 7)
        runs = WhipRuns(chain=chain)
        variants = {
            f"forecast_days = {fd} (the map)": {},
            f"forecast_days = {self.smoother['logistics.forecast_days']}": self.smoother,
        }
        for label, ov in variants.items():
            runs.results[label] = run_with_demand(
                sc.with_overrides(ov) if ov else sc,
                days,
                self.seed,
                self.noise_sd,
                self.step_day,
                self.step_to,
            )
            runs.ran.append(
                f"{label}: {describe_overrides(ov)}; front demand x (1 + N(0, {self.noise_sd})), "
                f"stepping to x{self.step_to} on day {self.step_day}; seed {self.seed}"
            )
        return runs

    def measure(self, runs: WhipRuns, days: int) -> WhipMeasured:
        chain = runs.chain
        ratios = {
            label: variance_ratios(res, chain, self.warmup) for label, res in runs.results.items()
        }
        table = pd.DataFrame(ratios)
        table.index.name = "echelon (front first)"
        main, smooth = ratios.values()
        nums: dict[str, Number] = {f"ratio_{n}": float(main[n]) for n in chain}
        nums.update({f"smoother_ratio_{n}": float(smooth[n]) for n in chain})
        nums["top_ratio"] = float(main.iloc[-1])
        nums["shortfall_days"] = runs.the_map.summary[f"blue.{C}.shortfall_days"]
        return WhipMeasured(
            numbers=nums,
            tables={"Order variance ratio (orders / front demand)": table},
            chain=chain,
            table=table,
            main=main,
            smooth=smooth,
        )

    def narrate(self, m: WhipMeasured, days: int) -> list[str]:
        chain, main, smooth = m.chain, m.main, m.smooth
        return [
            "Order variance ratio per echelon, front first: "
            + ", ".join(f"{n} {fmt(float(main[n]), 1)}" for n in chain)
            + f" (variance measured from day {self.warmup + 1} to day {days}).",
            "Each step up multiplies the swing by "
            + ", ".join(
                f"{float(b / a):.1f}" for a, b in zip(main.iloc[:-1], main.iloc[1:], strict=True)
            )
            + f"; the {chain[-1]} depot's orders vary {fmt(float(main.iloc[-1]), 0)} times as "
            f"much as the front's demand.",
            f"With forecast_days = {self.smoother['logistics.forecast_days']}: "
            + ", ".join(f"{n} {fmt(float(smooth[n]), 1)}" for n in chain)
            + ".",
            f"Front shortfall days in the map's run: {m.numbers['shortfall_days']}.",
        ]

    def check(self, m: WhipMeasured, days: int) -> dict[str, bool]:
        main, smooth = m.main, m.smooth
        return {
            "the order variance ratio grows upstream, echelon by echelon": bool(
                np.all(np.diff(main.to_numpy()) > 0)
            ),
            "every echelon's orders vary more than the front's demand": bool((main > 1).all()),
            "smoother forecasts lower the top ratio": bool(smooth.iloc[-1] < main.iloc[-1]),
        }

    def figures(self, runs: WhipRuns, m: WhipMeasured, days: int) -> dict[str, Figure]:
        return self._figures(runs.the_map, m.chain, m.table, days)

    def _figures(
        self, res: Results, chain: list[str], table: pd.DataFrame, days: int
    ) -> dict[str, Any]:
        nodes = res.nodes[res.nodes["commodity"] == C]
        ordered = nodes.pivot(index="day", columns="node", values="ordered")
        fig, (a0, a1) = figure(f"{self.title} ({days} days)", ncols=2, width=14)
        demand = res.daily[f"blue.{C}.demand"]
        a0.plot(demand.index, demand.to_numpy(), color="black", lw=2, label="front demand")
        for n in chain:
            a0.plot(ordered.index, ordered[n].to_numpy(), label=f"orders placed by {n}")
        a0.axvline(self.step_day, color="grey", ls=":", lw=1)
        a0.set_xlabel("day")
        a0.set_ylabel("rounds per day")
        a0.set_title("Demand and orders, per echelon")
        a0.legend(fontsize=8)
        a0.grid(alpha=0.3)
        x = np.arange(len(chain))
        width = 0.8 / len(table.columns)
        for i, col in enumerate(table.columns):
            a1.bar(x + i * width, table[col].to_numpy(), width, label=col)
        a1.set_xticks(x + width * (len(table.columns) - 1) / 2, chain)
        a1.set_yscale("log")
        a1.axhline(1.0, color="black", lw=1)
        a1.set_ylabel("variance ratio (log scale)")
        a1.set_title("Order variance / demand variance, front to factory")
        a1.legend(fontsize=8)
        a1.grid(alpha=0.3, axis="y")
        return {"bullwhip": fig}


LESSON = Bullwhip()
