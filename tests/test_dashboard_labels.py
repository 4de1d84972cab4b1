"""The dashboard's texts are legible: none overlaps another, none leaves the figure, and
every event of the run and every record figure drawn is spelled out in the key.

Measured on the figure's own pixels (Agg) after a full ``canvas.draw()``: every visible,
non-empty Text artist (titles, axis and tick labels, legend texts, the event numbers, the
record's letters, the operations band, the map's names, the key).
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import sandbox
from sandbox.observe.record import record_for
from sandbox.plots.dashboard import dashboard_figure
from sandbox.plots.keys import KEY_GID, key_height_in
from sandbox.plots.record import fire_figures
from sandbox.plots.timeline import EVENT_GID, EVENT_LINE_GID, ROW_PT, number_days
from sandbox.scenario.paths import DEFAULT_MAP
from tests.conftest import EXAMPLES, MAPS

TOL_PX = 0.5  # boxes that share an edge to within half a pixel do not overlap


def drawn_texts(fig) -> list[tuple[str, Bbox]]:
    """(text, pixel box) of every visible, non-empty text of ``fig``, after a full draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = _hidden_ticks(fig)
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


def _hidden_ticks(fig) -> set[int]:
    """ids of the tick labels not drawn: out of the axis' view, or of a hidden axis."""
    every, shown = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.majorTicks + axis.minorTicks:
                every |= {id(tick.label1), id(tick.label2)}
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * max(1.0, abs(lo), abs(hi))
            pairs = [
                *zip(axis.get_majorticklocs(), axis.majorTicks, strict=False),
                *zip(axis.get_minorticklocs(), axis.minorTicks, strict=False),
            ]
            for loc, tick in pairs:
                labels = {id(tick.label1), id(tick.label2)}
                if axis.get_visible() and ax.get_visible() and lo - slack <= loc <= hi + slack:
                    shown |= labels
    return every - shown


def overlapping(texts: list[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    out = []
    for i, (a, p) in enumerate(texts):
        for b, q in texts[i + 1 :]:
            if (
                p.x0 < q.x1 - TOL_PX
                and q.x0 < p.x1 - TOL_PX
                and p.y0 < q.y1 - TOL_PX
                and q.y0 < p.y1 - TOL_PX
            ):
                out.append((a, b))
    return out


def outside(fig, texts: list[tuple[str, Bbox]]) -> list[str]:
    frame = fig.bbox
    return [
        s
        for s, b in texts
        if b.x0 < frame.x0 - TOL_PX
        or b.y0 < frame.y0 - TOL_PX
        or b.x1 > frame.x1 + TOL_PX
        or b.y1 > frame.y1 + TOL_PX
    ]


@pytest.fixture(scope="module")
def year():
    res = sandbox.run(sandbox.load_scenario(DEFAULT_MAP), seed=1, record="daily")
    return res, dashboard_figure(res)


def test_no_text_of_the_default_dashboard_overlaps_another_or_leaves_the_figure(year):
    _, fig = year
    texts = drawn_texts(fig)
    assert len(texts) > 150  # names, ticks, titles, legends, numbers, the key
    assert overlapping(texts) == []
    assert outside(fig, texts) == []


def test_every_event_day_and_record_figure_of_the_run_is_in_the_key(year):
    res, fig = year
    key = "\n".join(t.get_text() for t in fig.texts if t.get_gid() == KEY_GID)
    flat = " ".join(key.split())  # the key wraps its lines
    days = list(dict.fromkeys(int(d) for d in res.events["day"]))
    assert days == [121, 141, 155, 274]  # the map's timeline, all within the year
    for number, day in enumerate(days, start=1):
        assert f"{number} day {day}" in flat
        for note in dict.fromkeys(res.events.loc[res.events["day"] == day, "note"]):
            assert " ".join(note.split()) in flat
    figs = fire_figures(record_for(res), len(res.daily))
    assert len(figs) >= 5
    for fig_ in figs:
        assert " ".join(fig_.source.split()) in flat
    # each time panel (the front's operations band for the front) carries the numbers
    timed = [ax for ax in fig.axes if ax.get_xlabel() == "day"]
    assert len(timed) == 7  # stock, production, deliveries, strikes, fires, strength, front
    numbers = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == EVENT_GID]
    assert sorted(numbers) == sorted(["1", "2", "3", "4"] * len(timed))


def test_no_legend_of_a_time_panel_sits_on_a_line(year):
    """Each time panel's legend: no line of the panel (nor of its twin) passes through its
    box; the event days' thin verticals may."""
    _, fig = year
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    timed = [ax for ax in fig.axes if ax.get_xlabel() == "day"]
    for ax in timed:
        legend = ax.get_legend()
        assert legend is not None and len(legend.get_texts()) >= 2
        box = legend.get_window_extent(renderer)
        twins = [a for a in fig.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds]
        lines = [
            ln
            for a in (ax, *twins)
            for ln in a.get_lines()
            if ln.get_gid() != EVENT_LINE_GID and len(ln.get_xdata()) >= 2
        ]
        assert len(lines) >= 2
        for line in lines:
            path = line.get_transform().transform_path(line.get_path())
            assert not path.intersects_bbox(box, filled=False), (ax.get_title(), line.get_label())
            assert not box.count_contains(path.vertices), (ax.get_title(), line.get_label())


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLES.glob("*.toml")) + sorted((MAPS / "lessons").glob("*.toml")),
    ids=lambda p: p.stem,
)
def test_the_other_maps_draw_with_no_text_overlapping(path):
    res = sandbox.run(sandbox.load_scenario(path), seed=1, days=20)
    fig = dashboard_figure(res)
    texts = drawn_texts(fig)
    assert overlapping(texts) == []
    assert outside(fig, texts) == []


def test_a_tall_map_with_events_grows_the_figure_to_hold_the_key():
    """A tall map leaves no room under it: the figure grows by what the key needs."""
    raw = sandbox.load_scenario(EXAMPLES / "cycle.toml").to_dict()
    note = "a long note that the key wraps onto a second line " * 3
    raw["events"] = [
        {"day": d, "set": {"sides.red.quality": 0.5 + d / 100}, "note": f"{d}: {note}"}
        for d in (3, 4, 5, 12)
    ]
    res = sandbox.run(sandbox.from_dict(raw), seed=1, days=20)
    fig = dashboard_figure(res)
    (key,) = [t for t in fig.texts if t.get_gid() == KEY_GID]
    width, height = fig.get_size_inches()
    lines = key.get_text().count("\n") + 1
    assert lines > 1 + 4  # the heading, and each long note on more than one line
    assert width == 17.0 and height == pytest.approx(9.0 + key_height_in(key.get_text()), abs=0.8)
    assert height > 9.0
    texts = drawn_texts(fig)
    assert overlapping(texts) == []
    assert outside(fig, texts) == []


def test_close_event_days_are_numbered_in_stacked_rows_that_never_touch():
    fig = Figure(figsize=(4.0, 2.0), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.6))
    ax.set_xlim(0, 100)  # 288 px: 2.9 px a day, a number ~7 px wide
    assert number_days(ax, [10, 11, 12, 50, 51, 150]) == 3
    texts = [t for t in ax.texts if t.get_gid() == EVENT_GID]
    # 150 is out of view: no number; 10 / 11 / 12 stack, 50 goes back to the first row
    assert [(t.get_text(), t.xyann[1]) for t in texts] == [
        ("1", 2.0),
        ("2", 2.0 + ROW_PT),
        ("3", 2.0 + 2 * ROW_PT),
        ("4", 2.0),
        ("5", 2.0 + ROW_PT),
    ]
    assert overlapping(drawn_texts(fig)) == []
