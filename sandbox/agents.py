"""Mesa agents: handles on the rows of the array state.

An agent has identity (it appears in ``model.agents``, the visualization and
any agent-level data collection) and reads its numbers from
:class:`sandbox.state.supply.SupplyState`. Bulk arithmetic happens in the rules, over
all rows at once; an agent never loops over its neighbours. A node agent sits in the
cell of its node row in the model's network space (``model.space``,
:class:`sandbox.space.SupplySpace`).

:data:`AGENT_REPORTERS` are the Mesa agent reporters the model collects on request
(``LogisticsModel(record_agents=True)``): module-level functions, so models pickle;
each gives ``None`` for agents it does not describe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.discrete_space import FixedAgent

from sandbox.rules.strikes import targeting
from sandbox.state.strikes import StrikeLog
from sandbox.state.supply import SIDES, SupplyState

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel


class SupplyNode(FixedAgent):
    """A node of the supply graph (one row of the node arrays), fixed in its row's cell."""

    kind = "node"

    def __init__(self, model: LogisticsModel, row: int):
        super().__init__(model)
        self.row = row
        self.node_id = model.state.node_ids[row]
        self.side = SIDES[int(model.state.side[row])]

    @property
    def lonlat(self) -> tuple[float, float]:
        s = self.model.state
        return float(s.lon[self.row]), float(s.lat[self.row])

    @property
    def stock(self) -> dict[str, float]:
        s = self.model.state
        return dict(zip(s.commodities, s.stock[self.row].tolist(), strict=True))

    @property
    def days_of_supply(self) -> dict[str, float]:
        s = self.model.state
        f = s.forecast[self.row]
        return {
            c: (float(s.stock[self.row, i] / f[i]) if f[i] > 0 else float("inf"))
            for i, c in enumerate(s.commodities)
        }

    @property
    def stock_t(self) -> float:
        """Tonnes on hand, all commodities."""
        s = self.model.state
        return float(s.tonnes(s.stock[self.row]))

    @property
    def orders(self) -> dict[str, float]:
        """Units this node asked of its suppliers today (summed over its in-links)."""
        s = self.model.state
        asked = s.today.requested[s.dst == self.row].sum(axis=0)
        return dict(zip(s.commodities, asked.tolist(), strict=True))

    @property
    def orders_received(self) -> dict[str, float]:
        """Units its out-links asked of this node at the last ordering."""
        s = self.model.state
        return dict(zip(s.commodities, s.orders_in[self.row].tolist(), strict=True))

    def report(self) -> dict[str, dict[str, float]]:
        """Stock, days of supply and today's orders, per commodity."""
        return {"stock": self.stock, "days_of_supply": self.days_of_supply, "orders": self.orders}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.node_id!r}, {self.side})"


class Factory(SupplyNode):
    kind = "factory"


class Depot(SupplyNode):
    kind = "depot"


class Front(SupplyNode):
    kind = "front"


class TransportLink(mesa.Agent):
    """A directed link (one row of the link arrays)."""

    def __init__(self, model: LogisticsModel, row: int):
        super().__init__(model)
        s = model.state
        self.row = row
        self.source = s.node_ids[int(s.src[row])]
        self.target = s.node_ids[int(s.dst[row])]

    @property
    def up(self) -> bool:
        return bool(self.model.state.link_up[self.row])

    @property
    def flow_t(self) -> float:
        s = self.model.state
        return float(s.tonnes(s.today.shipped[self.row]))

    @property
    def in_transit_t(self) -> float:
        s = self.model.state
        return float(s.tonnes(s.in_transit[self.row]))

    @property
    def flow(self) -> dict[str, float]:
        """Units put on the link today, per commodity."""
        s = self.model.state
        return dict(zip(s.commodities, s.today.shipped[self.row].tolist(), strict=True))

    @property
    def in_transit(self) -> dict[str, float]:
        """Units on the link (shipped, not yet arrived), per commodity."""
        s = self.model.state
        return dict(zip(s.commodities, s.in_transit[self.row].tolist(), strict=True))

    def report(self) -> dict[str, float]:
        return {"flow_t": self.flow_t, "in_transit_t": self.in_transit_t, "up": float(self.up)}

    def __repr__(self) -> str:
        return f"TransportLink({self.source!r} -> {self.target!r})"


class FrontUnit(mesa.Agent):
    """A unit at a front node (one row of the unit arrays)."""

    def __init__(self, model: LogisticsModel, row: int):
        super().__init__(model)
        s = model.state
        self.row = row
        self.unit_id = s.unit_ids[row]
        self.node_id = s.node_ids[int(s.unit_node[row])]
        self.side = SIDES[int(s.unit_side[row])]

    @property
    def guns(self) -> float:
        return float(self.model.state.guns_in_action[self.row])

    @property
    def rounds_fired(self) -> float:
        s = self.model.state
        return float(s.unit_got[self.row, s.ammo]) if s.ammo >= 0 else 0.0

    @property
    def fire(self) -> float:
        """Rounds fired today (what the unit drew of its ammunition)."""
        return self.rounds_fired

    @property
    def strength(self) -> float:
        """Guns in action (able to fire)."""
        return self.guns

    def report(self) -> dict[str, float]:
        return {"fire": self.fire, "strength": self.strength}

    def __repr__(self) -> str:
        return f"FrontUnit({self.unit_id!r}, {self.side})"


class StrikeAsset(mesa.Agent):
    """One side's long-range strike asset: a handle on its :class:`~targeting.Aim`.

    The rule that picks today's targets is :func:`sandbox.rules.strikes.targeting.choose`,
    which the strike phase calls for every active aim; this agent gives the asset an
    identity among ``model.agents`` and asks the same rule when called.
    """

    def __init__(self, model: LogisticsModel, aim: targeting.Aim):
        super().__init__(model)
        self.aim = aim
        self.side = aim.side
        self.enemy = aim.enemy
        self.cfg = aim.cfg
        self.launch = aim.launch

    def active(self, day: int) -> bool:
        return self.aim.active(day)

    def reachable(self, s: SupplyState) -> np.ndarray:
        return targeting.reachable(self.aim, s)

    def choose(self, s: SupplyState, rng: np.random.Generator, log: StrikeLog) -> np.ndarray:
        """Target rows for today's strikes (node ``i`` or link ``N + e``)."""
        return targeting.choose(self.aim, s, rng, log.link_repair_day)

    def __repr__(self) -> str:
        return f"StrikeAsset({SIDES[self.side]}, {self.cfg.policy})"


NODE_AGENTS: dict[str, type[SupplyNode]] = {"factory": Factory, "depot": Depot, "front": Front}


# -- agent reporters (module level, so a model with them pickles) -----------------


def node_stock_t(agent: mesa.Agent) -> float | None:
    """Agent reporter: a node's stock in tonnes (``None`` for other agents)."""
    return agent.stock_t if isinstance(agent, SupplyNode) else None


def link_flow_t(agent: mesa.Agent) -> float | None:
    """Agent reporter: tonnes a link carried onto its line today (``None`` for other agents)."""
    return agent.flow_t if isinstance(agent, TransportLink) else None


def link_in_transit_t(agent: mesa.Agent) -> float | None:
    """Agent reporter: tonnes on a link (``None`` for other agents)."""
    return agent.in_transit_t if isinstance(agent, TransportLink) else None


AGENT_REPORTERS = {
    "stock_t": node_stock_t,
    "flow_t": link_flow_t,
    "in_transit_t": link_in_transit_t,
}
