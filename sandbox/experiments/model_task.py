"""Binding of the experiment engine to the model (UNTESTED stub).

Assumes the model's contract: ``sandbox.run(scenario, seed, days) -> Results``
with ``Results.summary`` a dict of scalar outcomes, and
``Scenario.with_overrides({"dotted.key": value})`` raising ``ScenarioError``
for unknown keys or bad values. The model is imported lazily, inside the
functions, so the rest of the engine never imports it.
"""

from __future__ import annotations

import functools
import importlib
import numbers
from collections.abc import Callable
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.experiments.spec import ExperimentSpec


@functools.lru_cache(maxsize=4)
def _scenario(map_path: str) -> Any:
    """The base scenario, loaded once per worker process."""
    scenario_mod = importlib.import_module("sandbox.scenario")  # the model, loaded lazily
    return scenario_mod.load_scenario(map_path)


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
    scenario = _scenario(map_path).with_overrides(params)
    results = sandbox.run(scenario, seed, days, record="daily")
    summary = {k: float(v) for k, v in results.summary.items() if isinstance(v, numbers.Real)}
    return (summary, results.daily.reset_index()) if daily else summary


def validate_keys_for(map_path: str, spec: ExperimentSpec) -> Callable[[list[str]], list[str]]:
    """A ``validate_keys`` hook: tries each parameter's extreme values on the map."""

    def validate(keys: list[str]) -> list[str]:
        try:
            base = _scenario(map_path)
        except ScenarioError as exc:
            return [f"map {map_path}: {p}" for p in exc.problems]
        problems: list[str] = []
        for p in spec.params:
            if p.name not in keys:
                continue
            probes = list(p.values) if p.values is not None else [p.lo, p.hi]
            for value in probes:
                try:
                    base.with_overrides({p.name: value}, source=p.where or p.name)
                except ScenarioError as exc:
                    problems += [f"{p.where or p.name}: {q}" for q in exc.problems]
                    break
        return problems

    return validate


def bind(spec: ExperimentSpec) -> tuple[Callable[..., Any], Any]:
    """The run function and the key validator for a spec (needs ``spec.map``)."""
    if not spec.map:
        raise ScenarioError(spec.source, ["experiment.map: the model needs a map file"])
    fn = functools.partial(run_model, map_path=spec.map, days=spec.days, daily=spec.daily)
    return fn, validate_keys_for(spec.map, spec)
