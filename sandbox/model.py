"""The Mesa model: builds the agents over the array state; ``step()`` is a list of phases."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from sandbox.agents import AGENT_REPORTERS, NODE_AGENTS, FrontUnit, StrikeAsset, TransportLink
from sandbox.observe import metrics
from sandbox.observe.collector import DailyCollector
from sandbox.observe.recorder import Recorder
from sandbox.rules import aid, events, operations, orders
from sandbox.rules.combat import fighting
from sandbox.rules.logistics import consumption, ordering, production, routing, transit
from sandbox.rules.strikes import interdiction as strikes
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.space import SupplySpace
from sandbox.state.supply import KINDS, build_state


class LogisticsModel(mesa.Model):
    """Two sides racing to supply their fronts over a supply graph.

    Args:
        scenario: a :class:`~sandbox.scenario.load.Scenario`, or the path of a map file.
        overrides: dotted keys to set on the scenario (``{"sides.red.quality": 0.8}``),
            validated like :meth:`~sandbox.scenario.load.Scenario.with_overrides`: a
            bad key is a :class:`~sandbox.errors.ScenarioError` naming it.
        rng: seed or numpy Generator; ``model.rng`` is the only source of randomness.
        record: ``"full"`` keeps per-node and per-link daily tables,
            ``"daily"`` only the per-side daily totals.
        record_agents: also collect Mesa agent reporters every day (stock per node,
            flow and in-transit per link: :data:`sandbox.agents.AGENT_REPORTERS`).

    Every argument has a default, so Mesa's tools can rebuild the model from keyword
    arguments (``mesa.batch_run``, SolaraViz's Reset). ``running`` turns False at the
    end of the scenario's last day. The supply graph is ``model.space`` (also
    ``model.grid``), a :class:`SupplySpace`: a ``mesa.discrete_space.Network`` whose
    cell ``i`` is node row ``i``, placed at the node's lon/lat, with each node agent in
    the cell of its row (``model.space["plant"]`` finds a cell by node id).

    Mesa reserves ``model.scenario`` for its own experimental scenarios, so the
    sandbox scenario is ``model.spec``.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path = DEFAULT_MAP,
        overrides: Mapping[str, Any] | None = None,
        rng: Any = None,
        record: str = "full",
        record_agents: bool = False,
    ) -> None:
        super().__init__(rng=rng)
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        if overrides:
            scenario = scenario.with_overrides(dict(overrides))
        self.spec = scenario
        self.state = build_state(scenario)
        s = self.state
        self.space = self.grid = SupplySpace(scenario, self.random)
        self.graph_nodes = [NODE_AGENTS[KINDS[k]](self, i) for i, k in enumerate(s.kind.tolist())]
        for node in self.graph_nodes:
            node.cell = self.space[node.row]
        self._space_layout = s.layout_version
        self.links = [TransportLink(self, e) for e in range(s.n_links)]
        self.units = [FrontUnit(self, u) for u in range(len(s.unit_ids))]
        self.combat = fighting.setup(s, scenario)
        m = scenario.spec
        self.interdiction = strikes.Interdiction(
            m.strikes, s, strikes.fallback_lonlat(m.nodes), [lk.mode for lk in m.links]
        )
        back = [i for i, n in enumerate(m.nodes) if n.pulled_back]  # ordered back before day 1
        self.interdiction.pull_back(s, np.array(back, dtype=np.int64), 0)
        need = consumption.with_expected_wear(s, consumption.unit_requirement(s))
        s.forecast[:] = ordering.initial_forecast(s, need)
        s.orders_in[:] = s.forecast - s.geometry.by_unit_node(need)
        self.datacollector = DailyCollector(
            metrics.column_names(s.commodities, self.combat.ids),
            agent_reporters=dict(AGENT_REPORTERS) if record_agents else None,
        )
        self.recorder = Recorder() if record == "full" else None
        self.strike_assets = [StrikeAsset(self, aim) for aim in self.interdiction.aims]
        self.timeline = events.Timeline(scenario)
        self.aid = aid.AidPools(s, m)
        self.operations = operations.Operations(s, m)
        self.orders = orders.OrderBook()

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
        if day >= self.spec.days:
            self.running = False

    # -- phases ---------------------------------------------------------------
    def apply_events(self, day: int) -> None:
        """The timeline: the day's events, players' orders, aid packages, sector postures."""
        self.timeline.apply_due(self, day)
        self.orders.apply_due(self, day)
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
        ordering.order(s, need)  # adds the parts the rounds would wear as it sums
        return need

    def ship(self, day: int) -> None:
        routing.ship(self.state, day)

    def consume(self, need: np.ndarray) -> None:
        consumption.consume(self.state, need)

    def fight(self) -> None:
        fighting.fight(self.state, self.combat)

    def strike(self, day: int) -> None:
        self.interdiction.strike(self.state, day, self.rng)

    def repair(self, day: int) -> None:
        self.interdiction.repair(self.state, day)

    def apply_orders(
        self,
        changes: dict[str, Any],
        side: str | None = None,
        note: str = "",
        day: int | None = None,
    ) -> orders.Order:
        """Give an order: dotted-key changes that take effect on ``day`` (default the
        next morning; a day already played is refused); logged when applied.

        The keys events may set (``maps/README.md``, "Events"); with ``side`` only
        that side's keys (:mod:`sandbox.scenario.sides`). Raises
        :class:`~sandbox.errors.ScenarioError` naming the key (or the day), and
        queues nothing, when one is refused. Orders apply after the day's map events.
        """
        return self.orders.submit(self, changes, side, note, day)

    @property
    def totals(self) -> dict[str, float]:
        """Today's daily columns by name (empty before the first day)."""
        last = self.datacollector.last
        if last is None:
            return {}
        return dict(zip(self.datacollector.columns, last.tolist(), strict=True))

    def collect(self) -> None:
        if self.state.layout_version != self._space_layout:
            self.follow_layout()
        self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self.state)

    def follow_layout(self) -> None:
        """Move the space's cells to where their nodes now are (after displacement)."""
        s = self.state
        self.space.move_to(s.lon, s.lat)
        self._space_layout = s.layout_version
