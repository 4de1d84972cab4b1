"""Lesson 5, the bullwhip: orders swing wider the further upstream they travel.

The lesson drives the front's demand itself: each day it sets the fire
intensity of the front's units to a base level plus noise drawn from the
model's own generator (``model.rng``), with a step up on ``step_day``. Each
echelon forecasts the orders it receives (exponential smoothing) and orders
up to a target of days of that forecast (:mod:`sandbox.rules.logistics.ordering`),
so a change in demand is passed up amplified. The measure is the order
variance ratio: variance of the orders an echelon places over the variance of
the front's demand, after a warm-up.

The lead-time lever: the order-up-to level covers the target days, the review
day and the lead time, so longer transit makes every order swing wider. The
lesson sets the transit days of every link to each of ``lead_times`` and runs
at least ``sweep_days`` days with noise only (no step: i.i.d. demand, the
assumption of the theory), and sets the front's measured ratio beside
Chen, Ryan and Simchi-Levi's (2000) ``1 + 2aL + 2a^2 L^2 / (2 - a)``.
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
from sandbox.rules.logistics.ordering import variance_ratio_theory
from sandbox.scenario.load import Scenario
from sandbox.simulation import run
from sandbox.state.columns import DAILY, SUMMARY

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
    demand = res.daily[DAILY.commodity("blue", C, "demand")]
    keep = ordered.index > warmup
    v0 = float(demand[demand.index > warmup].var())
    return pd.Series({n: float(ordered.loc[keep, n].var()) / v0 for n in chain}, name="ratio")


@dataclass(kw_only=True)
class WhipRuns(Runs):
    """The chain of echelons (front first), one run per variant (the map's first), and
    the lead-time lever's runs by transit days with what theory needs of the map."""

    chain: list[str]
    results: dict[str, Results] = field(default_factory=dict)
    lead: dict[int, Results] = field(default_factory=dict)
    lead_days: int = 0
    forecast_weight: float = 0.0  # a = 1 / forecast_days
    front_target_days: float = 0.0

    @property
    def the_map(self) -> Results:
        return next(iter(self.results.values()))


@dataclass(kw_only=True)
class WhipMeasured(Measured):
    chain: list[str]
    table: pd.DataFrame  # variance ratio per echelon (rows) and variant (columns)
    main: pd.Series  # the map's ratios
    smooth: pd.Series  # the smoother forecast's ratios
    lead: pd.DataFrame  # the lead-time lever: measured and theoretical ratios


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
        "If every link took three times as long, would the front's orders swing more?",
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
        "links.*.transit_days: longer lead times, a higher order-up-to level, wider swings "
        "(the lesson sweeps every link's transit over lead_times).",
        "noise_sd, step_day and step_to on the lesson object: the shape of the demand.",
    )
    map_file = "bullwhip.toml"
    front = "front"
    noise_sd = 0.1
    step_day = 30
    step_to = 1.2
    warmup = 10
    smoother: ClassVar[dict[str, Any]] = {"logistics.forecast_days": 7}
    lead_times: ClassVar[tuple[int, ...]] = (1, 3, 6)  # transit days on every link
    sweep_days: ClassVar[int] = 1000  # at least this long: variances need many days
    knobs: ClassVar[dict[str, str]] = {
        "seed": "the model's random seed",
        "noise_sd": "standard deviation of the front's daily demand noise (fraction of demand)",
        "step_day": "the day the front's demand steps up",
        "step_to": "the front's demand after the step, as a multiple of before",
        "smoother": "overrides of the smoother-forecast variant (dotted keys)",
        "lead_times": "transit days on every link, one 1,000-day run each (the lead-time lever)",
    }

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
        self._lead_time_runs(sc, days, runs)
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
        nums["shortfall_days"] = runs.the_map.summary[
            SUMMARY.commodity("blue", C, "shortfall_days")
        ]
        lead = self._lead_time_table(runs)
        for k in lead.index:
            nums[f"lead_{k}_front_ratio"] = float(lead["front measured"][k])
            nums[f"lead_{k}_front_theory"] = float(lead["front theory"][k])
        return WhipMeasured(
            numbers=nums,
            tables={
                "Order variance ratio (orders / front demand)": table,
                "Lead time: the front's order variance ratio and theory": lead.drop(
                    columns=["days", "a"]
                ),
            },
            chain=chain,
            table=table,
            main=main,
            smooth=smooth,
            lead=lead,
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
            self._narrate_lead_time(m.lead),
        ]

    def check(self, m: WhipMeasured, days: int) -> dict[str, bool]:
        main, smooth = m.main, m.smooth
        measured, theory = m.lead["front measured"], m.lead["front theory"]
        return {
            "the order variance ratio grows upstream, echelon by echelon": bool(
                np.all(np.diff(main.to_numpy()) > 0)
            ),
            "every echelon's orders vary more than the front's demand": bool((main > 1).all()),
            "smoother forecasts lower the top ratio": bool(smooth.iloc[-1] < main.iloc[-1]),
            "the front's order variance ratio grows with lead time": bool(
                np.all(np.diff(measured.to_numpy()) > 0)
            ),
            "the front's ratio is within 15% of the theory at every lead time": bool(
                ((measured / theory - 1.0).abs() < 0.15).all()
            ),
        }

    def figures(self, runs: WhipRuns, m: WhipMeasured, days: int) -> dict[str, Figure]:
        figs = self._figures(runs.the_map, m.chain, m.table, days)
        figs["bullwhip_lead_time"] = self._lead_time_figure(m.lead)
        return figs

    def _lead_time_runs(self, sc: Scenario, days: int, runs: WhipRuns) -> None:
        """Noise only (no step), every link's transit set to each of ``lead_times``."""
        raw = sc.to_dict()
        n_days = max(days, self.sweep_days)
        for k in self.lead_times:
            ov = {f"links.{e['source']}->{e['target']}.transit_days": k for e in raw["links"]}
            runs.lead[k] = run_with_demand(
                sc.with_overrides(ov), n_days, self.seed, self.noise_sd, 0, 1.0
            )
        logistics = raw.get("logistics", {})
        front = next(n for n in raw["nodes"] if n["id"] == self.front)
        runs.lead_days = n_days
        runs.forecast_weight = 1.0 / float(logistics.get("forecast_days", 7.0))
        runs.front_target_days = float(
            front.get("target_days", logistics.get("front_target_days", 10.0))
        )
        runs.ran.append(
            f"lead-time lever: transit_days = {', '.join(map(str, self.lead_times))} on every "
            f"link, {n_days} days each, front demand x (1 + N(0, {self.noise_sd})) without the "
            f"step; seed {self.seed}"
        )

    def _lead_time_table(self, runs: WhipRuns) -> pd.DataFrame:
        """Per transit time on every link: the front's measured and theoretical ratio."""
        chain, a = runs.chain, runs.forecast_weight
        rows = []
        for k, res in runs.lead.items():
            ratios = variance_ratios(res, chain, self.warmup)
            cover = runs.front_target_days + 1.0 + k
            rows.append(
                {
                    "transit_days": k,
                    "L (days covered)": cover,
                    "front measured": float(ratios[self.front]),
                    "front theory": variance_ratio_theory(a, cover),
                    f"{chain[-1]} measured": float(ratios[chain[-1]]),
                    "days": runs.lead_days,
                    "a": a,
                }
            )
        return pd.DataFrame(rows).set_index("transit_days")

    def _narrate_lead_time(self, lead: pd.DataFrame) -> str:
        measured, theory = lead["front measured"], lead["front theory"]
        a = float(lead["a"].iloc[0])
        rel = (measured / theory - 1.0).abs()
        return (
            "Lead time amplifies orders: with every link taking "
            + ", ".join(
                f"{k} day{'' if k == 1 else 's'} the front's ratio is {measured[k]:.2f} "
                f"(theory {theory[k]:.2f}, L = {lead.loc[k, 'L (days covered)']:.0f})"
                for k in lead.index
            )
            + f"; Chen, Ryan & Simchi-Levi (2000) with a = {a:.3f}, largest gap "
            f"{100 * float(rel.max()):.1f}%."
        )

    def _lead_time_figure(self, lead: pd.DataFrame) -> Any:
        fig, ax = figure(f"{self.title}: lead time", width=8)
        a = float(lead["a"].iloc[0])
        offset = float(lead["L (days covered)"].iloc[0] - lead.index[0])
        k = np.linspace(1.0, float(lead.index.max()) + 1.0, 50)
        theory = [variance_ratio_theory(a, offset + x) for x in k]
        label = "theory at the front: Chen, Ryan & Simchi-Levi (2000)"
        ax.plot(k, theory, color="black", lw=1.5, label=label)
        ax.plot(lead.index, lead["front measured"], "o", ms=8, label="front, measured")
        upstream = [c for c in lead.columns if c.endswith(" measured") and c != "front measured"]
        for col in upstream:
            ax.plot(lead.index, lead[col], "s--", label=col)
        ax.set_yscale("log")
        ax.set_xlabel("transit days on every link")
        ax.set_ylabel("Var(orders) / Var(front demand), log scale")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        return fig

    def _figures(
        self, res: Results, chain: list[str], table: pd.DataFrame, days: int
    ) -> dict[str, Any]:
        nodes = res.nodes[res.nodes["commodity"] == C]
        ordered = nodes.pivot(index="day", columns="node", values="ordered")
        fig, (a0, a1) = figure(f"{self.title} ({days} days)", ncols=2, width=14)
        demand = res.daily[DAILY.commodity("blue", C, "demand")]
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
