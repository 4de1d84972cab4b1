"""The map format as pydantic models: one class per table of a map file.

Every key a map may use is declared here, with its unit in the name or the
field description; ``maps/README.md`` documents the same keys for users.
Unknown keys are errors (``extra="forbid"``), every model is frozen.
Cross-entry rules (ids unique, links naming known nodes, ...) live in
:mod:`sandbox.scenario.load`, which turns pydantic's errors into ``ScenarioError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# -- ranges ----------------------------------------------------------------------
# Every number a map gives is bounded, so every output stays finite: the largest
# products the model forms (guns x rounds x days, production x days, capacity /
# tonnes_per_unit) stay below ~1e30, far from float overflow (~1e308). The bounds
# are generous next to the physics (maps/README.md, "Ranges", says why each).
MAX_UNITS_PER_DAY = 1e9  # production, needs: a billion rounds a day is ~1000x any war
MAX_STOCK_UNITS = 1e12  # initial stock: a thousand days of the largest production
MAX_TONNES_PER_DAY = 1e9  # link capacity, fuel needs: ~1000x the world's rail freight
MAX_STORAGE_T = 1e12  # a node's storage
MIN_TONNES_PER_UNIT = 1e-9  # a milligram: keeps capacity_t / tonnes_per_unit finite
MAX_TONNES_PER_UNIT = 1e6  # a million tonnes in one unit
MAX_GUNS = 1e7
MAX_ROUNDS_PER_GUN_PER_DAY = 1e5  # about one a second: beyond any gun's cooling
MAX_STRENGTH = 1e12
MAX_FACTOR = 1e3  # quality, quantity, kills_per_round: relative multipliers
MAX_KM_PER_DAY = 1e3  # the fastest ground advances made ~100 km a day
MAX_FRONT_KM = 4e4  # the Earth's circumference
MAX_RANGE_KM = 20_100.0  # half the circumference: reaches every point of the globe
MAX_DAYS = 100_000  # ~274 years; also the longest `sandbox run --days`
MAX_TARGET_DAYS = 3650.0  # ten years of stock
MAX_BARREL_LIFE_ROUNDS = 1e9
MAX_DEMAND_CV = 10.0  # demand noise ten times its mean is already a different model


def _range(lo: float, hi: float, strict_lo: bool = False) -> Any:
    """Field constraints for a finite float in ``[lo, hi]`` (``(lo, hi]`` with ``strict_lo``)."""
    if strict_lo:
        return Field(gt=lo, le=hi, allow_inf_nan=False)
    return Field(ge=lo, le=hi, allow_inf_nan=False)


TonnesPerUnit = Annotated[float, _range(MIN_TONNES_PER_UNIT, MAX_TONNES_PER_UNIT)]
ForecastDays = Annotated[float, _range(1, MAX_TARGET_DAYS)]
KillsPerRound = Annotated[float, _range(0, MAX_FACTOR)]
BarrelLife = Annotated[float, _range(1, MAX_BARREL_LIFE_ROUNDS)]
StorageT = Annotated[float, _range(0, MAX_STORAGE_T, strict_lo=True)]
LinkCapacityT = Annotated[float, _range(0, MAX_TONNES_PER_DAY, strict_lo=True)]
Guns = Annotated[float, _range(0, MAX_GUNS)]
RoundsPerGunPerDay = Annotated[float, _range(0, MAX_ROUNDS_PER_GUN_PER_DAY)]
Strength = Annotated[float, _range(0, MAX_STRENGTH)]
FrontKm = Annotated[float, _range(-MAX_FRONT_KM, MAX_FRONT_KM)]
KmPerDay = Annotated[float, _range(0, MAX_KM_PER_DAY)]
RangeKm = Annotated[float, _range(0, MAX_RANGE_KM)]
DemandCv = Annotated[float, _range(0, MAX_DEMAND_CV)]
FrontageKm = Annotated[float, _range(0.1, MAX_FRONT_KM)]  # 100 m .. the circumference
Density = Annotated[float, _range(1e-3, MAX_STRENGTH)]  # strength per km
Fraction = Annotated[float, _range(0, 1)]
UnitsPerDay = Annotated[float, _range(0, MAX_UNITS_PER_DAY)]
StockUnits = Annotated[float, _range(0, MAX_STOCK_UNITS)]
TonnesPerDay = Annotated[float, _range(0, MAX_TONNES_PER_DAY)]
Factor = Annotated[float, _range(0, MAX_FACTOR, strict_lo=True)]
TargetDays = Annotated[float, _range(0, MAX_TARGET_DAYS)]
Day = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Lon = Annotated[float, _range(-180, 180)]
Lat = Annotated[float, _range(-90, 90)]
# ids: letters, digits, _ and - (maps/README.md); a dot would split a --set key
ID_PATTERN = r"^[A-Za-z0-9_\-]+$"
Identifier = Annotated[str, Field(min_length=1, pattern=ID_PATTERN)]


class Frozen(BaseModel):
    # strict: no bool or string taken as a number (``guns = true``, ``lon = "21"``),
    # no string as a bool; an int is still a valid float
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ScenarioInfo(Frozen):
    name: str = Field(min_length=1)
    days: int = Field(default=365, ge=1, le=MAX_DAYS)
    start_date: dt.date = dt.date(2023, 1, 1)
    description: str = ""


def check_calendar(start: dt.date, days: int) -> str | None:
    """Why a ``days``-day run from ``start`` leaves the calendar, or None.

    Day 0 (the state before the first step) is the eve of ``start``, so it needs a date too.
    """
    if start == dt.date.min:
        return (
            f"start_date {start}: day 0 is the eve of the start date; start on or after 0001-01-02"
        )
    if (dt.date.max - start).days >= days - 1:
        return None
    last = dt.date.max - dt.timedelta(days=days - 1)
    return (
        f"start_date {start} + {days} days passes the last calendar date {dt.date.max}; "
        f"start on or before {last}"
    )


class Commodity(Frozen):
    unit: str = Field(min_length=1)
    tonnes_per_unit: TonnesPerUnit


class Logistics(Frozen):
    """Stock policy shared by every node unless a node overrides it."""

    front_target_days: TargetDays = 10.0
    depot_target_days: TargetDays = 15.0
    forecast_days: ForecastDays = 7.0
    investment_lead_days: Annotated[int, Field(ge=0, le=36_500)] = 90  # a new line's lead time


class Side(Frozen):
    quality: Factor = 1.0  # lethality per round, relative
    quantity: Factor = 1.0  # multiplies the guns of every unit of the side
    label: str = ""
    # combat (sandbox/rules/combat/): enemy strength destroyed per round of quality 1,
    # against a target at its sector's reference density
    kills_per_round: KillsPerRound = 0.001
    barrel_life_rounds: BarrelLife | None = None  # rounds per barrel; None = no wear
    fuel_shortage_penalty: Fraction = 0.5  # fire lost at no fuel at all (linear in shortage)


class Ramp(Frozen):
    target: UnitsPerDay
    start_day: Day = 0
    days: Day = 0


class Position(Frozen):
    lon: Lon
    lat: Lat


NodeKind = Literal["factory", "depot", "front"]
SideName = Literal["blue", "red"]
SIDES: tuple[SideName, ...] = ("blue", "red")  # index 0 blue, 1 red, in every array


class Node(Frozen):
    id: Identifier
    kind: NodeKind
    side: SideName
    lon: Lon
    lat: Lat
    name: str = ""
    capacity_t: StorageT | None = None
    stock: dict[str, StockUnits] = Field(default_factory=dict)
    production: dict[str, UnitsPerDay] = Field(default_factory=dict)
    ramp: dict[str, Ramp] = Field(default_factory=dict)
    target_days: TargetDays | None = None
    fallback: Position | None = None  # where a depot moves back to under strikes
    pulled_back: bool = False  # ordered back to its fallback (it moves once and stays)
    priority: Factor = 1.0  # weight of its links' asks when a supplier runs short


LinkMode = Literal["rail", "road", "sea", "air"]


class Link(Frozen):
    source: Identifier
    target: Identifier
    mode: LinkMode = "rail"
    capacity_t: LinkCapacityT
    transit_days: Annotated[int, Field(ge=1, le=365)]


class Unit(Frozen):
    id: Identifier
    side: SideName
    node: Identifier
    guns: Guns = 0.0
    rounds_per_gun_per_day: RoundsPerGunPerDay = 0.0
    fuel_t_per_day: TonnesPerDay = 0.0
    spare_parts_per_day: UnitsPerDay = 0.0
    spare_parts_per_1000_rounds: UnitsPerDay = 0.0
    needs: dict[str, UnitsPerDay] = Field(default_factory=dict)
    strength: Strength | None = None  # combat strength; None = its guns (after quantity)
    # coefficient of variation of the daily ammunition demand (i.i.d., truncated at 0)
    demand_cv: DemandCv = 0.0


class Sector(Frozen):
    """Two facing front nodes that fight (rules in :mod:`sandbox.rules.combat.fighting`)."""

    id: Identifier
    blue: Identifier  # a blue front node
    red: Identifier  # a red front node
    law: str | dict[str, float] = "square"  # "square" | "linear" | {p, q}
    front_km: FrontKm = 0.0  # + = blue has advanced
    # km a day the front gives when the attacker's fire overwhelms the defender's
    km_per_day: KmPerDay = 1.0
    fall_threshold: Fraction = 0.5  # a side below this share of its strength loses it
    # attrition from density: both sides share the frontage; kills_per_round holds at the
    # reference density, and scales with (density / reference)^q (maps/README.md)
    frontage_km: FrontageKm = 10.0
    reference_density_per_km: Density = 10.0  # strength per km of frontage
    # the front law: the attacker gains ground only above this ratio of effective fire
    attack_ratio: Annotated[float, _range(1, MAX_FACTOR)] = 3.0


# -- interdiction (sandbox/strikes.py; keys in maps/README.md) -------------------

StrikePolicy = Literal["random", "largest_stock", "betweenness", "min_cut"]
TargetKind = Literal["depot", "front", "factory", "link"]
RepairDays = Annotated[int, Field(ge=1, le=3650)]


def _default_targets() -> list[TargetKind]:
    return ["depot", "link"]


class StrikeEffects(Frozen):
    """What one hit does."""

    stock_share: Fraction = 0.2  # share of the struck node's stock destroyed
    link_repair_days: RepairDays = 5  # days a struck link stays cut
    factory_output_loss: Fraction = 0.5  # share of a struck factory's output lost
    factory_repair_days: RepairDays = 30  # days until the factory's output recovers


class StrikeSide(Frozen):
    """One side's strike asset (attack) and its air defence and doctrine (defence)."""

    range_km: RangeKm = 0.0  # great-circle reach from the launch nodes
    strikes_per_day: Annotated[int, Field(ge=0, le=100_000)] = 0
    p_hit: Fraction = 0.5  # probability a strike that is not intercepted hits
    policy: StrikePolicy = "random"
    targets: list[TargetKind] = Field(default_factory=_default_targets, min_length=1)
    launch_nodes: list[Identifier] = Field(default_factory=list)  # default: the side's fronts
    start_day: Day = 0
    end_day: Day | None = None
    effects: StrikeEffects = StrikeEffects()
    air_defence: Fraction = 0.0  # probability an enemy strike on this side is intercepted
    air_defence_nodes: dict[str, Fraction] = Field(default_factory=dict)  # per-node override
    displacement: bool | None = None  # None: follow strikes.displacement
    displace_when: Literal["struck", "in_range"] = "struck"


class Strikes(Frozen):
    """Teaching switches and the two sides' strike settings."""

    enabled: bool = True
    displacement: bool = False
    blue: StrikeSide | None = None
    red: StrikeSide | None = None


# -- the timeline (sandbox/rules/events.py, aid.py, operations.py; keys in maps/README.md) --

DayNumber = Annotated[int, Field(ge=1, le=MAX_DAYS)]  # day 1 is ``scenario.start_date``


class Event(Frozen):
    """Dotted keys set at the start of a day (``day`` or ``date``, not both)."""

    day: DayNumber | None = None
    date: dt.date | None = None
    set: dict[str, Any] = Field(min_length=1)
    note: str = ""
    side: SideName | None = None  # a player's order: may only set that side's keys
    given_day: Day | None = None  # an order given ahead: the day after which it was given


class Aid(Frozen):
    """A finite pool delivered to a node in packages, on a schedule."""

    name: Identifier
    node: Identifier
    commodity: str = Field(min_length=1)
    pool: StockUnits  # units in the pool, delivered until exhausted
    per_delivery: Annotated[float, _range(0, MAX_STOCK_UNITS, strict_lo=True)]  # per package
    side: SideName | None = None  # checked against the node's side when given
    interval_days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = 30
    start_day: DayNumber | None = None  # default: day 1
    end_day: DayNumber | None = None  # last day a package may arrive
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    dates: list[dt.date] = Field(default_factory=list)  # explicit delivery dates instead
    paused: bool = False  # a paused pool skips its deliveries


Posture = Literal["offensive", "defensive", "quiet"]


class Operation(Frozen):
    """A posture window on a sector: who attacks, and how hard both sides fire."""

    id: Identifier
    sector: Identifier
    posture: Posture
    attacker: SideName | None = None  # required for "offensive", absent otherwise
    start_day: DayNumber | None = None  # default: day 1
    end_day: DayNumber | None = None  # last day of the window; default: the end of the run
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class Player(Frozen):
    """Who plays a side in ``sandbox run``: a doctrine (see :mod:`sandbox.play.doctrine`)."""

    doctrine: str = Field(default="default", min_length=1)  # a name or "module:Class"


class MapFile(Frozen):
    """A whole map file. Sections beyond the core are optional."""

    scenario: ScenarioInfo
    commodities: dict[str, Commodity] = Field(min_length=1)
    # every side after validation: one the map omits gets Side()'s defaults
    sides: dict[SideName, Side] = Field(default_factory=dict, validate_default=True)
    logistics: Logistics = Logistics()
    nodes: list[Node] = Field(min_length=1)
    links: list[Link] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    strikes: Strikes = Strikes()
    sectors: list[Sector] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    aid: list[Aid] = Field(default_factory=list)
    operations: list[Operation] = Field(default_factory=list)
    players: dict[SideName, Player] = Field(default_factory=dict)

    @field_validator("sides")
    @classmethod
    def _every_side(cls, value: dict[SideName, Side]) -> dict[SideName, Side]:
        """A side the map omits gets the defaults of :class:`Side` (quality 1, ...)."""
        return {**value, **{name: Side() for name in SIDES if name not in value}}

    @field_validator("commodities")
    @classmethod
    def _commodity_names(cls, value: dict[str, Commodity]) -> dict[str, Commodity]:
        for name in value:
            if not name.replace("_", "").isalnum():
                raise ValueError(f"commodity name {name!r} must be letters, digits and _")
        return value
