"""Simulated days and calendar dates: the one rule, used by the CLI, the plots and the app.

Day 1 is the map's ``[scenario] start_date``; day ``d`` is ``start_date + (d - 1)`` days.
Day 0 is the state before the first step (the app shows it after Reset): the eve of the
start date, ``start_date - 1`` day, so no two days share a date.
"""

from __future__ import annotations

import datetime as dt


def day_date(start: dt.date, day: int) -> dt.date:
    """The calendar date of simulated day ``day`` (day 1 = ``start``, day 0 = its eve)."""
    return start + dt.timedelta(days=day - 1)
