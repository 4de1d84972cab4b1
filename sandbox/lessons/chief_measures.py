"""Measures, sentences and checks of lesson 7 (:mod:`sandbox.lessons.logistics_chief`).

Everything here reads a run's output (``Results``): the daily table, the node
records (``received``, ``produced`` via the daily table, ``hits``) and the link
records (``flow_t``, ``in_transit_t``: Little's law gives a link's days in transit
as tonnes in transit over tonnes shipped a day).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.lessons.base import fmt
from sandbox.observe.results import Results
from sandbox.rules.strikes.displacement import SPEED_KM_PER_DAY
from sandbox.state.columns import DAILY, SUMMARY
from sandbox.state.geometry import haversine_km

if TYPE_CHECKING:
    from sandbox.lessons.logistics_chief import ChiefMeasured
    from sandbox.play.doctrine import Doctrine

AMMO = "ammunition"
PLAYS = ("nobody", "doctrine", "chief")


def side_of(raw: Mapping[str, Any], node: str) -> str:
    return next(str(n["side"]) for n in raw["nodes"] if n["id"] == node)


def describe(players: Mapping[str, Doctrine], turn_days: int) -> str:
    if not players:
        return "no orders"
    parts = []
    for side, d in players.items():
        script = getattr(d, "script", None)
        what = ", ".join(f"{st.name} after day {st.day}" for st in script) if script else ""
        parts.append(f"{side}: {type(d).__name__} every {turn_days} day(s) {what}".strip())
    return "; ".join(parts)


def fired_column(side: str) -> str:
    return DAILY.commodity(side, AMMO, "consumed")


def fronts(res: Results, side: str) -> list[str]:
    return [n["id"] for n in res.scenario["nodes"] if n["kind"] == "front" and n["side"] == side]


def received(res: Results, nodes: list[str], days: tuple[int, int]) -> pd.Series:
    """Rounds received by each of ``nodes`` over ``days`` (first, last; inclusive)."""
    t = res.nodes
    rows = t[(t["commodity"] == AMMO) & t["node"].isin(nodes) & t["day"].between(*days)]
    return rows.groupby("node", observed=True)["received"].sum().reindex(nodes, fill_value=0.0)


def delivered_change(
    a: Results, b: Results, nodes: list[str], days: tuple[int, int]
) -> dict[str, float]:
    """Rounds received by each front over ``days``, run ``a`` minus run ``b``."""
    diff = received(a, nodes, days) - received(b, nodes, days)
    return {str(k): float(v) for k, v in diff.items()}


def effects_table(
    r: Mapping[str, Results],
    side: str,
    spring: tuple[int, int],
    summer_start: int,
    spotlight: tuple[str, str],
) -> pd.DataFrame:
    """One row per aid-paused run: fires, first short day, front km, rounds to the
    spring front in spring and to the summer front from the summer on."""
    rows: dict[str, dict[str, Any]] = {}
    for name, res in r.items():
        if name.startswith("aid:"):
            continue
        last = int(res.daily.index.max())
        s = res.summary
        rows[name] = {
            "rounds fired": float(s[SUMMARY.side(side, "rounds_fired")]),
            "first short day": s[SUMMARY.commodity(side, AMMO, "first_short_day")],
            "front km gained": float(s[SUMMARY.overall("front_km_gained_by_blue")]),
            "Bakhmut rounds, spring": float(received(res, [spotlight[0]], spring).sum()),
            "Zaporizhzhia rounds, summer": float(
                received(res, [spotlight[1]], (summer_start, max(last, summer_start))).sum()
            ),
        }
    base = rows["nobody"]["rounds fired"]
    for row in rows.values():
        row["rounds fired vs nobody"] = row["rounds fired"] - base
    out = pd.DataFrame(rows).T
    return out


def leg_days(res: Results, source: str, target: str, moved_day: int) -> tuple[float, float, int]:
    """Days in transit on ``source -> target`` by Little's law, in the 20 days before
    ``moved_day`` and from 10 days after it; and the displacement rule's days."""
    t = res.links
    leg = t[(t["source"] == source) & (t["target"] == target)].set_index("day")
    last = int(leg.index.max())

    def little(first: int, end: int) -> float:
        w = leg.loc[max(first, 1) : end]
        return float(w["in_transit_t"].sum() / w["flow_t"].sum()) if w["flow_t"].sum() else math.nan

    nodes = {n["id"]: n for n in res.scenario["nodes"]}
    link = next(e for e in res.scenario["links"] if (e["source"], e["target"]) == (source, target))
    a, b = nodes[source], nodes[target]
    km = haversine_km(a["lon"], a["lat"], b["lon"], b["lat"])
    back = a["fallback"]
    km_back = haversine_km(back["lon"], back["lat"], b["lon"], b["lat"])
    speed = SPEED_KM_PER_DAY[link.get("mode", "rail")]
    rule = int(link["transit_days"]) + math.ceil(max(km_back - km, 0.0) / speed)
    return little(moved_day - 20, moved_day - 1), little(moved_day + 10, last), rule


def fronts_sharing_a_supplier(res: Results, front: str) -> int:
    """How many fronts the suppliers of ``front`` feed (1: it has its suppliers to itself)."""
    kind = {n["id"]: n["kind"] for n in res.scenario["nodes"]}
    links = res.scenario["links"]
    suppliers = {e["source"] for e in links if e["target"] == front}
    fed = {e["target"] for e in links if e["source"] in suppliers and kind[e["target"]] == "front"}
    return len(fed)


def hits_after(res: Results, nodes: list[str], day: int) -> float:
    t = res.nodes
    rows = t[(t["commodity"] == AMMO) & t["node"].isin(nodes) & (t["day"] >= day)]
    return float(rows["hits"].sum())


def produced_change(a: Results, b: Results, side: str, split_day: int) -> tuple[float, float]:
    """Rounds produced, run ``a`` minus ``b``: up to ``split_day`` and after it."""
    col = DAILY.commodity(side, AMMO, "produced")
    diff = a.daily[col] - b.daily[col]
    return float(diff.loc[:split_day].abs().sum()), float(diff.loc[split_day + 1 :].sum())


def narrate(m: ChiefMeasured, days: int, spring_front: str, summer_start: int) -> list[str]:
    e, n = m.effects, m.numbers
    out = []
    for name in PLAYS:
        short = n.get(f"{name}: first short day")
        out.append(
            f"Aid paused, {name}: blue fired {fmt(n[f'{name}: rounds fired'])} rounds in "
            f"{days} days, first ran short of ammunition on day {fmt(short)}, "
            f"front km gained {n[f'{name}: front km gained'] or 0.0:+,.1f}."
        )
    for name in e.index:
        if str(name).startswith("only "):
            what = str(name).removeprefix("only ")
            more = n[f"{name}: rounds fired vs nobody"] or 0.0
            out.append(
                f"{what[0].upper()}{what[1:]} alone: {more:+,.0f} rounds fired against nobody's."
            )
    gain, total = m.spring.get(spring_front, 0.0), sum(m.spring.values())
    out.append(
        f"Bakhmut first in spring: Bakhmut received {gain:+,.0f} rounds, the other fronts "
        f"{total - gain:+,.0f}; all fronts together {total:+,.0f}."
    )
    biggest = max((abs(v) for v in m.aid_spring.values()), default=0.0)
    out.append(
        f"With the aid flowing the same order moved at most {biggest:,.0f} rounds at any "
        "front: no depot was short, so there was nothing to share."
    )
    out.append(
        f"Zaporizhzhia first in summer moved at most {fmt(n.get('summer_largest_change'))} "
        f"rounds at any front: its depot feeds {fmt(n.get('summer_fronts_sharing'))} front(s)."
    )
    before, after, rule = m.leg_days
    out.append(
        f"Pulled back, the Kramatorsk-Bakhmut truck leg took {before:,.2f} days before and "
        f"{after:,.2f} after by Little's law (the displacement rule: {rule}), at half the "
        f"trucks' lift; red hit the railheads {fmt(n.get('pull_back_hits_after'))} times "
        f"after the move, and {fmt(n.get('stay_hits_after'))} times where they stood."
    )
    before, added = n.get("invest_produced_before") or 0.0, n.get("invest_produced_after") or 0.0
    out.append(
        f"The investment added {added:+,.0f} rounds of output after its lead time and "
        f"changed the output by {before:,.0f} before it."
    )
    return out


def check(m: ChiefMeasured, days: int, spring: tuple[int, int], front: str) -> dict[str, bool]:
    """The claims this run can test (a horizon too short for a claim leaves it out)."""
    n, out = m.numbers, {}
    if days >= spring[0] + 30:
        gain = m.spring.get(front, 0.0)
        others = sum(m.spring.values()) - gain
        out["Bakhmut first (aid paused): Bakhmut gains rounds, the other fronts lose them"] = (
            gain > 0 and others < 0
        )
        out["... and the total to the fronts moves by less than a tenth of Bakhmut's gain"] = (
            abs(gain + others) < 0.1 * gain
        )
        out["With the aid flowing no depot is short: Bakhmut first changes no front's rounds"] = (
            max((abs(v) for v in m.aid_spring.values()), default=0.0) < 1e-6
        )
    before, after, rule = m.leg_days
    if not math.isnan(after):
        out["Pulled back, the truck leg's days in transit (Little's law) follow the rule"] = (
            abs(before - 1.0) < 0.05 and abs(after - rule) < 0.05 * rule
        )
    if n.get("summer_covered"):
        out["Zaporizhzhia first moves no rounds: its depot feeds no other front"] = (
            n["summer_fronts_sharing"] == 1 and (n["summer_largest_change"] or 0.0) < 1e-6
        )
    if n.get("invest_horizon_covered"):
        out["The investment changes nothing before its lead time and adds output after"] = (
            n["invest_produced_before"] == 0.0 and (n["invest_produced_after"] or 0.0) > 0
        )
    return out
