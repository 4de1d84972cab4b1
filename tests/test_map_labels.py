"""Map readability: names placed without overlaps, far nodes shown by direction at the edge."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import sandbox
from sandbox.observe.results import Results
from sandbox.plots.dashboard import DPI, dashboard_figure
from sandbox.plots.labels import LABEL_GID, Label, offset_box, place_labels, short_name
from sandbox.plots.network import MAX_MAP_LABELS, draw_network, node_labels
from sandbox.plots.offframe import EDGE_GID, bearing_deg, edge_markers, edge_point
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict
from tests.conftest import MAPS


def _figure(size: tuple[float, float] = (8.0, 6.0)) -> tuple[Figure, object]:
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _drawn_boxes(fig: Figure, ax: object) -> tuple[list[str], np.ndarray]:
    """Texts and (K, 4) pixel boxes of the placed names, measured after a full draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_gid() == LABEL_GID]  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in texts]
    return [t.get_text() for t in texts], np.array([[b.x0, b.y0, b.x1, b.y1] for b in boxes])


def _pairs_overlapping(boxes: np.ndarray) -> list[tuple[int, int]]:
    out = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append((i, j))
    return out


def _inside(boxes: np.ndarray, frame: object) -> bool:
    f = frame  # a Bbox in pixels
    tol = 0.5
    return bool(
        (boxes[:, 0] >= f.x0 - tol).all()  # type: ignore[attr-defined]
        and (boxes[:, 2] <= f.x1 + tol).all()  # type: ignore[attr-defined]
        and (boxes[:, 1] >= f.y0 - tol).all()  # type: ignore[attr-defined]
        and (boxes[:, 3] <= f.y1 + tol).all()  # type: ignore[attr-defined]
    )


# ------------------------------------------------------------------ pure pieces


def test_short_names():
    assert short_name("blue_rail_kyiv", "blue") == "rail kyiv"
    assert short_name("red_front_bakhmut", "red") == "bakhmut"
    assert short_name("kherson_front", "blue") == "kherson"
    assert short_name("plant", "blue") == "plant"


def test_node_labels_name_a_shared_front_once_in_black_and_skip_nodes_out_of_frame():
    """Two fronts facing in one sector share a name: one black label, ranked first; a lone
    front keeps its side's colour; a depot ranks 100 * its kind's rank + (1 - stock share);
    a node out of the frame gets none. Gaps: half the marker's width (30 + 250 sqrt(share)
    points squared) and 1.5 pt."""
    kinds = ["front", "front", "front", "depot", "depot"]
    nodes = [{"kind": k} for k in kinds]
    names = ["bakhmut", "bakhmut", "kherson", "rail kyiv", "hidden"]
    colours = ["blue", "red", "red", "blue", "blue"]
    stock = np.array([0.0, 100.0, 25.0, 100.0, 50.0])
    xy = (np.arange(5.0), np.arange(5.0) * 2)
    shown = np.array([True, True, True, True, False])
    labels = node_labels(nodes, xy, shown, stock, (names, colours))
    assert [(lb.text, lb.colour, lb.rank) for lb in labels] == [
        ("bakhmut", "black", 1),
        ("kherson", "red", 2),
        ("rail kyiv", "blue", 100.0 * 1 + 0.0),  # depot: kind rank 1, the biggest stock
    ]
    assert (labels[0].x, labels[0].y) == (0.0, 0.0)  # beside the first of the pair
    assert labels[0].gap_pt == pytest.approx(math.sqrt(30.0) / 2 + 1.5)
    assert labels[1].gap_pt == pytest.approx(math.sqrt(30.0 + 250 * 0.5) / 2 + 1.5)
    assert labels[2].gap_pt == pytest.approx(math.sqrt(280.0) / 2 + 1.5)


def test_offset_box_sits_beside_the_point_on_each_side():
    # a 20 x 10 px box, 3 px from the point (100, 50)
    assert offset_box((100, 50), (20, 10), (1, 0), 3) == (103, 45, 123, 55)
    assert offset_box((100, 50), (20, 10), (-1, 0), 3) == (77, 45, 97, 55)
    assert offset_box((100, 50), (20, 10), (0, 1), 3) == (90, 53, 110, 63)
    assert offset_box((100, 50), (20, 10), (-1, -1), 3) == (77, 37, 97, 47)


def test_a_second_label_on_the_same_point_goes_elsewhere_and_a_full_frame_drops_the_rest():
    fig, ax = _figure((3.0, 2.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    labels = [Label(0.5, 0.5, f"name {k}", k) for k in range(40)]
    drawn = place_labels(ax, labels, max_labels=40)
    texts, boxes = _drawn_boxes(fig, ax)
    # eight offsets around one point: at most eight names fit, the most important first
    assert 2 <= len(drawn) <= 8
    assert texts == [f"name {k}" for k in range(len(drawn))]
    assert _pairs_overlapping(boxes) == []
    assert _inside(boxes, ax.get_window_extent(fig.canvas.get_renderer()))


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 10), st.floats(0, 10), st.text("abcdefgh ", min_size=1, max_size=14)
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 30),
)
def test_placed_labels_never_overlap_and_stay_in_the_frame(points, max_labels):
    fig, ax = _figure((4.0, 3.0))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    labels = [Label(x, y, text, rank) for rank, (x, y, text) in enumerate(points)]
    drawn = place_labels(ax, labels, max_labels=max_labels)
    _, boxes = _drawn_boxes(fig, ax)
    assert len(drawn) <= max_labels
    if len(boxes):
        assert _pairs_overlapping(boxes) == []
        assert _inside(boxes, ax.get_window_extent(fig.canvas.get_renderer()))


def test_edge_point_and_bearing_on_a_square_frame_at_the_equator():
    extent = (-10.0, 10.0, -10.0, 10.0)  # cos(0) = 1: degrees are square
    assert bearing_deg(np.array([50.0]), np.array([0.0]), extent)[0] == pytest.approx(0.0)
    assert bearing_deg(np.array([0.0]), np.array([-30.0]), extent)[0] == pytest.approx(-90.0)
    assert bearing_deg(np.array([40.0]), np.array([40.0]), extent)[0] == pytest.approx(45.0)
    # the ray leaves the frame inset by 10%: at 9 degrees east, or on the corner's diagonal
    assert edge_point(0.0, extent, inset=0.1) == pytest.approx((9.0, 0.0))
    assert edge_point(45.0, extent, inset=0.1) == pytest.approx((9.0, 9.0))
    assert edge_point(180.0, extent, inset=0.0) == pytest.approx((-10.0, 0.0))


def test_far_nodes_in_one_direction_share_one_marker_named_by_the_nearest():
    extent = (0.0, 10.0, 40.0, 50.0)
    lon = np.array([5.0, 60.0, 30.0, 5.0])  # inside, far east, nearer east, far north
    lat = np.array([45.0, 45.5, 44.5, 80.0])
    marks = edge_markers(lon, lat, extent)
    assert sorted(m.rows for m in marks) == [(2, 1), (3,)]
    east = next(m for m in marks if m.rows == (2, 1))
    assert abs(east.angle_deg) < 5 and east.lon < extent[1] and extent[2] < east.lat < extent[3]


# ------------------------------------------------------------------ a far plant on a tiny map


def _tiny_results(far_lon: float, far_lat: float) -> Results:
    """Five depots around (30E, 50N), a front, and one plant far away (no records)."""
    nodes = [
        {"id": f"blue_d{k}", "kind": "depot", "side": "blue", "lon": 28.0 + k, "lat": 49.0 + k % 3}
        for k in range(5)
    ]
    nodes.append({"id": "blue_front_x", "kind": "front", "side": "blue", "lon": 31, "lat": 50})
    nodes.append({"id": "blue_plant_far", "kind": "factory", "side": "blue"})
    nodes[-1].update(lon=far_lon, lat=far_lat)
    links = [{"source": "blue_plant_far", "target": "blue_d0"}]
    links += [{"source": f"blue_d{k}", "target": "blue_front_x"} for k in range(5)]
    empty = pd.DataFrame()
    scenario = {"nodes": nodes, "links": links}
    return Results(daily=empty, nodes=empty, links=empty, summary={}, scenario=scenario)


@pytest.mark.parametrize("far", [(-77.9, 34.0), (130.3, 42.2), (31.0, 70.0)])
def test_a_far_plant_is_not_pinned_but_pointed_at_from_the_edge(far):
    res = _tiny_results(*far)
    fig, ax = _figure()
    draw_network(ax, res)
    fig.canvas.draw()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert not (x0 <= far[0] <= x1 and y0 <= far[1] <= y1)
    node_sets = [c for c in ax.collections if c.get_label() in ("factory", "depot", "front")]
    xy = np.vstack([c.get_offsets() for c in node_sets])
    assert len(xy) == 6  # the far plant has no node marker
    assert ((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)).all()
    (arrows,) = [c for c in ax.collections if c.get_gid() == EDGE_GID]
    ((ex, ey),) = arrows.get_offsets()
    assert x0 < ex < x1 and y0 < ey < y1
    # drawn in the plant's side colour, where the offset says (a visible arrowhead)
    px, py = ax.transData.transform((ex, ey))
    rgba = np.asarray(fig.canvas.buffer_rgba())
    assert tuple(rgba[rgba.shape[0] - round(py), round(px), :3]) == (0x1F, 0x5F, 0xBF)
    # the arrowhead's tip points at the plant as seen on the screen from the frame's centre
    to_screen = ax.transData.transform
    (cx, cy), (fx, fy) = to_screen([((x0 + x1) / 2, (y0 + y1) / 2), far])
    bearing = math.degrees(math.atan2(fy - cy, fx - cx))
    assert _tip_angle(arrows.get_paths()[0].vertices) == pytest.approx(bearing, abs=1.0)
    texts, _ = _drawn_boxes(fig, ax)
    assert "plant far" in texts


def _tip_angle(vertices: np.ndarray) -> float:
    """Direction (degrees) from the base's middle to the apex of an isosceles triangle."""
    corners = np.unique(np.round(vertices, 9), axis=0)
    assert len(corners) == 3
    for k in range(3):
        apex, others = corners[k], np.delete(corners, k, axis=0)
        d = np.linalg.norm(others - apex, axis=1)
        if math.isclose(d[0], d[1], rel_tol=1e-6):
            v = apex - others.mean(axis=0)
            return math.degrees(math.atan2(v[1], v[0]))
    raise AssertionError("no apex")


# ------------------------------------------------------------------ real maps


@pytest.fixture(scope="module")
def default_dashboard():
    res = sandbox.run(sandbox.load_scenario(MAPS / "ukraine_2023.toml"), seed=0, days=20)
    fig = dashboard_figure(res)
    return res, fig


def test_default_map_names_do_not_overlap_and_every_sector_is_named(default_dashboard):
    res, fig = default_dashboard
    ax = fig.axes[0]
    texts, boxes = _drawn_boxes(fig, ax)
    assert _pairs_overlapping(boxes) == []
    assert _inside(boxes, ax.get_window_extent(fig.canvas.get_renderer()))
    sectors = {s["id"] for s in res.scenario["sectors"]}
    assert sectors <= set(texts)  # the fronts come first
    # the far plants and ports (Iowa, North Korea, the Urals...) are named at the edge
    assert any("north korea" in t for t in texts)
    assert 15 <= len(texts) <= MAX_MAP_LABELS


def test_a_1000_node_map_writes_a_bounded_number_of_names():
    res = sandbox.run(from_dict(generate_map(1000, seed=1, days=2)), seed=0, days=2)
    fig, ax = _figure((10.0, 7.0))
    drawn = draw_network(ax, res)
    texts, boxes = _drawn_boxes(fig, ax)
    assert 5 <= len(drawn) <= MAX_MAP_LABELS and len(texts) == len(drawn)
    assert _pairs_overlapping(boxes) == []
