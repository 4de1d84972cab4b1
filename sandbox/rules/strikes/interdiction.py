"""Interdiction: strikes on depots, links and factories; repair; displacement.

Each side may have one strike asset (``[strikes.blue]``, ``[strikes.red]``),
a Mesa agent whose individual decision is which targets to strike today
(:mod:`sandbox.rules.strikes.targeting`). The ``strike`` phase, after consumption:

1. for each active asset (blue, then red): depots of the defender that follow
   the ``in_range`` displacement doctrine and are within reach move back
   first (:mod:`sandbox.rules.strikes.displacement`);
2. the asset picks ``strikes_per_day`` targets among the enemy nodes (of the
   kinds in ``targets``) and links within ``range_km`` of its launch nodes,
   best first by its policy, cycling through the list when it has more
   strikes than targets;
3. each strike is intercepted with the defender's air-defence probability
   (the node's own, else the side's; a link takes the higher of its ends),
   and otherwise hits with ``p_hit``; both draws come from ``model.rng``;
4. a hit destroys ``stock_share`` of the node's stock (k hits on one node:
   ``1 - (1 - share)^k``), cuts a link for ``link_repair_days``, and lowers a
   factory's output by ``factory_output_loss`` for ``factory_repair_days``;
   destroyed stock enters ``ledger.destroyed`` (the mass balance);
5. depots of a defender following the displacement doctrine that were hit
   move back to their fallback.

The ``repair`` phase then restores links and factories whose repair day has
come: a link cut on day ``d`` for ``r`` days carries nothing on days
``d + 1 .. d + r`` and works again from day ``d + r + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sandbox.rules.strikes import displacement, targeting
from sandbox.scenario.schema import StrikeEffects, Strikes, StrikeSide
from sandbox.state.supply import DEPOT, FACTORY, SIDES, SupplyState

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

COUNTS = ("strikes", "hits", "intercepted")  # per attacking side, per day
LOG_KEY = "strikes"  # where the log lives in ``SupplyState.extra``


@dataclass
class StrikeLog:
    """Today's strike record and the repair clocks."""

    counts: np.ndarray  # (S, 3) strikes, hits, intercepted today, by attacking side
    node_hits: np.ndarray  # (N,) hits on each node today
    link_hits: np.ndarray  # (E,) hits on each link today
    link_repair_day: np.ndarray  # (E,) last day a cut link is down; -1: not cut by a strike
    factory_repair_day: np.ndarray  # (N,) last day of lowered output; -1: none
    displaced: np.ndarray  # (N,) bool: depot has moved to its fallback

    @classmethod
    def zeros(cls, n: int, e: int) -> StrikeLog:
        return cls(
            counts=np.zeros((len(SIDES), len(COUNTS))),
            node_hits=np.zeros(n),
            link_hits=np.zeros(e),
            link_repair_day=np.full(e, -1, dtype=np.int64),
            factory_repair_day=np.full(n, -1, dtype=np.int64),
            displaced=np.zeros(n, dtype=bool),
        )

    def clear_today(self) -> None:
        self.counts.fill(0.0)
        self.node_hits.fill(0.0)
        self.link_hits.fill(0.0)


def log_of(s: SupplyState) -> StrikeLog:
    """The state's strike log (an empty one if the model has none)."""
    log = s.extra.get(LOG_KEY)
    if not isinstance(log, StrikeLog):
        log = StrikeLog.zeros(s.n_nodes, s.n_links)
        s.extra[LOG_KEY] = log
    return log


class StrikeAsset(mesa.Agent):
    """One side's long-range strike asset: it chooses today's targets."""

    def __init__(self, model: LogisticsModel, side: int, cfg: StrikeSide, launch: np.ndarray):
        super().__init__(model)
        self.side = side
        self.enemy = 1 - side
        self.cfg = cfg
        self.launch = launch
        self.cache = targeting.GraphCache()
        self.retune(cfg)

    def retune(self, cfg: StrikeSide) -> None:
        """Take new settings (at start, or from an event): targets in reach are recomputed."""
        self.cfg = cfg
        kinds = list(cfg.targets)
        if cfg.policy == "min_cut" and "link" not in kinds:
            kinds.append("link")
        self.kinds = kinds
        self._reach: tuple[int, np.ndarray] | None = None
        self._static: tuple[np.ndarray, np.ndarray] | None = None  # (reach, betweenness order)

    def active(self, day: int) -> bool:
        c = self.cfg
        return (
            c.strikes_per_day > 0 and day >= c.start_day and (c.end_day is None or day <= c.end_day)
        )

    def reachable(self, s: SupplyState) -> np.ndarray:
        """Target rows in reach; recomputed only after nodes have moved."""
        if self._reach is None or self._reach[0] != s.layout_version:
            rows = targeting.in_range(s, self.launch, self.cfg.range_km, self.enemy, self.kinds)
            self._reach = (s.layout_version, rows)
        return self._reach[1]

    def choose(self, s: SupplyState, rng: np.random.Generator, log: StrikeLog) -> np.ndarray:
        """Target rows for today's strikes (node ``i`` or link ``N + e``)."""
        reach = self.reachable(s)
        if self.cfg.policy == "betweenness":  # a fixed order of a fixed list: rank it once
            if self._static is None or self._static[0] is not reach:
                ranked = targeting.rank(
                    "betweenness", s, reach, self.enemy, rng, self.cache, log.link_repair_day
                )
                self._static = (reach, ranked)
            order = self._static[1]
        else:
            order = targeting.rank(
                self.cfg.policy, s, reach, self.enemy, rng, self.cache, log.link_repair_day
            )
        if len(order) == 0:
            return order
        return order[np.arange(self.cfg.strikes_per_day) % len(order)]

    def __repr__(self) -> str:
        return f"StrikeAsset({SIDES[self.side]}, {self.cfg.policy})"


class Interdiction:
    """Strike assets, air defence and doctrine of both sides, built from ``[strikes]``."""

    def __init__(self, model: LogisticsModel, spec: Strikes, s: SupplyState):
        m = model.spec.spec
        self.log = log_of(s)
        sides: list[StrikeSide | None] = [spec.blue, spec.red]
        self.assets = [
            StrikeAsset(model, i, cfg, self._launch(s, i, cfg))
            for i, cfg in enumerate(sides)
            if spec.enabled and cfg is not None
        ]
        defaults = [cfg or StrikeSide() for cfg in sides]
        self.intercept = np.array(
            [
                defaults[int(side)].air_defence_nodes.get(ident, defaults[int(side)].air_defence)
                for ident, side in zip(s.node_ids, s.side.tolist(), strict=True)
            ]
        )
        self.displace = [
            cfg.displacement if cfg.displacement is not None else spec.displacement
            for cfg in defaults
        ]
        self.displace_when = [cfg.displace_when for cfg in defaults]
        self.fallback = np.full((s.n_nodes, 2), np.nan)
        for i, nd in enumerate(m.nodes):
            if nd.fallback is not None:
                self.fallback[i] = (nd.fallback.lon, nd.fallback.lat)
        self.modes: list[str] = [str(lk.mode) for lk in m.links]

    @staticmethod
    def _launch(s: SupplyState, side: int, cfg: StrikeSide) -> np.ndarray:
        if cfg.launch_nodes:
            return np.array([s.node_index[k] for k in cfg.launch_nodes], dtype=np.int64)
        return np.flatnonzero((s.side == side) & s.is_front)

    # -- phases ---------------------------------------------------------------
    def strike(self, s: SupplyState, day: int, rng: np.random.Generator) -> None:
        log = self.log
        log.clear_today()
        for asset in self.assets:
            if not asset.active(day):
                continue
            enemy = asset.enemy
            if self.displace[enemy] and self.displace_when[enemy] == "in_range":
                reach = asset.reachable(s)
                self._move(s, reach[reach < s.n_nodes], enemy, day)
            targets = asset.choose(s, rng, log)
            n = len(targets)
            if n == 0:
                continue
            draws = rng.random((n, 2))
            intercepted = draws[:, 0] < self._intercept_prob(s, targets)
            hit = ~intercepted & (draws[:, 1] < asset.cfg.p_hit)
            log.counts[asset.side] += (n, hit.sum(), intercepted.sum())
            apply_hits(s, log, targets[hit], asset.cfg.effects, day)
            if self.displace[enemy]:
                struck = targets[hit]
                self._move(s, struck[struck < s.n_nodes], enemy, day)

    def repair(self, s: SupplyState, day: int) -> None:
        log = self.log
        done = (log.link_repair_day >= 0) & (log.link_repair_day <= day)
        s.link_up[done] = True
        log.link_repair_day[done] = -1
        fixed = (log.factory_repair_day >= 0) & (log.factory_repair_day <= day)
        s.output_factor[fixed] = 1.0
        log.factory_repair_day[fixed] = -1

    # -- helpers --------------------------------------------------------------
    def _intercept_prob(self, s: SupplyState, targets: np.ndarray) -> np.ndarray:
        n = s.n_nodes
        node = np.minimum(targets, n - 1)
        link = np.maximum(targets - n, 0)
        if s.n_links == 0:
            return self.intercept[node]
        ends = np.maximum(self.intercept[s.src[link]], self.intercept[s.dst[link]])
        return np.where(targets < n, self.intercept[node], ends)

    def _move(self, s: SupplyState, nodes: np.ndarray, side: int, day: int) -> None:
        ok = (
            (s.kind[nodes] == DEPOT)
            & (s.side[nodes] == side)
            & ~self.log.displaced[nodes]
            & ~np.isnan(self.fallback[nodes, 0])
        )
        rows = np.unique(nodes[ok])
        if len(rows):
            self.log.displaced[rows] = True
            displacement.move_depots(s, rows, self.fallback, self.modes, day)


def apply_hits(s: SupplyState, log: StrikeLog, hits: np.ndarray, eff: StrikeEffects, day: int):
    """Apply the effects of hits on target rows (nodes ``< N``, links ``N + e``)."""
    if len(hits) == 0:  # nothing hit: nothing changes
        return
    n = s.n_nodes
    k = np.bincount(hits[hits < n], minlength=n).astype(float)
    log.node_hits += k
    if k.any():
        lost = s.stock * (1.0 - (1.0 - eff.stock_share) ** k)[:, None]
        s.stock -= lost
        np.maximum(s.stock, 0.0, out=s.stock)
        s.today.destroyed += lost
        s.ledger.destroyed += s.side_sum(lost)
        fac = np.flatnonzero((k > 0) & (s.kind == FACTORY))
        if len(fac):
            factor = (1.0 - eff.factory_output_loss) ** k[fac]
            s.output_factor[fac] = np.minimum(s.output_factor[fac], factor)
            until = day + eff.factory_repair_days
            log.factory_repair_day[fac] = np.maximum(log.factory_repair_day[fac], until)
    links = hits[hits >= n] - n
    if len(links):
        log.link_hits += np.bincount(links, minlength=s.n_links)
        cut_links(s, log, links, day, eff.link_repair_days)


def cut_links(s: SupplyState, log: StrikeLog, rows: np.ndarray, day: int, repair_days: int):
    """Cut links ``rows`` on ``day``: down for ``repair_days`` days, then repaired."""
    s.link_up[rows] = False
    log.link_repair_day[rows] = np.maximum(log.link_repair_day[rows], day + repair_days)


def daily_counts(s: SupplyState) -> dict[str, np.ndarray]:
    """Per-side daily strike figures (S,) for :mod:`sandbox.observe.metrics`.

    ``strikes``, ``hits``, ``intercepted`` count the side's own strikes;
    ``links_down``, ``destroyed_t`` and ``depots_moved`` (so far) what the
    side suffered.
    """
    log = log_of(s)
    side_of = s.side.astype(np.int64)
    out = {name: log.counts[:, j] for j, name in enumerate(COUNTS)}
    out["links_down"] = np.bincount(
        s.link_side.astype(np.int64), weights=(~s.link_up).astype(float), minlength=len(SIDES)
    )
    out["destroyed_t"] = np.bincount(
        side_of, weights=s.tonnes(s.today.destroyed), minlength=len(SIDES)
    )
    out["depots_moved"] = np.bincount(
        side_of, weights=log.displaced.astype(float), minlength=len(SIDES)
    )
    return out
