"""Combat state: per-sector and per-unit arrays the fight phase reads and writes.

Built by :func:`sandbox.rules.combat.fighting.setup`; the rules in
:mod:`sandbox.rules.combat` own every field. Shapes: K sectors, U units; the side axis is
0 blue, 1 red (as :data:`sandbox.scenario.schema.SIDES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sandbox.scenario.law_spec import Law

F64 = np.ndarray
CONTESTED, BLUE_HOLDS, RED_HOLDS = 0, 1, -1  # values of ``CombatState.control``


@dataclass
class CombatState:
    """Per-sector (K) and per-unit (U) combat arrays; side axis 0 blue, 1 red."""

    ids: list[str]
    front: np.ndarray  # (K, 2) front node of blue and red
    law_id: np.ndarray  # (K,) index into laws
    laws: list[Law]
    p: F64  # (K,)
    q: F64  # (K,)
    km_per_day: F64  # (K,)
    fall_threshold: F64  # (K,)
    reference_strength: F64  # (K,) frontage_km x reference_density_per_km
    attack_ratio: F64  # (K,) effective-fire ratio an attacker needs to gain ground
    front_km: F64  # (K,) + = blue has advanced
    control: np.ndarray  # (K,) int8: CONTESTED, BLUE_HOLDS, RED_HOLDS
    fell_on: np.ndarray  # (K,) day the sector fell, 0 while contested
    strength0_ks: F64  # (K, 2) initial strength per sector and side
    unit_sector: np.ndarray  # (U,) sector of the unit's front node, -1 for none
    strength0: F64  # (U,)
    strength: F64  # (U,)
    worn: F64  # (U,) guns out of action until repaired
    wear_per_round: F64  # (U,) 1 / barrel life, 0 without wear
    quality: F64  # (2,)
    kills_per_round: F64  # (2,)
    fuel_penalty: F64  # (2,)
    fuel: int  # column of "fuel", -1 when the map has none
    # today's outcome
    rounds_ks: F64 = field(default_factory=lambda: np.zeros((0, 2)))  # (K, 2)
    fire_ks: F64 = field(default_factory=lambda: np.zeros((0, 2)))  # (K, 2)
    losses: F64 = field(default_factory=lambda: np.zeros(2))  # (2,) strength lost today
    repaired: F64 = field(default_factory=lambda: np.zeros(2))  # (2,) guns repaired today

    @property
    def n_sectors(self) -> int:
        return len(self.ids)

    def clear_today(self) -> None:
        """Zero today's outcome (called by :meth:`SupplyState.begin_day`, nowhere else)."""
        for arr in (self.rounds_ks, self.fire_ks, self.losses, self.repaired):
            arr.fill(0.0)
