"""Tiny one-sector maps for the combat signature tests: two fronts with ample stock."""

from __future__ import annotations

from typing import Any

import sandbox


def one_sector(
    *,
    blue_guns: float,
    red_guns: float,
    law: str | dict[str, float],
    blue_quality: float = 1.0,
    red_quality: float = 1.0,
    kills_per_round: float = 1e-3,
    rounds_per_gun: float = 10.0,
    days: int = 30,
    **sector: Any,
) -> dict[str, Any]:
    """Blue and red fronts holding ten times the fire of ``days``; a plant each, no wear.

    (Each front has a plant and a link because a map without links is not routed today.)
    """

    def front(side: str, guns: float) -> dict[str, Any]:
        return {
            "id": f"{side}_front",
            "kind": "front",
            "side": side,
            "lon": 37.0 if side == "blue" else 38.0,
            "lat": 48.0,
            "stock": {"ammunition": 10 * days * guns * rounds_per_gun},
        }

    def plant(side: str, guns: float) -> dict[str, Any]:
        return {
            "id": f"{side}_plant",
            "kind": "factory",
            "side": side,
            "lon": 36.0 if side == "blue" else 39.0,
            "lat": 48.0,
            "production": {"ammunition": guns * rounds_per_gun},
        }

    def unit(side: str, guns: float) -> dict[str, Any]:
        return {
            "id": f"{side}_army",
            "side": side,
            "node": f"{side}_front",
            "guns": guns,
            "rounds_per_gun_per_day": rounds_per_gun,
        }

    return {
        "scenario": {"name": "one sector", "days": days},
        "commodities": {"ammunition": {"unit": "round", "tonnes_per_unit": 0.05}},
        "sides": {
            "blue": {"quality": blue_quality, "kills_per_round": kills_per_round},
            "red": {"quality": red_quality, "kills_per_round": kills_per_round},
        },
        "nodes": [
            front("blue", blue_guns),
            front("red", red_guns),
            *(plant(side, g) for side, g in (("blue", blue_guns), ("red", red_guns))),
        ],
        "links": [
            {
                "source": f"{side}_plant",
                "target": f"{side}_front",
                "capacity_t": 1e6,
                "transit_days": 1,
            }
            for side in ("blue", "red")
        ],
        "units": [unit("blue", blue_guns), unit("red", red_guns)],
        "sectors": [
            {
                "id": "line",
                "blue": "blue_front",
                "red": "red_front",
                "law": law,
                "fall_threshold": 0.0,
                **sector,
            }
        ],
    }


def run(raw: dict[str, Any], days: int | None = None) -> Any:
    return sandbox.run(sandbox.from_dict(raw), seed=0, days=days, record="daily").daily
