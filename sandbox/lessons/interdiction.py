"""Lesson 3, distance and interdiction: pulling depots back saves stock, lengthens trips.

Red's railhead depot sits within reach of blue's rocket artillery. Three
variants over a few seeds: strikes off, strikes on, strikes on with the
displacement doctrine (``strikes.displacement = true``: a struck depot moves
to its ``fallback``, out of reach, and the links into and out of it get
longer; see ``docs/model.md``, "Strikes").

Measures, from this run's output:

* **struck-depot losses**: tonnes destroyed at red's depots (``res.nodes``
  ``destroyed`` times the commodity's weight);
* **delivery lead time**, two ways that must agree: the capacity-weighted
  transit days of the links into red's fronts at the end of the run (from the
  model state, where displacement lengthens them), and the mean days a tonne
  spends on those links, measured from ``res.links`` by Little's law (tonnes in
  transit over tonnes shipped a day, summed over the second half of the run);
* **plant-to-front trip**: transit days along the shortest route from red's
  plant to its front (``networkx``), at the end of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx
import numpy as np
import pandas as pd

from sandbox.lessons.base import Lesson, Measured, Number, Runs, fmt
from sandbox.lessons.common import KeepModel, describe_overrides, figure
from sandbox.observe.results import Results
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario
from sandbox.simulation import run
from sandbox.state.columns import DAILY, SUMMARY
from sandbox.state.supply import FACTORY, FRONT

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIDE = "red"  # the side that is struck
STRIKER = "blue"
VARIANTS: dict[str, dict[str, Any]] = {
    "strikes off": {"strikes.enabled": False},
    "strikes on": {},
    "strikes on, displacement": {"strikes.displacement": True},
}


def run_keep_state(sc: Scenario, days: int, seed: int) -> tuple[Results, dict[str, Any]]:
    """Run ``sc``; return the results and the side's links at the end (transit, capacity)."""
    keep = KeepModel()
    res = run(sc, seed=seed, days=days, record="full", on_step=keep)
    s = keep.final().state
    ids = s.node_ids
    side = {n["id"]: n["side"] for n in res.scenario["nodes"]}
    links = [
        {
            "source": ids[int(a)],
            "target": ids[int(b)],
            "transit_days": int(t),
            "capacity_t": float(c),
            "into_front": int(s.kind[b]) == FRONT,
        }
        for a, b, t, c in zip(s.src, s.dst, s.transit_days, s.capacity_t, strict=True)
        if side[ids[int(a)]] == SIDE
    ]
    kinds = {ids[i]: int(k) for i, k in enumerate(s.kind)}
    return res, {"links": links, "kinds": kinds}


def capacity_weighted_transit(links: list[dict[str, Any]]) -> float:
    """Capacity-weighted mean transit days of the links into the fronts."""
    into = [e for e in links if e["into_front"]]
    cap = sum(e["capacity_t"] for e in into)
    return sum(e["transit_days"] * e["capacity_t"] for e in into) / cap


def plant_to_front_days(links: list[dict[str, Any]], kinds: dict[str, int]) -> float:
    """Transit days of the quickest route from any of the side's plants to its fronts."""
    g = nx.DiGraph()
    for e in links:
        g.add_edge(e["source"], e["target"], days=e["transit_days"])
    plants = [n for n in g if kinds[n] == FACTORY]
    fronts = [n for n in g if kinds[n] == FRONT]
    return float(
        min(
            nx.shortest_path_length(g, p, f, weight="days")
            for p in plants
            for f in fronts
            if nx.has_path(g, p, f)
        )
    )


def measured_transit_days(res: Results, from_day: int) -> float:
    """Mean days a tonne spends on the links into the fronts (Little's law: tonnes in
    transit / tonnes shipped a day), over the days from ``from_day``."""
    raw = res.scenario
    fronts = {n["id"] for n in raw["nodes"] if n["kind"] == "front" and n["side"] == SIDE}
    links = res.links
    into = links[links["target"].isin(fronts) & (links["day"] >= from_day)]
    shipped = float(into["flow_t"].sum())
    return float(into["in_transit_t"].sum()) / shipped if shipped > 0 else float("nan")


def on_the_road_t(res: Results, from_day: int) -> float:
    """Mean tonnes in transit on the links into the fronts, from ``from_day``."""
    fronts = {n["id"] for n in res.scenario["nodes"] if n["kind"] == "front" and n["side"] == SIDE}
    links = res.links
    into = links[links["target"].isin(fronts) & (links["day"] >= from_day)]
    return float(into.groupby("day")["in_transit_t"].sum().mean())


def depot_losses_t(res: Results) -> float:
    """Tonnes destroyed at the side's depots over the run."""
    raw = res.scenario
    depots = {n["id"] for n in raw["nodes"] if n["kind"] == "depot" and n["side"] == SIDE}
    tpu = {c: float(v["tonnes_per_unit"]) for c, v in raw["commodities"].items()}
    nodes = res.nodes[res.nodes["node"].isin(depots)]
    weight = nodes["commodity"].astype(str).map(tpu).astype(float)
    return float((nodes["destroyed"] * weight).sum())


def _measures(res: Results, end: dict[str, Any], from_day: int) -> dict[str, float]:
    """One run's row of the lesson's table."""
    return {
        "depot losses, t": depot_losses_t(res),
        "hits": float(res.daily[DAILY.side(STRIKER, "hits")].sum()),
        "depots moved": float(res.daily[DAILY.side(SIDE, "depots_moved")].max()),
        "lead time into fronts, days": capacity_weighted_transit(end["links"]),
        "measured days in transit": measured_transit_days(res, from_day),
        "plant to front, days": plant_to_front_days(end["links"], end["kinds"]),
        "truck capacity into fronts, t/day": sum(
            e["capacity_t"] for e in end["links"] if e["into_front"]
        ),
        "on the road into the front, t": on_the_road_t(res, from_day),
        "shortfall, rounds": float(res.summary[SUMMARY.commodity(SIDE, "ammunition", "shortfall")]),
    }


@dataclass(kw_only=True)
class StrikeRuns(Runs):
    """(variant, seed, results, the side's links at the end) per run."""

    runs: list[tuple[str, int, Results, dict[str, Any]]] = field(default_factory=list)


@dataclass(kw_only=True)
class StrikeMeasured(Measured):
    per_run: pd.DataFrame  # one row per variant and seed
    table: pd.DataFrame  # the variants' means over the seeds
    means: dict[str, dict[str, Any]]  # the same, by variant

    @property
    def saved(self) -> float:
        """Depot stock (t) the displacement doctrine saves against strikes on."""
        on, disp = self.means["strikes on"], self.means["strikes on, displacement"]
        return float(on["depot losses, t"]) - float(disp["depot losses, t"])

    @property
    def share(self) -> float:
        return (
            self.saved / float(self.means["strikes on"]["depot losses, t"]) if self.saved else 0.0
        )


class Interdiction(Lesson[StrikeRuns, StrikeMeasured]):
    name = "interdiction"
    number = 3
    title = "Distance and interdiction: depots in reach get hit, depots pulled back are far"
    goal = (
        "See that depots within the enemy's strike range lose stock every day, that pulling "
        "them back out of reach (displacement) saves the stock, and that the price is paid "
        "on every trip: longer hauls, longer lead times, fewer tonnes per truck a day."
    )
    questions = (
        "Red's railhead holds 3,000 t within 80 km of blue's rocket launchers. How much of it "
        "is left after two months of one strike a day?",
        "If red moves the railhead ~120 km further back, what does it save, and what does "
        "every delivery to the front now cost in days and in truck capacity?",
        "When would you rather keep a depot forward and accept the losses?",
    )
    takeaway = (
        "Range decides what can be hit. In 2022 HIMARS struck Russian depots within ~80 km; "
        "Russia pulled them back out of reach, which stopped the losses but turned a short "
        "truck haul into a long one: more days on the road, fewer tonnes a day per truck, "
        "less stock at the guns. Interdiction works twice: by what it destroys and by what "
        "the enemy gives up to avoid it."
    )
    explore = (
        "strikes.blue.range_km: at 200 km the fallback is in reach too.",
        'strikes.red.displace_when: "in_range" (with strikes.displacement = true) moves '
        "the depot before the first hit.",
        "links.red_railhead->red_front.capacity_t: with fewer trucks the longer haul starts "
        "to starve the front.",
        "nodes.red_railhead.fallback: a fallback just out of range (lon 37.3) keeps the "
        "haul shorter.",
        "strikes.blue.effects.stock_share: dispersed dumps lose less per hit.",
    )
    map_file = "interdiction.toml"
    seeds = tuple(range(DEFAULT_SEED, DEFAULT_SEED + 3))  # (1, 2, 3)
    knobs: ClassVar[dict[str, str]] = {"seeds": "random seeds: every variant runs once per seed"}

    def variants(self, days: int) -> StrikeRuns:
        sc = self.scenario()
        runs = StrikeRuns()
        for label, ov in VARIANTS.items():
            variant = sc.with_overrides(ov) if ov else sc
            for seed in self.seeds:
                res, end = run_keep_state(variant, days, seed)
                runs.runs.append((label, seed, res, end))
            runs.ran.append(
                f"{label}: {describe_overrides(ov)} (seeds {', '.join(map(str, self.seeds))})"
            )
        return runs

    def measure(self, runs: StrikeRuns, days: int) -> StrikeMeasured:
        from_day = max(1, days // 2)
        rows = [
            {"variant": label, "seed": seed, **_measures(res, end, from_day)}
            for label, seed, res, end in runs.runs
        ]
        per_run = pd.DataFrame(rows)
        table = per_run.drop(columns="seed").groupby("variant", sort=False).mean()
        means: dict[str, dict[str, Any]] = table.to_dict(orient="index")  # type: ignore[assignment]
        m = StrikeMeasured(per_run=per_run, table=table, means=means)
        nums: dict[str, Number] = {}
        keys = {"strikes off": "off", "strikes on": "on", "strikes on, displacement": "displaced"}
        for label, key in keys.items():
            row = means[label]
            nums[f"{key}_depot_losses_t"] = float(row["depot losses, t"])
            nums[f"{key}_lead_time_days"] = float(row["lead time into fronts, days"])
            nums[f"{key}_measured_transit_days"] = float(row["measured days in transit"])
            nums[f"{key}_plant_to_front_days"] = float(row["plant to front, days"])
            nums[f"{key}_truck_capacity_t"] = float(row["truck capacity into fronts, t/day"])
            nums[f"{key}_shortfall_rounds"] = float(row["shortfall, rounds"])
            nums[f"{key}_on_the_road_t"] = float(row["on the road into the front, t"])
        nums["stock_saved_t"] = m.saved
        nums["stock_saved_share"] = m.share
        m.numbers = nums
        m.tables = {"Variants (mean over seeds)": table, "Every run": per_run}
        return m

    def narrate(self, m: StrikeMeasured, days: int) -> list[str]:
        off, on, disp = (m.means[k] for k in VARIANTS)
        return [
            f"With strikes on, red's depots lost {fmt(on['depot losses, t'])} t in {days} days "
            f"({fmt(on['hits'], 1)} hits on average); with the displacement doctrine "
            f"{fmt(disp['depot losses, t'])} t: {fmt(100 * m.share)}% saved.",
            f"Lead time into the front (capacity-weighted transit days): "
            f"{fmt(off['lead time into fronts, days'], 1)} without strikes, "
            f"{fmt(on['lead time into fronts, days'], 1)} with strikes, "
            f"{fmt(disp['lead time into fronts, days'], 1)} after pulling back; measured from the "
            f"shipments (days in transit, second half of the run): "
            f"{fmt(on['measured days in transit'], 2)} vs "
            f"{fmt(disp['measured days in transit'], 2)}.",
            f"The whole trip from plant to front grew from {fmt(on['plant to front, days'])} to "
            f"{fmt(disp['plant to front, days'])} days, and the trucks into the front carry "
            f"{fmt(disp['truck capacity into fronts, t/day'])} instead of "
            f"{fmt(on['truck capacity into fronts, t/day'])} t a day.",
            f"Stock tied up on the road into the front: "
            f"{fmt(on['on the road into the front, t'])} t "
            f"with the depot forward, {fmt(disp['on the road into the front, t'])} t after pulling "
            f"back; shortfall at the guns {fmt(on['shortfall, rounds'])} vs "
            f"{fmt(disp['shortfall, rounds'])} rounds.",
        ]

    def check(self, m: StrikeMeasured, days: int) -> dict[str, bool]:
        off, on, disp = (m.means[k] for k in VARIANTS)
        per_run, table = m.per_run, m.table
        return {
            "no strikes, no losses": bool(off["depot losses, t"] == 0),
            "strikes destroy depot stock": bool(on["depot losses, t"] > 0),
            "struck-depot losses fall with displacement (every seed)": bool(
                (
                    per_run[per_run.variant == "strikes on, displacement"][
                        "depot losses, t"
                    ].to_numpy()
                    < per_run[per_run.variant == "strikes on"]["depot losses, t"].to_numpy()
                ).all()
            ),
            "delivery lead time rises with displacement": bool(
                disp["lead time into fronts, days"] > on["lead time into fronts, days"]
                and disp["measured days in transit"] > on["measured days in transit"]
            ),
            "measured days in transit match the links' transit days": bool(
                np.allclose(
                    table["measured days in transit"],
                    table["lead time into fronts, days"],
                    rtol=0.05,
                )
            ),
        }

    def figures(self, runs: StrikeRuns, m: StrikeMeasured, days: int) -> dict[str, Figure]:
        example = {label: res for label, seed, res, _ in runs.runs if seed == self.seeds[0]}
        return self._figures(example, m.table, days)

    def _figures(self, runs: dict[str, Results], table: pd.DataFrame, days: int) -> dict[str, Any]:
        fig, (a0, a1, a2) = figure(f"{self.title} ({days} days)", ncols=3, width=15, height=4.5)
        for label, res in runs.items():
            destroyed = res.daily[DAILY.side(SIDE, "destroyed_t")].cumsum()
            a0.plot(destroyed.index, destroyed.to_numpy(), label=label)
            stock = res.daily[DAILY.commodity(SIDE, "ammunition", "front_stock")]
            a1.plot(stock.index, stock.to_numpy(), label=label)
        a0.set_title("Red stock destroyed, cumulative (t)")
        a1.set_title("Red front stock (rounds)")
        for ax in (a0, a1):
            ax.set_xlabel("day")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        x = np.arange(len(table))
        a2.bar(x - 0.2, table["lead time into fronts, days"], width=0.4, label="into the front")
        a2.bar(x + 0.2, table["plant to front, days"], width=0.4, label="plant to front")
        a2.set_xticks(x, [str(i) for i in table.index], fontsize=8)
        a2.set_title("Lead time (days)")
        a2.legend(fontsize=8)
        return {"interdiction": fig}


LESSON = Interdiction()
