"""Compare two runs: an aligned table of summary differences and overlaid daily plots per side.

``sandbox.compare(a, b)`` takes two :class:`~sandbox.observe.results.Results` (or run folders)
and returns a :class:`Comparison`; :meth:`Comparison.write_html` writes one self-contained page
(figures embedded). ``sandbox compare RUN_A RUN_B`` does both from the command line.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.scenario.schema import SIDES
from sandbox.state.columns import DAILY

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sandbox.observe.results import Results

# the per-side daily series drawn for both runs, commodity ones for every commodity
SIDE_SERIES = ("rounds_fired",)
COMMODITY_SERIES = ("stock", "delivered", "shortfall")


@dataclass
class Comparison:
    """Two runs side by side."""

    labels: tuple[str, str]
    table: pd.DataFrame  # index: summary key; columns a, b, diff, rel_diff
    figures: dict[str, Figure] = field(default_factory=dict)  # one per side

    def changed(self, rel_tol: float = 1e-12) -> pd.DataFrame:
        """The rows whose values differ (relative difference above ``rel_tol``)."""
        t = self.table
        rel = t["rel_diff"].abs().fillna(0.0)
        moved = (t["diff"].abs() > 0) & ((rel > rel_tol) | t["rel_diff"].isna())
        return t[moved]

    def write_html(self, path: str | Path) -> Path:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_html(self), encoding="utf-8")
        return out


def _as_results(run: Results | str | Path) -> tuple[Results, str]:
    from sandbox.observe.results import Results

    if isinstance(run, Results):
        return run, str(run.scenario.get("scenario", {}).get("name", "run"))
    return Results.load(run), Path(run).name


def summary_table(a: dict[str, Any], b: dict[str, Any]) -> pd.DataFrame:
    """Numeric summary entries present in either run, aligned: a, b, b - a, (b - a) / |a|.

    A value missing from one run, or a relative difference against zero, is left empty
    (NaN in the frame, a dash on the page), never infinite.
    """
    keys = [k for k in dict.fromkeys([*a, *b]) if _number(a.get(k)) or _number(b.get(k))]
    rows = []
    for k in keys:
        va = float(a[k]) if _number(a.get(k)) else math.nan
        vb = float(b[k]) if _number(b.get(k)) else math.nan
        diff = vb - va
        rel = diff / abs(va) if va and math.isfinite(diff) else (0.0 if diff == 0 else math.nan)
        rows.append((k, va, vb, diff, rel))
    return pd.DataFrame(rows, columns=["key", "a", "b", "diff", "rel_diff"]).set_index("key")


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _commodities(res: Results) -> list[str]:
    return list(res.scenario.get("commodities", {}))


def side_figure(side: str, runs: list[tuple[str, Results]]) -> Figure:
    """Overlaid daily series of one side: rounds fired, then stock/delivered/shortfall."""
    from matplotlib.figure import Figure

    comms = list(dict.fromkeys(c for _, r in runs for c in _commodities(r)))
    keys = [DAILY.side(side, m) for m in SIDE_SERIES]
    keys += [DAILY.commodity(side, c, m) for c in comms for m in COMMODITY_SERIES]
    keys = [k for k in keys if any(k in r.daily for _, r in runs)]
    ncols = 2
    nrows = max(1, math.ceil(len(keys) / ncols))
    fig = Figure(figsize=(11, 2.6 * nrows), dpi=100, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, key in zip(axes, keys, strict=False):
        for (label, res), style in zip(runs, ("-", "--"), strict=True):
            if key in res.daily:
                ax.plot(res.daily.index, res.daily[key], style, label=label)
        ax.set_title(key, fontsize=9)
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    for ax in axes[len(keys) :]:
        ax.set_visible(False)
    fig.suptitle(f"{side}: the two runs overlaid")
    return fig


def compare(a: Results | str | Path, b: Results | str | Path) -> Comparison:
    """Compare two runs (Results or run folders): the summary table and a figure per side."""
    ra, la = _as_results(a)
    rb, lb = _as_results(b)
    if la == lb:
        la, lb = f"A: {la}", f"B: {lb}"
    runs = [(la, ra), (lb, rb)]
    figures: dict[str, Figure] = {side: side_figure(side, runs) for side in SIDES}
    return Comparison((la, lb), summary_table(ra.summary, rb.summary), figures)


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "&mdash;"
    return f"{v:,.6g}"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _row(key: str, a: float, b: float, diff: float, rel: float, changed: bool) -> str:
    cells = "".join(f"<td>{_fmt(v)}</td>" for v in (a, b, diff))
    relative = f"{_fmt(100 * rel)} %" if math.isfinite(rel) else "&mdash;"
    cls = " class=changed" if changed else ""
    return f"<tr{cls}><td>{html.escape(key)}</td>{cells}<td>{relative}</td></tr>"


def _html(c: Comparison) -> str:
    la, lb = (html.escape(x) for x in c.labels)
    changed = set(c.changed().index)
    rows = "\n".join(
        _row(str(k), a, b, d, rel, k in changed)
        for k, a, b, d, rel in c.table.itertuples(name=None)
    )
    figs = "\n".join(
        f'<h2>{html.escape(side)}</h2><img alt="{html.escape(side)}" '
        f'src="data:image/png;base64,{_png(fig)}">'
        for side, fig in c.figures.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{la} vs {lb}</title>
<style>body{{font-family:sans-serif;max-width:1150px;margin:auto}}
table{{border-collapse:collapse}}td,th{{padding:2px 8px;text-align:right}}
td:first-child{{text-align:left}}tr.changed{{background:#fff3cd}}img{{max-width:100%}}</style>
</head><body>
<h1>{la} vs {lb}</h1>
<p>{len(changed)} of {len(c.table)} summary entries differ (highlighted).</p>
<table><tr><th>summary entry</th><th>{la}</th><th>{lb}</th><th>B &minus; A</th>
<th>relative</th></tr>
{rows}
</table>
{figs}
</body></html>
"""
