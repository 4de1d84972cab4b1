"""Interdiction: strikes on depots, links and factories; repair; displacement.

Each side may have one strike asset (``[strikes.blue]``, ``[strikes.red]``):
an :class:`~sandbox.rules.strikes.targeting.Aim` whose decision is which
targets to strike today (:func:`sandbox.rules.strikes.targeting.choose`); the
model gives each a Mesa agent, :class:`sandbox.agents.StrikeAsset`. The log of
strikes is the state's (:mod:`sandbox.state.strikes`). The ``strike`` phase,
after consumption:

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

A depot ordered back (``nodes.ID.pulled_back = true``, :meth:`Interdiction.pull_back`)
moves the same way, once, the morning the order takes effect (or before day 1
when the map sets it), whatever its side's doctrine; strikes then measure their
reach to where it now is.

The ``repair`` phase then restores links and factories whose repair day has
come: a link cut on day ``d`` for ``r`` days carries nothing on days
``d + 1 .. d + r`` and works again from day ``d + r + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sandbox.rules.strikes import displacement, targeting
from sandbox.scenario.schema import Node, StrikeEffects, Strikes, StrikeSide
from sandbox.state.strikes import COUNTS, StrikeLog
from sandbox.state.supply import DEPOT, FACTORY, SIDES, SupplyState


def fallback_lonlat(nodes: Sequence[Node]) -> np.ndarray:
    """(N, 2) lon, lat of each node's fallback position (NaN: none)."""
    out = np.full((len(nodes), 2), np.nan)
    for i, nd in enumerate(nodes):
        if nd.fallback is not None:
            out[i] = (nd.fallback.lon, nd.fallback.lat)
    return out


class Interdiction:
    """Strike assets, air defence and doctrine of both sides, built from ``[strikes]``.

    Args:
        spec: the map's ``[strikes]`` table.
        s: the state (node rows, sides, fronts).
        fallback: (N, 2) lon, lat each depot moves back to (NaN: none), see
            :func:`fallback_lonlat`.
        modes: each link's mode (``rail``, ``road``...), for displacement.
    """

    def __init__(
        self, spec: Strikes, s: SupplyState, fallback: np.ndarray, modes: Sequence[str]
    ) -> None:
        sides: list[StrikeSide | None] = [spec.blue, spec.red]
        self.aims = [
            targeting.Aim.build(i, cfg, self._launch(s, i, cfg))
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
        self.fallback = fallback
        self.modes = list(modes)

    @staticmethod
    def _launch(s: SupplyState, side: int, cfg: StrikeSide) -> np.ndarray:
        if cfg.launch_nodes:
            return np.array([s.node_index[k] for k in cfg.launch_nodes], dtype=np.int64)
        return np.flatnonzero((s.side == side) & s.is_front)

    # -- phases ---------------------------------------------------------------
    def strike(self, s: SupplyState, day: int, rng: np.random.Generator) -> None:
        """Today's strikes (today's log was cleared by ``s.begin_day``)."""
        log = s.strikes
        for aim in self.aims:
            if not aim.active(day):
                continue
            enemy = aim.enemy
            if self.displace[enemy] and self.displace_when[enemy] == "in_range":
                reach = targeting.reachable(aim, s)
                self._move(s, reach[reach < s.n_nodes], enemy, day)
            targets = targeting.choose(aim, s, rng, log.link_repair_day)
            n = len(targets)
            if n == 0:
                continue
            draws = rng.random((n, 2))
            intercepted = draws[:, 0] < self._intercept_prob(s, targets)
            hit = ~intercepted & (draws[:, 1] < aim.cfg.p_hit)
            log.counts[aim.side] += (n, hit.sum(), intercepted.sum())
            apply_hits(s, log, targets[hit], aim.cfg.effects, day)
            if self.displace[enemy]:
                struck = targets[hit]
                self._move(s, struck[struck < s.n_nodes], enemy, day)

    def repair(self, s: SupplyState, day: int) -> None:
        """Restore the links and factories whose repair day has come (none is pending
        until :func:`apply_hits`, the one writer of repair days, sets one)."""
        log = s.strikes
        if not log.repairs_pending:
            return
        done = (log.link_repair_day >= 0) & (log.link_repair_day <= day)
        s.link_up[done] = True
        log.link_repair_day[done] = -1
        fixed = (log.factory_repair_day >= 0) & (log.factory_repair_day <= day)
        s.output_factor[fixed] = 1.0
        log.factory_repair_day[fixed] = -1
        log.repairs_pending = bool((log.link_repair_day >= 0).any()) or bool(
            (log.factory_repair_day >= 0).any()
        )

    def pull_back(self, s: SupplyState, rows: np.ndarray, day: int) -> None:
        """Move depots ``rows`` to their fallbacks by order (``nodes.ID.pulled_back``),
        whatever the side's displacement doctrine; ``day`` is the last day whose
        arrivals are done (the day before, when called in the morning)."""
        for side in range(len(SIDES)):
            mine = rows[s.side[rows] == side]
            self._move(s, mine, side, day)

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
            & ~s.strikes.displaced[nodes]
            & ~np.isnan(self.fallback[nodes, 0])
        )
        rows = np.unique(nodes[ok])
        if len(rows):
            s.strikes.displaced[rows] = True
            displacement.move_depots(s, rows, self.fallback, self.modes, day)


def apply_hits(s: SupplyState, log: StrikeLog, hits: np.ndarray, eff: StrikeEffects, day: int):
    """Apply the effects of hits on target rows (nodes ``< N``, links ``N + e``)."""
    if len(hits) == 0:  # nothing hit: nothing changes
        return
    log.hits_written = True  # zeroed tomorrow by log.clear_today
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
            log.repairs_pending = True
    links = hits[hits >= n] - n
    if len(links):
        log.link_hits += np.bincount(links, minlength=s.n_links)
        cut_links(s, log, links, day, eff.link_repair_days)


def cut_links(s: SupplyState, log: StrikeLog, rows: np.ndarray, day: int, repair_days: int):
    """Cut links ``rows`` on ``day``: down for ``repair_days`` days, then repaired."""
    s.link_up[rows] = False
    log.link_repair_day[rows] = np.maximum(log.link_repair_day[rows], day + repair_days)
    log.repairs_pending = True


#: the columns of :func:`daily_counts`, as :data:`sandbox.state.columns.STRIKES` declares them
DAILY = (*COUNTS, "links_down", "destroyed_t", "depots_moved")


def daily_counts(s: SupplyState, out: np.ndarray | None = None) -> np.ndarray:
    """Per-side daily strike figures (S, :data:`DAILY`) for :mod:`sandbox.observe.metrics`,
    written into ``out`` when given.

    ``strikes``, ``hits``, ``intercepted`` count the side's own strikes;
    ``links_down``, ``destroyed_t`` and ``depots_moved`` (so far) what the
    side suffered (exact zeros, without a sum, when there are none).
    """
    log = s.strikes
    if out is None:
        out = np.empty((len(SIDES), len(DAILY)))
    out[:, : len(COUNTS)] = log.counts
    k = len(COUNTS)
    out[:, k] = 0.0 if s.link_up.all() else _side_sum(s.link_side, ~s.link_up)
    destroyed = s.today.destroyed
    out[:, k + 1] = _side_sum(s.side, s.tonnes(destroyed)) if destroyed.any() else 0.0
    moved = log.displaced
    out[:, k + 2] = _side_sum(s.side, moved) if moved.any() else 0.0
    return out


def _side_sum(side: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(S,) ``weights`` (bool or float) summed per side, in row order from 0.0."""
    w = weights.astype(float)
    return np.bincount(side.astype(np.int64), weights=w, minlength=len(SIDES))
