"""A report of a sweep folder: PNG plots (matplotlib, Agg) and ``report/report.md``.

Only reads the folder (manifest and parts); it never imports the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sandbox.experiments.manifest import manifest_spec
from sandbox.experiments.sensitivity import AnalysisError, analyze, outcome_columns
from sandbox.experiments.store import load_results

if TYPE_CHECKING:
    from sandbox.experiments.spec import ExperimentSpec

MAX_BINS = 10
HIST_BINS = 30
#: Values that agree to this many significant digits count as the same.
SAME_DIGITS = 9


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")[:60] or "x"


def _save(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def _levels(col: pd.Series) -> tuple[pd.Series, bool]:
    """The column as plotting levels: itself if few distinct values, else quantile bins
    (labelled by their centre). The flag tells whether it was binned."""
    if col.nunique() <= MAX_BINS * 2 or not pd.api.types.is_numeric_dtype(col):
        return col, False
    bins = pd.qcut(col.astype(float), MAX_BINS, duplicates="drop")
    centres = bins.map(lambda iv: float(iv.mid)).astype(float)
    return centres, True


def plot_line(ok: pd.DataFrame, param: str, outcome: str, path: Path) -> None:
    """Outcome over one parameter: median and 10–90% band across seeds (and other params)."""
    x, binned = _levels(ok[param])
    g = ok[outcome].groupby(x, sort=True)
    q = pd.DataFrame({k: g.quantile(k) for k in (0.1, 0.5, 0.9)})
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    pos = np.arange(len(q)) if q.index.dtype == object else q.index.to_numpy(dtype=float)
    ax.fill_between(
        pos, q[0.1], q[0.9], alpha=0.3, label="10–90% over seeds (and other parameters)"
    )
    ax.plot(pos, q[0.5], marker="o", label="median")
    if q.index.dtype == object:
        ax.set_xticks(pos, [str(v) for v in q.index])
    ax.set_xlabel(param + (" (binned)" if binned else ""))
    ax.set_ylabel(outcome)
    ax.set_title(f"{outcome} over {param}")
    ax.legend()
    _save(fig, path)


def plot_heatmap(ok: pd.DataFrame, p1: str, p2: str, outcome: str, path: Path) -> None:
    """Mean outcome over two parameters."""
    x, _ = _levels(ok[p1])
    y, _ = _levels(ok[p2])
    table = ok[outcome].groupby([y.rename(p2), x.rename(p1)]).mean().unstack()
    fig = Figure(figsize=(6, 4.5))
    ax = fig.add_subplot()
    im = ax.imshow(table.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(table.shape[1]), [f"{v:.3g}" if isinstance(v, float) else str(v)
                                          for v in table.columns], rotation=45)  # fmt: skip
    ax.set_yticks(range(table.shape[0]), [f"{v:.3g}" if isinstance(v, float) else str(v)
                                          for v in table.index])  # fmt: skip
    ax.set_xlabel(p1)
    ax.set_ylabel(p2)
    ax.set_title(f"mean {outcome}")
    fig.colorbar(im, ax=ax)
    _save(fig, path)


def _finite(col: pd.Series) -> np.ndarray:
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    return values[np.isfinite(values)]


def is_constant(col: pd.Series) -> bool:
    """Whether the column's finite values agree to :data:`SAME_DIGITS` significant digits
    (values differing only in their last bits, e.g. 489.99999999999994 and 490.0, agree)."""
    values = _finite(col)
    if len(values) == 0:
        return bool(col.nunique(dropna=False) <= 1)
    lo, hi = float(values.min()), float(values.max())
    return hi - lo <= max(abs(lo), abs(hi)) * 10.0**-SAME_DIGITS


def hist_edges(values: np.ndarray, n_bins: int = HIST_BINS, scale: float = 0.0) -> np.ndarray:
    """Bin edges for ``values``: ``n_bins`` even bins over their range, or one bin when the
    range is below :data:`SAME_DIGITS` digits of ``scale`` (the values' magnitude, or the
    given one): a spread of a few ulps cannot be cut into bins (numpy: "Too many bins")."""
    if len(values) == 0:
        return np.array([-0.5, 0.5])
    lo, hi = float(values.min()), float(values.max())
    scale = max(scale, abs(lo), abs(hi))
    if hi - lo <= scale * 10.0**-SAME_DIGITS:
        mid = (lo + hi) / 2
        half = (abs(mid) if mid != 0 else scale) * 1e-3 or 0.5
        return np.array([mid - half, mid + half])
    return np.linspace(lo, hi, n_bins + 1)


def plot_hist(ok: pd.DataFrame, outcome: str, path: Path) -> None:
    """Distribution of the outcome over all runs, and its spread across seeds."""
    fig = Figure(figsize=(9, 3.5))
    ax1, ax2 = fig.subplots(1, 2)
    values = _finite(ok[outcome])
    ax1.hist(values, bins=hist_edges(values))
    ax1.set_title(f"{outcome}: all runs")
    dev = _finite(ok[outcome] - ok.groupby("row")[outcome].transform("mean"))
    scale = float(np.abs(values).max()) if len(values) else 0.0
    ax2.hist(dev, bins=hist_edges(dev, scale=scale), color="tab:orange")
    ax2.set_title("across seeds (minus the row mean)")
    _save(fig, path)


def plot_indices(table: pd.DataFrame, design: str, outcome: str, path: Path) -> None:
    """Sobol' S1/ST or Morris mu* bars with their confidence intervals."""
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    pos = np.arange(len(table))
    if design == "sobol":
        ax.bar(pos - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3, label="S1")
        ax.bar(pos + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3, label="ST")
        ax.legend()
    else:
        ax.bar(pos, table["mu_star"], 0.6, yerr=table["mu_star_conf"], capsize=3, label="mu*")
        ax.plot(pos, table["sigma"], "ko", label="sigma")
        ax.legend()
    ax.set_xticks(pos, list(table["parameter"]), rotation=30, ha="right")
    ax.set_title(f"{design} indices of {outcome}")
    _save(fig, path)


def _md_table(df: pd.DataFrame) -> str:
    cells = [[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row] for row in df.values]
    head = "| " + " | ".join(map(str, df.columns)) + " |"
    sep = "|" + "---|" * len(df.columns)
    return "\n".join([head, sep, *("| " + " | ".join(r) + " |" for r in cells)])


def _header(spec: ExperimentSpec, manifest: dict[str, Any], n_runs: int, n_ok: int,
            n_failed: int, constant: Sequence[str]) -> list[str]:  # fmt: skip
    command = " ".join(map(str, manifest.get("command", ["?"])))
    md = [
        f"# Sweep report: {spec.name}",
        "",
        f"- design: **{spec.design}**, {len(spec.seeds)} seed(s), parameters: "
        + ", ".join(f"`{p.name}`" for p in spec.params),
        f"- runs stored: {n_runs} of {manifest.get('n_tasks', '?')}; ok {n_ok}, failed {n_failed}",
        f"- started {manifest.get('started', '?')}; command: `{command}`",
        "",
    ]
    if constant:
        same = ", ".join(f"`{n}`" for n in constant)
        md += [f"The same in every successful run, to {SAME_DIGITS} significant digits"
               f" (not plotted): {same}", ""]  # fmt: skip
    return md


def write_report(
    out_dir: str | Path, outcomes: Sequence[str] | None = None, max_params: int = 4
) -> Path:
    """Write the plots and ``report.md`` into ``OUT/report/``; returns the path of report.md."""
    out = Path(out_dir)
    manifest, spec = manifest_spec(out)
    results = load_results(out)
    ok = results[results["status"] == "ok"]
    names = list(outcomes) if outcomes else outcome_columns(results, spec)
    constant: list[str] = []
    if not outcomes:  # by default, plot only what varies (a model has many flat outcomes)
        constant = [n for n in names if is_constant(ok[n])]
        names = [n for n in names if n not in constant]
    params = [p.name for p in spec.params][:max_params]
    rep = out / "report"
    rep.mkdir(exist_ok=True)
    failed = results[results["status"] != "ok"]
    md = _header(spec, manifest, len(results), len(ok), len(failed), constant)
    indices: dict[str, pd.DataFrame] = {}
    if spec.design in ("sobol", "morris") and names:
        try:
            indices = analyze(out, names)
        except AnalysisError as exc:
            md += [f"Sensitivity analysis skipped: {exc}", ""]
    for outcome in names:
        if ok[outcome].notna().sum() == 0:
            md += [f"## {outcome}", "", "No successful values.", ""]
            continue
        md += [f"## {outcome}", ""]
        for p in params:
            png = f"line_{_slug(outcome)}__{_slug(p)}.png"
            plot_line(ok, p, outcome, rep / png)
            md.append(f"![{outcome} over {p}]({png})")
        if len(params) >= 2:
            png = f"heatmap_{_slug(outcome)}.png"
            plot_heatmap(ok, params[0], params[1], outcome, rep / png)
            md.append(f"![mean {outcome} over {params[0]} and {params[1]}]({png})")
        png = f"hist_{_slug(outcome)}.png"
        plot_hist(ok, outcome, rep / png)
        md.append(f"![distribution of {outcome}]({png})")
        if outcome in indices:
            png = f"sensitivity_{_slug(outcome)}.png"
            plot_indices(indices[outcome], spec.design, outcome, rep / png)
            md += ["", f"![{spec.design} indices of {outcome}]({png})", ""]
            md.append(_md_table(indices[outcome]))
        md.append("")
    if len(failed):
        md += ["## Failed runs", "", _md_table(failed[["run_id", "error"]].head(20)), ""]
    path = rep / "report.md"
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return path
