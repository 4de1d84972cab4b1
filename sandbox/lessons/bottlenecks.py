"""Lesson 2, bottlenecks: delivery is bounded by the network's minimum cut.

The lesson builds the supply graph of its map in networkx (a super-source
feeding each factory its production, each front feeding a super-sink its
demand, links with their capacity in tonnes a day), finds the minimum cut
with :func:`networkx.minimum_cut`, and runs the model with extra capacity
on a link off the cut and on a link on the cut.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from sandbox.lessons.base import Lesson, Number, Outcome, fmt
from sandbox.lessons.common import describe_overrides, figure, run_variant
from sandbox.observe.results import Results

SOURCE, SINK = "__source__", "__sink__"


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
        total += res.daily[f"blue.{c}.delivered"] * float(spec["tonnes_per_unit"])
    return total


def throughput_t(res: Results, window: int) -> float:
    """Mean tonnes a day delivered to blue's fronts over the last ``window`` days."""
    return float(delivered_t(res).iloc[-window:].mean())


class Bottlenecks(Lesson):
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

    def experiment(self, days: int) -> Outcome:
        sc = self.scenario()
        raw = sc.to_dict()
        window = max(1, days // 3)
        base_graph = supply_graph(raw)
        cut_value, cut_edges = min_cut(base_graph)

        variants: list[tuple[str, tuple[str, str] | None, float]] = [("base", None, 0.0)]
        variants.append(
            (f"+{fmt(self.additions_t[-1])} t off the cut", self.off_cut, self.additions_t[-1])
        )
        variants += [(f"+{fmt(a)} t on the cut", self.on_cut, a) for a in self.additions_t]

        rows, runs = [], {}
        out = Outcome()
        for label, link, add in variants:
            ov = link_overrides(raw, link, add) if link else {}
            res = run_variant(sc, ov, days, self.seed)
            g = supply_graph(sc.with_overrides(ov).to_dict()) if ov else base_graph
            bound, edges = min_cut(g)
            rows.append(
                {
                    "variant": label,
                    "link widened": "-" if link is None else f"{link[0]}->{link[1]}",
                    "on the base cut": link in cut_edges if link else False,
                    "max flow, t/day": bound,
                    "delivered, t/day": throughput_t(res, window),
                    "cut after": ", ".join(f"{u}->{v}" for u, v in edges),
                }
            )
            runs[label] = res
            out.ran.append(f"{label}: {describe_overrides(ov)}")
        table = pd.DataFrame(rows).set_index("variant")
        base = table.iloc[0]
        off = table.iloc[1]
        on = table.iloc[2:]

        nums: dict[str, Number] = {
            "min_cut_t": cut_value,
            "base_throughput_t": float(base["delivered, t/day"]),
            "off_cut_throughput_t": float(off["delivered, t/day"]),
            "off_cut_added_t": self.additions_t[-1],
        }
        for (_, _, add), (_, row) in zip(variants[2:], on.iterrows(), strict=True):
            key = f"on_cut_plus_{int(add)}"
            nums[f"{key}_throughput_t"] = float(row["delivered, t/day"])
            nums[f"{key}_max_flow_t"] = float(row["max flow, t/day"])
            nums[f"{key}_expected_gain_t"] = float(row["max flow, t/day"]) - cut_value
        out.numbers = nums
        out.tables = {"Variants": table}

        demand = base_graph.in_degree(SINK, weight="capacity")
        out.found = [
            f"The front asks for {fmt(demand)} t a day; the minimum cut is "
            f"{', '.join(f'{u}->{v}' for u, v in cut_edges)} at {fmt(cut_value)} t a day, "
            f"and the model delivered {fmt(base['delivered, t/day'], 1)} t a day "
            f"(mean of the last {window} days).",
            f"Adding {fmt(self.additions_t[-1])} t a day to {self.off_cut[0]}->{self.off_cut[1]} "
            f"(off the cut): {fmt(off['delivered, t/day'], 1)} t a day, a change of "
            f"{off['delivered, t/day'] - base['delivered, t/day']:+,.1f}.",
        ]
        for vlabel, row in on.iterrows():
            out.found.append(
                f"{vlabel} ({row['link widened']}): {fmt(row['delivered, t/day'], 1)} t a day, "
                f"{row['delivered, t/day'] - base['delivered, t/day']:+,.1f}; the new max flow "
                f"is {fmt(row['max flow, t/day'])} (cut now {row['cut after']})."
            )
        tol = 0.02 * cut_value
        out.checks = {
            "delivery matches the minimum cut": bool(
                abs(base["delivered, t/day"] - cut_value) <= tol
            ),
            "the off-cut link is off the cut and the on-cut link is on it": self.off_cut
            not in cut_edges
            and self.on_cut in cut_edges,
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
                (on["max flow, t/day"] - cut_value <= [a for _, _, a in variants[2:]]).all()
            ),
        }
        out.figures = self._figures(base_graph, cut_edges, runs, table, days)
        return out

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
