"""The supply graph as a Mesa network space that Mesa's own drawers can draw.

Mesa's stock space drawers (``mesa.visualization.make_space_component`` and the
``SpaceRenderer``) index their layout array by the cell coordinate, so they need
integer node ids ``0..n-1`` in the graph's node order. :class:`SupplySpace` numbers
its cells by node row (the row of the node in the state arrays, the order of the
map's ``nodes``) and keeps the map's node id as the graph node's ``name``:

>>> from sandbox.model import LogisticsModel
>>> from sandbox.scenario.paths import LESSON_MAPS
>>> space = LogisticsModel(LESSON_MAPS / "bottlenecks.toml", rng=0).space
>>> space["front"].coordinate, space.G.nodes[space["front"].coordinate]["name"]
(4, 'front')
>>> space.name_of(space[0])
'plant'

:func:`lonlat_layout` is a layout for Mesa's drawers that puts each node at its
(lon, lat), where the model has it today, instead of a spring layout.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from mesa.discrete_space import Cell, Network

from sandbox.scenario.load import Scenario


def integer_graph(scenario: Scenario) -> nx.Graph:
    """The map's supply graph, undirected, with node ``i`` for node row ``i``.

    Node attributes: ``name`` (the map's node id), ``kind``, ``side``, ``lon``, ``lat``;
    edge attribute ``links``: the rows of the links joining the two nodes (either way).
    Undirected because Mesa's network drawing (and its spaces' neighbourhoods) assume
    it; which way supply flows is the links' (``model.links``, ``state.src``/``dst``).
    """
    m = scenario.spec
    row = {n.id: i for i, n in enumerate(m.nodes)}
    g = nx.Graph()
    for i, n in enumerate(m.nodes):
        g.add_node(i, name=n.id, kind=n.kind, side=n.side, lon=n.lon, lat=n.lat)
    for e, link in enumerate(m.links):
        u, v = row[link.source], row[link.target]
        if g.has_edge(u, v):
            g.edges[u, v]["links"].append(e)
        else:
            g.add_edge(u, v, links=[e])
    return g


def lonlat_layout(graph: nx.Graph, **_ignored: Any) -> dict[int, tuple[float, float]]:
    """Each node at its (lon, lat), in the graph's node order.

    The signature of a networkx layout (extra keywords such as ``seed`` are ignored),
    so it can be Mesa's ``layout_alg``:
    ``make_space_component(portrayal, layout_alg=lonlat_layout)``.
    """
    return {n: (float(d["lon"]), float(d["lat"])) for n, d in graph.nodes(data=True)}


class SupplySpace(Network):
    """A ``mesa.discrete_space.Network`` of the supply graph: cell ``i`` is node row ``i``.

    ``space[i]`` is the cell of node row ``i``; ``space["plant"]`` the cell of node id
    ``"plant"``. A link connects its two cells both ways (``space.G`` is undirected).
    Each cell's ``position`` is its node's (lon, lat), and so are the graph node's
    ``lon`` and ``lat``; :meth:`move_to` moves both when depots are displaced.
    """

    def __init__(self, scenario: Scenario, random: Any = None) -> None:
        graph = integer_graph(scenario)
        super().__init__(graph, random=random, layout=lonlat_layout(graph))
        self.names: list[str] = [graph.nodes[i]["name"] for i in range(len(graph))]
        self._rows = {name: i for i, name in enumerate(self.names)}

    def __getitem__(self, key: int | str) -> Cell:
        if isinstance(key, str):
            if key not in self._rows:
                raise KeyError(f"no node called {key!r} in the supply graph")
            key = self._rows[key]
        return super().__getitem__(key)

    def name_of(self, cell: Cell) -> str:
        """The map's node id of ``cell``."""
        return self.names[cell.coordinate]

    def move_to(self, lon: np.ndarray, lat: np.ndarray) -> None:
        """Put cell ``i`` (and graph node ``i``) at ``(lon[i], lat[i])``."""
        for i in range(len(self.names)):
            x, y = float(lon[i]), float(lat[i])
            self._cells[i].position = np.array([x, y])
            self.G.nodes[i]["lon"], self.G.nodes[i]["lat"] = x, y
        self._rebuild_kdtree()  # find_nearest_cell reads the moved positions
