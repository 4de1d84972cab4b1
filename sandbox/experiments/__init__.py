"""Batch experiments: sweeps over scenario parameters, stored as Parquet, analysed with SALib.

The engine runs any module-level (picklable) function
``fn(params: dict[str, float | int | str], seed: int) -> dict[str, float]``
(optionally returning ``(outcomes, daily)``), so it does not depend on the model;
:mod:`sandbox.experiments.model_task` binds it to ``sandbox.run``.

Pipeline: :mod:`.spec` (what to vary) → :mod:`.designs` (rows × seeds = tasks)
→ :mod:`.executors` (serial, process pool, Dask) → :mod:`.store` (Parquet parts,
manifest, resume) → :mod:`.sensitivity` and :mod:`.report`.

Experiment TOML::

    [experiment]
    name = "capacity"
    map = "maps/examples/race.toml"   # used by the model binding
    days = 60
    design = "grid"                   # grid | lhs | sobol | morris
    samples = 256                     # lhs rows / sobol base N (power of 2) / morris trajectories
    seed = 0                          # seed of the sampling design
    seeds = 5                         # model seeds 0..4, or a list [0, 7, 11]
    outcomes = ["delivered_t"]        # optional: fixes the outcome columns
    options = { second_order = false }  # sobol: second_order; morris: levels; lhs: optimization

    [parameters]
    "links.plant->front.capacity_t" = { lo = 50, hi = 200, n = 4 }
    "sides.red.quality" = [0.5, 0.75, 1.0]
    "units.blue_art.guns" = "2:8:4"
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> its module; loaded on first use (PEP 562), so the command line's
# parser can name the designs without importing pandas, SALib or Dask
_PUBLIC = {
    "DESIGNS": "designs",
    "ExperimentSpec": "spec",
    "ParamSpec": "designs",
    "RunRecord": "executors",
    "SchedulerError": "executors",
    "SweepSummary": "runner",
    "Task": "designs",
    "load_results": "store",
    "load_spec": "spec",
    "run_sweep": "runner",
    "spec_from_cli": "spec",
    "spec_from_dict": "spec",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'sandbox.experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DESIGNS",
    "ExperimentSpec",
    "ParamSpec",
    "RunRecord",
    "SchedulerError",
    "SweepSummary",
    "Task",
    "load_results",
    "load_spec",
    "run_sweep",
    "spec_from_cli",
    "spec_from_dict",
]
