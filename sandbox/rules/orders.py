"""Players' orders: dotted-key changes a side gives between days, logged for replay.

:meth:`OrderBook.submit` checks an order at once, as ``--set`` is checked (the key
exists, may change during a run, leaves a valid map) and against its side
(:func:`sandbox.scenario.sides.side_problems`): on any error it raises
:class:`~sandbox.errors.ScenarioError` naming the key, and nothing is queued. An
accepted order takes effect on its day (default the next morning; a later day for
what arrives later, e.g. an investment's new line; never a day already begun),
after that day's map events (:meth:`OrderBook.apply_due`, through
:func:`sandbox.rules.events.apply_changes`), exactly where ``[[events]]`` replayed
from ``orders.toml`` take effect: play and replay are bit-identical. Orders of one
day apply in the order they were given. An order is checked against the map as it
will stand on its day, as far as is known when it is given: the current map with
the orders already queued for that day or earlier (:meth:`OrderBook.foreseen`).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.errors import ScenarioError
from sandbox.rules import events
from sandbox.scenario.load import Scenario, validate_changes
from sandbox.scenario.schema import SIDES
from sandbox.scenario.sides import side_problems
from sandbox.scenario.timeline import date_of, flatten

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

ORDER_COLUMNS = ["order", "day", "date", "side", "key", "value", "note", "given_day"]


@dataclass(frozen=True)
class Order:
    """One order: the dotted keys it sets, from ``day`` on, given by ``side`` after
    day ``given_day`` (default ``day - 1``: for the next morning)."""

    day: int
    side: str | None
    changes: dict[str, Any]
    note: str = ""
    given_day: int | None = None

    @property
    def given(self) -> int:
        """The day after which the order was given."""
        return self.day - 1 if self.given_day is None else self.given_day

    def as_event(self) -> dict[str, Any]:
        """The ``[[events]]`` entry that replays this order (``given_day`` only for an
        order given more than a night ahead: a saved game gives it again then)."""
        out: dict[str, Any] = {"day": self.day}
        if self.side is not None:
            out["side"] = self.side
        if self.note:
            out["note"] = self.note
        if self.given != self.day - 1:
            out["given_day"] = self.given
        out["set"] = dict(self.changes)
        return out


class OrderBook:
    """Orders accepted so far (the log) and those waiting for the next morning."""

    def __init__(self) -> None:
        self.log: list[Order] = []
        self._pending: list[Order] = []
        self._after: Scenario | None = None  # the scenario with all the pending orders

    def submit(
        self,
        model: LogisticsModel,
        changes: Mapping[str, Any],
        side: str | None,
        note: str,
        day: int | None = None,
    ) -> Order:
        """Check and queue an order for ``day`` (default: the next morning)."""
        if side is not None and side not in SIDES:
            raise ScenarioError("order", [f"side {side!r}: expected one of {', '.join(SIDES)}"])
        today = model.state.day
        day = today + 1 if day is None else _day_number(day, today, side, model)
        label = f"order of day {day}" + ("" if side is None else f" ({side})")
        base = self.foreseen(model, day)
        nulls = [k for k, v in flatten(changes).items() if v is None]
        if nulls:  # TOML has no null: orders.toml could not replay it
            raise ScenarioError(
                base.source,
                [f"{label}: {k!r}: no value (None); an order sets a value" for k in nulls],
            )
        new, applied = validate_changes(base, changes, label)
        if side is not None:
            locs = [(key, loc) for key, loc, _ in applied]
            problems = side_problems(base.spec, new.spec, locs, side, label)
            if problems:
                raise ScenarioError(base.source, problems)
        order = Order(day, side, flatten(changes), note, today)
        last = all(o.day <= day for o in self._pending)
        self._pending.append(order)
        self._after = new if last else None
        return order

    def foreseen(self, model: LogisticsModel, day: int) -> Scenario:
        """The current scenario with the pending orders due on or before ``day``
        applied, as they will be (by day, then in the order given); not the map
        events still to come."""
        due = sorted((o for o in self._pending if o.day <= day), key=lambda o: o.day)
        if len(due) == len(self._pending) and self._after is not None:
            return self._after
        out = model.timeline.current
        for o in due:
            out, _ = validate_changes(out, o.changes, f"order of day {o.day}")
        if len(due) == len(self._pending):
            self._after = out
        return out

    def withdraw(self, order: Order) -> None:
        """Take back a pending ``order`` (one of several given together was refused)."""
        self._pending = [o for o in self._pending if o is not order]
        self._after = None

    @property
    def pending(self) -> list[Order]:
        """Orders accepted and waiting for their day (not yet in the log)."""
        return list(self._pending)

    def apply_due(self, model: LogisticsModel, day: int) -> None:
        """Apply the orders given for ``day`` (call after the day's map events)."""
        due = [o for o in self._pending if o.day <= day]
        self._pending = [o for o in self._pending if o.day > day]
        self._after = None
        for o in due:
            events.apply_changes(model, o.changes, note=o.note, day=day, label="order")
            self.log.append(o)

    def frame(self, model: LogisticsModel) -> pd.DataFrame:
        """One row per key of each order: order, day, date, side, key, value (JSON), note,
        and the day after which it was given."""
        m = model.spec.spec
        rows = [
            (
                i,
                o.day,
                date_of(m, o.day).isoformat(),
                o.side or "",
                key,
                json.dumps(v, default=str),
                o.note,
                o.given,
            )
            for i, o in enumerate(self.log)
            for key, v in o.changes.items()
        ]
        return pd.DataFrame(rows, columns=ORDER_COLUMNS)


def _day_number(day: Any, today: int, side: str | None, model: LogisticsModel) -> int:
    """``day`` as a day an order may take effect: after ``today``, the day played."""
    who = "" if side is None else f" ({side})"
    try:
        out = operator.index(day) if not isinstance(day, bool) else None
    except TypeError:
        out = None
    if out is None or out <= today:
        why = "not a whole day" if out is None else f"day {today} has been played"
        raise ScenarioError(
            model.timeline.current.source,
            [f"order{who}: day {day!r}: an order takes effect from day {today + 1} on ({why})"],
        )
    return out


def orders_from_frame(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``[[events]]`` entries of an orders table (``Results.orders``)."""
    out: list[dict[str, Any]] = []
    for _, rows in frame.groupby("order", sort=True):
        first = rows.iloc[0]
        side = str(first["side"]) or None
        order = Order(
            int(first["day"]),
            side,
            {str(k): json.loads(v) for k, v in zip(rows["key"], rows["value"], strict=True)},
            str(first["note"]),
            int(first["given_day"]) if "given_day" in rows else None,
        )
        out.append(order.as_event())
    return out
