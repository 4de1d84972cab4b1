"""The report of a sweep folder: ``report/report.html`` (and the same as ``report.md``).

It opens with the headline outcomes (who wins the logistics race, i.e. the larger share of
its doctrine's rounds fired; who runs short of ammunition first; each side's first short
day and fire share, the front gained, rounds fired), then the sensitivity indices when the
design has them, then a handful of figures: per headline outcome, one row of facets (the
outcome over each varied parameter, mean and band over seeds) and, for two or more
parameters, a heatmap with each cell's mean written in. Other outcomes get a table, and
figures only when asked (``all_outcomes``, ``sandbox sweep report DIR --all-outcomes``).
Axis labels are readable phrases with units from the map (:mod:`sandbox.experiments.labels`).

Only reads the folder (manifest and parts) and the map's TOML; it never imports the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.experiments.manifest import manifest_spec
from sandbox.experiments.report_figures import (
    SAME_DIGITS,
    finite,
    hist_edges,
    plot_facets,
    plot_heatmap,
    plot_indices,
    save,
)
from sandbox.experiments.report_header import header, rows_of
from sandbox.experiments.report_page import Page
from sandbox.experiments.sensitivity import AnalysisError, analyze, outcome_columns
from sandbox.experiments.store import load_results
from sandbox.observe.labels import (
    Label,
    commodity_units,
    headline_keys,
    outcome_label,
    param_label,
    race_keys,
    share_keys,
)
from sandbox.observe.race import RACE_MARGIN_SHARE, count_winners, counts_text, share_or_none

__all__ = ["headline_keys", "hist_edges", "is_constant", "write_report"]

FALLBACK_OUTCOMES = 4  # figures for this many varying outcomes when no headline one varies
FIGURE_PREFIXES = ("lines_", "heatmap_", "sensitivity_", "line_", "hist_")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")[:60] or "x"


def is_constant(col: pd.Series) -> bool:
    """Whether the column's finite values agree to :data:`SAME_DIGITS` significant digits
    (values differing only in their last bits, e.g. 489.99999999999994 and 490.0, agree)."""
    values = finite(col)
    if len(values) == 0:
        return bool(col.nunique(dropna=False) <= 1)
    lo, hi = float(values.min()), float(values.max())
    return hi - lo <= max(abs(lo), abs(hi)) * 10.0**-SAME_DIGITS


def race_sentence(ok: pd.DataFrame) -> str | None:
    """Who wins the logistics race (the run summary's ``winning``, recomputed from each
    side's share of its doctrine's rounds fired), counted over the runs (None without the
    columns)."""
    sides = [s for s, _ in share_keys()]
    keys = [k for _, k in share_keys()]
    if not all(k in ok for k in keys) or not len(ok):
        return None
    rows = ok[keys].to_numpy(dtype=float)
    counts = count_winners(
        {s: share_or_none(v) for s, v in zip(sides, r, strict=True)} for r in rows
    )
    return (
        "**Who wins the logistics race** (the larger share of its doctrine's rounds fired, by "
        f"more than {100 * RACE_MARGIN_SHARE:g} point): " + counts_text(counts)
    )


def short_first_sentence(ok: pd.DataFrame) -> str | None:
    """Who runs short of ammunition first, counted over the runs (None without the columns)."""
    sides = [s for s, _ in race_keys()]
    keys = [k for _, k in race_keys()]
    if not all(k in ok for k in keys) or not len(ok):
        return None
    days = ok[keys].to_numpy(dtype=float)
    never = np.where(np.isnan(days), np.inf, days)
    a, b = never[:, 0], never[:, 1]
    counts = {
        f"{sides[0]} runs short first": int(np.sum(a < b)),
        f"{sides[1]} runs short first": int(np.sum(b < a)),
        "both on the same day": int(np.sum((a == b) & np.isfinite(a))),
        "neither runs short": int(np.sum(np.isinf(a) & np.isinf(b))),
    }
    parts = [f"{what} in {n} of {len(ok)} runs" for what, n in counts.items() if n]
    return "**Who runs short of ammunition first**: " + "; ".join(parts)


def _fmt(v: float) -> str:
    return f"{v:,.4g}" if math.isfinite(v) else "—"


def stats_rows(ok: pd.DataFrame, keys: Sequence[str], labels: dict[str, Label]) -> list[list[str]]:
    """One row per outcome: label, unit, mean, min, max over the runs, runs without a value."""
    rows = []
    for k in keys:
        v = finite(ok[k])
        stats = (v.mean(), v.min(), v.max()) if len(v) else (math.nan,) * 3
        rows.append([labels[k].name, labels[k].unit, *map(_fmt, stats), str(len(ok) - len(v))])
    return rows


STATS_HEAD = ["outcome", "unit", "mean", "min", "max", "runs without a value"]


def _choose(
    ok: pd.DataFrame, names: list[str], asked: bool, all_outcomes: bool
) -> tuple[list[str], list[str]]:
    """(outcomes with figures, the varying outcomes without)."""
    varying = [n for n in names if asked or not is_constant(ok[n])]
    varying = [n for n in varying if ok[n].notna().any()]
    if asked or all_outcomes:
        return varying, []
    heads = [k for k in headline_keys() if k in varying]
    chosen = heads or varying[:FALLBACK_OUTCOMES]
    return chosen, [n for n in varying if n not in chosen]


def _indices(out: Path, design: str, names: list[str], page: Page) -> dict[str, pd.DataFrame]:
    if design not in ("sobol", "morris") or not names:
        return {}
    try:
        return analyze(out, names)
    except AnalysisError as exc:
        page.p(f"Sensitivity analysis skipped: {exc}")
        return {}


def _sensitivity(idx: dict[str, pd.DataFrame], design: str, labels: dict[str, Label],
                 rep: Path, page: Page) -> None:  # fmt: skip
    if not idx:
        return
    page.h2(f"Sensitivity ({design} indices)")
    for outcome, table in idx.items():
        png = f"sensitivity_{_slug(outcome)}.png"
        save(plot_indices(table, design, outcome, labels), rep / png)
        page.p(f"**{labels[outcome]}**")
        head, rows = rows_of(table, labels)
        page.table(head, rows)
        page.img(png, f"{design} indices of {labels[outcome].name}")


def _figures(ok: pd.DataFrame, params: list[str], chosen: list[str], labels: dict[str, Label],
             rep: Path, page: Page) -> None:  # fmt: skip
    if chosen:
        page.h2("Figures")
    for outcome in chosen:
        png = f"lines_{_slug(outcome)}.png"
        save(plot_facets(ok, params, outcome, labels), rep / png)
        page.img(png, f"{labels[outcome]} over each parameter")
        if len(params) >= 2:
            png = f"heatmap_{_slug(outcome)}.png"
            save(plot_heatmap(ok, params[0], params[1], outcome, labels), rep / png)
            page.img(png, f"mean {labels[outcome]} over {labels[params[0]].name} "
                          f"and {labels[params[1]].name}")  # fmt: skip


def write_report(
    out_dir: str | Path,
    outcomes: Sequence[str] | None = None,
    max_params: int = 4,
    all_outcomes: bool = False,
) -> Path:
    """Write ``OUT/report/report.html``, ``report.md`` and their figures; returns the path of
    report.html. ``outcomes`` picks the outcomes to draw (default: the headline ones that
    vary; ``all_outcomes``: every one that varies)."""
    out = Path(out_dir)
    manifest, spec = manifest_spec(out)
    results = load_results(out)
    ok = results[results["status"] == "ok"]
    names = list(outcomes) if outcomes else outcome_columns(results, spec)
    units = commodity_units(spec.map)
    labels = {n: outcome_label(n, units) for n in names}
    labels |= {p.name: param_label(p.name, units) for p in spec.params}
    params = [p.name for p in spec.params][:max_params]
    chosen, others = _choose(ok, names, bool(outcomes), all_outcomes)
    constant = [] if outcomes else [n for n in names if is_constant(ok[n])]
    rep = out / "report"
    rep.mkdir(exist_ok=True)
    for old in rep.glob("*.png"):  # figures of an earlier report of this folder
        if old.name.startswith(FIGURE_PREFIXES):
            old.unlink()
    failed = results[results["status"] != "ok"]
    page = header(spec, manifest, len(results), len(ok), len(failed), labels)
    page.h2("Headline outcomes")
    for sentence in (race_sentence(ok), short_first_sentence(ok)):
        if sentence:
            page.p(sentence)
    heads = [k for k in (headline_keys() if not outcomes else names) if k in ok]
    page.table(STATS_HEAD, stats_rows(ok, heads, labels))
    _sensitivity(_indices(out, spec.design, chosen, page), spec.design, labels, rep, page)
    _figures(ok, params, chosen, labels, rep, page)
    if others:
        page.h2("Other outcomes (no figures; `--all-outcomes` draws them)")
        page.table(STATS_HEAD, stats_rows(ok, others, labels))
    if constant:
        same = ", ".join(f"`{n}`" for n in constant)
        page.p(f"The same in every successful run, to {SAME_DIGITS} significant digits"
               f" (not plotted): {same}")  # fmt: skip
    if len(failed):
        page.h2("Failed runs")
        page.table(["run_id", "error"], [[str(r), str(e)] for r, e in
                                         failed[["run_id", "error"]].head(20).values])  # fmt: skip
    (rep / "report.md").write_text(page.markdown(), encoding="utf-8")
    path = rep / "report.html"
    path.write_text(page.html(f"Sweep report: {spec.name}"), encoding="utf-8")
    return path
