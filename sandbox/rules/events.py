"""Events: dotted keys set at the start of a day, on the running model.

``[[events]]`` of a map were validated at load time, each on the map as the events
before it left it (:func:`sandbox.scenario.load.check_events`); the keys an event may
set are :data:`sandbox.scenario.timeline.MUTABLE`. Each morning, before aid, postures
and production, :meth:`Timeline.apply_due` applies the day's events in file order:
:func:`apply_changes` validates the change against the scenario as it now is, then
writes the new values into the state arrays (production and ramps, link capacity,
guns and rounds per gun, side quality and kill rate, strike assets and air defence,
aid pools, operation windows). Players' orders use the same function between days.
Every change is logged (:meth:`Timeline.frame`: day, date, key, value, note).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sandbox.rules.combat.fighting import combat_state
from sandbox.rules.strikes.targeting import Aim
from sandbox.scenario import schema
from sandbox.scenario.load import Change, Scenario, from_dict, validate_changes
from sandbox.scenario.timeline import date_of, event_day
from sandbox.state.supply import SIDES, SupplyState, priorities

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

EVENT_COLUMNS = ["day", "date", "key", "value", "note"]


class Timeline:
    """The map's events by day, the scenario as changed so far, and the change log."""

    def __init__(self, scenario: Scenario) -> None:
        m = scenario.spec
        self._scenario = scenario
        self._current: Scenario | None = None
        self.by_day: dict[int, list[schema.Event]] = {}
        for ev in m.events:
            self.by_day.setdefault(event_day(m, ev), []).append(ev)
        self.log: list[tuple[int, str, str, Any, str]] = []  # day, date, key, value, note

    @property
    def current(self) -> Scenario:
        """The scenario with every change so far (without ``[[events]]``)."""
        if self._current is None:
            raw = self._scenario.to_dict()
            raw.pop("events", None)
            self._current = from_dict(raw, source=self._scenario.source)
        return self._current

    def apply_due(self, model: LogisticsModel, day: int) -> None:
        for i, ev in enumerate(self.by_day.get(day, ())):
            apply_changes(model, ev.set, note=ev.note, day=day, label=f"event {i} of day {day}")

    def record(self, day: int, changes: list[Change], note: str) -> None:
        date = date_of(self._scenario.spec, day).isoformat()
        for key, _, value in changes:
            self.log.append((day, date, key, json.dumps(value, default=str), note))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.log, columns=EVENT_COLUMNS)


def apply_changes(
    model: LogisticsModel,
    changes: Mapping[str, Any],
    note: str = "",
    day: int | None = None,
    label: str = "order",
) -> Scenario:
    """Validate ``changes`` (dotted keys) and write them into the running model.

    Raises :class:`~sandbox.errors.ScenarioError` (nothing changed) when a key is
    unknown, cannot change during a run, or its value is invalid. ``day`` is the day
    the change is logged under (default: the model's next day).
    """
    tl = model.timeline
    new, applied = validate_changes(tl.current, changes, label)
    for _, loc, _ in applied:
        APPLIERS[loc[0]](model, new.spec, loc)
    tl._current = new
    tl.record(model.state.day + 1 if day is None else day, applied, note)
    return new


# -- appliers: one per top-level table, reading the new value from the new spec ------


def _nodes(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    s, i = model.state, loc[1]
    node = m.nodes[i]
    if loc[2] == "priority":
        s.priority = priorities(m)
        return
    if loc[2] == "pulled_back":
        if node.pulled_back:  # the morning's arrivals are still to come: keep them
            model.interdiction.pull_back(s, np.array([i]), s.day - 1)
        return
    s.prod_base[i] = 0.0
    for k, v in node.production.items():
        s.prod_base[i, s.commodities.index(k)] = v
    s.ramp_target[i] = s.prod_base[i]
    s.ramp_start[i] = 0.0
    s.ramp_days[i] = 0.0
    for k, r in node.ramp.items():
        c = s.commodities.index(k)
        s.ramp_target[i, c], s.ramp_start[i, c], s.ramp_days[i, c] = r.target, r.start_day, r.days
    s.geometry.sources_changed()  # who makes what, and who can supply it


def _links(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    s, e = model.state, loc[1]
    s.capacity_t[e] = m.links[e].capacity_t
    s.geometry.invalidate()  # capacities into nodes, order shares


def _units(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    s, u = model.state, loc[1]
    unit = m.units[u]
    if loc[2] == "rounds_per_gun_per_day":
        s.rounds_per_gun_per_day[u] = unit.rounds_per_gun_per_day
        return
    side = m.sides.get(unit.side)  # type: ignore[call-overload]
    new = unit.guns * (1.0 if side is None else side.quantity)
    old = float(s.guns[u])
    share = min(float(s.guns_in_action[u]) / old, 1.0) if old > 0 else 1.0  # never inf x 0
    s.guns[u] = new
    s.guns_in_action[u] = share * new


def _sides(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    c = combat_state(model.state)
    if c is None:  # no sectors: quality and kill rates act nowhere
        return
    j = SIDES.index(loc[1])
    side = m.sides[loc[1]]  # type: ignore[index]
    c.quality[j] = side.quality
    c.kills_per_round[j] = side.kills_per_round


def _strikes(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    s: SupplyState = model.state
    j = SIDES.index(loc[1])
    cfg = m.strikes.blue if j == 0 else m.strikes.red
    if cfg is None:
        return
    for aim in model.interdiction.aims:
        if aim.side == j:  # the same Aim, retuned: the strike phase and its agent share it
            aim.cfg, aim.kinds = cfg, Aim.build(j, cfg, aim.launch).kinds
            aim.reach_memo = aim.ranked_memo = None
    for asset in model.strike_assets:
        if asset.side == j:
            asset.cfg = cfg
    mine = s.side == j
    model.interdiction.intercept[mine] = [
        cfg.air_defence_nodes.get(s.node_ids[i], cfg.air_defence) for i in mine.nonzero()[0]
    ]


def _aid(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    model.aid.load(model.state, m)


def _operations(model: LogisticsModel, m: schema.MapFile, loc: tuple[Any, ...]) -> None:
    model.operations.load(m)


APPLIERS = {
    "nodes": _nodes,
    "links": _links,
    "units": _units,
    "sides": _sides,
    "strikes": _strikes,
    "aid": _aid,
    "operations": _operations,
}
