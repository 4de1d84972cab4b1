"""Players' orders: dotted-key changes a side gives between days, logged for replay.

:meth:`OrderBook.submit` checks an order at once, as ``--set`` is checked (the key
exists, may change during a run, leaves a valid map) and against its side
(:func:`sandbox.scenario.sides.side_problems`): on any error it raises
:class:`~sandbox.errors.ScenarioError` naming the key, and nothing is queued. An
accepted order takes effect the next morning, after that day's map events
(:meth:`OrderBook.apply_due`, through :func:`sandbox.rules.events.apply_changes`),
exactly where ``[[events]]`` replayed from ``orders.toml`` take effect: play and
replay are bit-identical.
"""

from __future__ import annotations

import json
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

ORDER_COLUMNS = ["order", "day", "date", "side", "key", "value", "note"]


@dataclass(frozen=True)
class Order:
    """One order: the dotted keys it sets, from ``day`` on, given by ``side``."""

    day: int
    side: str | None
    changes: dict[str, Any]
    note: str = ""

    def as_event(self) -> dict[str, Any]:
        """The ``[[events]]`` entry that replays this order."""
        out: dict[str, Any] = {"day": self.day}
        if self.side is not None:
            out["side"] = self.side
        if self.note:
            out["note"] = self.note
        out["set"] = dict(self.changes)
        return out


class OrderBook:
    """Orders accepted so far (the log) and those waiting for the next morning."""

    def __init__(self) -> None:
        self.log: list[Order] = []
        self._pending: list[Order] = []
        self._after: Scenario | None = None  # the scenario with the pending orders

    def submit(
        self, model: LogisticsModel, changes: Mapping[str, Any], side: str | None, note: str
    ) -> Order:
        if side is not None and side not in SIDES:
            raise ScenarioError("order", [f"side {side!r}: expected one of {', '.join(SIDES)}"])
        day = model.state.day + 1
        label = f"order of day {day}" + ("" if side is None else f" ({side})")
        base = self._after or model.timeline.current
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
        order = Order(day, side, flatten(changes), note)
        self._pending.append(order)
        self._after = new
        return order

    @property
    def pending(self) -> list[Order]:
        """Orders accepted and waiting for the next morning (not yet in the log)."""
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
        """One row per key of each order: order, day, date, side, key, value (JSON), note."""
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
            )
            for i, o in enumerate(self.log)
            for key, v in o.changes.items()
        ]
        return pd.DataFrame(rows, columns=ORDER_COLUMNS)


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
        )
        out.append(order.as_event())
    return out
