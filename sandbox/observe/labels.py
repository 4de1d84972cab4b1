"""Readable labels for map keys and summary outcomes, with units from the map, and the
headline outcomes a report of many runs opens with.

A parameter is a dotted map key (``sides.blue.quality``, ``links.plant->hub.capacity_t``,
``nodes.blue_plant.production.ammunition``); an outcome is a summary key of the registry
(:data:`sandbox.state.columns.SUMMARY`). Both become a short phrase and a unit: the
commodity's own unit from the map's ``[commodities]`` table (``round``, ``t``), or one read
off the name's ending (``_km``, ``_t``, ``_days``, ``_day``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sandbox.scenario.schema import SIDES
from sandbox.state.columns import SECTOR, SUMMARY

# name endings that carry a unit, longest first: (ending, unit)
SUFFIX_UNITS = (
    ("_per_day_first_30", "/day"),
    ("_per_day_mean", "/day"),
    ("_per_day", "/day"),
    ("_days", "days"),
    ("_km", "km"),
    ("_t", "t"),
    ("_share", "0-1"),
)
DAY_ENDING = "_day"
# endings that are words, kept in the phrase (``_km``, ``_t`` are only units, cut off)
WORD_ENDINGS = ("_per_day_first_30", "_per_day_mean", "_per_day", "_days", "_share")
INNER_KM = "_km_"
# commodity metrics counted in the commodity's own unit
IN_COMMODITY_UNIT = ("produced", "delivered", "consumed", "demand", "shortfall", "destroyed",
                     "stock_end", "stock")  # fmt: skip


@dataclass(frozen=True)
class Label:
    """A phrase and its unit ("" when the quantity has none)."""

    name: str
    unit: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


def commodity_units(map_path: str | Path | None) -> dict[str, str]:
    """``{commodity: unit}`` from the map's ``[commodities]`` (empty when unreadable)."""
    if not map_path:
        return {}
    try:
        raw = tomllib.loads(Path(map_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    table = raw.get("commodities", {})
    if not isinstance(table, dict):
        return {}
    return {c: str(v.get("unit", "")) for c, v in table.items() if isinstance(v, dict)}


def _words(name: str) -> Label:
    """``capacity_t`` -> capacity (t); ``front_km_gained_by_blue`` -> front gained by blue
    (km); a unit ending is cut off the phrase."""
    for ending, unit in SUFFIX_UNITS:
        if name.endswith(ending) and len(name) > len(ending):
            kept = name if ending in WORD_ENDINGS else name[: -len(ending)]
            return Label(kept.replace("_", " "), unit)
    if name.endswith(DAY_ENDING):  # a day number: first_short_day -> first short day
        return Label(name.replace("_", " "), "day no.")
    if INNER_KM in name:
        return Label(name.replace(INNER_KM, "_").replace("_", " "), "km")
    return Label(name.replace("_", " "))


def param_label(key: str, units: dict[str, str] | None = None) -> Label:
    """A map key as a phrase: ``sides.blue.quality`` -> blue quality;
    ``nodes.blue_plant.production.ammunition`` -> blue_plant production of ammunition
    (round per day); ``links.plant->hub.capacity_t`` -> link plant->hub capacity (t)."""
    units = units or {}
    parts = key.split(".")
    head = parts[0]
    if head == "nodes" and len(parts) >= 4 and parts[-1] in units:
        what = " ".join(p.replace("_", " ") for p in parts[2:-1])
        unit = units[parts[-1]] + ("/day" if what == "production" else "")
        return Label(f"{parts[1]} {what} of {parts[-1]}", unit)
    last = _words(parts[-1])
    if last.unit.startswith("/"):  # a count per day: strikes_per_day -> strikes per day
        last = Label(last.name, "")
    if head in ("sides", "nodes", "strikes") and len(parts) >= 3:
        middle = " ".join(p.replace("_", " ") for p in parts[1:-1])
        return Label(f"{middle} {last.name}", last.unit)
    if head == "links" and len(parts) >= 3:
        return Label(f"link {'.'.join(parts[1:-1])} {last.name}", last.unit)
    if len(parts) >= 2:
        return Label(f"{parts[-2].replace('_', ' ')} {last.name}", last.unit)
    return last


def _metric_of(key: str, kind: str) -> str | None:
    for m in SUMMARY.known[kind]:
        if key.endswith("." + m) or key.startswith(m + ".") or key == m:
            return m
    return None


def outcome_label(key: str, units: dict[str, str] | None = None) -> Label:
    """A summary key as a phrase: ``blue.ammunition.delivered`` -> blue ammunition delivered
    (round); ``red.rounds_fired`` -> red rounds fired (round); keys the registry does not know
    (a ``--fn`` outcome) stay as they are."""
    units = units or {}
    parts = key.split(".")
    if parts[0] in SIDES and len(parts) == 3 and _metric_of(key, "commodity"):
        side, commodity, metric = parts
        if metric in IN_COMMODITY_UNIT:
            words = Label(metric.replace("_", " "), units.get(commodity, ""))
        else:
            words = _words(metric)
        return Label(f"{side} {commodity} {words.name}", words.unit)
    if parts[0] in SIDES and len(parts) == 2 and _metric_of(key, "side"):
        words = _words(parts[1])
        unit = words.unit
        if parts[1].startswith("rounds"):
            unit = units.get("ammunition", "round") + unit
        return Label(f"{parts[0]} {words.name}", unit)
    if parts[0] == SECTOR and len(parts) >= 3:
        words = _words(parts[-1])
        return Label(f"sector {'.'.join(parts[1:-1])} {words.name}", words.unit)
    found = _metric_of(key, "overall") or _metric_of(key, "tally")
    if found is not None:
        words = _words(found)
        return Label(key.replace(found, words.name).replace(".", " "), words.unit)
    return Label(key)


RACE_COMMODITY = "ammunition"


def race_keys() -> list[tuple[str, str]]:
    """(side, summary key of its first day short of ammunition), per side."""
    return [(s, SUMMARY.commodity(s, RACE_COMMODITY, "first_short_day")) for s in SIDES]


def share_keys() -> list[tuple[str, str]]:
    """(side, summary key of its share of doctrine's rounds fired), per side: the race."""
    return [(s, SUMMARY.side(s, "doctrine_fire_share")) for s in SIDES]


def headline_keys() -> list[str]:
    """The outcomes a report opens with, in order: each side's first day short of
    ammunition, each side's share of its doctrine's rounds fired (who wins the race), the
    front gained by blue, each side's rounds fired."""
    keys = [k for _, k in race_keys()]
    keys += [k for _, k in share_keys()]
    keys.append(SUMMARY.overall("front_km_gained_by_blue"))
    keys += [SUMMARY.side(s, "rounds_fired") for s in SIDES]
    return keys
