"""Fight: supply-limited fires, attrition, barrel wear, the moving front.

The ``fight`` phase runs after ``consume``, once a day, for all sectors at once (numpy
over the sectors, two compiled passes over the units: :mod:`sandbox.state.combat_kernels`).
Each step is a module of its own; in order:

1. **Repairs** (:mod:`.wear`). Each worn gun is owed one spare-part kit (``s.worn_backlog``,
   drawn by ``consume`` on top of the unit's base ``spare_parts`` need but demanded only
   once, on the day after the wear); the share of the kits owed that was drawn today comes
   back into action (from tomorrow's fire on).
2. **Fire** (:mod:`.fire`). A side's fire in a sector = rounds its units really drew
   today x its ``quality`` x its fuel factor (``1 - fuel_shortage_penalty x (1 - f)``
   for a share ``f`` of its fuel). Ammunition shortage cuts the rate of fire, not the
   lethality of a round.
3. **Attrition** (:mod:`.attrition`). Per sector, Helmbold's law with kill-rate
   coefficients from today's fire, integrated over the day. Losses reduce strength; a
   unit's guns alive are ``guns x strength / initial strength``, so losses cut
   tomorrow's fire and demand.
4. **Wear** (:mod:`.wear`). Each round fired wears ``1 / barrel_life_rounds`` of a gun;
   a worn gun is out of action until a kit arrives at its front node and is drawn. The
   worn guns become the backlog of kits owed, today's new wear the kits to demand next.
5. **Front** (:mod:`.front`). The line moves with the balance of fire (only the attacker of
   an offensive window may advance; defensive and quiet sectors hold); a side short of
   fuel does not advance; a side below ``fall_threshold`` of its initial strength in the
   sector loses it, and a fallen sector is quiet.

The state lives in :class:`sandbox.state.combat.CombatState`, stored as ``s.combat``.
"""

from __future__ import annotations

import numpy as np

from sandbox.rules.combat.attrition import attrition
from sandbox.rules.combat.fire import fire, per_sector
from sandbox.rules.combat.front import move_and_fall
from sandbox.rules.combat.wear import losses_and_wear, repair_and_sums
from sandbox.scenario.law_spec import Law, law_from_spec
from sandbox.scenario.load import Scenario
from sandbox.state.combat import CombatState
from sandbox.state.supply import SIDES, SupplyState


def setup(s: SupplyState, sc: Scenario) -> CombatState:
    """Build the combat arrays for a state (stored as ``s.combat``)."""
    m = sc.spec
    k = len(m.sectors)
    laws, law_id = _distinct_laws(sc)
    front = np.array(
        [[s.node_index[sec.blue], s.node_index[sec.red]] for sec in m.sectors], dtype=np.int64
    ).reshape(k, 2)
    node_sector = np.full(s.n_nodes, -1, dtype=np.int64)
    for i in range(k):
        node_sector[front[i]] = i
    sides = [m.sides[name] for name in SIDES]  # every side, with defaults, after validation
    qty = [cfg.quantity for cfg in sides]
    strength0 = np.array(
        [
            un.strength if un.strength is not None else un.guns * qty[SIDES.index(un.side)]
            for un in m.units
        ],
        dtype=float,
    )
    unit_sector = node_sector[s.unit_node]
    c = CombatState(
        ids=[sec.id for sec in m.sectors],
        front=front,
        law_id=law_id,
        laws=laws,
        p=np.array([laws[j].p for j in law_id], dtype=float),
        q=np.array([laws[j].q for j in law_id], dtype=float),
        km_per_day=_per_sector_key(sc, "km_per_day"),
        fall_threshold=_per_sector_key(sc, "fall_threshold"),
        reference_strength=_per_sector_key(sc, "frontage_km")
        * _per_sector_key(sc, "reference_density_per_km"),
        attack_ratio=_per_sector_key(sc, "attack_ratio"),
        front_km=_per_sector_key(sc, "front_km"),
        control=np.zeros(k, dtype=np.int8),
        fell_on=np.zeros(k, dtype=np.int64),
        strength0_ks=np.zeros((k, 2)),
        unit_sector=unit_sector,
        strength0=strength0,
        strength=strength0.copy(),
        worn=np.zeros(len(strength0)),
        wear_per_round=s.wear_per_round.copy(),
        quality=np.array([cfg.quality for cfg in sides]),
        kills_per_round=np.array([cfg.kills_per_round for cfg in sides]),
        fuel_penalty=np.array([cfg.fuel_shortage_penalty for cfg in sides]),
        fuel=s.commodities.index("fuel") if "fuel" in s.commodities else -1,
        rounds_ks=np.zeros((k, 2)),
        fire_ks=np.zeros((k, 2)),
    )
    c.strength0_ks = per_sector(s, c, c.strength0)
    s.combat = c
    return c


def _distinct_laws(sc: Scenario) -> tuple[list[Law], np.ndarray]:
    """The distinct laws of the map's sectors, and each sector's index into them."""
    laws: list[Law] = []
    law_id = np.zeros(len(sc.spec.sectors), dtype=np.int64)
    for i, sec in enumerate(sc.spec.sectors):
        law = law_from_spec(sec.law)
        if law not in laws:
            laws.append(law)
        law_id[i] = laws.index(law)
    return laws, law_id


def _per_sector_key(sc: Scenario, key: str) -> np.ndarray:
    """One float per sector: the map's value of ``key``."""
    return np.array([float(getattr(sec, key)) for sec in sc.spec.sectors], dtype=float)


def combat_state(s: SupplyState) -> CombatState | None:
    return s.combat


def fight(s: SupplyState, c: CombatState) -> None:
    """The day's combat, after ``consume`` (see the module docstring for the rules).

    Two passes over the units (:func:`repair_and_sums`, :func:`losses_and_wear`)
    around the sectors' fire, attrition and front (none of which a map without
    sectors has: its units only wear).
    """
    sums = repair_and_sums(s, c)
    if c.n_sectors == 0:  # no sector: no fire, no losses, no front; the units still wear
        c.rounds_ks, c.fire_ks = sums[0], np.zeros((0, 2))
        losses_and_wear(s, c, c.fire_ks)
        return
    fuel_ok = fire(c, sums)
    strength_ks = sums[3]
    loss_ks = attrition(c, strength_ks)
    share_lost = np.divide(loss_ks, strength_ks, out=np.zeros_like(loss_ks), where=strength_ks > 0)
    losses_and_wear(s, c, share_lost)
    move_and_fall(s, c, fuel_ok, strength_ks, loss_ks)
