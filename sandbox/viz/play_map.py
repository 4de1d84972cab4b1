"""The game page's map: the race as the side to move knows it.

:func:`view_map_data` takes the map of :func:`sandbox.viz.mapview.map_data` and
puts in what the side's :class:`~sandbox.play.fog.View` says: its own nodes'
stock exactly, the enemy's as the fog's estimates (each node's stock times
``max(0, 1 + sd z)``, :mod:`sandbox.play.fog`); days of supply are that stock over
the node's demand forecast. Flows on the enemy's links are not seen under fog
(drawn as idle). What both sides see stays: positions, cut links, struck nodes
(the attacker saw its hits), the front line. With the fog lifted the map is the
truth. Hot-seat: the page draws the view of the side to move, so the map
switches with it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from matplotlib.figure import Figure

from sandbox.play.fog import View
from sandbox.viz import mapview


def view_map_data(model: Any, view: View, commodity: str | None = None) -> mapview.MapData:
    """The map of ``model`` today as ``view``'s side knows it."""
    d = mapview.map_data(model, commodity)
    c = view.column(d.commodity)
    stock = view.stock[:, c].copy()
    flow_t = d.flow_t.copy()
    if view.fog and len(flow_t):
        enemy_links = ~view.own[model.state.src]
        flow_t[enemy_links] = 0.0
    picture = "fog lifted" if not view.fog else "enemy: estimates, its flows unseen"
    return dataclasses.replace(
        d,
        stock=stock,
        dos=mapview.days_of_supply(stock, model.state.forecast[:, c]),
        flow_t=flow_t,
        title=f"{d.title}, as {view.side} sees it ({picture})",
    )


def view_map_figure(
    model: Any, view: View, size: tuple[float, float] = (9.0, 5.6), dpi: int = 72
) -> Figure:
    """The figure of :func:`view_map_data` (legend and colour bars as the viz map)."""
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_axes((0.06, 0.07, 0.80, 0.88))
    cbars = (fig.add_axes((0.885, 0.12, 0.015, 0.76)), fig.add_axes((0.945, 0.12, 0.015, 0.76)))
    mapview.draw_map(ax, view_map_data(model, view), cbars)
    return fig
