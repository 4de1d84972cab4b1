"""Today's posture of each sector, as arrays the rules read (the front law among them).

Set each morning by :mod:`sandbox.rules.operations` from the map's ``[[operations]]``
windows; sectors in map order (``[[sectors]]``), side axis 0 blue, 1 red.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POSTURES = ("none", "offensive", "defensive", "quiet")  # codes 0..3 in ``posture``
NO_ATTACKER = -1


@dataclass
class SectorPostures:
    posture: np.ndarray  # (K,) int8: index into POSTURES (0: no operation today)
    attacker: np.ndarray  # (K,) int8: 0 blue, 1 red, NO_ATTACKER when nobody attacks
    fire_factor: np.ndarray  # (K, 2) share of doctrine fire each side aims for
    fuel_factor: np.ndarray  # (K, 2) multiplies each side's daily fuel need

    @classmethod
    def none(cls, k: int) -> SectorPostures:
        return cls(
            posture=np.zeros(k, dtype=np.int8),
            attacker=np.full(k, NO_ATTACKER, dtype=np.int8),
            fire_factor=np.ones((k, 2)),
            fuel_factor=np.ones((k, 2)),
        )
