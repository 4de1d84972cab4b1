"""``run(scenario, seed, days) -> Results``: one pure, picklable entry point."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from sandbox.model import LogisticsModel
from sandbox.observe.results import Results, manifest, sector_table
from sandbox.observe.summary import summarize
from sandbox.scenario.calendar import day_date
from sandbox.scenario.load import Scenario, load_scenario


def run(
    scenario: Scenario | str | Path,
    seed: int = 0,
    days: int | None = None,
    *,
    record: str = "full",
    progress: bool | None = False,
) -> Results:
    """Run a scenario for ``days`` (default: its own horizon) and return the results.

    The same scenario and seed give identical results in any process.
    ``record="daily"`` skips the per-node and per-link tables (for sweeps).
    ``progress=None`` shows a progress bar only on a terminal.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    n_days = sc.days if days is None else int(days)
    if n_days < 1:
        raise ValueError(f"days must be at least 1, got {n_days}")
    t0 = time.perf_counter()
    model = LogisticsModel(sc, rng=seed, record=record)
    for _ in tqdm(range(n_days), desc=sc.name, unit="day", disable=not progress, leave=False):
        model.step()
    return collect_results(model, seed=seed, wall_s=time.perf_counter() - t0)


def collect_results(model: LogisticsModel, seed: int, wall_s: float = 0.0) -> Results:
    """Turn a stepped model into :class:`Results`."""
    s = model.state
    sc = model.spec
    daily = model.datacollector.get_model_vars_dataframe()
    days = list(range(1, len(daily) + 1))
    start = sc.spec.scenario.start_date
    daily.index = pd.Index(days, name="day")
    daily.insert(0, "date", [day_date(start, d) for d in days])
    rec = model.recorder
    empty = pd.DataFrame()
    sectors = model.combat.ids  # the combat state's sectors, in map order
    return Results(
        daily=daily,
        nodes=rec.nodes_frame(s) if rec else empty,
        links=rec.links_frame(s) if rec else empty,
        sectors=sector_table(daily, sectors),
        summary=summarize(daily, s.commodities, sectors),
        scenario=sc.to_dict(),
        manifest=manifest(seed=seed, days=len(daily), source=sc.source, wall_s=wall_s),
        events=model.timeline.frame(),
        aid=model.aid.frame(),
    )
