"""Lesson 2, bottlenecks: delivery is bounded by the network's minimum cut.

The lesson builds the supply graph of its map in networkx (a super-source
feeding each factory its production, each front feeding a super-sink its
demand, links with their capacity in tonnes a day), finds the minimum cut
with :func:`networkx.minimum_cut`, and runs the model with extra capacity
on a link off the cut and on a link on the cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx
import pandas as pd

from sandbox.lessons.base import Lesson, Measured, Number, Runs, fmt
from sandbox.lessons.common import describe_overrides, figure, run_variant
from sandbox.observe.results import Results
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SOURCE, SINK = "__source__", "__sink__"
Link = tuple[str, str]


@dataclass(kw_only=True)
class CutRuns(Runs):
    """The base map, the variants (label, link widened, t/day added) and their runs."""

    raw: dict[str, Any]
    variants: list[tuple[str, Link | None, float]] = field(default_factory=list)
    results: dict[str, Results] = field(default_factory=dict)
    maps: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # None: the base map


@dataclass(kw_only=True)
class CutMeasured(Measured):
    graph: nx.DiGraph  # the base map's supply graph
    cut_value: float  # t/day
    cut_edges: list[Link]
    window: int  # days averaged at the end of the run
    table: pd.DataFrame  # one row per variant: base, off the cut, then on the cut
    added_on_cut: list[float]

    @property
    def base(self) -> pd.Series:
        return self.table.iloc[0]

    @property
    def off(self) -> pd.Series:
        return self.table.iloc[1]

    @property
    def on(self) -> pd.DataFrame:
        return self.table.iloc[2:]


def supply_graph(raw: dict[str, Any], side: str = "blue") -> nx.DiGraph:
    """The side's network with capacities in tonnes a day, plus a super-source and sink."""
    tpu = {c: float(v["tonnes_per_unit"]) for c, v in raw["commodities"].items()}
    g = nx.DiGraph()
    for n in raw["nodes"]:
        if n["side"] != side:
            continue
        g.add_node(n["id"], kind=n["kind"])
        if n["kind"] == "factory":
            made = sum(q * tpu[c] for c, q in n.get("production", {}).items())
            g.add_edge(SOURCE, n["id"], capacity=made)
    for u in raw.get("units", []):
        if u["side"] != side:
            continue
        rounds = u.get("guns", 0) * u.get("rounds_per_gun_per_day", 0) * tpu.get("ammunition", 0)
        fuel = u.get("fuel_t_per_day", 0) if "fuel" in tpu else 0.0  # already tonnes
        other = sum(q * tpu[c] for c, q in u.get("needs", {}).items())
        prev = g.get_edge_data(u["node"], SINK, {"capacity": 0.0})["capacity"]
        g.add_edge(u["node"], SINK, capacity=prev + rounds + fuel + other)
    sides = {n["id"]: n["side"] for n in raw["nodes"]}
    for e in raw["links"]:
        if sides[e["source"]] == side:
            g.add_edge(e["source"], e["target"], capacity=float(e["capacity_t"]))
    return g


def min_cut(g: nx.DiGraph) -> tuple[float, list[tuple[str, str]]]:
    """Value and edges of a minimum source-sink cut (networkx.minimum_cut)."""
    value, (reach, non_reach) = nx.minimum_cut(g, SOURCE, SINK)
    edges = sorted((u, v) for u, v in g.edges if u in reach and v in non_reach)
    return float(value), edges


def link_overrides(raw: dict[str, Any], link: tuple[str, str], add_t: float) -> dict[str, Any]:
    cap = next(float(e["capacity_t"]) for e in raw["links"] if (e["source"], e["target"]) == link)
    return {f"links.{link[0]}->{link[1]}.capacity_t": cap + add_t}


def delivered_t(res: Results) -> pd.Series:
    """Tonnes a day delivered to blue's fronts, all commodities."""
    total = pd.Series(0.0, index=res.daily.index)
    for c, spec in res.scenario["commodities"].items():
        total += res.daily[DAILY.commodity("blue", c, "delivered")] * float(spec["tonnes_per_unit"])
    return total


def throughput_t(res: Results, window: int) -> float:
    """Mean tonnes a day delivered to blue's fronts over the last ``window`` days."""
    return float(delivered_t(res).iloc[-window:].mean())


class Bottlenecks(Lesson[CutRuns, CutMeasured]):
    name = "bottlenecks"
    number = 2
    title = "Bottlenecks: delivery is bounded by the minimum cut"
    goal = (
        "Find the minimum cut of a supply network, see that steady delivery equals its "
        "capacity, and see that only capacity added on the cut raises delivery, and only "
        "until the next cut binds."
    )
    questions = (
        "The front needs 800 t a day. How much can this network deliver, and which links "
        "decide it?",
        "Engineers can add 300 t a day to one link. Which link would you widen?",
        "If you widen the north road by 300 t a day, does delivery rise by 300? If not, why?",
    )
    takeaway = (
        "Throughput is set by the minimum cut, not by the biggest or the longest link: money "
        "spent off the cut buys nothing, and each improvement on the cut pays only until "
        "another cut becomes the bottleneck, so find the cut again after every change."
    )
    explore = (
        "links.railhead_south->front.capacity_t: widen the other road on the cut.",
        "links.port->railhead_south.capacity_t: where is the cut after both roads are widened?",
        "Add a direct link port->front (a new road) and recompute the cut.",
        "units.army.rounds_per_gun_per_day: when demand falls below the cut, the cut "
        "stops mattering.",
    )
    map_file = "bottlenecks.toml"

    off_cut = ("port", "railhead_north")
    on_cut = ("railhead_north", "front")
    additions_t = (100.0, 300.0)
    knobs: ClassVar[dict[str, str]] = {
        "seed": "the model's random seed",
        "additions_t": "t/day added to the on-cut link, one run each (the last also off the cut)",
        "off_cut": "(source, target) of a link off the minimum cut",
        "on_cut": "(source, target) of a link on the minimum cut",
    }

    def variants(self, days: int) -> CutRuns:
        sc = self.scenario()
        raw = sc.to_dict()
        runs = CutRuns(raw=raw)
        runs.variants.append(("base", None, 0.0))
        runs.variants.append(
            (f"+{fmt(self.additions_t[-1])} t off the cut", self.off_cut, self.additions_t[-1])
        )
        runs.variants += [(f"+{fmt(a)} t on the cut", self.on_cut, a) for a in self.additions_t]
        for label, link, add in runs.variants:
            ov = link_overrides(raw, link, add) if link else {}
            runs.results[label] = run_variant(sc, ov, days, self.seed)
            runs.maps[label] = sc.with_overrides(ov).to_dict() if ov else None
            runs.ran.append(f"{label}: {describe_overrides(ov)}")
        return runs

    def measure(self, runs: CutRuns, days: int) -> CutMeasured:
        window = max(1, days // 3)
        base_graph = supply_graph(runs.raw)
        cut_value, cut_edges = min_cut(base_graph)
        rows = []
        for label, link, _ in runs.variants:
            variant_map = runs.maps[label]
            g = supply_graph(variant_map) if variant_map is not None else base_graph
            bound, edges = min_cut(g)
            rows.append(
                {
                    "variant": label,
                    "link widened": "-" if link is None else f"{link[0]}->{link[1]}",
                    "on the base cut": link in cut_edges if link else False,
                    "max flow, t/day": bound,
                    "delivered, t/day": throughput_t(runs.results[label], window),
                    "cut after": ", ".join(f"{u}->{v}" for u, v in edges),
                }
            )
        table = pd.DataFrame(rows).set_index("variant")
        m = CutMeasured(
            graph=base_graph,
            cut_value=cut_value,
            cut_edges=cut_edges,
            window=window,
            table=table,
            added_on_cut=[a for _, _, a in runs.variants[2:]],
        )
        base, off, on = m.base, m.off, m.on
        nums: dict[str, Number] = {
            "min_cut_t": cut_value,
            "base_throughput_t": float(base["delivered, t/day"]),
            "off_cut_throughput_t": float(off["delivered, t/day"]),
            "off_cut_added_t": self.additions_t[-1],
        }
        for add, (_, row) in zip(m.added_on_cut, on.iterrows(), strict=True):
            key = f"on_cut_plus_{int(add)}"
            nums[f"{key}_throughput_t"] = float(row["delivered, t/day"])
            nums[f"{key}_max_flow_t"] = float(row["max flow, t/day"])
            nums[f"{key}_expected_gain_t"] = float(row["max flow, t/day"]) - cut_value
        m.numbers = nums
        m.tables = {"Variants": table}
        return m

    def narrate(self, m: CutMeasured, days: int) -> list[str]:
        base, off, on = m.base, m.off, m.on
        demand = m.graph.in_degree(SINK, weight="capacity")
        found = [
            f"The front asks for {fmt(demand)} t a day; the minimum cut is "
            f"{', '.join(f'{u}->{v}' for u, v in m.cut_edges)} at {fmt(m.cut_value)} t a day, "
            f"and the model delivered {fmt(base['delivered, t/day'], 1)} t a day "
            f"(mean of the last {m.window} days).",
            f"Adding {fmt(self.additions_t[-1])} t a day to {self.off_cut[0]}->{self.off_cut[1]} "
            f"(off the cut): {fmt(off['delivered, t/day'], 1)} t a day, a change of "
            f"{off['delivered, t/day'] - base['delivered, t/day']:+,.1f}.",
        ]
        for vlabel, row in on.iterrows():
            found.append(
                f"{vlabel} ({row['link widened']}): {fmt(row['delivered, t/day'], 1)} t a day, "
                f"{row['delivered, t/day'] - base['delivered, t/day']:+,.1f}; the new max flow "
                f"is {fmt(row['max flow, t/day'])} (cut now {row['cut after']})."
            )
        return found

    def check(self, m: CutMeasured, days: int) -> dict[str, bool]:
        base, off, on = m.base, m.off, m.on
        tol = 0.02 * m.cut_value
        return {
            "delivery matches the minimum cut": bool(
                abs(base["delivered, t/day"] - m.cut_value) <= tol
            ),
            "the off-cut link is off the cut and the on-cut link is on it": self.off_cut
            not in m.cut_edges
            and self.on_cut in m.cut_edges,
            "capacity added off the cut changes nothing": bool(
                abs(off["delivered, t/day"] - base["delivered, t/day"]) <= tol
            ),
            "capacity added on the cut raises delivery to the new max flow": all(
                bool(
                    abs(r["delivered, t/day"] - r["max flow, t/day"]) <= tol
                    and r["delivered, t/day"] > base["delivered, t/day"] + tol
                )
                for _, r in on.iterrows()
            ),
            "the gain is bounded by the next cut": bool(
                (on["max flow, t/day"] - m.cut_value <= m.added_on_cut).all()
            ),
        }

    def figures(self, runs: CutRuns, m: CutMeasured, days: int) -> dict[str, Figure]:
        return self._figures(m.graph, m.cut_edges, runs.results, m.table, days)

    def _figures(
        self,
        g: nx.DiGraph,
        cut_edges: list[tuple[str, str]],
        runs: dict[str, Results],
        table: pd.DataFrame,
        days: int,
    ) -> dict[str, Any]:
        raw = next(iter(runs.values())).scenario
        pos = {n["id"]: (n["lon"], n["lat"]) for n in raw["nodes"]}
        fig, (a0, a1) = figure(f"{self.title} ({days} days)", ncols=2, width=14, height=5)
        sub = g.subgraph([n for n in g if n not in (SOURCE, SINK)])
        caps = [sub.edges[e]["capacity"] for e in sub.edges]
        top = max(caps)
        colours = ["#c0392b" if e in cut_edges else "#777777" for e in sub.edges]
        nx.draw_networkx_nodes(sub, pos, ax=a0, node_color="#1f5fbf", node_size=200)
        nx.draw_networkx_labels(sub, pos, ax=a0, font_size=8, verticalalignment="bottom")
        nx.draw_networkx_edges(
            sub,
            pos,
            ax=a0,
            width=[1 + 6 * c / top for c in caps],
            edge_color=colours,
            arrows=True,
            node_size=200,
        )
        nx.draw_networkx_edge_labels(
            sub,
            pos,
            ax=a0,
            edge_labels={e: f"{fmt(sub.edges[e]['capacity'])} t" for e in sub.edges},
            font_size=7,
        )
        a0.set_title("Capacities (t/day); the minimum cut in red")
        for label, res in runs.items():
            total = delivered_t(res)
            wide = {"lw": 4, "alpha": 0.5} if label == "base" else {}
            (line,) = a1.plot(total.index, total.to_numpy(), label=label, **wide)
            a1.axhline(table.loc[label, "max flow, t/day"], color=line.get_color(), ls=":", lw=1)
        a1.set_title("Delivered to the front (t/day); dotted: max flow")
        a1.set_xlabel("day")
        a1.grid(alpha=0.3)
        a1.legend(fontsize=8)
        return {"bottlenecks": fig}


LESSON = Bottlenecks()
