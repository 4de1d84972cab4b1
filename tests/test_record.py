"""The public record beside a map: found by name, drawn on the dashboard, counted by run.

The record's figures are counted straight from the CSV here (the csv module, not the
reader under test), so a row added to the record moves the expected counts with it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.container import ErrorbarContainer

import sandbox
from sandbox.cli.main import main
from sandbox.observe.record import (
    RECORD,
    compare,
    fit_line,
    in_run,
    load_record,
    record_path,
)
from sandbox.plots import dashboard as plots
from sandbox.plots.keys import KEY_GID
from sandbox.plots.labels import LABEL_GID
from sandbox.scenario.paths import DEFAULT_MAP
from tests.conftest import EXAMPLES

FIRED = {"blue.rounds_fired", "red.rounds_fired"}


def fire_rows(days: int) -> list[dict[str, str]]:
    """The record's daily means of rounds fired per side whose days a run of ``days`` covers."""
    with open(RECORD, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        r
        for r in rows
        if r["metric"] == "mean" and r["column"] in FIRED and int(r["day_to"]) <= days
    ]


def fires_axis(res: sandbox.Results, path: Path) -> Axes:
    """Write the dashboard, and return the fires panel of its figure (drawn again)."""
    assert plots.dashboard(res, path).exists()
    fig = plots.dashboard_figure(res)
    titles = [ax.get_title() for ax in fig.axes]
    return fig.axes[titles.index(plots.COMBAT_TITLES[0])]


def test_the_record_sits_beside_the_map_by_name():
    assert RECORD == DEFAULT_MAP.with_name("ukraine_2023_record.csv") and RECORD.is_file()
    assert record_path("maps/x.toml") == Path("maps/x_record.csv")
    # a scenario's source label names the map first, then what was done to it
    assert record_path("maps/x.toml (with overrides)") == Path("maps/x_record.csv")
    assert record_path("maps/a b.json + orders.toml") == Path("maps/a b_record.csv")


def test_the_dashboard_draws_the_record_on_the_fires_panel(tmp_path):
    res = sandbox.run(sandbox.load_scenario(DEFAULT_MAP), seed=1, record="daily")
    ax = fires_axis(res, tmp_path / "d.png")
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    rows = fire_rows(len(res.daily))
    assert rows and len(points) == len(rows)
    # each point: the source's value (or the band's middle) over the middle of its days,
    # with the band as its error bar and its days as the horizontal bar
    got = sorted(
        (float(c.lines[0].get_xdata()[0]), float(c.lines[0].get_ydata()[0])) for c in points
    )
    want = sorted(
        (
            (max(int(r["day_from"]), 1) + int(r["day_to"])) / 2,
            float(r["value"]) if r["value"] else (float(r["low"]) + float(r["high"])) / 2,
        )
        for r in rows
    )
    assert got == want
    # the same run (no per-node records) cannot read a sector's first short day: the
    # summary line says so rather than counting those figures as missed
    with open(RECORD, newline="", encoding="utf-8") as f:
        by_node = [r for r in csv.DictReader(f) if r["metric"] == "first_short" and r["sector"]]
    assert f"{len(by_node)} more need the per-node records (--record full)" in fit_line(res)
    # each point lettered a, b, ... beside it; the key under the map gives its full source
    marks = sorted(t.get_text() for t in ax.texts if t.get_gid() == LABEL_GID)
    assert marks == [chr(ord("a") + k) for k in range(len(rows))]
    (key,) = [t.get_text() for t in ax.figure.texts if t.get_gid() == KEY_GID]
    flat = " ".join(key.split())
    for r in rows:
        assert " ".join(r["source"].split()) in flat


def test_the_fires_legend_covers_no_line(tmp_path):
    """The legend sits in the panel's headroom: no point of any line (fires, doctrine, the
    red:blue ratio on the right axis) is drawn inside its box."""
    res = sandbox.run(sandbox.load_scenario(DEFAULT_MAP), seed=1, days=365, record="daily")
    ax = fires_axis(res, tmp_path / "d.png")
    fig = ax.figure
    fig.canvas.draw()
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) >= 5
    box = legend.get_window_extent()
    twins = [a for a in fig.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds]
    assert len(twins) == 1  # the ratio's axis
    lines = [ln for a in (ax, *twins) for ln in a.get_lines() if len(ln.get_xdata()) > 2]
    assert len(lines) >= 5
    for line in lines:
        pts = line.get_transform().transform(line.get_xydata())
        inside = (
            (pts[:, 0] >= box.x0)
            & (pts[:, 0] <= box.x1)
            & (pts[:, 1] >= box.y0)
            & (pts[:, 1] <= box.y1)
        )
        assert not inside.any(), f"{line.get_label()} under the legend at {pts[inside][:3]}"


def test_a_short_run_draws_only_the_figures_its_days_cover(tmp_path):
    res = sandbox.run(sandbox.load_scenario(DEFAULT_MAP), seed=1, days=90, record="daily")
    ax = fires_axis(res, tmp_path / "d.png")
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert 0 < len(points) == len(fire_rows(90)) < len(fire_rows(365))


def test_a_map_without_a_record_file_draws_none(tmp_path):
    sector = EXAMPLES / "sector.toml"
    assert not record_path(sector).exists()
    res = sandbox.run(sandbox.load_scenario(sector), seed=1, days=15, record="daily")
    ax = fires_axis(res, tmp_path / "d.png")
    assert not [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def test_run_says_how_many_figures_it_lies_within(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["run", "--days", "90", "--seed", "1", "--out", str(out), "--no-progress"]
    assert main([*args, "--record", "daily"]) == 0
    printed = capsys.readouterr().out
    res = sandbox.Results.load(out)
    figs = in_run(load_record(), 90)
    within = int(compare(res, figs)["within"].sum())
    total = len(load_record())
    assert (
        f"public record (ukraine_2023_record.csv): the run lies within {within} of "
        f"{len(figs)} figures' bands ({total - len(figs)} more need a run beyond day 90)"
    ) in printed
    # a map without a record: no such line
    assert (
        main(
            [
                "run",
                str(EXAMPLES / "sector.toml"),
                "--days",
                "5",
                "--out",
                str(tmp_path / "s"),
                "--no-progress",
            ]
        )
        == 0
    )
    assert "public record" not in capsys.readouterr().out
