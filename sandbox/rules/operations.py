"""Operations: posture windows per sector, applied each morning before orders are placed.

A map's ``[[operations]]`` give a sector a posture from ``start_day`` to ``end_day``
(inclusive). Each morning the phase writes the sector's posture and attacker into
``SupplyState.postures`` (:class:`sandbox.state.postures.SectorPostures`: the front law
reads who attacks there) and scales its units' fire and fuel by :data:`FACTORS`:

=============  ==================  ==================  ==============
posture        attacker fire/fuel  defender fire/fuel  who attacks
=============  ==================  ==================  ==============
offensive      1.5 / 1.5           1.0 / 1.0           ``attacker``
defensive      0.75 / 0.75         0.75 / 0.75         nobody
quiet          0.25 / 0.5          0.25 / 0.5          nobody
(no window)    1.0 / 1.0           1.0 / 1.0           nobody
=============  ==================  ==================  ==============

Fire scales a unit's ``fire_intensity`` (the share of doctrine rounds it asks for, so
demand, orders and rounds fired follow); fuel scales its daily fuel need. A unit whose
sector has fallen (``fire_intensity`` 0) stays stood down.
"""

from __future__ import annotations

import numpy as np

from sandbox.scenario import schema
from sandbox.scenario.timeline import window
from sandbox.state.postures import NO_ATTACKER, POSTURES, SectorPostures
from sandbox.state.supply import SIDES, SupplyState

# posture: ((attacker fire, attacker fuel), (defender fire, defender fuel))
FACTORS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "offensive": ((1.5, 1.5), (1.0, 1.0)),
    "defensive": ((0.75, 0.75), (0.75, 0.75)),
    "quiet": ((0.25, 0.5), (0.25, 0.5)),
}


class Operations:
    """The map's posture windows and the units they act on."""

    def __init__(self, s: SupplyState, m: schema.MapFile) -> None:
        sector_of = {sec.id: k for k, sec in enumerate(m.sectors)}
        node_sector = np.full(s.n_nodes, -1, dtype=np.int64)
        for k, sec in enumerate(m.sectors):
            node_sector[[s.node_index[sec.blue], s.node_index[sec.red]]] = k
        self.sector_of = sector_of
        self.unit_sector = node_sector[s.unit_node]
        self.fuel = s.commodities.index("fuel") if "fuel" in s.commodities else -1
        self.base_fuel = s.needs_per_day[:, self.fuel].copy() if self.fuel >= 0 else None
        self.windows: list[tuple[int, str, int, int, float]] = []
        self.load(m)
        if self.windows:
            s.postures = SectorPostures.none(len(m.sectors))

    def load(self, m: schema.MapFile) -> None:
        """(Re)read the windows: at start, and after an event changes one."""
        self.windows = []
        for op in m.operations:
            start, end = window(m, op)
            attacker = NO_ATTACKER if op.attacker is None else SIDES.index(op.attacker)
            last = float("inf") if end is None else float(end)
            self.windows.append((self.sector_of[op.sector], op.posture, attacker, start, last))

    def update(self, s: SupplyState, day: int) -> None:
        """Today's postures, and the fire and fuel factors they give each unit."""
        p = s.postures
        if p is None or not self.windows:
            return
        fresh = SectorPostures.none(len(p.posture))
        for k, posture, attacker, start, last in self.windows:
            if not start <= day <= last:
                continue
            fresh.posture[k] = POSTURES.index(posture)
            fresh.attacker[k] = attacker
            att, dfd = FACTORS[posture]
            for j in (0, 1):
                fire, fuel = att if (attacker == NO_ATTACKER or attacker == j) else dfd
                fresh.fire_factor[k, j], fresh.fuel_factor[k, j] = fire, fuel
        p.posture[:], p.attacker[:] = fresh.posture, fresh.attacker
        p.fire_factor[:], p.fuel_factor[:] = fresh.fire_factor, fresh.fuel_factor
        inside = self.unit_sector >= 0
        fire_u, fuel_u = np.ones(len(inside)), np.ones(len(inside))
        rows, cols = self.unit_sector[inside], s.unit_side[inside]
        fire_u[inside], fuel_u[inside] = p.fire_factor[rows, cols], p.fuel_factor[rows, cols]
        standing = s.fire_intensity > 0
        s.fire_intensity[standing] = fire_u[standing]
        if self.base_fuel is not None:
            s.needs_per_day[:, self.fuel] = self.base_fuel * fuel_u
