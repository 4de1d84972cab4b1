"""Who wins the race of logistics, and who took ground: the two verdicts of a run.

Pure functions of a few summary numbers (no pandas), shared by the run summary
(:mod:`sandbox.observe.summary`), its printout and the sweep report, so that all three
call the same side the winner.

**The race** (summary entry ``winning``) is about logistics: the side that kept its guns
supplied, i.e. that fired the larger share of the rounds its own doctrine asked for over
the run (``side.doctrine_fire_share`` = sum of ``rounds_fired`` / sum of
``rounds_demanded``, from the daily table). Each side is measured against its own
doctrine, so a side that fires a quarter of the enemy's rounds but all it asked for is
better supplied than one that fires more but falls short. Shares closer than
:data:`RACE_MARGIN_SHARE` are "neither".

There is no tie-breaker on the first day short: a side that ran short once, early, for a
few days and recovered has not lost the race to one that ran short later for weeks (on
the default map red is first short, on day 136 for 6 days; blue from day 324 for 39), so
the first day would reward the wrong side. Within the margin, the supply was the same to
the precision the verdict claims.

**The ground** (summary entry ``ground``) is separate: the side that took more sectors;
else the side the fronts moved for, summed over the sectors, by more than
:data:`GROUND_MARGIN_KM`; else a stalemate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sandbox.scenario.schema import SIDES
from sandbox.state.columns import SUMMARY

# Shares of doctrine's rounds fired closer than this (one percentage point: ~3.7 days of
# a side's fire lost in a 365-day run) name no winner of the race.
RACE_MARGIN_SHARE = 0.01
# Net front movement (km, summed over the sectors) within this is a stalemate: the
# default map's year moves its fronts a few km either way.
GROUND_MARGIN_KM = 5.0
NEITHER = "neither"
STALEMATE = "stalemate"


def doctrine_fire_share(fired_rounds: float, demanded_rounds: float) -> float | None:
    """Rounds fired over rounds doctrine asked for (None when nothing was asked)."""
    return fired_rounds / demanded_rounds if demanded_rounds > 0 else None


def race_winner(shares: Mapping[str, float | None]) -> str:
    """The side with the larger doctrine fire share by more than the margin, else
    "neither" (also when a side asked for no rounds: there was no race to win)."""
    known = {s: v for s, v in shares.items() if v is not None}
    if len(known) < len(SIDES):
        return NEITHER
    (a, b) = SIDES
    gap = known[a] - known[b]
    if abs(gap) <= RACE_MARGIN_SHARE:
        return NEITHER
    return a if gap > 0 else b


def share_or_none(value: float | None) -> float | None:
    """A stored share (a sweep stores None as NaN) as :func:`race_winner` takes it."""
    return None if value is None or math.isnan(value) else float(value)


def count_winners(shares_by_run: Iterable[Mapping[str, float | None]]) -> dict[str, int]:
    """How many runs each side won, and how many "neither", from each run's shares."""
    counts = dict.fromkeys((*SIDES, NEITHER), 0)
    for shares in shares_by_run:
        counts[race_winner(shares)] += 1
    return counts


def counts_text(counts: Mapping[str, int]) -> str:
    """``red in 2 of 3 runs; neither in 1 of 3 runs`` (who won no run is left out)."""
    runs = sum(counts.values())
    return "; ".join(f"{w} in {n} of {runs} runs" for w, n in counts.items() if n)


def over_runs(summaries: Sequence[Mapping[Any, Any]]) -> dict[str, float | int | None]:
    """The race over several runs' summaries: the runs each side won (``race_won_by_blue``,
    ``race_won_by_red``, ``race_won_by_neither``) and each side's mean share
    (``blue_doctrine_fire_share``; None when no run has one)."""
    shares: list[dict[str, float | None]] = [
        {s: share_or_none(run.get(SUMMARY.side(s, "doctrine_fire_share"))) for s in SIDES}
        for run in summaries
    ]
    out: dict[str, float | int | None] = {
        f"race_won_by_{w}": n for w, n in count_winners(shares).items()
    }
    for s in SIDES:
        known = [float(v) for run in shares if (v := run[s]) is not None]
        out[f"{s}_doctrine_fire_share"] = sum(known) / len(known) if known else None
    return out


def over_runs_text(nums: Mapping[str, float | int | None], days: int) -> str:
    """One sentence of :func:`over_runs`' numbers: who won the race in how many runs."""
    won = counts_text({w: int(nums[f"race_won_by_{w}"] or 0) for w in (*SIDES, NEITHER)})
    shares = ", ".join(
        f"{s} {100 * v:.1f}%" if (v := nums[f"{s}_doctrine_fire_share"]) is not None
        else f"{s} no rounds asked"
        for s in SIDES
    )  # fmt: skip
    return (
        f"The logistics race (the larger share of its doctrine's rounds fired over {days} "
        f"days, by more than {100 * RACE_MARGIN_SHARE:g} point): {won} (mean shares: "
        f"{shares})."
    )


def ground_verdict(sectors_won: Mapping[str, int], front_km_gained_by_blue: float) -> str:
    """The side that won more sectors; else the side the fronts moved for by more than
    :data:`GROUND_MARGIN_KM` (summed over the sectors); else "stalemate"."""
    blue, red = sectors_won["blue"], sectors_won["red"]
    if blue != red:
        return "blue" if blue > red else "red"
    if abs(front_km_gained_by_blue) > GROUND_MARGIN_KM:
        return "blue" if front_km_gained_by_blue > 0 else "red"
    return STALEMATE
