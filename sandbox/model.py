"""The Mesa model: builds the agents over the array state; ``step()`` is a list of phases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np

from sandbox.agents import NODE_AGENTS, FrontUnit, StrikeAsset, TransportLink
from sandbox.observe import metrics
from sandbox.observe.recorder import Recorder
from sandbox.rules import aid, events, operations
from sandbox.rules.combat import fighting
from sandbox.rules.logistics import consumption, ordering, production, routing, transit
from sandbox.rules.strikes import interdiction as strikes
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.state.supply import KINDS, build_state


class LogisticsModel(mesa.Model):
    """Two sides racing to supply their fronts over a supply graph.

    Args:
        scenario: a :class:`~sandbox.scenario.load.Scenario`, or the path of a map file.
        rng: seed or numpy Generator; ``model.rng`` is the only source of randomness.
        record: ``"full"`` keeps per-node and per-link daily tables,
            ``"daily"`` only the per-side daily totals.

    Mesa reserves ``model.scenario`` for its own experimental scenarios, so the
    sandbox scenario is ``model.spec``.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path = DEFAULT_MAP,
        rng: Any = None,
        record: str = "full",
    ) -> None:
        super().__init__(rng=rng)
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.spec = scenario
        self.state = build_state(scenario)
        s = self.state
        self.graph_nodes = [NODE_AGENTS[KINDS[k]](self, i) for i, k in enumerate(s.kind.tolist())]
        self.links = [TransportLink(self, e) for e in range(s.n_links)]
        self.units = [FrontUnit(self, u) for u in range(len(s.unit_ids))]
        self.combat = fighting.setup(s, scenario)
        need = consumption.with_expected_wear(s, consumption.unit_requirement(s))
        s.forecast[:] = ordering.initial_forecast(s, need)
        s.orders_in[:] = s.forecast - s.geometry.by_unit_node(need)
        self.datacollector = metrics.DailyCollector(
            metrics.column_names(s.commodities, self.combat.ids)
        )
        self.recorder = Recorder() if record == "full" else None
        m = scenario.spec
        self.interdiction = strikes.Interdiction(
            m.strikes, s, strikes.fallback_lonlat(m.nodes), [lk.mode for lk in m.links]
        )
        self.strike_assets = [StrikeAsset(self, aim) for aim in self.interdiction.aims]
        self.timeline = events.Timeline(scenario)
        self.aid = aid.AidPools(s, m)
        self.operations = operations.Operations(s, m)

    @property
    def day(self) -> int:
        return self.state.day

    def step(self) -> None:
        s = self.state
        day = self.steps
        s.begin_day(day)
        self.apply_events(day)
        self.produce(day)
        self.arrive(day)
        need = self.order()
        self.ship(day)
        self.consume(need)
        self.fight()
        self.strike(day)
        self.repair(day)
        self.collect()

    # -- phases ---------------------------------------------------------------
    def apply_events(self, day: int) -> None:
        """The timeline: the day's events, then aid packages, then sector postures."""
        self.timeline.apply_due(self, day)
        self.aid.deliver(self.state, day)
        self.operations.update(self.state, day)

    def produce(self, day: int) -> None:
        production.produce(self.state, day)

    def arrive(self, day: int) -> None:
        transit.arrive(self.state, day)

    def order(self) -> np.ndarray:
        """Forecast demand, set targets, place orders upstream; return units' needs."""
        s = self.state
        need = consumption.unit_requirement(s, self.rng)
        observed = ordering.observed_demand(s, consumption.with_expected_wear(s, need))
        old_level = ordering.order_up_to(s)
        ordering.update_forecast(s, observed)
        orders = ordering.place_orders(s, observed, old_level)
        s.today.requested += orders
        s.orders_in = s.geometry.by_src(orders)
        return need

    def ship(self, day: int) -> None:
        transit.ship(self.state, routing.route(self.state), day)

    def consume(self, need: np.ndarray) -> None:
        consumption.consume(self.state, need)

    def fight(self) -> None:
        fighting.fight(self.state, self.combat)

    def strike(self, day: int) -> None:
        self.interdiction.strike(self.state, day, self.rng)

    def repair(self, day: int) -> None:
        self.interdiction.repair(self.state, day)

    def apply_orders(self, changes: dict[str, Any], note: str = "") -> Scenario:
        """Apply validated dotted-key changes now (from the next day on); log them.

        The keys events may set (``maps/README.md``, "Events"); raises
        :class:`~sandbox.errors.ScenarioError` and changes nothing when one is refused.
        """
        return events.apply_changes(self, changes, note=note)

    @property
    def totals(self) -> dict[str, float]:
        """Today's daily columns by name (empty before the first day)."""
        last = self.datacollector.last
        if last is None:
            return {}
        return dict(zip(self.datacollector.columns, last.tolist(), strict=True))

    def collect(self) -> None:
        self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self.state)
