"""Small helpers the lessons share: run a variant, keep its model, label it, read a series."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sandbox.observe.results import Results
from sandbox.scenario.load import Scenario
from sandbox.simulation import run

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel


def run_variant(
    sc: Scenario, overrides: dict[str, Any], days: int, seed: int = 1, record: str = "daily"
) -> Results:
    """Run ``sc`` with ``overrides`` (dotted keys, validated) for ``days`` days."""
    return run(
        sc.with_overrides(overrides) if overrides else sc, seed=seed, days=days, record=record
    )


class KeepModel:
    """An ``on_step`` hook for :func:`sandbox.simulation.run` that keeps the model,
    so a lesson can read the final state after the run (e.g. links moved by strikes)."""

    def __init__(self) -> None:
        self.model: LogisticsModel | None = None

    def __call__(self, model: LogisticsModel) -> None:
        self.model = model

    def final(self) -> LogisticsModel:
        if self.model is None:
            raise ValueError("the model never stepped")
        return self.model


def describe_overrides(overrides: dict[str, Any]) -> str:
    if not overrides:
        return "the map as it is"
    return ", ".join(f"{k} = {v}" for k, v in overrides.items())


def figure(title: str, ncols: int = 1, width: float = 10.0, height: float = 4.5) -> tuple[Any, Any]:
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), constrained_layout=True)
    fig.suptitle(title)
    return fig, axes


def series(res: Results, column: str) -> pd.Series:
    return res.daily[column]
