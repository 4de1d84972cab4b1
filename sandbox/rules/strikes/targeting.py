"""Targeting: which enemy nodes and links a strike asset can reach, and in what order.

Targets are numbered as rows: node ``i`` is target ``i``, link ``e`` is target
``N + e``. Reach is great-circle (haversine) distance from the nearest launch
node; a link is within reach when either of its ends is (a strike hits the
bridge, yard or junction at that end). The policies rank the reachable
targets, best first:

* ``random``: a uniform random order (drawn from the generator passed in);
* ``largest_stock``: nodes by tonnes on hand, largest first;
* ``betweenness``: nodes by ``networkx.betweenness_centrality`` and links by
  ``networkx.edge_betweenness_centrality`` of the enemy's supply graph;
* ``min_cut``: the links of a minimum cut between the enemy's factories
  (joined to a super-source) and its fronts (joined to a super-sink),
  ``networkx.minimum_cut`` with ``capacity_t``: working links first, by
  capacity, then links already cut, soonest repaired first (to keep the cut
  closed).

Graph answers depend only on the map's topology and capacities, so they are
computed once per side, on first use. An asset's settings and what it keeps
between days are an :class:`Aim`; :func:`choose` picks today's targets from it,
the state's arrays and the generator it is given (the Mesa agent
:class:`sandbox.agents.StrikeAsset` is a handle on an aim).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sandbox.scenario.schema import StrikeSide
from sandbox.state.geometry import haversine_km
from sandbox.state.supply import FACTORY, FRONT, KINDS, SupplyState

POLICIES = ("random", "largest_stock", "betweenness", "min_cut")


def node_reach_km(s: SupplyState, launch: np.ndarray) -> np.ndarray:
    """(N,) distance from each node to the nearest launch node (inf without launchers)."""
    if len(launch) == 0:
        return np.full(s.n_nodes, np.inf)
    d = haversine_km(s.lon[:, None], s.lat[:, None], s.lon[launch][None], s.lat[launch][None])
    return d.min(axis=1)


def in_range(s: SupplyState, launch: np.ndarray, range_km: float, enemy: int, kinds: Sequence[str]):
    """Target rows the asset can reach: enemy nodes of the kinds named, and enemy links."""
    reach = node_reach_km(s, launch) <= range_km
    wanted = np.isin(s.kind, [KINDS.index(k) for k in kinds if k in KINDS])
    nodes = np.flatnonzero(reach & (s.side == enemy) & wanted)
    links = np.zeros(0, dtype=np.int64)
    if "link" in kinds and s.n_links:
        ok = (s.link_side == enemy) & (reach[s.src] | reach[s.dst])
        links = np.flatnonzero(ok) + s.n_nodes
    return np.concatenate([nodes, links]).astype(np.int64)


@dataclass
class GraphCache:
    """Graph answers per side, computed on first use (the topology never changes)."""

    node_betweenness: dict[int, np.ndarray] = field(default_factory=dict)
    link_betweenness: dict[int, np.ndarray] = field(default_factory=dict)
    cut_links: dict[int, np.ndarray] = field(default_factory=dict)


def side_graph(s: SupplyState, side: int) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(np.flatnonzero(s.side == side).tolist())
    for e in np.flatnonzero(s.link_side == side).tolist():
        g.add_edge(int(s.src[e]), int(s.dst[e]), capacity=float(s.capacity_t[e]), row=e)
    return g


def betweenness(s: SupplyState, side: int, cache: GraphCache) -> tuple[np.ndarray, np.ndarray]:
    """(N,) node and (E,) link betweenness centrality on the side's supply graph."""
    if side not in cache.node_betweenness:
        g = side_graph(s, side)
        nodes, links = np.zeros(s.n_nodes), np.zeros(s.n_links)
        for v, b in nx.betweenness_centrality(g).items():
            nodes[v] = b
        for (u, v), b in nx.edge_betweenness_centrality(g).items():
            links[g.edges[u, v]["row"]] = b
        cache.node_betweenness[side], cache.link_betweenness[side] = nodes, links
    return cache.node_betweenness[side], cache.link_betweenness[side]


def min_cut_links(s: SupplyState, side: int, cache: GraphCache | None = None) -> np.ndarray:
    """Link rows of a minimum cut between the side's factories and its fronts."""
    if cache is not None and side in cache.cut_links:
        return cache.cut_links[side]
    g = side_graph(s, side)
    source, sink = ("super", "source"), ("super", "sink")
    g.add_edges_from(
        (source, int(v)) for v in np.flatnonzero((s.side == side) & (s.kind == FACTORY))
    )
    g.add_edges_from((int(v), sink) for v in np.flatnonzero((s.side == side) & (s.kind == FRONT)))
    rows: list[int] = []
    if source in g and sink in g:
        _, (reachable, _rest) = nx.minimum_cut(g, source, sink, capacity="capacity")
        rows = sorted(
            d["row"]
            for u, v, d in g.edges(data=True)
            if u in reachable and v not in reachable and "row" in d
        )
    out = np.asarray(rows, dtype=np.int64)
    if cache is not None:
        cache.cut_links[side] = out
    return out


def rank(
    policy: str,
    s: SupplyState,
    targets: np.ndarray,
    enemy: int,
    rng: np.random.Generator,
    cache: GraphCache,
    link_repair_day: np.ndarray,
) -> np.ndarray:
    """Order reachable ``targets`` best first by ``policy`` (may drop some)."""
    n = s.n_nodes
    if policy == "random":
        return rng.permutation(targets) if len(targets) else targets
    if policy == "largest_stock":
        nodes = targets[targets < n]
        return nodes[np.argsort(-s.tonnes(s.stock[nodes]), kind="stable")]
    if policy == "betweenness":
        node_b, link_b = betweenness(s, enemy, cache)
        score = np.where(targets < n, node_b[np.minimum(targets, n - 1)], 0.0)
        is_link = targets >= n
        score[is_link] = link_b[targets[is_link] - n]
        return targets[np.argsort(-score, kind="stable")]
    if policy == "min_cut":
        cut = min_cut_links(s, enemy, cache)
        rows = np.intersect1d(cut, targets[targets >= n] - n)
        up = rows[s.link_up[rows]]
        down = rows[~s.link_up[rows]]
        up = up[np.argsort(-s.capacity_t[up], kind="stable")]
        down = down[np.argsort(link_repair_day[down], kind="stable")]
        return np.concatenate([up, down]) + n
    raise ValueError(f"unknown targeting policy {policy!r}; expected one of {POLICIES}")


@dataclass
class Aim:
    """One side's strike asset as the rules see it: settings, launch nodes, memos."""

    side: int  # the attacking side
    cfg: StrikeSide
    launch: np.ndarray  # node rows strikes start from
    kinds: list[str]  # target kinds ranked (min_cut adds "link")
    cache: GraphCache = field(default_factory=GraphCache)
    reach_memo: tuple[int, np.ndarray] | None = None  # (layout version, target rows)
    ranked_memo: tuple[np.ndarray, np.ndarray] | None = None  # (reach, betweenness order)

    @classmethod
    def build(cls, side: int, cfg: StrikeSide, launch: np.ndarray) -> Aim:
        kinds: list[str] = list(cfg.targets)
        if cfg.policy == "min_cut" and "link" not in kinds:
            kinds.append("link")
        return cls(side, cfg, launch, kinds)

    @property
    def enemy(self) -> int:
        return 1 - self.side

    def active(self, day: int) -> bool:
        c = self.cfg
        return (
            c.strikes_per_day > 0 and day >= c.start_day and (c.end_day is None or day <= c.end_day)
        )


def reachable(aim: Aim, s: SupplyState) -> np.ndarray:
    """Target rows in reach of ``aim``; recomputed only after nodes have moved."""
    if aim.reach_memo is None or aim.reach_memo[0] != s.layout_version:
        rows = in_range(s, aim.launch, aim.cfg.range_km, aim.enemy, aim.kinds)
        aim.reach_memo = (s.layout_version, rows)
    return aim.reach_memo[1]


def choose(
    aim: Aim, s: SupplyState, rng: np.random.Generator, link_repair_day: np.ndarray
) -> np.ndarray:
    """Target rows for today's strikes (node ``i`` or link ``N + e``), cycling the ranking."""
    reach = reachable(aim, s)
    policy = aim.cfg.policy
    if policy == "betweenness":  # a fixed order of a fixed list: rank it once
        if aim.ranked_memo is None or aim.ranked_memo[0] is not reach:
            ranked = rank(policy, s, reach, aim.enemy, rng, aim.cache, link_repair_day)
            aim.ranked_memo = (reach, ranked)
        order = aim.ranked_memo[1]
    else:
        order = rank(policy, s, reach, aim.enemy, rng, aim.cache, link_repair_day)
    if len(order) == 0:
        return order
    return order[np.arange(aim.cfg.strikes_per_day) % len(order)]
