"""``run(scenario, seed, days) -> Results``: one pure, picklable entry point."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from sandbox.model import LogisticsModel
from sandbox.observe.results import Results, manifest, sector_table
from sandbox.observe.summary import summarize
from sandbox.scenario.calendar import day_date
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario, load_scenario


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run`: ``results`` holds the days completed before it.

    A ``KeyboardInterrupt``, so code that does not know it still stops; the
    command line catches it, saves the partial results and exits 130. Their
    manifest says ``"interrupted": true`` and how many days were asked for.
    """

    def __init__(self, results: Results) -> None:
        super().__init__(f"interrupted after {len(results.daily)} days")
        self.results = results


def run(
    scenario: Scenario | str | Path,
    seed: int = DEFAULT_SEED,
    days: int | None = None,
    *,
    record: str = "full",
    progress: bool | None = False,
    on_step: Callable[[LogisticsModel], None] | None = None,
) -> Results:
    """Run a scenario for ``days`` (default: its own horizon) and return the results.

    The same scenario and seed give identical results in any process.
    ``record="daily"`` skips the per-node and per-link tables (for sweeps).
    ``progress=None`` shows a progress bar only when stderr is a terminal.
    Ctrl-C raises :class:`RunInterrupted` carrying the days done (if any).
    ``on_step(model)`` is called every morning, just before the model steps
    (``model.steps`` days have run), to set the day's levers (e.g. the front's
    fire intensity); draws it makes come from ``model.rng``. The model it gets is
    the one the results come from, so a hook that keeps it can read the final
    state after ``run`` returns.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    n_days = sc.days if days is None else int(days)
    if n_days < 1:
        raise ValueError(f"days must be at least 1, got {n_days}")
    t0 = time.perf_counter()
    model = LogisticsModel(sc, rng=seed, record=record)
    try:
        for _ in _days(n_days, sc.name, progress):
            if on_step is not None:
                on_step(model)
            model.step()
    except KeyboardInterrupt:
        if model.datacollector.last is None:
            raise  # not one day done: nothing to keep
        rec = model.recorder  # stopped between the two records of the last phase: finish it
        if rec is not None and len(rec.days) < len(model.datacollector.rows):
            rec.record(model.state)
        res = collect_results(model, seed=seed, wall_s=time.perf_counter() - t0)
        res.manifest.update(interrupted=True, days_asked=n_days)
        raise RunInterrupted(res) from None
    return collect_results(model, seed=seed, wall_s=time.perf_counter() - t0)


def _days(n_days: int, name: str, progress: bool | None) -> Iterable[int]:
    """The days to run, behind a progress bar unless ``progress`` is False (then tqdm,
    and the asyncio it imports, ~0.06 s, are not imported at all)."""
    if progress is False:
        return range(n_days)
    from tqdm.auto import tqdm

    disable = None if progress is None else not progress  # tqdm: None = "if a tty"
    return tqdm(range(n_days), desc=name, unit="day", disable=disable, leave=False)


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
    nodes, links = rec.tables(s) if rec else (pd.DataFrame(), pd.DataFrame())
    sectors = model.combat.ids  # the combat state's sectors, in map order
    return Results(
        daily=daily,
        nodes=nodes,  # type: ignore[arg-type]  # a StoredTable is read on first use
        links=links,  # type: ignore[arg-type]
        sectors=sector_table(daily, sectors),
        summary=summarize(daily, s.commodities, sectors),
        scenario=sc.to_dict(),
        manifest=manifest(seed=seed, days=len(daily), source=sc.source, wall_s=wall_s),
        events=model.timeline.frame(),
        aid=model.aid.frame(),
        orders=model.orders.frame(model),
    )
