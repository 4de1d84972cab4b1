"""The timeline of a map: ``[[events]]``, ``[[aid]]`` and ``[[operations]]``, as data.

Days count from 1 (``scenario.start_date`` is day 1, as in the daily table). What the
run does with them lives in :mod:`sandbox.rules.events`, :mod:`sandbox.rules.aid` and
:mod:`sandbox.rules.operations`; here are the pure parts: dates to days, the keys an
event may set during a run (:data:`MUTABLE`), and the cross-entry checks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from sandbox.errors import did_you_mean
from sandbox.scenario import schema
from sandbox.scenario.calendar import day_date

STRIKE_ASSET_FIELDS = (
    "strikes_per_day",
    "p_hit",
    "policy",
    "range_km",
    "targets",
    "start_day",
    "end_day",
)
# Keys an event (or an order) may set during a run, as location patterns: "*" is one
# list entry or free key. A tuple of names at a position means "one of these".
MUTABLE: tuple[tuple[Any, ...], ...] = (
    ("nodes", "*", "production", "*"),
    ("nodes", "*", "priority"),
    ("nodes", "*", "pulled_back"),
    ("nodes", "*", "ramp", "*", ("target", "start_day", "days")),
    ("links", "*", "capacity_t"),
    ("units", "*", ("guns", "rounds_per_gun_per_day")),
    ("sides", "*", ("quality", "kills_per_round")),
    ("strikes", "*", STRIKE_ASSET_FIELDS),
    ("strikes", "*", "air_defence"),
    ("strikes", "*", "effects", "*"),
    ("aid", "*", ("paused", "pool", "per_delivery", "interval_days", "end_day", "end_date")),
    ("operations", "*", ("posture", "attacker", "start_day", "end_day", "start_date", "end_date")),
)
MUTABLE_TEXT = (
    "nodes.ID.production.C, nodes.ID.priority, nodes.ID.pulled_back, "
    "nodes.ID.ramp.C.{target,start_day,days}, "
    "links.A->B.capacity_t, "
    "units.ID.{guns,rounds_per_gun_per_day}, sides.S.{quality,kills_per_round}, "
    "strikes.S.{" + ",".join(STRIKE_ASSET_FIELDS) + ",air_defence,effects.*}, "
    "aid.NAME.{paused,pool,per_delivery,interval_days,end_day,end_date}, "
    "operations.ID.{posture,attacker,start_day,end_day,start_date,end_date}"
)


def day_of(m: schema.MapFile, date: dt.date) -> int:
    """The day number of a calendar date (``scenario.start_date`` is day 1)."""
    return (date - m.scenario.start_date).days + 1


def date_of(m: schema.MapFile, day: int) -> dt.date:
    """The calendar date of a day number (the one rule: :func:`calendar.day_date`)."""
    return day_date(m.scenario.start_date, day)


def event_day(m: schema.MapFile, ev: schema.Event) -> int:
    if ev.date is not None:
        return day_of(m, ev.date)
    return ev.day if ev.day is not None else 1


def window(m: schema.MapFile, entry: schema.Aid | schema.Operation) -> tuple[int, int | None]:
    """(first day, last day or None) of an aid pool or an operation."""
    start = entry.start_day
    if entry.start_date is not None:
        start = day_of(m, entry.start_date)
    end = entry.end_day
    if entry.end_date is not None:
        end = day_of(m, entry.end_date)
    return (1 if start is None else start), end


def flatten(changes: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` (TOML's unquoted dotted keys) to ``{"a.b": 1}``."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _matches(loc: tuple[Any, ...], pattern: tuple[Any, ...]) -> bool:
    if len(loc) != len(pattern):
        return False
    for part, want in zip(loc, pattern, strict=True):
        if want == "*":
            continue
        if isinstance(want, tuple) and part in want:
            continue
        if part != want:
            return False
    return True


def mutable_problem(m: schema.MapFile, loc: tuple[Any, ...]) -> str | None:
    """Why the value at ``loc`` cannot change during a run of map ``m`` (None: it can)."""
    if not any(_matches(loc, p) for p in MUTABLE):
        return f"cannot change during a run; an event may set {MUTABLE_TEXT}"
    if loc[0] == "nodes" and loc[2] == "pulled_back" and m.nodes[loc[1]].pulled_back:
        return "the depot is already pulled back; a depot moves back once and stays there"
    if loc[0] == "strikes":  # events retune the map's tables, never add one
        side = m.strikes.blue if loc[1] == "blue" else m.strikes.red
        if side is None or (loc[2] in STRIKE_ASSET_FIELDS and not m.strikes.enabled):
            return (
                f"the map has no {loc[1]} strike settings to change: add [strikes.{loc[1]}] "
                "(strikes_per_day = 0 keeps its asset idle until the event)"
            )
    return None


def after_horizon(m: schema.MapFile) -> list[str]:
    """Warnings: events, aid and operations that start after the map's last day."""
    days = m.scenario.days
    late = [(f"events[{i}]", event_day(m, ev)) for i, ev in enumerate(m.events)]
    late += [(f"aid[{i}] {a.name!r}", window(m, a)[0]) for i, a in enumerate(m.aid) if not a.dates]
    late += [(f"operations[{i}] {o.id!r}", window(m, o)[0]) for i, o in enumerate(m.operations)]
    return [
        f"{entry}: starts on day {day}, after the map's {days} days: a default run never sees it"
        for entry, day in late
        if day > days
    ]


# -- cross-entry checks (listed in sandbox.scenario.checks.CHECKS) ------------------


def events_check(m: schema.MapFile) -> list[str]:
    out = []
    for i, ev in enumerate(m.events):
        entry = f"events[{i}]"
        if ev.day is not None and ev.date is not None:
            out.append(f"{entry}: fields 'day' and 'date': give one or the other, not both")
        elif ev.day is None and ev.date is None:
            out.append(f"{entry}: missing required field 'day' (or 'date')")
        elif event_day(m, ev) < 1:
            out.append(
                f"{entry}: field 'date': {ev.date} is before the start date {m.scenario.start_date}"
            )
    return out


def aid_check(m: schema.MapFile) -> list[str]:
    out = _unique([a.name for a in m.aid], "aid", "name")
    nodes = {n.id: n for n in m.nodes}
    for i, a in enumerate(m.aid):
        entry = f"aid[{i}] {a.name!r}"
        out += _window_problems(m, entry, a)
        if a.dates and (a.start_day, a.start_date, a.end_day, a.end_date) != (None,) * 4:
            out.append(f"{entry}: field 'dates': give dates or a start/end window, not both")
        out += [
            f"{entry}: field 'dates': {d} is before the start date {m.scenario.start_date}"
            for d in a.dates
            if day_of(m, d) < 1
        ]
        if a.commodity not in m.commodities:
            out.append(
                f"{entry}: field 'commodity': unknown commodity {a.commodity!r}"
                f"{did_you_mean(a.commodity, m.commodities)}"
            )
        node = nodes.get(a.node)
        if node is None:
            out.append(
                f"{entry}: field 'node': unknown node {a.node!r}{did_you_mean(a.node, nodes)}"
            )
        elif a.side is not None and a.side != node.side:
            out.append(f"{entry}: field 'side': {a.side!r}, but node {a.node!r} is {node.side}")
    return out


def operations_check(m: schema.MapFile) -> list[str]:
    out = _unique([o.id for o in m.operations], "operations", "id")
    sectors = {s.id for s in m.sectors}
    spans: dict[str, list[tuple[int, float, int]]] = {}
    for i, op in enumerate(m.operations):
        entry = f"operations[{i}] {op.id!r}"
        out += _window_problems(m, entry, op)
        if op.sector not in sectors:
            out.append(
                f"{entry}: field 'sector': unknown sector {op.sector!r}"
                f"{did_you_mean(op.sector, sectors)}"
            )
        if op.posture == "offensive" and op.attacker is None:
            out.append(f"{entry}: field 'attacker': an offensive needs one (blue or red)")
        if op.posture != "offensive" and op.attacker is not None:
            out.append(f"{entry}: field 'attacker': only an offensive has one ({op.posture})")
        start, end = window(m, op)
        spans.setdefault(op.sector, []).append((start, float("inf") if end is None else end, i))
    for sector, items in spans.items():
        items.sort()
        for (_, end_a, a), (start_b, _, b) in itertools.pairwise(items):
            if start_b <= end_a:
                out.append(
                    f"operations[{b}] {m.operations[b].id!r}: overlaps operations[{a}] "
                    f"{m.operations[a].id!r} in sector {sector!r}; windows of a sector "
                    "may not overlap"
                )
    return out


def _unique(names: list[str], section: str, fld: str) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        if name in seen:
            out.append(
                f"{section}[{i}] {name!r}: field {fld!r}: duplicate, "
                f"already used by {section}[{seen[name]}]"
            )
        seen.setdefault(name, i)
    return out


def _window_problems(
    m: schema.MapFile, entry: str, item: schema.Aid | schema.Operation
) -> list[str]:
    out = []
    for a, b in (("start_day", "start_date"), ("end_day", "end_date")):
        if getattr(item, a) is not None and getattr(item, b) is not None:
            out.append(f"{entry}: fields {a!r} and {b!r}: give one or the other, not both")
    if out:
        return out
    start, end = window(m, item)
    if start < 1:
        out.append(f"{entry}: field 'start_date': before the start date {m.scenario.start_date}")
    if end is not None and end < start:
        out.append(
            f"{entry}: field 'end_day': the window ends (day {end}) before it starts (day {start})"
        )
    return out
