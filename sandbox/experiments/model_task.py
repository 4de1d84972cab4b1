"""Binding of the experiment engine to the model.

Uses the model's contract: ``sandbox.run(scenario, seed, days) -> Results``
with ``Results.summary`` a dict of scalar outcomes, and
``Scenario.with_overrides({"dotted.key": value})`` raising ``ScenarioError``
for unknown keys or bad values. The model is imported lazily, inside the
functions, so the rest of the engine never imports it.

Outcomes are the numeric entries of the run's summary; a day that never came
(``*.first_short_day`` is ``None``) becomes NaN, so every run of a map has the
same outcome columns whatever order the runs finish in. Text entries
(``first_side_short_of_ammunition``) are left out: the per-side first short
days hold the same information as numbers.
"""

from __future__ import annotations

import functools
import importlib
import math
import numbers
from collections.abc import Callable
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.experiments.limits import MAX_DAYS, RUN_BYTES_PER_DAY, human_bytes
from sandbox.experiments.spec import ExperimentSpec

#: Summary entries that are text (or missing), never numbers: not outcomes.
TEXT_OUTCOMES = ("first_side_short_of_",)


@functools.lru_cache(maxsize=4)
def _scenario(map_path: str) -> Any:
    """The base scenario, loaded once per worker process."""
    scenario_mod = importlib.import_module("sandbox.scenario.load")  # the model, loaded lazily
    return scenario_mod.load_scenario(map_path)


@functools.lru_cache(maxsize=8)
def _variant(map_path: str, items: tuple[tuple[str, Any], ...]) -> Any:
    """The map with overrides; cached, since the seeds of a design row come one after the
    other (rows × seeds, row-major) and a variant is validated once, not once per seed."""
    base = _scenario(map_path)
    return base.with_overrides(dict(items)) if items else base


def numeric_summary(summary: dict[str, Any]) -> dict[str, float]:
    """The numeric outcomes of a run summary (``None`` → NaN, text left out)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        if key.startswith(TEXT_OUTCOMES):
            continue
        if value is None:
            out[key] = math.nan
        elif isinstance(value, numbers.Real):
            out[key] = float(value)
    return out


def run_model(
    params: dict[str, Any],
    seed: int,
    *,
    map_path: str,
    days: int | None = None,
    daily: bool = False,
) -> Any:
    """One model run: the map with ``params`` as dotted overrides, for ``days``.

    Returns the numeric summary, or ``(summary, results.daily)`` when ``daily``.
    """
    sandbox = importlib.import_module("sandbox")
    scenario = _variant(map_path, tuple(sorted(params.items())))
    results = sandbox.run(scenario, seed, days, record="daily")
    summary = numeric_summary(results.summary)
    if not daily:
        return summary
    frame = results.daily.reset_index()
    frame["date"] = frame["date"].astype(str)
    return summary, frame


def _probes(p: Any, design: str) -> list[Any]:
    """Values to try a parameter with: every listed value or grid level; for sampled
    ranges the ends, plus a fractional midpoint unless the parameter is an integer."""
    if p.values is not None:
        return list(p.values)
    if design == "grid":
        return list(p.levels())
    probes = [p.lo, p.hi]
    if not p.integer and p.hi > p.lo:
        probes.append((p.lo + p.hi) / 2 + (p.hi - p.lo) * 1e-3)  # surely not a whole number
    return probes


def _map_days_problems(map_path: str, base: Any, days: int | None) -> list[str]:
    """The map's own horizon is the sweep's when ``--days`` is not given: check it too."""
    horizon = getattr(base, "days", None)
    if days is not None or not isinstance(horizon, int) or horizon <= MAX_DAYS:
        return []
    need = human_bytes(horizon * RUN_BYTES_PER_DAY)
    return [
        f"map {map_path}: days = {horizon:,} exceed the sweep limit of {MAX_DAYS:,} days"
        f" (about {need} of memory per run and worker); give --days"
    ]


def validate_keys_for(map_path: str, spec: ExperimentSpec) -> Callable[[list[str]], list[str]]:
    """A ``validate_keys`` hook: tries each parameter's values on the map, one at a time."""

    def validate(keys: list[str]) -> list[str]:
        try:
            base = _scenario(map_path)
        except ScenarioError as exc:
            return [f"map {map_path}: {p}" for p in exc.problems]
        problems = _map_days_problems(map_path, base, spec.days)
        for p in spec.params:
            if p.name not in keys:
                continue
            at = p.where or p.name
            for value in _probes(p, spec.design):
                try:
                    base.with_overrides({p.name: value}, source=at)
                except ScenarioError as exc:
                    hint = ""
                    if any("integer" in q for q in exc.problems) and p.values is None:
                        hint = " (a whole-number field: give int = true, or integer LO:HI:N levels)"
                    problems += [f"{at}: {q.removeprefix('--set ')}{hint}" for q in exc.problems]
                    break
        return problems

    return validate


def bind(spec: ExperimentSpec) -> tuple[Callable[..., Any], Any]:
    """The run function and the key validator for a spec (needs ``spec.map``)."""
    if not spec.map:
        raise ScenarioError(spec.source, ["experiment.map: the model needs a map file"])
    fn = functools.partial(run_model, map_path=spec.map, days=spec.days, daily=spec.daily)
    return fn, validate_keys_for(spec.map, spec)
