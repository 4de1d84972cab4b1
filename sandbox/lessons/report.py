"""Write a lesson's figures and its report, in Markdown and in self-contained HTML."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sandbox.lessons.base import Lesson, LessonResult


def save_figures(figures: dict[str, Figure], out: Path) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for name, fig in figures.items():
        path = out / f"{name}.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths[name] = path
    return paths


def _check_lines(result: LessonResult) -> list[str]:
    return [f"{'holds' if ok else 'DOES NOT HOLD'}: {claim}" for claim, ok in result.checks.items()]


def run_line(lesson: Lesson, result: LessonResult) -> str:
    """``60 days, seed 1`` (or ``seeds 1, 2, 3``): how long and with what the lesson ran."""
    seeds = lesson.run_seeds()
    return f"{result.days} days, seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"


def markdown(lesson: Lesson, result: LessonResult) -> str:
    lines = [f"# Lesson {lesson.number}: {lesson.title}", "", f"**Goal.** {lesson.goal}", ""]
    lines += ["## Questions", "", *[f"{i}. {q}" for i, q in enumerate(lesson.questions, 1)], ""]
    lines += [
        "## What was run",
        "",
        f"Map `maps/lessons/{lesson.map_file}`, {run_line(lesson, result)}.",
        "",
    ]
    lines += [f"- {r}" for r in result.ran] + [""]
    lines += ["## What came out", "", *[f"- {f}" for f in result.found], ""]
    lines += ["Claimed effects, checked on this run:", ""]
    lines += [f"- {c}" for c in _check_lines(result)] + [""]
    for name, table in result.tables.items():
        lines += [f"### {name}", "", md_table(table), ""]
    for name, path in result.figures.items():
        lines += [f"![{name}]({path.name})", ""]
    lines += ["## Takeaway", "", lesson.takeaway, ""]
    lines += ["## Explore further", "", *[f"- {e}" for e in lesson.explore], ""]
    return "\n".join(lines)


def md_table(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (no extra dependency)."""

    def cell(v: object) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float):
            return f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    head = [str(table.index.name or ""), *map(str, table.columns)]
    rows = [[cell(i), *map(cell, row)] for i, *row in table.itertuples(name=None)]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def html_page(lesson: Lesson, result: LessonResult) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Lesson {lesson.number}: {e(lesson.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
        "text-align:right}img{max-width:100%}.no{color:#b00;font-weight:bold}</style>",
        "</head><body>",
        f"<h1>Lesson {lesson.number}: {e(lesson.title)}</h1>",
        f"<p><b>Goal.</b> {e(lesson.goal)}</p>",
        "<h2>Questions</h2><ol>",
        *[f"<li>{e(q)}</li>" for q in lesson.questions],
        "</ol><h2>What was run</h2>",
        f"<p>Map <code>maps/lessons/{e(lesson.map_file)}</code>, "
        f"{e(run_line(lesson, result))}.</p><ul>",
        *[f"<li>{e(r)}</li>" for r in result.ran],
        "</ul><h2>What came out</h2><ul>",
        *[f"<li>{e(f)}</li>" for f in result.found],
        "</ul><p>Claimed effects, checked on this run:</p><ul>",
        *[
            f"<li>{'holds' if ok else '<span class=no>DOES NOT HOLD</span>'}: {e(c)}</li>"
            for c, ok in result.checks.items()
        ],
        "</ul>",
    ]
    for name, table in result.tables.items():
        parts += [f"<h3>{e(name)}</h3>", table.to_html(float_format=lambda x: f"{x:,.2f}")]
    for name, path in result.figures.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts.append(f"<figure><img alt='{e(name)}' src='data:image/png;base64,{data}'></figure>")
    parts += [
        f"<h2>Takeaway</h2><p>{e(lesson.takeaway)}</p><h2>Explore further</h2><ul>",
        *[f"<li>{e(x)}</li>" for x in lesson.explore],
        "</ul></body></html>",
    ]
    return "\n".join(parts)


def write_reports(lesson: Lesson, result: LessonResult) -> None:
    result.report_md.write_text(markdown(lesson, result), encoding="utf-8")
    result.report_html.write_text(html_page(lesson, result), encoding="utf-8")
