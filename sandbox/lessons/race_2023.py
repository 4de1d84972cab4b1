"""Lesson 6, the race of 2023: who runs short first, and which lever moves the outcome.

The default map (``maps/ukraine_2023.toml``). A small sweep through
:mod:`sandbox.experiments` (serial executor, stored as Parquet parts): a
one-at-a-time design where each of blue's four levers is halved and doubled
with everything else as the map has it, plus the map itself, over a few
seeds. The levers:

* **production**: the ramp of every blue ammunition plant (the rise from the
  base rate to the ramp target, halved or doubled);
* **transport**: the capacity of every blue link;
* **strikes**: blue's strikes a day (1 on the map: none, or 2);
* **quality**: blue's lethality per round.

The outcome ranked is the mean front position at the end over the sectors (km,
+ = blue has advanced); the effect of a lever is its mean outcome doubled
minus its mean outcome halved, and the ranking orders the levers by the size
of that effect. Everything is computed from the stored sweep results
(:func:`sandbox.experiments.load_results`), which :func:`ranking` recomputes.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from sandbox.experiments import load_results, run_sweep, spec_from_dict
from sandbox.experiments.model_task import run_model
from sandbox.lessons.base import Lesson, LessonResult, Measured, Number, Runs, fmt
from sandbox.lessons.calibration import plot_record
from sandbox.lessons.common import figure, run_variant
from sandbox.observe.race import over_runs, over_runs_text
from sandbox.observe.record import Figure as RecordFigure
from sandbox.observe.record import compare, load_record
from sandbox.scenario.load import load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.state.columns import SUMMARY

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sandbox.experiments import SweepSummary
    from sandbox.observe.results import Results

LEVERS = ("production", "transport", "strikes", "quality")
LOW, HIGH = 0.5, 2.0
BASE = "base:1"
OUTCOME = "front_km_mean_end"
MAP = DEFAULT_MAP


@functools.lru_cache(maxsize=4)
def _raw(map_path: str, fixed: tuple[tuple[str, Any], ...] = ()) -> dict[str, Any]:
    sc = load_scenario(map_path)
    return (sc.with_overrides(dict(fixed)) if fixed else sc).to_dict()


def lever_overrides(raw: dict[str, Any], lever: str, factor: float) -> dict[str, Any]:
    """Dotted overrides that scale one of blue's levers by ``factor``."""
    side = {n["id"]: n["side"] for n in raw["nodes"]}
    if lever == "base":
        return {}
    if lever == "production":
        ov: dict[str, Any] = {}
        for n in raw["nodes"]:
            ramp = (n.get("ramp") or {}).get("ammunition")
            if n["side"] == "blue" and ramp:
                base = float(n.get("production", {}).get("ammunition", 0.0))
                target = base + factor * (float(ramp["target"]) - base)
                ov[f"nodes.{n['id']}.ramp.ammunition.target"] = target
        return ov
    if lever == "transport":
        return {
            f"links.{e['source']}->{e['target']}.capacity_t": float(e["capacity_t"]) * factor
            for e in raw["links"]
            if side[e["source"]] == "blue"
        }
    if lever == "strikes":
        per_day = int(raw["strikes"]["blue"]["strikes_per_day"])
        return {"strikes.blue.strikes_per_day": math.floor(per_day * factor)}
    if lever == "quality":
        return {"sides.blue.quality": float(raw["sides"]["blue"]["quality"]) * factor}
    raise ValueError(f"unknown lever {lever!r}; expected one of {', '.join(LEVERS)}")


def lever_task(
    params: dict[str, Any],
    seed: int,
    *,
    map_path: str,
    days: int,
    fixed: tuple[tuple[str, Any], ...] = (),
) -> dict[str, float]:
    """One run of the sweep: ``params["lever"]`` is ``"LEVER:FACTOR"``, on the map
    with the ``fixed`` overrides (``sandbox lesson race_2023 --set ...``)."""
    lever, factor = str(params["lever"]).split(":")
    ov = {**dict(fixed), **lever_overrides(_raw(map_path, fixed), lever, float(factor))}
    out = run_model(ov, seed, map_path=map_path, days=days)
    ends = [SUMMARY.sector(k, "front_km_end") for k in SUMMARY.sector_ids(out, "front_km_end")]
    fronts = [out[k] for k in ends]
    out[OUTCOME] = float(np.mean(fronts)) if fronts else math.nan
    return out


def split_lever(results: pd.DataFrame) -> pd.DataFrame:
    ok = results[results["status"] == "ok"].copy()
    parts = ok["lever"].astype(str).str.split(":", expand=True)
    ok["lever_name"] = parts[0]
    ok["factor"] = parts[1].astype(float)
    return ok


def ranking(results: pd.DataFrame, outcome: str = OUTCOME) -> pd.DataFrame:
    """Effect of each lever (mean outcome doubled - mean halved), largest size first."""
    ok = split_lever(results)
    means = ok.groupby(["lever_name", "factor"])[outcome].mean()
    base = float(means.loc[("base", 1.0)])
    rows = []
    for lever in LEVERS:
        low, high = float(means.loc[(lever, LOW)]), float(means.loc[(lever, HIGH)])
        rows.append(
            {
                "lever": lever,
                "halved": low,
                "map": base,
                "doubled": high,
                "effect": high - low,
                "size": abs(high - low),
            }
        )
    table = pd.DataFrame(rows).sort_values(["size", "lever"], ascending=[False, True])
    table["rank"] = np.arange(1, len(table) + 1)
    return table.set_index("lever")


def first_short(ok: pd.DataFrame, side: str, commodity: str) -> float | None:
    base = ok[ok["lever_name"] == "base"][SUMMARY.commodity(side, commodity, "first_short_day")]
    return None if base.isna().all() else float(base.mean())


@dataclass(kw_only=True)
class SweepRuns(Runs):
    """The sweep's folder (its stored results) and its summary."""

    sweep_dir: Path
    summary: SweepSummary
    record_run: Results  # the map, seed 1: set against the public record (docs/calibration.md)
    record: list[RecordFigure]  # the record's figures within the horizon


@dataclass(kw_only=True)
class SweepMeasured(Measured):
    runs: SweepRuns
    ok: pd.DataFrame  # the runs that succeeded, with the lever's name and factor
    table: pd.DataFrame  # the levers, ranked


class Race2023(Lesson[SweepRuns, SweepMeasured]):
    name = "race_2023"
    number = 6
    title = "The race of 2023: who runs short first, and which lever matters most"
    goal = (
        "Read a full theatre as a race between expenditure and supply: find who runs short "
        "first and of what, then use a small sweep to rank the levers an instructor can pull "
        "(production ramp, transport capacity, strikes, quality) by how far each moves the "
        "outcome."
    )
    questions = (
        "Blue fires ~6,000 rounds a day and makes or receives far fewer; red fires ~4x as "
        "much. Who runs short first, and of what?",
        "Before running: rank the four levers (production ramp, transport, strikes, "
        "quality) by how much halving vs doubling each moves the front.",
        "Does the ranking change with the horizon? Why would production matter more in a "
        "longer war?",
    )
    takeaway = (
        "In a war of attrition the race goes to the side that fires more of what its doctrine "
        "asks over the whole war, not to the side short last: a brief early shortage costs "
        "less than weeks short at the end, and the ground can stay a stalemate meanwhile. "
        "The lever that matters is the one that binds: a lever off the binding constraint "
        "(capacity that is not the bottleneck, production that arrives after the horizon) moves "
        "nothing, however large. The ranking is a property of the map and the horizon, so "
        "compute it; do not assume it."
    )
    explore = (
        "--days: rank the levers at 120, 240 and 365 days.",
        "sides.red.quality: how good must red's rounds be before blue's levers stop mattering?",
        "strikes.displacement = true: red pulls its depots back (lesson 3) and runs short.",
        "sandbox sweep maps/ukraine_2023.toml --vary ...: sweep one lever finely.",
    )
    map_file = "../ukraine_2023.toml"
    seeds = (0, 1, 2)
    knobs: ClassVar[dict[str, str]] = {"seeds": "random seeds: every design row runs once per seed"}

    def __init__(self) -> None:
        self._sweep_dir: Path | None = None

    def run(
        self,
        out_dir: str | Path,
        days: int | None = None,
        *,
        seed: int | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> LessonResult:
        """As :meth:`Lesson.run`; the sweep is stored in ``out_dir/sweep``."""
        if seed is not None or overrides:
            return self.configured(seed, overrides).run(out_dir, days)
        self._sweep_dir = Path(out_dir) / "sweep"
        try:
            return super().run(out_dir, days)
        finally:
            self._sweep_dir = None

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "map": str(MAP)}

    def variants(self, days: int) -> SweepRuns:
        sweep_dir = self._sweep_dir or Path(tempfile.mkdtemp(prefix="lesson-race-")) / "sweep"
        levels = [BASE] + [f"{lever}:{f:g}" for lever in LEVERS for f in (LOW, HIGH)]
        spec = spec_from_dict(
            {
                "experiment": {
                    "name": "race_2023_levers",
                    "map": str(MAP),
                    "days": days,
                    "design": "grid",
                    "seeds": list(self.seeds),
                },
                "parameters": {"lever": levels},
            },
            source="lesson race_2023",
        )
        fixed = tuple(sorted(self.overrides.items()))
        fn = functools.partial(lever_task, map_path=str(MAP), days=days, fixed=fixed)
        summary = run_sweep(spec, fn, sweep_dir, executor="serial", progress=False)
        ran = [
            f"{len(levels)} design rows (the map, then each lever halved and doubled) x seeds "
            f"{', '.join(map(str, self.seeds))} = {summary.n_tasks} runs of {days} days, "
            f"serial, stored in {sweep_dir.name}/ ({summary.n_ok} ok, {summary.n_failed} failed)",
            *[f"{lever}: {self._lever_text(lever)}" for lever in LEVERS],
        ]
        record = [f for f in load_record() if f.day_to <= days]
        ran.append(f"the map once more, seed 1, against {len(record)} figures of the record")
        return SweepRuns(
            ran=ran,
            sweep_dir=sweep_dir,
            summary=summary,
            # per-node records: a sector's first short day is read from its front's node
            record_run=run_variant(
                load_scenario(MAP), dict(self.overrides), days, seed=1, record="full"
            ),
            record=record,
        )

    def measure(self, runs: SweepRuns, days: int) -> SweepMeasured:
        results = load_results(runs.sweep_dir)
        ok = split_lever(results)
        table = ranking(results)
        extra = {
            k: ranking(results, k)["effect"]
            for k in (
                SUMMARY.commodity("blue", "ammunition", "shortfall"),
                SUMMARY.side("blue", "rounds_fired"),
            )
        }
        nums: dict[str, Number] = {
            "runs": runs.summary.n_tasks,
            "runs_ok": int((results["status"] == "ok").sum()),
            "base_front_km": float(table["map"].iloc[0]),
        }
        for side in ("blue", "red"):
            for c in ("ammunition", "spare_parts"):
                nums[f"{side}_{c}_first_short_day"] = first_short(ok, side, c)
        nums |= over_runs(ok[ok["lever_name"] == "base"].to_dict("records"))
        for lever, r in table.iterrows():
            nums[f"rank_{lever}"] = int(r["rank"])
            nums[f"effect_{lever}_km"] = float(r["effect"])
        within = compare(runs.record_run, runs.record)["within"]
        nums["record_figures"] = len(runs.record)
        nums["record_figures_within"] = int(within.sum())
        return SweepMeasured(
            numbers=nums,
            tables={
                f"Levers ranked by their effect on {OUTCOME} (km)": table,
                "Effect on other outcomes (doubled - halved)": pd.DataFrame(extra),
            },
            runs=runs,
            ok=ok,
            table=table,
        )

    def narrate(self, m: SweepMeasured, days: int) -> list[str]:
        nums, table = m.numbers, m.table
        short = {s: nums[f"{s}_ammunition_first_short_day"] for s in ("blue", "red")}
        runs_short = [s for s in short if short[s] is not None]
        first = min(runs_short, key=lambda s: short[s] or 0) if runs_short else None
        order = list(table.index)
        return [
            (
                f"On the map as it is, {first} runs short of ammunition first, on day "
                f"{fmt(short[first])} (mean over seeds); "
                + ", ".join(f"{s}: {fmt(short[s])}" for s in short)
                + "."
            )
            if first
            else f"Neither side runs short of ammunition within {days} days.",
            over_runs_text(nums, days),
            f"Spare parts (barrels), first short day: blue "
            f"{fmt(nums['blue_spare_parts_first_short_day'])}, red "
            f"{fmt(nums['red_spare_parts_first_short_day'])}.",
            f"The front ends at {fmt(nums['base_front_km'], 1)} km on average (- = red has "
            "advanced).",
            "Levers ranked by how far halving vs doubling moves the front: "
            + "; ".join(
                f"{i}. {lever} ({table.loc[lever, 'effect']:+,.1f} km)"
                for i, lever in enumerate(order, 1)
            )
            + ".",
            f"Against the public record (seed 1, {days} days): "
            f"{nums['record_figures_within']} of {nums['record_figures']} figures lie in "
            "their bands (docs/calibration.md).",
        ]

    def check(self, m: SweepMeasured, days: int) -> dict[str, bool]:
        table = m.table
        recomputed = ranking(load_results(m.runs.sweep_dir))
        return {
            "every run of the sweep succeeded": m.numbers["runs_ok"] == m.runs.summary.n_tasks,
            "the ranking is the one recomputed from the stored results": list(recomputed.index)
            == list(table.index)
            and np.allclose(recomputed["effect"], table["effect"]),
            "more quality never moves the front back": float(table["effect"].loc["quality"]) >= 0,
        }

    def figures(self, runs: SweepRuns, m: SweepMeasured, days: int) -> dict[str, Figure]:
        title = f"The map against the record of 2023 (seed 1, {days} days)"
        return {
            **self._figures(m.ok, m.table, days),
            "race_2023_record": plot_record(runs.record_run, runs.record, days, title),
        }

    def _lever_text(self, lever: str) -> str:
        raw = _raw(str(MAP), tuple(sorted(self.overrides.items())))
        ov = lever_overrides(raw, lever, HIGH)
        return f"doubled = {len(ov)} override(s), e.g. " + ", ".join(
            f"{k} = {v:g}" for k, v in list(ov.items())[:2]
        )

    def _figures(self, ok: pd.DataFrame, table: pd.DataFrame, days: int) -> dict[str, Any]:
        fig, (a0, a1) = figure(f"{self.title} ({days} days)", ncols=2, width=14, height=4.5)
        y = np.arange(len(table))[::-1]
        a0.barh(
            y, table["effect"], color=["#1f5fbf" if e >= 0 else "#c0392b" for e in table["effect"]]
        )
        a0.set_yticks(y, list(table.index))
        a0.axvline(0, color="black", lw=0.8)
        a0.set_title("Effect on the front, doubled - halved (km)")
        a0.grid(alpha=0.3, axis="x")
        for lever in LEVERS:
            sub = ok[ok["lever_name"] == lever]
            a1.scatter(sub["factor"], sub[OUTCOME], label=lever, alpha=0.7)
            a1.plot(
                [LOW, HIGH],
                [table.loc[lever, "halved"], table.loc[lever, "doubled"]],
                alpha=0.7,
            )
        a1.axhline(table["map"].iloc[0], color="grey", ls=":", label="the map")
        a1.set_xscale("log", base=2)
        a1.set_xlabel("lever factor")
        a1.set_title("Mean front position at the end (km) per run")
        a1.grid(alpha=0.3)
        a1.legend(fontsize=8)
        return {"race_2023": fig}


LESSON = Race2023()
