"""The strike log: today's strikes, hits and interceptions, and the repair clocks.

Written by :mod:`sandbox.rules.strikes.interdiction` (and displacement), read by
the metrics, the recorder and the map view. Its today part is reset with the
rest of the day's records by :meth:`sandbox.state.supply.SupplyState.begin_day`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.scenario.schema import SIDES

COUNTS = ("strikes", "hits", "intercepted")  # per attacking side, per day


@dataclass
class StrikeLog:
    """Today's strike record and the repair clocks."""

    counts: np.ndarray  # (S, 3) strikes, hits, intercepted today, by attacking side
    node_hits: np.ndarray  # (N,) hits on each node today
    link_hits: np.ndarray  # (E,) hits on each link today
    link_repair_day: np.ndarray  # (E,) last day a cut link is down; -1: not cut by a strike
    factory_repair_day: np.ndarray  # (N,) last day of lowered output; -1: none
    displaced: np.ndarray  # (N,) bool: depot has moved to its fallback
    # set by their one writer, interdiction.apply_hits: the hit arrays hold a hit of
    # today (to be zeroed tomorrow); a repair day is set (to be counted down)
    hits_written: bool = False
    repairs_pending: bool = False

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

    def hit_today(self) -> bool:
        """Whether today's hit arrays (and ``Today.destroyed``) may hold a hit: flagged
        by their writer, or strikes counted today."""
        return self.hits_written or bool(self.counts.any())

    def clear_today(self, hit: bool | None = None) -> None:
        """Zero today's counts, and the hit arrays when a hit may have been written
        (``hit``: :meth:`hit_today`, when the caller has asked already)."""
        if hit is None:
            hit = self.hit_today()
        self.counts.fill(0.0)
        if hit:
            self.node_hits.fill(0.0)
            self.link_hits.fill(0.0)
            self.hits_written = False
