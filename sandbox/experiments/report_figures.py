"""The figures of a sweep report (matplotlib, Agg): faceted lines, annotated heatmaps,
sensitivity bars. Each function takes the successful runs and readable labels, and returns
the :class:`~matplotlib.figure.Figure` (saved by :func:`save`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sandbox.observe.labels import Label

MAX_BINS = 10
HIST_BINS = 30
#: Values that agree to this many significant digits count as the same.
SAME_DIGITS = 9
TITLE_WIDTH = 48  # characters per title line: longer titles wrap, never cut
FACET_IN = 3.6  # width of one facet, inches


def wrap(text: str, width: int = TITLE_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def save(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=110, bbox_inches="tight")


def levels(col: pd.Series) -> tuple[pd.Series, bool]:
    """The column as plotting levels: itself if few distinct values, else quantile bins
    (labelled by their centre). The flag tells whether it was binned."""
    if col.nunique() <= MAX_BINS * 2 or not pd.api.types.is_numeric_dtype(col):
        return col, False
    bins = pd.qcut(col.astype(float), MAX_BINS, duplicates="drop")
    centres = bins.map(lambda iv: float(iv.mid)).astype(float)
    return centres, True


def finite(col: pd.Series) -> np.ndarray:
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    return values[np.isfinite(values)]


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


def seed_band(ok: pd.DataFrame, param: str, outcome: str) -> pd.DataFrame:
    """Per level of ``param``: the outcome averaged over the other parameters for each
    seed, then the mean, min and max of those over the seeds (columns mean, lo, hi)."""
    x, _ = levels(ok[param])
    per_seed = ok[outcome].groupby([x.rename("level"), ok["seed"]]).mean().unstack("seed")
    return pd.DataFrame(
        {"mean": per_seed.mean(axis=1), "lo": per_seed.min(axis=1), "hi": per_seed.max(axis=1)}
    )


def _tick(v: object) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def plot_facets(
    ok: pd.DataFrame, params: Sequence[str], outcome: str, labels: dict[str, Label]
) -> Figure:
    """One facet per varied parameter (the outcome's mean over seeds, and the band from the
    lowest to the highest seed), and a last facet with the outcome's distribution."""
    n = len(params) + 1
    fig = Figure(figsize=(FACET_IN * n, 3.4))
    axes = fig.subplots(1, n, sharey=False, squeeze=False)[0]
    for ax, p in zip(axes, params, strict=False):
        band = seed_band(ok, p, outcome)
        numeric = band.index.dtype != object
        pos = band.index.to_numpy(dtype=float) if numeric else np.arange(len(band))
        ax.fill_between(pos, band["lo"], band["hi"], alpha=0.25, label="lowest to highest seed")
        ax.plot(pos, band["mean"], marker="o", label="mean over seeds")
        if not numeric:
            ax.set_xticks(pos, [_tick(v) for v in band.index])
        binned = levels(ok[p])[1]
        ax.set_xlabel(wrap(str(labels[p]) + (" (binned)" if binned else ""), 36))
        ax.set_ylabel(wrap(str(labels[outcome]), 36))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    values = finite(ok[outcome])
    axes[-1].hist(values, bins=hist_edges(values), color="tab:gray")
    axes[-1].set_xlabel(wrap(str(labels[outcome]), 36))
    axes[-1].set_ylabel("runs")
    fig.suptitle(wrap(f"{labels[outcome].name}: over each parameter, and over all runs", 90))
    fig.tight_layout()
    return fig


def cell_means(ok: pd.DataFrame, p1: str, p2: str, outcome: str) -> pd.DataFrame:
    """Mean outcome over the runs of each (p2, p1) cell: rows p2's levels, columns p1's."""
    x, _ = levels(ok[p1])
    y, _ = levels(ok[p2])
    return ok[outcome].groupby([y.rename(p2), x.rename(p1)]).mean().unstack()


def plot_heatmap(
    ok: pd.DataFrame, p1: str, p2: str, outcome: str, labels: dict[str, Label]
) -> Figure:
    """Mean outcome over two parameters, each cell's value written in it."""
    table = cell_means(ok, p1, p2, outcome)
    values = table.to_numpy(dtype=float)
    fig = Figure(figsize=(max(5.0, 1.1 * values.shape[1] + 2.5), max(3.5, 0.7 * len(values) + 2)))
    ax = fig.add_subplot()
    im = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(table.shape[1]), [_tick(v) for v in table.columns], rotation=45)
    ax.set_yticks(range(table.shape[0]), [_tick(v) for v in table.index])
    finite_values = values[np.isfinite(values)]
    middle = (finite_values.min() + finite_values.max()) / 2 if len(finite_values) else 0.0
    for (i, j), v in np.ndenumerate(values):
        colour = "black" if np.isfinite(v) and v > middle else "white"
        ax.text(j, i, f"{v:.4g}", ha="center", va="center", color=colour, fontsize="small")
    ax.set_xlabel(wrap(str(labels[p1]), 50))
    ax.set_ylabel(wrap(str(labels[p2]), 30))
    ax.set_title(wrap(f"mean {labels[outcome]} over seeds", 60))
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    return fig


def plot_indices(
    table: pd.DataFrame, design: str, outcome: str, labels: dict[str, Label]
) -> Figure:
    """Sobol' S1/ST or Morris mu* bars with their confidence intervals."""
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    pos = np.arange(len(table))
    if design == "sobol":
        ax.bar(pos - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3, label="S1")
        ax.bar(pos + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3, label="ST")
    else:
        ax.bar(pos, table["mu_star"], 0.6, yerr=table["mu_star_conf"], capsize=3, label="mu*")
        ax.plot(pos, table["sigma"], "ko", label="sigma")
    ax.legend()
    names = [wrap(labels[p].name if p in labels else p, 20) for p in table["parameter"]]
    ax.set_xticks(pos, names, rotation=30, ha="right")
    ax.set_title(wrap(f"{design} indices of {labels[outcome].name}", 60))
    fig.tight_layout()
    return fig
