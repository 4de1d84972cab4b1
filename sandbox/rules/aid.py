"""Aid: finite pools delivered in packages, at the start of a day, before production.

An ``[[aid]]`` entry delivers ``per_delivery`` units of ``commodity`` to ``node`` on
``start_day``, ``start_day + interval_days``, ... up to ``end_day`` (or on each of its
``dates``), until ``pool`` units have been delivered: the last package is what is left.
A paused pool (``paused = true``, usually set by an event) skips its deliveries; they are
not made up later, the pool keeps what was not delivered. A package that does not fit
the node's storage (tonnes, counting what is in transit to it) is cut to what fits; the
rest stays in the pool.

Delivered aid counts as produced (``today.produced`` and ``ledger.produced`` of the
node's side), so the mass balance holds unchanged; :meth:`AidPools.frame` lists each
delivery.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sandbox.scenario import schema
from sandbox.scenario.timeline import date_of, day_of, window
from sandbox.state.supply import SupplyState


@dataclass
class Pool:
    name: str
    node: int  # row of the receiving node
    commodity: int  # column
    pool: float  # units in all
    per_delivery: float
    interval_days: int
    start_day: int
    end_day: float  # inf: open-ended
    days: frozenset[int]  # explicit delivery days (empty: the interval schedule)
    paused: bool

    def due(self, day: int) -> bool:
        if self.days:
            return day in self.days
        elapsed = day - self.start_day
        return elapsed >= 0 and elapsed % self.interval_days == 0 and day <= self.end_day


class AidPools:
    """The map's aid pools, what each has delivered, and the log of deliveries."""

    def __init__(self, s: SupplyState, m: schema.MapFile) -> None:
        self.delivered = np.zeros(len(m.aid))  # units delivered so far, per pool
        self.pools: list[Pool] = []
        self.log: list[tuple[int, int, float]] = []  # (day, pool, units)
        self._m = m
        self.load(s, m)
        if self.pools:  # the receiving nodes are sources of their commodity
            extra = np.zeros((s.n_nodes, len(s.commodities)), dtype=bool)
            for p in self.pools:
                extra[p.node, p.commodity] = True
            s.geometry.sources_changed(extra)

    def load(self, s: SupplyState, m: schema.MapFile) -> None:
        """(Re)read the pools' settings: at start, and after an event changes one."""
        self._m = m
        self.pools = []
        for a in m.aid:
            start, end = window(m, a)
            self.pools.append(
                Pool(
                    name=a.name,
                    node=s.node_index[a.node],
                    commodity=s.commodities.index(a.commodity),
                    pool=a.pool,
                    per_delivery=a.per_delivery,
                    interval_days=a.interval_days,
                    start_day=start,
                    end_day=float("inf") if end is None else float(end),
                    days=frozenset(day_of(m, d) for d in a.dates),
                    paused=a.paused,
                )
            )

    def deliver(self, s: SupplyState, day: int) -> None:
        for i, p in enumerate(self.pools):
            if p.paused or not p.due(day):
                continue
            units = min(p.per_delivery, p.pool - self.delivered[i])
            units = min(units, _room_units(s, p.node, p.commodity))
            if units <= 0:
                continue
            s.stock[p.node, p.commodity] += units
            s.today.produced[p.node, p.commodity] += units
            s.ledger.produced[int(s.side[p.node]), p.commodity] += units
            self.delivered[i] += units
            self.log.append((day, i, units))

    def frame(self) -> pd.DataFrame:
        """One row per delivery: day, date, aid, side, node, commodity, units."""
        m = self._m
        rows = [
            {
                "day": day,
                "date": date_of(m, day).isoformat(),
                "aid": m.aid[i].name,
                "side": _side(m, m.aid[i].node),
                "node": m.aid[i].node,
                "commodity": m.aid[i].commodity,
                "units": units,
            }
            for day, i, units in self.log
        ]
        return pd.DataFrame(rows, columns=AID_COLUMNS)


AID_COLUMNS = ["day", "date", "aid", "side", "node", "commodity", "units"]


def _side(m: schema.MapFile, node: str) -> str:
    return next(str(n.side) for n in m.nodes if n.id == node)


def _room_units(s: SupplyState, node: int, commodity: int) -> float:
    """Units of ``commodity`` the node can still take (inf without a storage limit)."""
    cap = float(s.storage_t[node])
    if not np.isfinite(cap):
        return float("inf")
    held_t = float(s.tonnes(s.stock[node]) + s.tonnes(s.inbound()[node]))
    return max(cap - held_t, 0.0) / float(s.tonnes_per_unit[commodity])
