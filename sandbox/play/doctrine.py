"""Doctrine opponents: rule-based policies that give a side's orders each turn.

The interface is one method::

    class Doctrine:
        side: str                       # "blue" or "red", set by the constructor
        def orders(self, view: View, day: int) -> list[Order]: ...

``view`` is what the side knows (:class:`sandbox.play.fog.View`: its own numbers
exact, the enemy's as estimates); ``day`` is the day just played. Each
:class:`Order` is a dict of dotted keys (those of ``model.apply_orders``), a
note and the day it takes effect (default the next morning); the game gives
them with the doctrine's side, so a doctrine can only touch its own side's keys.
A map names one per side::

    [players.red]
    doctrine = "default"                     # or "package.module:ClassName"

A class named by path is built as ``ClassName(side)``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sandbox.errors import ScenarioError
from sandbox.play.decisions import invest_seen
from sandbox.play.fog import View

SHORT_DAYS = 3.0  # a front holding less than this many days of its draw is short
MAIN_EFFORT_PRIORITY = 2.0  # the priority the default doctrine gives short fronts
INVEST_STEP = 1.25  # the default doctrine's investment: +25% of today's output


@dataclass(frozen=True)
class Order:
    """A doctrine's order: dotted-key changes, why, and the day they take effect
    (``None``: the next morning)."""

    changes: dict[str, Any]
    note: str = ""
    day: int | None = None


class Doctrine:
    """Base class: a side's policy. Subclasses override :meth:`orders`."""

    def __init__(self, side: str) -> None:
        self.side = side

    def orders(self, view: View, day: int) -> list[Order]:
        return []


@dataclass
class DefaultDoctrine(Doctrine):
    """The default doctrine: feed the starving fronts, then build more.

    Each turn, with ``ammunition`` in the map:

    1. **Main effort.** A front is *short* when its units went short today or it
       holds less than ``SHORT_DAYS`` days of today's draw. When some fronts are
       short and some are not, the short ones get ``nodes.ID.priority = 2`` and the
       others 1 (ordered only when that changes anything).
    2. **Invest.** When any front is short, the side's largest ammunition plant
       is ordered to make ``INVEST_STEP`` (x1.25) its current output, delivered
       after the map's ``logistics.investment_lead_days``
       (:func:`sandbox.play.decisions.invest_seen`: an order for that day, which
       never makes the plant's own ramp slower); at most once per lead time (and
       once if the lead time is 0).
    """

    side: str
    last_invest_day: int | None = field(default=None)

    def orders(self, view: View, day: int) -> list[Order]:
        if "ammunition" not in view.commodities:
            return []
        c = view.column("ammunition")
        fronts = [i for i, k in enumerate(view.kind) if k == "front" and view.own[i]]
        short = [
            i
            for i in fronts
            if view.short[i, c] > 0 or view.stock[i, c] < SHORT_DAYS * view.consumed[i, c]
        ]
        out = []
        if short and len(short) < len(fronts):
            changes = {
                f"nodes.{view.node_ids[i]}.priority": MAIN_EFFORT_PRIORITY if i in short else 1.0
                for i in fronts
                if view.priority[i] != (MAIN_EFFORT_PRIORITY if i in short else 1.0)
            }
            if changes:
                names = ", ".join(view.node_ids[i] for i in short)
                out.append(Order(changes, f"doctrine: main effort to {names} (short)"))
        if short and self._may_invest(view, day):
            plant = self._largest_plant(view, c)
            if plant is not None:
                rate = float(view.rate[plant, c])
                node = view.node_ids[plant]
                inv = invest_seen(view, node, "ammunition", rate * INVEST_STEP)
                note = f"doctrine: invest, {node} to x{INVEST_STEP}"
                out.append(Order(inv.changes, note, inv.day))
                self.last_invest_day = day
        return out

    def _may_invest(self, view: View, day: int) -> bool:
        last = self.last_invest_day
        return last is None or (0 < view.investment_lead_days <= day - last)

    @staticmethod
    def _largest_plant(view: View, c: int) -> int | None:
        plants = [i for i, k in enumerate(view.kind) if k == "factory" and view.own[i]]
        rates = [view.rate[i, c] for i in plants]
        if not plants or not np.nanmax(rates) > 0:
            return None
        return plants[int(np.nanargmax(rates))]


DOCTRINES: dict[str, type[Doctrine]] = {"default": DefaultDoctrine, "none": Doctrine}


def load_doctrine(name: str, side: str, source: str = "players") -> Doctrine:
    """A doctrine by name (:data:`DOCTRINES`) or Python path ``package.module:Class``."""
    if name in DOCTRINES:
        return DOCTRINES[name](side)
    where = f"players.{side}: field 'doctrine'"
    module, sep, attr = name.partition(":")
    if not sep:
        known = ", ".join(repr(k) for k in DOCTRINES)
        raise ScenarioError(source, [f"{where}: {name!r}: expected {known} or 'module:Class'"])
    try:
        cls = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ScenarioError(source, [f"{where}: cannot load {name!r}: {exc}"]) from None
    doctrine = cls(side)
    if not callable(getattr(doctrine, "orders", None)):
        raise ScenarioError(source, [f"{where}: {name!r} has no orders(view, day) method"])
    return doctrine
