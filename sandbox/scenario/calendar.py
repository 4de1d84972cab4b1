"""Simulated days and calendar dates: the one rule, used by the CLI, the plots and the app.

Day 1 is the map's ``[scenario] start_date``; day ``d`` is ``start_date + (d - 1)`` days.
Day 0 is the state before the first step (the app shows it after Reset): the eve of the
start date, ``start_date - 1`` day, so no two days share a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sandbox.scenario.schema import ScenarioInfo


def day_date(start: dt.date, day: int) -> dt.date:
    """The calendar date of simulated day ``day`` (day 1 = ``start``, day 0 = its eve)."""
    return start + dt.timedelta(days=day - 1)


def run_start_date(scenario: Mapping[str, Any]) -> dt.date:
    """The start date of a run's scenario as saved (``Results.scenario``): a date, its ISO
    text, or absent (the schema's default)."""
    value = scenario.get("scenario", {}).get("start_date")
    if value is None:
        default = ScenarioInfo.model_fields["start_date"].default
        assert isinstance(default, dt.date)
        return default
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
