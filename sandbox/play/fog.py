"""Fog of war: what a side knows of the race (:class:`View`).

A side sees its own nodes exactly: stock, what arrived today, what its units drew
and what they went short of, its production rates and front priorities. Of the
enemy's nodes it sees only estimates: each number times ``max(0, 1 + sd x z)``,
``z`` standard normal, a fresh draw for every node, commodity, quantity and day,
with ``sd = FOG_SD`` (0.3: a third of the estimates are more than 30% off), and
``sd x RECON_FACTOR`` (0.5) for an enemy node the side's strikes hit within the
last ``RECON_DAYS`` (7) days: a strike is also reconnaissance. Enemy production
rates and priorities are not seen at all (NaN), nor its plants' plans.
``fog=False`` lifts the fog: the view is the truth for both sides.

The draws come from a generator derived from ``model.rng``'s seed sequence (keyed
by day and side), not from ``model.rng``'s stream itself: looking at the map never
changes the game, so a run and its replay stay bit-identical whoever looked, and the
same seed gives the same estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sandbox.rules.logistics import production
from sandbox.rules.logistics.production import Plan
from sandbox.scenario.schema import SIDES

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

FOG_SD = 0.3  # relative standard deviation of an estimate of an enemy quantity
RECON_FACTOR = 0.5  # the sd's multiplier for enemy nodes struck recently
RECON_DAYS = 7  # how long a hit keeps a node "seen", days
_FOG_KEY = 0xF06  # spawn-key tag of the fog's generators


@dataclass(frozen=True)
class View:
    """A side's picture of the race on ``day``: arrays over nodes (N,) and (N, C)."""

    side: str
    day: int
    fog: bool
    node_ids: list[str]
    kind: list[str]  # "factory", "depot", "front"
    own: np.ndarray  # (N,) bool: the side's own nodes
    commodities: list[str]
    stock: np.ndarray  # (N, C) units on hand (enemy: estimates)
    received: np.ndarray  # (N, C) units arrived today (enemy: estimates)
    consumed: np.ndarray  # (N, C) units drawn by units today (enemy: estimates)
    short: np.ndarray  # (N, C) units units needed but did not get today (enemy: estimates)
    rate: np.ndarray  # (N, C) production per day from tomorrow (enemy: NaN)
    priority: np.ndarray  # (N,) front priority weights (enemy: NaN)
    rel_sd: np.ndarray  # (N,) relative sd of the node's estimates (0: exact)
    investment_lead_days: int
    # the side's own plants' plans (enemy's too without fog) by (node, commodity), as
    # they will stand when an investment ordered now arrives: on day + 1 + lead, with
    # the orders queued by then (:func:`sandbox.play.decisions.invest_seen`)
    plans: dict[tuple[str, str], Plan]

    def index(self, node: str) -> int:
        return self.node_ids.index(node)

    def column(self, commodity: str) -> int:
        return self.commodities.index(commodity)


class Fog:
    """Remembers which enemy nodes each side struck lately; builds views."""

    def __init__(self, model: LogisticsModel, enabled: bool = True, sd: float = FOG_SD) -> None:
        self.enabled = enabled
        self.sd = sd
        self._last_hit = np.full(model.state.n_nodes, -(10**9))  # day a node was last hit

    def observe(self, model: LogisticsModel) -> None:
        """Call after each day: remember the nodes hit today (the attacker sees them)."""
        s = model.state
        self._last_hit[s.strikes.node_hits > 0] = s.day

    def view(self, model: LogisticsModel, side: str) -> View:
        s = model.state
        j = SIDES.index(side)
        own = s.side == j
        t = s.today
        truth = {
            "stock": s.stock,
            "received": t.received,
            "consumed": t.consumed,
            "short": np.maximum(t.demand - t.consumed, 0.0),
        }
        rel_sd = np.zeros(s.n_nodes)
        if self.enabled:
            recent = s.day - self._last_hit < RECON_DAYS
            rel_sd = np.where(own, 0.0, np.where(recent, self.sd * RECON_FACTOR, self.sd))
        rng = _generator(model, s.day, j)
        seen = {}
        for name, arr in truth.items():
            z = rng.standard_normal(arr.shape)
            seen[name] = arr * np.maximum(1.0 + rel_sd[:, None] * z, 0.0)
        hidden = np.nan if self.enabled else 0.0
        lead = model.timeline.current.spec.logistics.investment_lead_days
        rate = production.rate(s, s.day + 1)  # before strike damage to output
        priority = np.ones(s.n_nodes) if s.priority is None else s.priority.copy()
        if self.enabled:
            rate[~own] = hidden
            priority[~own] = hidden
        return View(
            side=side,
            day=s.day,
            fog=self.enabled,
            node_ids=list(s.node_ids),
            kind=[model.spec.spec.nodes[i].kind for i in range(s.n_nodes)],
            own=own,
            commodities=list(s.commodities),
            rate=rate,
            priority=priority,
            rel_sd=rel_sd,
            investment_lead_days=lead,
            plans=_plans(model, own if self.enabled else np.ones_like(own), s.day + 1 + lead),
            **seen,
        )


def _plans(model: LogisticsModel, seen: np.ndarray, day: int) -> dict[tuple[str, str], Plan]:
    """The plans of the factories in ``seen`` (N,) bool, foreseen for ``day``."""
    m = model.orders.foreseen(model, day).spec
    return {
        (n.id, c): production.plan_of(m, n.id, c)
        for i, n in enumerate(m.nodes)
        if n.kind == "factory" and seen[i]
        for c in model.state.commodities
    }


def _generator(model: LogisticsModel, day: int, side: int) -> np.random.Generator:
    """A generator for ``side``'s estimates on ``day``, derived from the model's seed."""
    seq = model.rng.bit_generator.seed_seq
    assert isinstance(seq, np.random.SeedSequence)
    key = (*seq.spawn_key, _FOG_KEY, day, side)
    return np.random.default_rng(np.random.SeedSequence(seq.entropy, spawn_key=key))
