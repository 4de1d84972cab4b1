"""Struct-of-arrays state that the rules act on.

One row per node, link or unit; one column per commodity. Mesa agents are
handles on these rows (:mod:`sandbox.agents`); the rules in
:mod:`sandbox.rules.logistics` are vectorised functions over these arrays.

Shapes: N nodes, E links, U units, C commodities, S = 2 sides (0 blue, 1 red),
H = longest transit + 1 (the ring buffer of the in-transit pipeline).

Each piece has one owner with typed fields: the arrays here; today's records
(:class:`Today`, the strike log's today, the fight's outcome), reset together
by :meth:`SupplyState.begin_day`; the strike log (:mod:`sandbox.state.strikes`);
the combat arrays (``combat``, built by :mod:`sandbox.rules.combat.fighting`);
and the derived geometry (:mod:`sandbox.state.geometry`, ``geometry``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from sandbox.scenario.load import Scenario
from sandbox.scenario.schema import SIDES, MapFile
from sandbox.state import kernels
from sandbox.state.combat import CombatState
from sandbox.state.geometry import Geometry, node_sum
from sandbox.state.postures import SectorPostures
from sandbox.state.strikes import StrikeLog

KINDS = ("factory", "depot", "front")
FACTORY, DEPOT, FRONT = 0, 1, 2

F64 = np.ndarray


@dataclass
class Ledger:
    """Cumulative totals per side and commodity, (S, C): the mass balance."""

    initial: F64
    produced: F64
    consumed: F64
    destroyed: F64

    @classmethod
    def zeros(cls, c: int) -> Ledger:
        return cls(*(np.zeros((len(SIDES), c)) for _ in range(4)))


@dataclass
class Today:
    """What happened today, reset at the start of every step.

    ``received``, ``shipped`` and ``requested`` each have one writer that writes
    every row every day (arrive, ship, order), as ``0.0 + x``: the bits of adding
    to a zeroed array, without clearing it first. The others are zeroed by
    :meth:`clear` and added to by the rules that fill them.
    """

    WRITTEN_WHOLE: ClassVar[tuple[str, ...]] = ("received", "shipped", "requested")

    produced: F64  # (N, C) units made
    received: F64  # (N, C) units arrived from links
    shipped: F64  # (E, C) units put on links
    requested: F64  # (E, C) units asked of each link (its "order")
    demand: F64  # (N, C) units the front units needed
    consumed: F64  # (N, C) units drawn by units
    destroyed: F64  # (N, C) units lost to strikes

    @classmethod
    def zeros(cls, n: int, e: int, c: int) -> Today:
        return cls(
            produced=np.zeros((n, c)),
            received=np.zeros((n, c)),
            shipped=np.zeros((e, c)),
            requested=np.zeros((e, c)),
            demand=np.zeros((n, c)),
            consumed=np.zeros((n, c)),
            destroyed=np.zeros((n, c)),
        )

    def clear(self, destroyed: bool = True) -> None:
        """Zero the records the rules add to (not those written whole); ``destroyed``
        only when asked: its one writer, a strike's hit, flags the day it wrote it
        (``StrikeLog.hit_today``, see :meth:`SupplyState.begin_day`)."""
        for name, arr in vars(self).items():
            if name not in self.WRITTEN_WHOLE and (destroyed or name != "destroyed"):
                arr.fill(0.0)


@dataclass
class SupplyState:
    # --- static description ------------------------------------------------
    node_ids: list[str]
    node_index: dict[str, int]
    kind: np.ndarray  # (N,) int8: FACTORY, DEPOT, FRONT
    side: np.ndarray  # (N,) int8: 0 blue, 1 red
    lon: F64
    lat: F64
    storage_t: F64  # (N,) tonnes, inf when unlimited
    target_days: F64  # (N,) days of forecast demand to hold (0 at factories)
    commodities: list[str]
    tonnes_per_unit: F64  # (C,)
    prod_base: F64  # (N, C) units per day before any ramp
    ramp_target: F64  # (N, C) units per day at the end of the ramp
    ramp_start: F64  # (N, C) day the ramp starts
    ramp_days: F64  # (N, C) length of the ramp in days (0: a step)
    forecast_alpha: float  # exponential smoothing weight of demand forecasts
    src: np.ndarray  # (E,) int64
    dst: np.ndarray  # (E,) int64
    capacity_t: F64  # (E,) tonnes per day
    transit_days: np.ndarray  # (E,) int64 >= 1
    link_side: np.ndarray  # (E,) int8
    unit_ids: list[str]
    unit_node: np.ndarray  # (U,) int64
    unit_side: np.ndarray  # (U,) int8
    guns: F64  # (U,)
    rounds_per_gun_per_day: F64  # (U,)
    needs_per_day: F64  # (U, C) fixed daily needs (fuel, parts per day, others)
    parts_per_round: F64  # (U,) spare parts per round fired
    wear_per_round: F64  # (U,) guns worn per round fired (1 / barrel life; 0 without wear)
    demand_cv: F64  # (U,) coefficient of variation of the daily ammunition demand
    ammo: int  # column of "ammunition", -1 when the map has none
    parts: int  # column of "spare_parts", -1 when the map has none
    # --- dynamic state -----------------------------------------------------
    stock: F64  # (N, C) units on hand
    pipeline: F64  # (H, E, C) units arriving on day d at ring slot d % H
    in_transit: F64  # (E, C) units on each link (sum of its pipeline)
    forecast: F64  # (N, C) smoothed daily demand each node serves
    link_up: np.ndarray  # (E,) bool
    orders_in: F64  # (N, C) units asked of each node by its out-links yesterday
    over_level: F64  # (N, C) units a fall of the order-up-to level left above it, not yet netted
    output_factor: F64  # (N,) share of a factory's rate it can make (strikes lower it)
    guns_in_action: F64  # (U,) guns able to fire
    fire_intensity: F64  # (U,) share of doctrine fire a unit aims for today
    unit_got: F64  # (U, C) what each unit drew today
    worn_backlog: F64  # (U,) worn guns waiting for a spare-part kit (one each): kits owed
    worn_new: F64  # (U,) guns worn since the last draw: kits first demanded at the next
    ledger: Ledger
    today: Today
    strikes: StrikeLog  # today's strikes and the repair clocks (sandbox.state.strikes)
    day: int = 0
    layout_version: int = 0  # bumped when nodes move (displacement)
    combat: CombatState | None = None  # set by sandbox.rules.combat.fighting.setup
    postures: SectorPostures | None = None  # today's sector postures (maps with operations)
    priority: F64 | None = None  # (N,) weights of links' asks into each node; None: all 1
    # today's buffers passed from phase to phase (nothing moves in between), None outside
    # that span (begin_day clears both): the in-transit summed by receiver (N, C), from
    # arrive to the order; the position, need, pressure and the customers' asks of each
    # node (4, N, C), from the order to ship
    inbound_sum: F64 | None = field(default=None, init=False, repr=False)
    route_inputs: F64 | None = field(default=None, init=False, repr=False)
    # --- derived, set in __post_init__ ---------------------------------------
    link_rows: np.ndarray = field(init=False, repr=False)  # (E,) 0 .. E - 1
    is_front: np.ndarray = field(init=False, repr=False)  # (N,) bool
    from_factory: np.ndarray = field(init=False, repr=False)  # (E,) bool: the source is a factory
    finite_storage: bool = field(init=False, repr=False)  # some node has a storage limit
    geometry: Geometry = field(init=False, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def n_links(self) -> int:
        return len(self.src)

    @property
    def horizon(self) -> int:
        return self.pipeline.shape[0]

    def __post_init__(self) -> None:
        self.link_rows = np.arange(self.n_links)
        self.is_front = self.kind == FRONT
        self.from_factory = self.kind[self.src] == FACTORY
        self.finite_storage = bool(np.isfinite(self.storage_t).any())
        self.geometry = Geometry(self, len(SIDES))

    def begin_day(self, day: int) -> None:
        """Start day ``day``: the one reset of the day's records (supply, strikes, combat);
        today's received, shipped and requested are written whole by their phases instead."""
        self.day = day
        self.inbound_sum = self.route_inputs = None
        hit = self.strikes.hit_today()  # before the log is reset
        self.today.clear(destroyed=hit)
        self.strikes.clear_today(hit)
        if self.combat is not None:
            self.combat.clear_today()

    def side_sum(self, per_node: F64) -> F64:
        """Sum an (N, C) array per side: (S, C)."""
        return self.geometry.by_side(per_node)

    def side_sum_links(self, per_link: F64) -> F64:
        """Sum an (E, C) array per side: (S, C)."""
        return self.geometry.by_link_side(per_link)

    def inbound(self) -> F64:
        """Units in transit towards each node: (N, C)."""
        return self.geometry.by_dst(self.in_transit)

    def tonnes(self, units: F64) -> F64:
        """Convert an (..., C) array of units into tonnes, summed over commodities
        (:func:`sandbox.state.kernels.tonnes`: one order of the sum on every CPU)."""
        return kernels.tonnes(units, self.tonnes_per_unit)


def _wear_per_round(sc: Scenario) -> F64:
    """(U,) guns worn per round fired: 1 / the side's ``barrel_life_rounds``, else 0."""
    sides = sc.spec.sides
    per_round = {
        s: 0.0 if cfg.barrel_life_rounds is None else 1.0 / cfg.barrel_life_rounds
        for s, cfg in sides.items()
    }
    return np.array([per_round[un.side] for un in sc.spec.units], dtype=float)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _target_days(m: MapFile, kind: np.ndarray) -> np.ndarray:
    """(N,) days of cover each node orders up to: its own, else its kind's default."""
    lg = m.logistics
    default_days = np.where(kind == FRONT, lg.front_target_days, lg.depot_target_days)
    return np.array(
        [
            0.0 if nd.kind == "factory" else (d if nd.target_days is None else nd.target_days)
            for nd, d in zip(m.nodes, default_days, strict=True)
        ]
    )


def _stock_and_production(m: MapFile, cidx: dict[str, int]) -> dict[str, np.ndarray]:
    """(N, C) opening stock, base production and the ramps' target, start and length."""
    n, c = len(m.nodes), len(cidx)
    out = {k: np.zeros((n, c)) for k in ("stock", "prod", "ramp_target", "ramp_start")}
    out["ramp_days"] = np.zeros((n, c))
    for i, nd in enumerate(m.nodes):
        for k, v in nd.stock.items():
            out["stock"][i, cidx[k]] = v
        for k, v in nd.production.items():
            out["prod"][i, cidx[k]] = v
        out["ramp_target"][i] = out["prod"][i]
        for k, r in nd.ramp.items():
            out["ramp_target"][i, cidx[k]] = r.target
            out["ramp_start"][i, cidx[k]] = r.start_day
            out["ramp_days"][i, cidx[k]] = r.days
    return out


def _unit_needs(m: MapFile, cidx: dict[str, int]) -> np.ndarray:
    """(U, C) each unit's daily need: its own needs plus fuel (in units) and base spare parts."""
    needs = np.zeros((len(m.units), len(cidx)))
    for i, un in enumerate(m.units):
        for k, v in un.needs.items():
            needs[i, cidx[k]] += v
        if "fuel" in cidx:
            needs[i, cidx["fuel"]] += un.fuel_t_per_day / m.commodities["fuel"].tonnes_per_unit
        if "spare_parts" in cidx:
            needs[i, cidx["spare_parts"]] += un.spare_parts_per_day
    return needs


def build_state(sc: Scenario) -> SupplyState:  # size: one constructor call, a field per line
    """Lay a scenario out as arrays."""
    m = sc.spec
    comms = list(m.commodities)
    cidx = {c: i for i, c in enumerate(comms)}
    n, e, u, c = len(m.nodes), len(m.links), len(m.units), len(comms)
    node_ids = [nd.id for nd in m.nodes]
    nidx = {k: i for i, k in enumerate(node_ids)}
    kind = np.array([KINDS.index(nd.kind) for nd in m.nodes], dtype=np.int8)
    side = np.array([SIDES.index(nd.side) for nd in m.nodes], dtype=np.int8)
    lg = m.logistics
    target_days = _target_days(m, kind)
    made = _stock_and_production(m, cidx)
    stock, prod = made["stock"], made["prod"]
    ramp_target, ramp_start, ramp_days = made["ramp_target"], made["ramp_start"], made["ramp_days"]
    src = np.array([nidx[lk.source] for lk in m.links], dtype=np.int64)
    dst = np.array([nidx[lk.target] for lk in m.links], dtype=np.int64)
    transit = np.array([lk.transit_days for lk in m.links], dtype=np.int64)
    horizon = int(transit.max()) + 1 if e else 1

    unit_side = np.array([SIDES.index(un.side) for un in m.units], dtype=np.int8)
    guns = np.array([un.guns * m.sides[un.side].quantity for un in m.units], dtype=float)
    needs = _unit_needs(m, cidx)

    ledger = Ledger.zeros(c)
    ledger.initial[:] = node_sum(side, stock, len(SIDES))
    return SupplyState(
        node_ids=node_ids,
        node_index=nidx,
        kind=kind,
        side=_frozen(side),
        lon=np.array([nd.lon for nd in m.nodes]),
        lat=np.array([nd.lat for nd in m.nodes]),
        storage_t=np.array([np.inf if nd.capacity_t is None else nd.capacity_t for nd in m.nodes]),
        target_days=target_days,
        commodities=comms,
        tonnes_per_unit=np.array([m.commodities[k].tonnes_per_unit for k in comms]),
        prod_base=prod,
        ramp_target=ramp_target,
        ramp_start=ramp_start,
        ramp_days=ramp_days,
        forecast_alpha=1.0 / lg.forecast_days,
        src=_frozen(src),
        dst=_frozen(dst),
        capacity_t=np.array([lk.capacity_t for lk in m.links], dtype=float),
        transit_days=transit,
        link_side=_frozen(side[src] if e else np.zeros(0, dtype=np.int8)),
        unit_ids=[un.id for un in m.units],
        unit_node=_frozen(np.array([nidx[un.node] for un in m.units], dtype=np.int64)),
        unit_side=unit_side,
        guns=guns,
        rounds_per_gun_per_day=np.array([un.rounds_per_gun_per_day for un in m.units], dtype=float),
        needs_per_day=needs,
        parts_per_round=np.array([un.spare_parts_per_1000_rounds / 1000 for un in m.units]),
        wear_per_round=_wear_per_round(sc),
        demand_cv=np.array([un.demand_cv for un in m.units], dtype=float),
        ammo=cidx.get("ammunition", -1),
        parts=cidx.get("spare_parts", -1),
        stock=stock,
        pipeline=np.zeros((horizon, e, c)),
        in_transit=np.zeros((e, c)),
        forecast=np.zeros((n, c)),
        link_up=np.ones(e, dtype=bool),
        orders_in=np.zeros((n, c)),
        over_level=np.zeros((n, c)),
        output_factor=np.ones(n),
        guns_in_action=guns.copy(),
        fire_intensity=np.ones(u),
        unit_got=np.zeros((u, c)),
        worn_backlog=np.zeros(u),
        worn_new=np.zeros(u),
        ledger=ledger,
        today=Today.zeros(n, e, c),
        strikes=StrikeLog.zeros(n, e),
        priority=priorities(m),
    )


def priorities(m: MapFile) -> F64 | None:
    """(N,) the nodes' priority weights, or None when all are 1 (routing's fast path)."""
    weights = np.array([nd.priority for nd in m.nodes], dtype=float)
    return None if (weights == 1.0).all() else weights
