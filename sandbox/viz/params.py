"""Controls of the browser app and the model its Reset rebuilds from them.

Reset rebuilds the model as ``VizModel(**controls)``, so every control is a keyword
argument of :class:`VizModel` with a default. The levers
are multipliers of what the map says (1.0 = the map as written), applied with
:meth:`~sandbox.scenario.load.Scenario.with_overrides`:

* ``blue_production`` scales every blue factory's production and ramp target;
* ``red_quantity`` scales ``sides.red.quantity`` (guns of every red unit);
* ``red_quality`` scales ``sides.red.quality`` (lethality per round);
* ``strike_intensity`` scales both sides' ``strikes.SIDE.strikes_per_day``
  (rounded to whole strikes; 0 switches strikes off) on maps with strikes;
* ``blue_supply`` / ``red_supply`` scale the capacity (t/day) of every link into a
  node of that side;
* ``attrition_law`` sets every sector's law (``"map"``: as the map says).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sandbox.model import LogisticsModel
from sandbox.scenario.calendar import day_date
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP

MAPS_DIR = DEFAULT_MAP.parent
SKIPPED_DIRS = ("generated",)  # maps/generated/ holds throw-away output of `sandbox generate`
MAP_LAW = "map"  # the attrition_law control's "as the map says"
LAWS: dict[str, Any] = {"square": "square", "helmbold": {"p": 1.0, "q": 0.5}, "linear": "linear"}


def list_maps(root: Path = MAPS_DIR) -> list[str]:
    """Every ``*.toml`` under ``root`` (but ``generated/``), relative, default map first."""
    found = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.toml")
        if p.relative_to(root).parts[0] not in SKIPPED_DIRS
    ]
    default = DEFAULT_MAP.name
    return sorted(found, key=lambda name: (name != default, name.count("/"), name))


def resolve_map(name: str | Path) -> Path:
    """A map name as listed by :func:`list_maps`, or a path to any map file."""
    path = Path(name)
    if path.is_file():
        return path
    in_maps = MAPS_DIR / path
    return in_maps if in_maps.is_file() else path


def map_label(path: str | Path) -> str:
    """The name the Map control shows for a path (relative to maps/ when inside it)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(MAPS_DIR.resolve()).as_posix()
    except ValueError:
        return str(path)


def lever_overrides(
    sc: Scenario,
    *,
    blue_production: float = 1.0,
    red_quantity: float = 1.0,
    red_quality: float = 1.0,
    strike_intensity: float = 1.0,
    blue_supply: float = 1.0,
    red_supply: float = 1.0,
    attrition_law: str = MAP_LAW,
) -> dict[str, Any]:
    """Dotted overrides that apply the lever multipliers to a scenario."""
    m = sc.spec
    out: dict[str, Any] = {}
    if blue_production != 1.0:
        for nd in m.nodes:
            if nd.side != "blue" or nd.kind != "factory":
                continue
            for c, v in nd.production.items():
                out[f"nodes.{nd.id}.production.{c}"] = v * blue_production
            for c, r in nd.ramp.items():
                out[f"nodes.{nd.id}.ramp.{c}.target"] = r.target * blue_production
    red = m.sides["red"]
    if red_quantity != 1.0:
        out["sides.red.quantity"] = red.quantity * red_quantity
    if red_quality != 1.0:
        out["sides.red.quality"] = red.quality * red_quality
    if strike_intensity != 1.0:
        for side in ("blue", "red"):
            asset = getattr(m.strikes, side)
            if asset is not None:
                per_day = round(asset.strikes_per_day * strike_intensity)
                out[f"strikes.{side}.strikes_per_day"] = per_day
    out |= supply_overrides(sc, {"blue": blue_supply, "red": red_supply})
    if attrition_law != MAP_LAW:
        if attrition_law not in LAWS:
            raise ValueError(f"attrition_law {attrition_law!r}: expected {MAP_LAW} or {list(LAWS)}")
        for sec in getattr(m, "sectors", None) or []:
            out[f"sectors.{sec.id}.law"] = LAWS[attrition_law]
    return out


def supply_overrides(sc: Scenario, factor: dict[str, float]) -> dict[str, Any]:
    """Each link into a node of a side carries ``factor[side]`` times its capacity."""
    side_of = {nd.id: nd.side for nd in sc.spec.nodes}
    return {
        f"links.{e.source}->{e.target}.capacity_t": e.capacity_t * factor[side_of[e.target]]
        for e in sc.spec.links
        if factor.get(side_of.get(e.target, ""), 1.0) != 1.0
    }


def build_scenario(map: str | Path = DEFAULT_MAP, **levers: Any) -> Scenario:
    """The map with the levers (keywords of :func:`lever_overrides`) applied."""
    sc = load_scenario(resolve_map(map))
    overrides = lever_overrides(sc, **levers)
    return sc.with_overrides(overrides, source=sc.source) if overrides else sc


def parse_seed(value: int | str) -> int:
    """The Seed control is a text field: an integer, else the default seed."""
    try:
        return int(str(value).strip())
    except ValueError:
        return DEFAULT_SEED


class VizModel(LogisticsModel):
    """:class:`~sandbox.model.LogisticsModel` built from the app's controls.

    Stops (``running = False``) at the scenario's last day, so Play halts there.
    """

    def __init__(
        self,
        map: str = DEFAULT_MAP.name,
        seed: int | str = DEFAULT_SEED,
        blue_production: float = 1.0,
        red_quantity: float = 1.0,
        red_quality: float = 1.0,
        strike_intensity: float = 1.0,
        blue_supply: float = 1.0,
        red_supply: float = 1.0,
        attrition_law: str = MAP_LAW,
        record: str = "daily",
    ) -> None:
        levers: dict[str, Any] = {
            "blue_production": float(blue_production),
            "red_quantity": float(red_quantity),
            "red_quality": float(red_quality),
            "strike_intensity": float(strike_intensity),
            "blue_supply": float(blue_supply),
            "red_supply": float(red_supply),
            "attrition_law": str(attrition_law),
        }
        sc = build_scenario(map, **levers)
        seed = parse_seed(seed)
        super().__init__(scenario=sc, rng=seed, record=record)
        self.map_name = map_label(resolve_map(map))
        self.seed = seed
        self.levers = levers

    @property
    def date(self) -> dt.date:
        """The calendar date of the day shown: day 1 is the map's ``start_date``, day 0
        (before the first step) its eve (:func:`sandbox.scenario.calendar.day_date`)."""
        return day_date(self.spec.spec.scenario.start_date, self.day)

    def step(self) -> None:
        super().step()
        if self.steps >= self.spec.days:
            self.running = False
