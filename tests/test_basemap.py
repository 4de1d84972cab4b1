"""The Natural Earth basemap: the right layer, real places on the right lines, drawn in one go."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from sandbox.plots.basemap import basemap_data, draw_basemap, lines_in_frame

UKRAINE = (20.0, 45.0, 43.0, 57.0)  # lon0, lon1, lat0, lat1 of the default map's frame


def _distance_deg(lines: list[np.ndarray], lon: float, lat: float) -> float:
    return min(float(np.hypot(ln[:, 0] - lon, ln[:, 1] - lat).min()) for ln in lines)


def test_the_source_is_named_and_both_layers_ship():
    data = basemap_data()
    assert "Natural Earth" in data["source"]
    for layer in ("world", "detail"):
        assert data[layer]["coast"] and data[layer]["borders"]


def test_ukraine_uses_the_fine_layer_with_coasts_and_borders_where_they_are():
    name, coast, borders = lines_in_frame(UKRAINE)
    assert name == "detail"
    # Odesa and Sevastopol sit on the Black Sea coast (within ~5 km); Kyiv is inland
    assert _distance_deg(coast, 30.73, 46.48) < 0.05
    assert _distance_deg(coast, 33.52, 44.60) < 0.05
    assert _distance_deg(coast, 30.52, 50.45) > 2.0
    # the Polish-Ukrainian border crossing at Medyka lies on a border line, not on a coast
    assert _distance_deg(borders, 22.95, 49.80) < 0.05
    assert _distance_deg(coast, 22.95, 49.80) > 1.0


def test_a_frame_outside_the_fine_layer_uses_the_world_layer():
    name, coast, borders = lines_in_frame((-150.0, -140.0, 0.0, 10.0))  # open Pacific
    assert name == "world"
    assert coast == [] and borders == []
    name, coast, _ = lines_in_frame((-80.0, -60.0, 35.0, 48.0))  # the US east coast
    assert name == "world" and coast


def test_drawn_as_two_collections_under_the_network():
    fig, ax = plt.subplots()
    try:
        n = draw_basemap(ax, UKRAINE)
        _, coast, borders = lines_in_frame(UKRAINE)
        assert n == len(coast) + len(borders)
        assert len(ax.collections) == 2
        assert all(c.get_zorder() < 1 for c in ax.collections)
    finally:
        plt.close(fig)
