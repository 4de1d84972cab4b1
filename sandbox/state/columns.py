"""The one registry of output keys: every daily column and summary entry, declared by its rule.

A run reports two kinds of keyed numbers: **daily columns** (one value a day, the
``Results.daily`` table) and **summary entries** (one value a run, ``Results.summary``).
Both are keyed by the same dotted scheme::

    side.commodity.metric     blue.ammunition.stock        (per side and commodity)
    side.metric               red.rounds_fired             (per side)
    metric                    winning                      (one for the run; summary only)
    sector.ID.metric          sector.east.front_km         (per sector)
    sector.ID.side.metric     sector.east.blue.rounds      (per sector and side)
    metric.side               sectors_won.blue             (a tally per side; summary only)

This module is the only place that knows that scheme. Each rule declares its
observables here, once (:data:`LOGISTICS`, :data:`STRIKES`, :data:`COMBAT`; a new rule
adds one :class:`Observables` and one entry of :data:`RULES`), and every reader
(metrics, summary, results, plots, CLI, viz) asks :data:`DAILY` or :data:`SUMMARY` for a
key: a misspelt metric or side is a ``KeyError`` naming the known ones, not a column that
silently is not there.

The order of :data:`RULES`, and of the names in each declaration, is the order of the
daily columns (:meth:`Keys.names`): the daily table, its Parquet files and the golden
baselines depend on it. It sits below the rules (in ``state/``) so that the rules can
name their own columns; it imports neither numpy nor pandas, so the CLI can ask it too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sandbox.scenario.schema import SIDES

SECTOR = "sector"  # first part of every per-sector key

# how each kind of metric is keyed, as the error messages say it
KINDS = {
    "commodity": "per side and commodity",
    "side": "per side",
    "overall": "overall",
    "sector": "per sector",
    "sector_side": "per sector and side",
    "tally": "tally per side",
}


@dataclass(frozen=True)
class Family:
    """Metric names of one rule, by how they are keyed (see the module docstring)."""

    commodity: tuple[str, ...] = ()  # side.commodity.metric
    side: tuple[str, ...] = ()  # side.metric
    overall: tuple[str, ...] = ()  # metric
    sector: tuple[str, ...] = ()  # sector.ID.metric
    sector_side: tuple[str, ...] = ()  # sector.ID.side.metric
    tally: tuple[str, ...] = ()  # metric.side


@dataclass(frozen=True)
class Observables:
    """What one rule reports: its daily columns and its summary entries."""

    owner: str  # the module that computes them
    daily: Family = field(default_factory=Family)
    summary: Family = field(default_factory=Family)


# -- the rules' declarations -------------------------------------------------------

LOGISTICS = Observables(
    owner="sandbox.observe.metrics (produce, ship, consume: sandbox.rules.logistics)",
    daily=Family(
        # in the commodity's own unit
        commodity=(
            "produced",
            "shipped",
            "delivered",
            "demand",
            "consumed",
            "shortfall",
            "stock",
            "front_stock",
            "in_transit",
            "destroyed",
        ),
        side=(
            "rounds_fired",
            "rounds_demanded",
            "shipped_t",
            "in_transit_t",
        ),
    ),
    summary=Family(
        commodity=(
            "produced",
            "delivered",
            "consumed",
            "demand",
            "shortfall",
            "destroyed",
            "stock_end",
            "shortfall_days",
            "first_short_day",
        ),
        # doctrine_fire_share: rounds fired / rounds doctrine asked for, over the run (0-1)
        side=("rounds_fired", "rounds_per_day_mean", "doctrine_fire_share"),
        # winning: the side with the larger doctrine_fire_share (sandbox.observe.race)
        overall=("days", "first_side_short_of_ammunition", "winning"),
    ),
)

STRIKES = Observables(
    owner="sandbox.rules.strikes.interdiction (daily_counts)",
    # the side's own strikes, hits and strikes intercepted by the enemy; the side's
    # links down, stock destroyed (t) and depots moved back so far
    daily=Family(
        side=("strikes", "hits", "intercepted", "links_down", "destroyed_t", "depots_moved")
    ),
    summary=Family(
        side=("strikes", "hits", "intercepted", "destroyed_t", "link_days_down", "depots_moved")
    ),
)

COMBAT = Observables(
    owner="sandbox.rules.combat.fighting (daily_values)",
    daily=Family(
        side=("strength", "losses", "guns_in_action", "guns_worn", "guns_repaired", "fire"),
        sector=("front_km", "control"),
        sector_side=("rounds", "strength"),
    ),
    summary=Family(
        side=(
            "strength_start",
            "strength_end",
            "losses",
            "guns_in_action_end",
            "guns_worn_end",
            "rounds_per_day_first_30",
            "fires_below_doctrine_day",
        ),
        # ground: the side that took sectors, or moved the fronts (sandbox.observe.race)
        overall=("fire_ratio_red_blue_first_30", "front_km_gained_by_blue", "ground"),
        sector=("holder", "fell_on_day", "front_km_end"),
        tally=("sectors_won",),
    ),
)

# The unit of a per-side-and-commodity metric is the commodity's own (the map's
# ``[commodities.X] unit``: rounds, tonnes, kits), except these.
COMMODITY_METRIC_UNITS = {"shortfall_days": "days", "first_short_day": "day"}

# One line per rule, in daily column order.
RULES: tuple[Observables, ...] = (LOGISTICS, STRIKES, COMBAT)


# -- building keys -----------------------------------------------------------------


def _choose(what: str, name: str, known: Sequence[str]) -> str:
    if name not in known:
        raise KeyError(f"unknown {what} {name!r}; known: {', '.join(known) or '(none)'}")
    return name


class Keys:
    """Builds (and checks) the keys of one kind of output from the rules' families."""

    def __init__(self, what: str, families: Iterable[Family]) -> None:
        self.what = what
        self.families = tuple(families)
        self.known: dict[str, tuple[str, ...]] = {}
        for kind in KINDS:
            names = tuple(n for f in self.families for n in getattr(f, kind))
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what}: {kind} metrics declared twice: {', '.join(twice)}")
            self.known[kind] = names

    def _metric(self, kind: str, metric: str) -> str:
        return _choose(f"{self.what} metric ({KINDS[kind]})", metric, self.known[kind])

    @staticmethod
    def _side(side: str) -> str:
        return _choose("side", side, SIDES)

    def commodity(self, side: str, commodity: str, metric: str) -> str:
        """``blue.ammunition.stock``: one side's metric of one commodity."""
        return f"{self._side(side)}.{commodity}.{self._metric('commodity', metric)}"

    def unit(self, metric: str, commodity_unit: str) -> str:
        """The unit of a per-side-and-commodity ``metric`` of a commodity counted in
        ``commodity_unit`` (``"round"``): that unit, or the metric's own (days)."""
        return COMMODITY_METRIC_UNITS.get(self._metric("commodity", metric), commodity_unit)

    def side(self, side: str, metric: str) -> str:
        """``red.rounds_fired``: one side's metric over all its commodities or units."""
        return f"{self._side(side)}.{self._metric('side', metric)}"

    def overall(self, metric: str) -> str:
        """``winning``: one value for both sides."""
        return self._metric("overall", metric)

    def sector(self, sector_id: str, metric: str, side: str | None = None) -> str:
        """``sector.east.front_km``, or with a side ``sector.east.blue.rounds``."""
        if side is None:
            return f"{SECTOR}.{sector_id}.{self._metric('sector', metric)}"
        return f"{SECTOR}.{sector_id}.{self._side(side)}.{self._metric('sector_side', metric)}"

    def tally(self, metric: str, side: str) -> str:
        """``sectors_won.blue``: a count per side."""
        return f"{self._metric('tally', metric)}.{self._side(side)}"

    def names(self, commodities: Sequence[str] = (), sector_ids: Sequence[str] = ()) -> list[str]:
        """Every key for a map with these commodities and sectors, in declaration order."""
        out: list[str] = []
        for f in self.families:
            out += [
                self.commodity(s, c, m) for s in SIDES for c in commodities for m in f.commodity
            ]
            out += [self.side(s, m) for s in SIDES for m in f.side]
            out += [self.overall(m) for m in f.overall]
            for k in sector_ids:
                out += [self.sector(k, m) for m in f.sector]
                out += [self.sector(k, m, side=s) for s in SIDES for m in f.sector_side]
            out += [self.tally(m, s) for m in f.tally for s in SIDES]
        return out

    def sector_ids(self, keys: Iterable[str], metric: str | None = None) -> list[str]:
        """The sector ids among ``keys`` (in their order), read back from each sector's
        ``metric`` (by default its first per-sector metric; sector ids may contain dots)."""
        metric = self.known["sector"][0] if metric is None else self._metric("sector", metric)
        head, tail = f"{SECTOR}.", f".{metric}"
        return [
            k[len(head) : -len(tail)]
            for k in keys
            if k.startswith(head) and k.endswith(tail) and len(k) > len(head) + len(tail)
        ]


DAILY = Keys("daily column", (r.daily for r in RULES))
SUMMARY = Keys("summary entry", (r.summary for r in RULES))


def daily_names(
    rules: Iterable[Observables], commodities: Sequence[str] = (), sector_ids: Sequence[str] = ()
) -> list[str]:
    """The daily columns of some rules only (for example one rule's own block), in order."""
    return _daily_keys(tuple(rules)).names(commodities, sector_ids)


@functools.cache
def _daily_keys(rules: tuple[Observables, ...]) -> Keys:
    return Keys("daily column", (r.daily for r in rules))
