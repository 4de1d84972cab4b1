"""Lesson 4, quality versus quantity: the square law, the linear law and Helmbold's between.

One sector (``[[sectors]]``): blue has four times red's numbers (strength and
guns), the same rate of fire per gun and ample supply. The lesson varies
red's ``quality`` (lethality per round) and the sector's law, and finds by
bisection the quality at which the fight ends even (both sides keep the same
share of their initial strength).

Aimed fire (square law, q = 0): a round aimed at a target kills the same
whatever the target's density. Area fire (linear law, q = 1): a round fired
into an area kills in proportion to how densely the target fills the sector's
shared frontage. Helmbold's ``{p = 1, q = 0.5}`` lies between. The model's
attrition does this itself (same ``kills_per_round`` under every law), so the
break-even quality is the odds to the power ``2 - q``: 16, 8 and 4 at 4:1.

Supply shortage: red's link is cut to half of what red fires and red's front
starts nearly empty; quality multiplies only the rounds that arrive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from sandbox.lessons.base import Lesson, Measured, Number, Runs, fmt
from sandbox.lessons.common import describe_overrides, figure, run_variant
from sandbox.observe.results import Results
from sandbox.scenario.load import Scenario
from sandbox.state.columns import DAILY, SUMMARY

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SECTOR = "line"
LAWS = {
    "square": "aimed fire (square law)",
    "helmbold": "Helmbold fire (p = 1, q = 0.5)",
    "linear": "area fire (linear law)",
}
LAW_SPECS: dict[str, Any] = {
    "square": "square",
    "helmbold": {"p": 1.0, "q": 0.5},
    "linear": "linear",
}
#: the target-density exponent q of each law: parity at quality odds^(2 - q)
DENSITY_EXPONENT = {"square": 0.0, "helmbold": 0.5, "linear": 1.0}
QUALITIES = (1.0, 4.0, 8.0, 16.0)


def initial_strengths(raw: dict[str, Any]) -> dict[str, float]:
    out = {"blue": 0.0, "red": 0.0}
    for u in raw["units"]:
        out[u["side"]] += float(u.get("strength", u.get("guns", 0.0)))
    return out


def law_overrides(raw: dict[str, Any], law: str) -> dict[str, Any]:
    """The sector's law (nothing else: the same kills per round under every law)."""
    return {f"sectors.{SECTOR}.law": LAW_SPECS[law]}


def parity_quality(odds: float, law: str) -> float:
    """Theory's break-even quality: the odds to the power ``2 - q``."""
    return float(odds ** (2.0 - DENSITY_EXPONENT[law]))


def shortage_overrides(raw: dict[str, Any], share: float = 0.5) -> dict[str, Any]:
    """Red's link carries ``share`` of what red fires; red's front starts with half a day."""
    tpu = float(raw["commodities"]["ammunition"]["tonnes_per_unit"])
    red = [u for u in raw["units"] if u["side"] == "red"]
    rounds = sum(u["guns"] * u["rounds_per_gun_per_day"] for u in red)
    link = next(e for e in raw["links"] if e["target"] == red[0]["node"])
    return {
        f"links.{link['source']}->{link['target']}.capacity_t": share * rounds * tpu,
        f"nodes.{red[0]['node']}.stock.ammunition": 0.5 * rounds,
    }


def shares_left(res: Results) -> tuple[float, float]:
    """Blue's and red's strength in the sector at the end, as shares of the start."""
    d = res.daily
    b = d[DAILY.sector(SECTOR, "strength", side="blue")]
    r = d[DAILY.sector(SECTOR, "strength", side="red")]
    return float(b.iloc[-1] / b.iloc[0]), float(r.iloc[-1] / r.iloc[0])


def break_even_quality(
    sc: Scenario, ov: dict[str, Any], days: int, seed: int, hi: float = 256.0, steps: int = 16
) -> float:
    """Red's quality at which both sides end with the same share (bisection on log quality)."""
    lo_x, hi_x = 0.0, math.log(hi)
    for _ in range(steps):
        mid = (lo_x + hi_x) / 2
        res = run_variant(sc, {**ov, "sides.red.quality": math.exp(mid)}, days, seed)
        blue, red = shares_left(res)
        if red > blue:
            hi_x = mid
        else:
            lo_x = mid
    return math.exp((lo_x + hi_x) / 2)


@dataclass(kw_only=True)
class FightRuns(Runs):
    """The variants (label, law, red quality, supply), their runs, and the bisections'
    break-even qualities (``{law}_ample``, ``{law}_short``)."""

    odds: float  # blue's initial strength over red's
    variants: list[tuple[str, str, float, str]] = field(default_factory=list)
    results: dict[str, Results] = field(default_factory=dict)
    even: dict[str, float] = field(default_factory=dict)


@dataclass(kw_only=True)
class FightMeasured(Measured):
    odds: float
    even: dict[str, float]
    table: pd.DataFrame  # one row per variant

    def row(self, law: str, q: float, supply: str = "ample") -> pd.Series:
        t = self.table
        return t[(t.law == law) & (t["red quality"] == q) & (t.supply == supply)].iloc[0]

    @property
    def short_rows(self) -> dict[str, pd.Series]:
        """Each law at its break-even quality, with red's supply halved."""
        return {law: self.row(law, parity_quality(self.odds, law), "half") for law in LAWS}


class QualityQuantity(Lesson[FightRuns, FightMeasured]):
    name = "quality_quantity"
    number = 4
    title = "Quality versus quantity: numbers count squared under aimed fire"
    goal = (
        "See Lanchester's laws at work: under aimed fire (square law) a force outnumbered "
        "four to one needs sixteen times the quality per round to hold even; under area "
        "fire (linear law) four times; and quality multiplies only the rounds that arrive."
    )
    questions = (
        "Red has a quarter of blue's guns. How much better must each red round be for red "
        "to hold even when both sides aim their fire? When both fire into an area?",
        "You command red and can buy either more guns or better rounds. Which buys more "
        "under each law?",
        "Red's quality is exactly enough, but its supply line carries only half what it "
        "fires. What happens, and what quality would it now need?",
    )
    takeaway = (
        "Under aimed fire strength goes with quality times numbers squared, so the smaller "
        "force's quality must rise with the square of the odds: against mass, precision "
        "alone rarely pays and the opponent's best answer is numbers. Under area fire "
        "quality and numbers trade one for one. Either way, quality is a multiplier on "
        "rounds delivered: a quality edge starved of ammunition is no edge."
    )
    explore = (
        "units.red_army.guns and units.red_army.strength: what quality does 2:1 need?",
        "sectors.line.law: a Helmbold law in between, e.g. { p = 1, q = 0.5 }.",
        "links.red_plant->red_front.capacity_t: how much supply does red's quality edge need?",
        "sides.blue.quality: what if blue answers quality with quality?",
    )
    map_file = "quality_quantity.toml"
    qualities: ClassVar[tuple[float, ...]] = QUALITIES
    knobs: ClassVar[dict[str, str]] = {
        "seed": "the model's random seed",
        "qualities": "red's quality (lethality per round, blue's = 1) tried under each law",
    }

    def variants(self, days: int) -> FightRuns:
        sc = self.scenario()
        raw = sc.to_dict()
        strength = initial_strengths(raw)
        odds = strength["blue"] / strength["red"]
        runs = FightRuns(odds=odds)

        def variant(law: str, q: float, supply: str, extra: dict[str, Any], suffix: str) -> None:
            ov = {**law_overrides(raw, law), **extra, "sides.red.quality": q}
            res = run_variant(sc, ov, days, self.seed)
            label = f"{law}, red quality {fmt(q)}{suffix}"
            runs.variants.append((label, law, q, supply))
            runs.results[label] = res
            runs.ran.append(f"{label}: {describe_overrides(ov)}")

        for law in LAWS:
            for q in self.qualities:
                variant(law, q, "ample", {}, "")
        short = shortage_overrides(raw)
        for law in LAWS:
            variant(law, parity_quality(odds, law), "half", short, ", red supply halved")

        even = runs.even
        for law in LAWS:
            even[f"{law}_ample"] = break_even_quality(sc, law_overrides(raw, law), days, self.seed)
            even[f"{law}_short"] = break_even_quality(
                sc, {**law_overrides(raw, law), **short}, days, self.seed
            )
        runs.ran.append(
            "break-even red quality for each law, ample and halved supply: bisection on "
            "log quality (16 runs each)"
        )
        return runs

    def measure(self, runs: FightRuns, days: int) -> FightMeasured:
        odds, even = runs.odds, runs.even
        rows = []
        red_fired = SUMMARY.side("red", "rounds_fired")
        for label, law, q, supply in runs.variants:
            blue, red = shares_left(runs.results[label])
            rows.append(
                {"variant": label, "law": law, "red quality": q, "supply": supply,
                 "blue share left": blue, "red share left": red,
                 "red rounds fired": float(runs.results[label].summary[red_fired])}
            )  # fmt: skip
        table = pd.DataFrame(rows).set_index("variant")
        evens = pd.DataFrame(
            {
                "ample supply": [even[f"{law}_ample"] for law in LAWS],
                "red supply halved": [even[f"{law}_short"] for law in LAWS],
                "theory (ample): odds^(2 - q)": [parity_quality(odds, law) for law in LAWS],
            },
            index=list(LAWS.values()),
        )
        m = FightMeasured(odds=odds, even=even, table=table)
        row = m.row

        nums: dict[str, Number] = {"numbers_ratio": odds}
        for law in LAWS:
            for q in self.qualities:
                r = row(law, q)
                nums[f"{law}_q{int(q)}_blue_share"] = float(r["blue share left"])
                nums[f"{law}_q{int(q)}_red_share"] = float(r["red share left"])
            nums[f"{law}_break_even_quality"] = even[f"{law}_ample"]
            nums[f"{law}_break_even_quality_short"] = even[f"{law}_short"]
        for law, r in m.short_rows.items():
            nums[f"{law}_short_blue_share"] = float(r["blue share left"])
            nums[f"{law}_short_red_share"] = float(r["red share left"])
        m.numbers = nums
        m.tables = {"Variants": table, "Break-even red quality": evens}
        return m

    def narrate(self, m: FightMeasured, days: int) -> list[str]:
        odds, even, row = m.odds, m.even, m.row
        sq_short = m.short_rows["square"]
        sq16, li4 = row("square", odds**2), row("linear", odds)
        return [
            f"Blue outnumbers red {fmt(odds)} to 1. Under aimed fire, red at quality "
            f"{fmt(odds**2)} ends with {fmt(100 * sq16['red share left'], 1)}% of its strength "
            f"and blue with {fmt(100 * sq16['blue share left'], 1)}%: even. The break-even "
            f"quality found by bisection is {fmt(even['square_ample'], 2)}.",
            f"Under area fire, red at quality {fmt(odds)} ends with "
            f"{fmt(100 * li4['red share left'], 1)}% and blue with "
            f"{fmt(100 * li4['blue share left'], 1)}%: even; break-even quality "
            f"{fmt(even['linear_ample'], 2)}.",
            "The signature of each law, from this run's bisections: break-even red quality "
            + "; ".join(
                f"{LAWS[law]} {fmt(even[f'{law}_ample'], 2)} = {fmt(odds)}^"
                f"{fmt(math.log(even[f'{law}_ample']) / math.log(odds), 2)} (theory "
                f"{fmt(odds)}^{fmt(2 - DENSITY_EXPONENT[law], 1)} = "
                f"{fmt(parity_quality(odds, law), 2)})"
                for law in LAWS
            )
            + ".",
            f"Quality {fmt(odds)} under aimed fire leaves red with "
            f"{fmt(100 * row('square', odds)['red share left'], 1)}% against blue's "
            f"{fmt(100 * row('square', odds)['blue share left'], 1)}%: what is enough under "
            "area fire loses under aimed fire.",
            f"With red's supply line halved, the even quality-{fmt(odds**2)} fight under aimed "
            f"fire ends {fmt(100 * sq_short['red share left'], 1)}% (red) to "
            f"{fmt(100 * sq_short['blue share left'], 1)}% (blue); red would need quality "
            f"{fmt(even['square_short'], 1)} (aimed) or {fmt(even['linear_short'], 1)} "
            "(area) to hold even.",
        ]

    def check(self, m: FightMeasured, days: int) -> dict[str, bool]:
        odds, even, row = m.odds, m.even, m.row
        short_rows = m.short_rows
        sq16, li4 = row("square", odds**2), row("linear", odds)
        tight = 1e-6
        return {
            "square law: 4x numbers vs 16x quality ends even": bool(
                abs(sq16["blue share left"] - sq16["red share left"]) < tight
            ),
            "linear law: 4x numbers vs 4x quality ends even": bool(
                abs(li4["blue share left"] - li4["red share left"]) < tight
            ),
            "Helmbold q = 0.5: 4x numbers vs 8x quality ends even": bool(
                abs(
                    row("helmbold", parity_quality(odds, "helmbold"))["blue share left"]
                    - row("helmbold", parity_quality(odds, "helmbold"))["red share left"]
                )
                < tight
            ),
            "break-even quality is the odds to the power 2 - q (16, 8, 4)": bool(
                all(
                    np.isclose(even[f"{law}_ample"], parity_quality(odds, law), rtol=2e-3)
                    for law in LAWS
                )
            ),
            "below break-even quality, numbers win": bool(
                row("square", odds)["blue share left"] > row("square", odds)["red share left"]
                and row("linear", 1.0)["blue share left"] > row("linear", 1.0)["red share left"]
            ),
            "supply shortage turns the even fight into a loss for the short side": bool(
                all(r["red share left"] < r["blue share left"] for r in short_rows.values())
            ),
            "short of supply, more quality is needed to hold even": bool(
                all(even[f"{law}_short"] > even[f"{law}_ample"] for law in LAWS)
            ),
        }

    def figures(self, runs: FightRuns, m: FightMeasured, days: int) -> dict[str, Figure]:
        return self._figures(runs.results, m.table, days, m.odds)

    def _figures(
        self, runs: dict[str, Results], table: pd.DataFrame, days: int, odds: float
    ) -> dict[str, Any]:
        fig, axes = figure(f"{self.title} ({days} days)", ncols=3, width=16, height=4.5)
        panels = [
            ("square", "ample", "Aimed fire (square law)"),
            ("linear", "ample", "Area fire (linear law)"),
            (None, "half", "Red supply halved"),
        ]
        for ax, (law, supply, title) in zip(axes, panels, strict=True):
            for label, res in runs.items():
                r: dict[Any, Any] = table.loc[label].to_dict()
                if r["supply"] != supply or (law is not None and r["law"] != law):
                    continue
                d = res.daily
                b = d[DAILY.sector(SECTOR, "strength", side="blue")]
                rd = d[DAILY.sector(SECTOR, "strength", side="red")]
                name = label if law is None else f"red q {fmt(r['red quality'])}"
                (line,) = ax.plot(rd.index, (rd / rd.iloc[0]).to_numpy(), label=f"red, {name}")
                ax.plot(b.index, (b / b.iloc[0]).to_numpy(), color=line.get_color(), ls="--")
            ax.set_title(f"{title}; dashed: blue")
            ax.set_xlabel("day")
            ax.set_ylabel("share of initial strength")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        return {"quality_quantity": fig}


LESSON = QualityQuantity()
