"""With ample production, the steady delivery rate reaches the max-flow bound."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import sandbox


def random_network(seed: int, n: int = 12, p: float = 0.25):
    """A random capacitated digraph with 2 factories and 2 fronts (cycles allowed)."""
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    ids = [f"n{i}" for i in range(n)]
    factories, fronts = [0, 1], [n - 1, n - 2]
    nodes = []
    for i in range(n):
        kind = "factory" if i in factories else "front" if i in fronts else "depot"
        node = {"id": ids[i], "kind": kind, "side": "blue", "lon": 20 + i * 0.5, "lat": 50.0}
        if kind == "factory":
            node["production"] = {"ammunition": 1e6}
        nodes.append(node)
    links = [
        {
            "source": ids[u],
            "target": ids[v],
            "capacity_t": float(rng.integers(10, 100)),
            "transit_days": int(rng.integers(1, 4)),
        }
        for u, v in sorted(g.edges())
        if v not in factories and u not in fronts
    ]
    units = [
        {
            "id": f"u{f}",
            "side": "blue",
            "node": ids[f],
            "guns": 1000,
            "rounds_per_gun_per_day": 1000,
        }
        for f in fronts
    ]
    raw = {
        "scenario": {"name": f"random-{seed}", "days": 80},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 1.0}},
        "nodes": nodes,
        "links": links,
        "units": units,
    }
    flow_graph = nx.DiGraph()
    for link in links:
        flow_graph.add_edge(link["source"], link["target"], capacity=link["capacity_t"])
    for f in factories:
        flow_graph.add_edge("SOURCE", ids[f])
    for f in fronts:
        flow_graph.add_edge(ids[f], "SINK")
    bound = 0.0
    if "SOURCE" in flow_graph and "SINK" in flow_graph:
        bound = nx.maximum_flow_value(flow_graph, "SOURCE", "SINK")
    return sandbox.from_dict(raw), bound


@pytest.mark.parametrize("seed", range(20))
def test_steady_delivery_reaches_95_percent_of_max_flow(seed):
    sc, bound = random_network(seed)
    if bound == 0:
        pytest.skip("no path from a factory to a front in this draw")
    res = sandbox.run(sc, seed=0, days=80, record="daily")
    steady = res.daily["blue.ammunition.delivered"].iloc[-20:].mean()
    assert steady >= 0.95 * bound


def test_random_networks_include_cycles_and_several_suppliers():
    # the property above is only worth something if the draws have both
    cyclic = several = 0
    for seed in range(20):
        sc, _ = random_network(seed)
        g = nx.DiGraph([(lk.source, lk.target) for lk in sc.spec.links])
        cyclic += not nx.is_directed_acyclic_graph(g)
        several += any(g.in_degree(n) >= 2 for n in g if n.startswith("n"))
    assert cyclic >= 10 and several >= 10
