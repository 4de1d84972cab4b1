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

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Identifier = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ScenarioInfo(Frozen):
    name: str = Field(min_length=1)
    days: int = Field(default=365, ge=1, le=100_000)
    start_date: dt.date = dt.date(2023, 1, 1)
    description: str = ""


class Commodity(Frozen):
    unit: str = Field(min_length=1)
    tonnes_per_unit: PositiveFloat


class Logistics(Frozen):
    """Stock policy shared by every node unless a node overrides it."""

    front_target_days: NonNegFloat = 10.0
    depot_target_days: NonNegFloat = 15.0
    forecast_days: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 7.0


class Side(Frozen):
    quality: PositiveFloat = 1.0  # lethality per round, relative
    quantity: PositiveFloat = 1.0  # multiplies the guns of every unit of the side
    label: str = ""
    # combat (sandbox/rules/combat/): enemy strength destroyed per round of quality 1,
    # against a target at its sector's reference density
    kills_per_round: NonNegFloat = 0.001
    barrel_life_rounds: PositiveFloat | None = None  # rounds per barrel; None = no wear
    fuel_shortage_penalty: Fraction = 0.5  # fire lost at no fuel at all (linear in shortage)


class Ramp(Frozen):
    target: NonNegFloat
    start_day: Annotated[int, Field(ge=0)] = 0
    days: Annotated[int, Field(ge=0)] = 0


class Position(Frozen):
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-90, le=90)]


NodeKind = Literal["factory", "depot", "front"]
SideName = Literal["blue", "red"]
SIDES: tuple[SideName, ...] = ("blue", "red")  # index 0 blue, 1 red, in every array


class Node(Frozen):
    id: Identifier
    kind: NodeKind
    side: SideName
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    name: str = ""
    capacity_t: PositiveFloat | None = None
    stock: dict[str, NonNegFloat] = Field(default_factory=dict)
    production: dict[str, NonNegFloat] = Field(default_factory=dict)
    ramp: dict[str, Ramp] = Field(default_factory=dict)
    target_days: NonNegFloat | None = None
    fallback: Position | None = None  # where a depot moves back to under strikes


LinkMode = Literal["rail", "road", "sea", "air"]


class Link(Frozen):
    source: Identifier
    target: Identifier
    mode: LinkMode = "rail"
    capacity_t: PositiveFloat
    transit_days: Annotated[int, Field(ge=1, le=365)]


class Unit(Frozen):
    id: Identifier
    side: SideName
    node: Identifier
    guns: NonNegFloat = 0.0
    rounds_per_gun_per_day: NonNegFloat = 0.0
    fuel_t_per_day: NonNegFloat = 0.0
    spare_parts_per_day: NonNegFloat = 0.0
    spare_parts_per_1000_rounds: NonNegFloat = 0.0
    needs: dict[str, NonNegFloat] = Field(default_factory=dict)
    strength: NonNegFloat | None = None  # combat strength; None = its guns (after quantity)
    # coefficient of variation of the daily ammunition demand (i.i.d., truncated at 0)
    demand_cv: NonNegFloat = 0.0


class Sector(Frozen):
    """Two facing front nodes that fight (rules in :mod:`sandbox.rules.combat.fighting`)."""

    id: Identifier
    blue: Identifier  # a blue front node
    red: Identifier  # a red front node
    law: str | dict[str, float] = "square"  # "square" | "linear" | {p, q}
    front_km: Annotated[float, Field(allow_inf_nan=False)] = 0.0  # + = blue has advanced
    # km a day the front gives when the attacker's fire overwhelms the defender's
    km_per_day: NonNegFloat = 1.0
    fall_threshold: Fraction = 0.5  # a side below this share of its strength loses it
    # attrition from density: both sides share the frontage; kills_per_round holds at the
    # reference density, and scales with (density / reference)^q (maps/README.md)
    frontage_km: PositiveFloat = 10.0
    reference_density_per_km: PositiveFloat = 10.0  # strength per km of frontage
    # the front law: the attacker gains ground only above this ratio of effective fire
    attack_ratio: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 3.0


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

    range_km: NonNegFloat = 0.0  # great-circle reach from the launch nodes
    strikes_per_day: Annotated[int, Field(ge=0, le=100_000)] = 0
    p_hit: Fraction = 0.5  # probability a strike that is not intercepted hits
    policy: StrikePolicy = "random"
    targets: list[TargetKind] = Field(default_factory=_default_targets, min_length=1)
    launch_nodes: list[Identifier] = Field(default_factory=list)  # default: the side's fronts
    start_day: Annotated[int, Field(ge=0)] = 0
    end_day: Annotated[int, Field(ge=0)] | None = None
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

DayNumber = Annotated[int, Field(ge=1)]  # day 1 is ``scenario.start_date``


class Event(Frozen):
    """Dotted keys set at the start of a day (``day`` or ``date``, not both)."""

    day: DayNumber | None = None
    date: dt.date | None = None
    set: dict[str, Any] = Field(min_length=1)
    note: str = ""


class Aid(Frozen):
    """A finite pool delivered to a node in packages, on a schedule."""

    name: Identifier
    node: Identifier
    commodity: str = Field(min_length=1)
    pool: NonNegFloat  # units in the pool, delivered until exhausted
    per_delivery: PositiveFloat  # units per package
    side: SideName | None = None  # checked against the node's side when given
    interval_days: Annotated[int, Field(ge=1)] = 30
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
