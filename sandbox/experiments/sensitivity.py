"""Sensitivity indices from a sweep's results table (SALib).

The results of a ``sobol`` or ``morris`` sweep hold one row per design row and
seed; outcomes are averaged over the seeds of each design row, then handed to
SALib in design order. Every design row needs at least one successful run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.experiments.designs import salib_problem
from sandbox.experiments.manifest import manifest_spec
from sandbox.experiments.spec import ExperimentSpec
from sandbox.experiments.store import load_results


class AnalysisError(ValueError):
    """The results do not support the requested analysis."""


def _by_row(results: pd.DataFrame, spec: ExperimentSpec, outcome: str) -> pd.DataFrame:
    """Per design row: the parameters and the outcome's mean over successful seeds."""
    if outcome not in results.columns:
        raise AnalysisError(f"no outcome {outcome!r} in the results")
    ok = results[results["status"] == "ok"]
    names = [p.name for p in spec.params]
    agg = ok.groupby("row", sort=True).agg({**{n: "first" for n in names}, outcome: "mean"})
    n_rows = len(spec.design_frame())
    missing = sorted(set(range(n_rows)) - set(agg.index))
    if missing or agg[outcome].isna().any():
        n_bad = len(missing) + int(agg[outcome].isna().sum())
        raise AnalysisError(
            f"{spec.design} analysis needs every design row: {n_bad} of {n_rows} rows have no"
            f" successful run or no {outcome!r} value (first missing rows: {missing[:5]})"
        )
    return agg


def sobol_indices(
    results: pd.DataFrame,
    spec: ExperimentSpec,
    outcome: str,
    *,
    conf_level: float = 0.95,
    num_resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices with confidence half-widths.

    Returns one row per parameter: ``parameter, S1, S1_conf, ST, ST_conf``.
    """
    from SALib.analyze import sobol

    if spec.design != "sobol":
        raise AnalysisError(f"Sobol' indices need a sobol design, not {spec.design!r}")
    y = _by_row(results, spec, outcome)[outcome].to_numpy(dtype=float)
    res = sobol.analyze(
        salib_problem(spec.params), y,
        calc_second_order=bool(spec.options.get("second_order", False)),
        num_resamples=num_resamples, conf_level=conf_level, seed=seed,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "parameter": [p.name for p in spec.params],
            **{k: np.asarray(res[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")},
        }
    )


def morris_indices(
    results: pd.DataFrame,
    spec: ExperimentSpec,
    outcome: str,
    *,
    conf_level: float = 0.95,
    num_resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Morris elementary effects: ``parameter, mu, mu_star, sigma, mu_star_conf``."""
    from SALib.analyze import morris

    if spec.design != "morris":
        raise AnalysisError(f"Morris indices need a morris design, not {spec.design!r}")
    rows = _by_row(results, spec, outcome)
    names = [p.name for p in spec.params]
    x = rows[names].to_numpy(dtype=float)
    y = rows[outcome].to_numpy(dtype=float)
    res = morris.analyze(
        salib_problem(spec.params), x, y, num_resamples=num_resamples, conf_level=conf_level,
        num_levels=int(spec.options.get("levels", 4)), seed=seed,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "parameter": names,
            **{
                k: np.ma.filled(np.ma.asarray(res[k], dtype=float), np.nan)
                for k in ("mu", "mu_star", "sigma", "mu_star_conf")
            },
        }
    )


def outcome_columns(results: pd.DataFrame, spec: ExperimentSpec) -> list[str]:
    """The outcome columns of a results table (everything the engine did not add)."""
    fixed = {"run_id", "row", "seed", "status", "error", "wall_s"} | {p.name for p in spec.params}
    return [c for c in results.columns if c not in fixed]


def analyze(
    out_dir: str | Path, outcomes: Sequence[str] | None = None, **kwargs: float
) -> dict[str, pd.DataFrame]:
    """Indices for each outcome of the sweep in ``out_dir`` (sobol or morris designs)."""
    _, spec = manifest_spec(out_dir)
    results = load_results(out_dir)
    func = {"sobol": sobol_indices, "morris": morris_indices}.get(spec.design)
    if func is None:
        raise AnalysisError(f"no sensitivity analysis for a {spec.design!r} design")
    names = list(outcomes) if outcomes else outcome_columns(results, spec)
    return {name: func(results, spec, name, **kwargs) for name in names}  # type: ignore[arg-type]
