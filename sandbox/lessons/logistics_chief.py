"""Lesson 7, blue's logistics chief, 2023: what each of the chief's orders changes.

The default map (``maps/ukraine_2023.toml``) in the year the aid stalled: blue's
three aid pools paused from day 1, so what blue's chief controls (its own
production, which front comes first, where its railheads stand) is what it has.
Blue is played three ways, red by the map's own script, through the game loop
(:func:`sandbox.play.game.play`, one-day turns):

* **nobody**: no orders;
* **doctrine**: the default doctrine (:class:`~sandbox.play.doctrine.DefaultDoctrine`,
  every 7 days: priority to short fronts, invest when short);
* **chief**: a scripted sequence of orders (:data:`SCRIPT`), given by the
  :class:`Chief` doctrine on their days: a second line at Unterluss (x2,
  delivered after the map's 90-day lead time), pull the Donbas railheads
  back ~50 km under red's strikes (fallbacks the lesson gives them: an
  assumption), Bakhmut first in spring, Zaporizhzhia first for the summer
  counteroffensive; and each order alone, to measure what each changes.

Two more runs with the aid flowing (nobody, and the spring priority alone) show
the rule behind priorities: they share a shortage at a supplier and do nothing
where nothing is short. Measures: rounds fired, first day blue's ammunition ran
short, front km gained, and rounds delivered to each front in the spring and
summer windows (``res.nodes`` ``received``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.lessons import chief_measures as cm
from sandbox.lessons.base import Lesson, Measured, Runs
from sandbox.lessons.common import figure
from sandbox.observe.results import Results
from sandbox.play.decisions import Investment, invest_seen
from sandbox.play.doctrine import DefaultDoctrine, Doctrine, Order
from sandbox.play.fog import View
from sandbox.play.game import play
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIDE = "blue"
PLANT, INVEST_FACTOR = "blue_plant_unterluss", 2.0  # the chief's investment: a second line
# the railheads' fallbacks (lon, lat), ~50 km west: an assumption of this lesson
FALLBACKS = {
    "blue_railhead_kramatorsk": (36.9, 48.74),
    "blue_railhead_pokrovsk": (36.5, 48.28),
}
SPRING_FRONT, SUMMER_FRONT = "blue_front_bakhmut", "blue_front_zaporizhzhia"


@dataclass(frozen=True)
class Step:
    """One order of the script: given after ``day`` (in effect the next morning, or
    when its capacity arrives for an :class:`Investment`)."""

    day: int
    name: str
    changes: Callable[[View, int], dict[str, Any] | Investment]

    def order(self, view: View, day: int) -> Order:
        got = self.changes(view, day)
        if isinstance(got, Investment):
            return Order(got.changes, f"chief: {self.name}", got.day)
        return Order(got, f"chief: {self.name}")


def _invest(view: View, day: int) -> Investment:
    """A second line at Unterluss (flat output on the map), in effect after the lead time."""
    rate = float(view.rate[view.index(PLANT), view.column("ammunition")])
    return invest_seen(view, PLANT, "ammunition", rate * INVEST_FACTOR)


SCRIPT = (
    Step(29, "invest", _invest),
    Step(44, "pull back", lambda v, d: {f"nodes.{n}.pulled_back": True for n in FALLBACKS}),
    Step(59, "Bakhmut first", lambda v, d: {f"nodes.{SPRING_FRONT}.priority": 3.0}),
    Step(
        154,
        "Zaporizhzhia first",
        lambda v, d: {f"nodes.{SPRING_FRONT}.priority": 1.0, f"nodes.{SUMMER_FRONT}.priority": 3.0},
    ),
)
SPRING = (60, 154)  # days the spring priority is in effect (1 Mar - 3 Jun)
SUMMER_START = 155  # 4 June: the counteroffensive; Zaporizhzhia first from here


class Chief(Doctrine):
    """A scripted chief: gives the steps of ``script`` on their days."""

    def __init__(self, side: str, script: tuple[Step, ...] = SCRIPT) -> None:
        super().__init__(side)
        self.script = script

    def orders(self, view: View, day: int) -> list[Order]:
        return [st.order(view, day) for st in self.script if st.day == day]


def lean(sc: Scenario) -> Scenario:
    """The map with blue's aid paused and the railheads' fallbacks added."""
    raw = sc.to_dict()
    ov: dict[str, Any] = {
        f"aid.{a['name']}.paused": True
        for a in raw.get("aid", [])
        if cm.side_of(raw, a["node"]) == SIDE
    }
    for node, (lon, lat) in FALLBACKS.items():
        ov[f"nodes.{node}.fallback"] = {"lon": lon, "lat": lat}
    return sc.with_overrides(ov)


@dataclass(kw_only=True)
class ChiefRuns(Runs):
    results: dict[str, Results] = field(default_factory=dict)


@dataclass(kw_only=True)
class ChiefMeasured(Measured):
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    spring: dict[str, float] = field(default_factory=dict)  # delivered by front, priority - none
    aid_spring: dict[str, float] = field(default_factory=dict)  # the same with aid flowing
    leg_days: tuple[float, float, int] = (0.0, 0.0, 0)  # Little's law before, after; the rule


class LogisticsChief(Lesson[ChiefRuns, ChiefMeasured]):
    name = "logistics_chief"
    number = 7
    title = "Blue's logistics chief, 2023: what each order changes"
    goal = (
        "See what a logistics chief's orders can and cannot do: priorities share a "
        "shortage, investment arrives after its lead time, and pulling depots back "
        "trades lift for safety only where it takes them out of reach."
    )
    questions = (
        "If Bakhmut gets three times the priority, where do its extra rounds come from?",
        "Does priority help when no depot is short?",
        "When does a plant investment ordered in January first fire a round?",
        "Red strikes from 500 km: does pulling railheads back 50 km save them?",
    )
    takeaway = (
        "Priority moves rounds between fronts that share a short supplier and creates "
        "none: with enough supply, or a supplier of its own, a front's priority changes "
        "nothing. Investment is the order that adds rounds, and only after its lead time. "
        "Pulling depots back pays only when the fallback is out of the enemy's reach; "
        "inside it, the longer truck trip costs lift and buys no safety."
    )
    explore = (
        "sandbox play --blue human: give these orders yourself, turn by turn",
        "the aid flowing: --set aid.us_drawdown.paused=false",
        "a fallback out of red's reach (strikes.red.range_km = 150)",
        "logistics.investment_lead_days = 30: the same investment a season earlier",
    )
    map_file = "../ukraine_2023.toml"

    def scenario(self) -> Scenario:
        return load_scenario(DEFAULT_MAP)

    def variants(self, days: int) -> ChiefRuns:
        runs = ChiefRuns()
        sc = lean(self.scenario())
        plays: dict[str, dict[str, Doctrine]] = {
            "nobody": {},
            "doctrine": {SIDE: DefaultDoctrine(SIDE)},
            "chief": {SIDE: Chief(SIDE)},
        }
        plays |= {f"only {st.name}": {SIDE: Chief(SIDE, (st,))} for st in SCRIPT}
        for name, players in plays.items():
            turn = 7 if name == "doctrine" else 1
            runs.results[name] = play(sc, self.seed, days, turn, players, fog=True)
            runs.ran.append(f"aid paused, {name}: " + cm.describe(players, turn))
        aid = self.scenario()
        spring_only = {SIDE: Chief(SIDE, (SCRIPT[2],))}
        runs.results["aid: nobody"] = play(aid, self.seed, days, 1, {})
        runs.results["aid: only Bakhmut first"] = play(aid, self.seed, days, 1, spring_only)
        runs.ran.append("the map's aid flowing, nobody: no orders")
        runs.ran.append("the map's aid flowing, only Bakhmut first: " + cm.describe(spring_only, 1))
        return runs

    def measure(self, runs: ChiefRuns, days: int) -> ChiefMeasured:
        r = runs.results
        effects = cm.effects_table(r, SIDE, SPRING, SUMMER_START, (SPRING_FRONT, SUMMER_FRONT))
        m = ChiefMeasured(effects=effects, tables={"What each order changes": effects})
        for name, row in effects.iterrows():
            for col, value in row.items():
                m.numbers[f"{name}: {col}"] = None if pd.isna(value) else float(value)
        self._priorities(r, m, days)
        moved = SCRIPT[1].day + 1
        m.leg_days = cm.leg_days(
            r["only pull back"], "blue_railhead_kramatorsk", SPRING_FRONT, moved
        )
        m.numbers["leg_days_before"], m.numbers["leg_days_after"] = m.leg_days[:2]
        m.numbers["pull_back_hits_after"] = cm.hits_after(r["only pull back"], [*FALLBACKS], moved)
        m.numbers["stay_hits_after"] = cm.hits_after(r["nobody"], [*FALLBACKS], moved)
        lead = self.scenario().spec.logistics.investment_lead_days
        split = SCRIPT[0].day + 1 + lead  # the new line's first day
        before, after = cm.produced_change(r["only invest"], r["nobody"], SIDE, split - 1)
        m.numbers["invest_produced_before"], m.numbers["invest_produced_after"] = before, after
        m.numbers["invest_horizon_covered"] = int(days >= split + 30)
        return m

    @staticmethod
    def _priorities(r: dict[str, Results], m: ChiefMeasured, days: int) -> None:
        """Rounds delivered to each front: each priority order alone minus nobody."""
        fronts = cm.fronts(r["nobody"], SIDE)
        spring = (SPRING[0], min(SPRING[1], days))
        m.spring = cm.delivered_change(r["only Bakhmut first"], r["nobody"], fronts, spring)
        aid = r["aid: only Bakhmut first"], r["aid: nobody"]
        m.aid_spring = cm.delivered_change(*aid, fronts, spring)
        m.tables["Rounds delivered in spring, Bakhmut first minus nobody"] = pd.DataFrame(
            {"aid paused": m.spring, "aid flowing": m.aid_spring}
        )
        m.numbers["spring_gain_bakhmut"] = m.spring.get(SPRING_FRONT, 0.0)
        m.numbers["spring_total_change"] = sum(m.spring.values())
        summer = (SUMMER_START, max(days, SUMMER_START))
        z = cm.delivered_change(r["only Zaporizhzhia first"], r["nobody"], fronts, summer)
        m.numbers["summer_largest_change"] = max(abs(v) for v in z.values())
        m.numbers["summer_fronts_sharing"] = cm.fronts_sharing_a_supplier(r["nobody"], SUMMER_FRONT)
        m.numbers["summer_covered"] = int(days >= SUMMER_START + 10)

    def narrate(self, m: ChiefMeasured, days: int) -> list[str]:
        return cm.narrate(m, days, SPRING_FRONT, SUMMER_START)

    def check(self, m: ChiefMeasured, days: int) -> dict[str, bool]:
        return cm.check(m, days, SPRING, SPRING_FRONT)

    def figures(self, runs: ChiefRuns, m: ChiefMeasured, days: int) -> dict[str, Figure]:
        fig, (left, right) = figure("Blue's logistics chief, 2023 (aid paused)", ncols=2)
        for name in ("nobody", "doctrine", "chief"):
            fired = runs.results[name].daily[cm.fired_column(SIDE)].cumsum()
            left.plot(fired.index, fired.to_numpy() / 1e3, label=name)
        left.set(xlabel="day", ylabel="rounds fired, thousands (cumulative)")
        left.legend()
        spring = pd.Series(m.spring).rename(lambda k: k.removeprefix("blue_front_"))
        right.bar(spring.index, spring.to_numpy())
        right.axhline(0.0, color="black", lw=0.8)
        right.set(ylabel="rounds delivered in spring: Bakhmut first - nobody")
        right.tick_params(axis="x", rotation=30)
        return {"logistics_chief": fig}


LESSON = LogisticsChief()
