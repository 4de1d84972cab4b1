"""The opening lines of a sweep report, and its tables of sensitivity indices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.experiments.report_page import Page
from sandbox.observe.labels import Label

if TYPE_CHECKING:
    from sandbox.experiments.spec import ExperimentSpec


def header(spec: ExperimentSpec, manifest: dict[str, Any], n_runs: int, n_ok: int,
           n_failed: int, labels: dict[str, Label]) -> Page:  # fmt: skip
    """Title, design, parameters (readable, with their keys), runs and command."""
    command = " ".join(map(str, manifest.get("command", ["?"])))
    page = Page()
    page.h1(f"Sweep report: {spec.name}")
    varied = ", ".join(f"{labels[p.name]} (`{p.name}`)" for p in spec.params)
    page.p(f"Design **{spec.design}**, {len(spec.seeds)} seed(s); varied: {varied}.")
    page.p(
        f"Runs stored: {n_runs} of {manifest.get('n_tasks', '?')}; ok {n_ok}, failed {n_failed}."
        f" Map: `{spec.map}`; started {manifest.get('started', '?')}; command: `{command}`"
    )
    return page


def rows_of(table: pd.DataFrame, labels: dict[str, Label]) -> tuple[list[str], list[list[str]]]:
    """A table of indices as text: the parameter's readable name, then the numbers."""
    head = [str(c) for c in table.columns]
    rows = []
    for rec in table.itertuples(index=False):
        cells = [f"{v:.4g}" if isinstance(v, float) else str(v) for v in rec]
        name = str(rec[0])
        cells[0] = f"{labels[name].name} (`{name}`)" if name in labels else name
        rows.append(cells)
    return head, rows
