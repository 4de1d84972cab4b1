"""The same rules as plain per-agent Python: the reference a typical Mesa model would be.

Every agent keeps its own numbers in Python lists and runs its own methods,
one agent at a time (``AgentSet.do``), phase by phase, with no numpy in the
rules. It reads the static description from :func:`sandbox.state.supply.build_state`
(ids, capacities, which commodities can reach a node) and nothing else.
"""

from __future__ import annotations

from typing import Any

import mesa
from mesa.agent import AgentSet

from sandbox.scenario.load import Scenario
from sandbox.state.supply import FACTORY, FRONT, SIDES, build_state


class RefNode(mesa.Agent):
    def __init__(self, model: ReferenceModel, row: int, s: Any) -> None:
        super().__init__(model)
        c = model.c
        self.row, self.kind, self.side = row, int(s.kind[row]), int(s.side[row])
        self.front = self.kind == FRONT
        self.target_days = float(s.target_days[row])
        self.storage_t = float(s.storage_t[row])
        self.lead = 0.0
        self.base = s.prod_base[row].tolist()
        self.ramp_target = s.ramp_target[row].tolist()
        self.ramp_start = s.ramp_start[row].tolist()
        self.ramp_days = s.ramp_days[row].tolist()
        self.stock = s.stock[row].tolist()
        self.forecast = [0.0] * c
        self.orders_in = [0.0] * c
        self.over = [0.0] * c
        self.in_links: list[RefLink] = []
        self.out_links: list[RefLink] = []
        self.units: list[RefUnit] = []
        self.clear()

    def clear(self) -> None:
        z = [0.0] * self.model.c
        self.produced, self.received, self.demand, self.consumed = z[:], z[:], z[:], z[:]

    def inbound(self) -> list[float]:
        out = [0.0] * self.model.c
        for lk in self.in_links:
            out = [a + b for a, b in zip(out, lk.in_transit, strict=True)]
        return out

    def produce(self) -> None:
        m, day = self.model, self.model.day
        made = []
        for k in range(m.c):
            el = day - self.ramp_start[k]
            if self.ramp_days[k] > 0:
                frac = el / self.ramp_days[k]
            else:
                frac = 1.0 if el >= 0 else 0.0
            frac = min(max(frac, 0.0), 1.0)
            made.append(self.base[k] + (self.ramp_target[k] - self.base[k]) * frac)
        if m.finite_storage:
            made_t = m.tonnes(made)
            room = self.storage_t - m.tonnes(self.stock) - m.tonnes(self.inbound())
            if made_t > max(room, 0.0):
                made = [x * (max(room, 0.0) / made_t) for x in made]
        for k in range(m.c):
            self.stock[k] += made[k]
            self.produced[k] += made[k]

    def forecast_and_order(self) -> None:
        m = self.model
        obs = list(self.orders_in)
        for u in self.units:
            obs = [a + b for a, b in zip(obs, u.need_wear, strict=True)]
        old = self.level()
        self.forecast = [f + m.alpha * (o - f) for f, o in zip(self.forecast, obs, strict=True)]
        raw = [o + s - t - v for o, s, t, v in zip(obs, self.level(), old, self.over, strict=True)]
        self.placed = [max(x, 0.0) for x in raw]
        self.over = [p - x for p, x in zip(self.placed, raw, strict=True)]

    def level(self) -> list[float]:
        """Order-up-to level: target days, the review day and the lead time of forecast."""
        return [self.target_days * f + f * (1.0 + self.lead) for f in self.forecast]

    def take_orders(self) -> None:
        self.orders_in = [0.0] * self.model.c
        for lk in self.out_links:
            self.orders_in = [a + b for a, b in zip(self.orders_in, lk.order, strict=True)]

    def pressure(self) -> None:
        pos = [a + b for a, b in zip(self.stock, self.inbound(), strict=True)]
        tgt = [self.target_days * f for f in self.forecast]
        self.pos = pos
        self.need = [
            max(t + f * (1.0 + self.lead) - p, 0.0)
            for t, f, p in zip(tgt, self.forecast, pos, strict=True)
        ]
        self.q = [p - t * self.front for p, t in zip(pos, tgt, strict=True)]

    def fill_ratio(self) -> None:
        asked = [0.0] * self.model.c
        for lk in self.in_links:
            asked = [a + b for a, b in zip(asked, lk.flow, strict=True)]
        self.fill = [n / a if a > n else 1.0 for n, a in zip(self.need, asked, strict=True)]

    def stock_share(self) -> None:
        asked = [0.0] * self.model.c
        for lk in self.out_links:
            asked = [a + b for a, b in zip(asked, lk.flow, strict=True)]
        self.share = [st / a if a > st else 1.0 for st, a in zip(self.stock, asked, strict=True)]

    def room(self) -> None:
        m = self.model
        self.room_t = max(self.storage_t - m.tonnes(self.pos), 0.0)
        self.into_t = 0.0
        for lk in self.in_links:
            self.into_t += m.tonnes(lk.flow)

    def draw(self, wear: bool) -> None:
        m = self.model
        need = [0.0] * m.c
        for u in self.units:
            need = [a + b for a, b in zip(need, u.wear if wear else u.need, strict=True)]
        got = [min(st, n) for st, n in zip(self.stock, need, strict=True)]
        self.ratio = [g / n if n > 0 else 1.0 for g, n in zip(got, need, strict=True)]
        self.stock = [max(st - g, 0.0) for st, g in zip(self.stock, got, strict=True)]
        for k in range(m.c):
            self.demand[k] += need[k]
            self.consumed[k] += got[k]


class RefLink(mesa.Agent):
    def __init__(self, model: ReferenceModel, row: int, s: Any, nodes: list[RefNode]) -> None:
        super().__init__(model)
        c = model.c
        self.src, self.dst = nodes[int(s.src[row])], nodes[int(s.dst[row])]
        self.cap = float(s.capacity_t[row])
        self.days = int(s.transit_days[row])
        self.up = bool(s.link_up[row])
        self.can = [bool(x) for x in s.geometry.can_supply[int(s.src[row])]]
        self.pipeline = [[0.0] * c for _ in range(model.horizon)]
        self.in_transit = [0.0] * c
        self.shipped = [0.0] * c
        self.src.out_links.append(self)
        self.dst.in_links.append(self)

    def arrive(self) -> None:
        slot = self.model.day % self.model.horizon
        arriving, self.pipeline[slot] = self.pipeline[slot], [0.0] * self.model.c
        self.in_transit = [max(a - b, 0.0) for a, b in zip(self.in_transit, arriving, strict=True)]
        for k in range(self.model.c):
            self.dst.stock[k] += arriving[k]
            self.dst.received[k] += arriving[k]

    def share_weights(self) -> None:
        self.w = [self.cap * self.up * can for can in self.can]

    def place_order(self) -> None:
        tot = [0.0] * self.model.c
        for lk in self.dst.in_links:
            tot = [a + b for a, b in zip(tot, lk.w, strict=True)]
        self.order = [
            p * (w / t if t > 0 else 0.0)
            for p, w, t in zip(self.dst.placed, self.w, tot, strict=True)
        ]

    def want(self) -> None:
        if not self.up:
            self.flow = [0.0] * self.model.c
        elif self.src.kind == FACTORY:
            self.flow = list(self.src.stock)
        else:
            self.flow = [max(a - b, 0.0) * 0.5 for a, b in zip(self.src.q, self.dst.q, strict=True)]

    def fill_and_cap(self) -> None:
        self.flow = [f * r for f, r in zip(self.flow, self.dst.fill, strict=True)]
        tot = self.model.tonnes(self.flow)
        if tot > self.cap:
            self.flow = [f * (self.cap / tot) for f in self.flow]

    def share(self) -> None:
        self.flow = [f * r for f, r in zip(self.flow, self.src.share, strict=True)]

    def storage_and_ship(self) -> None:
        m = self.model
        if m.finite_storage and self.dst.into_t > self.dst.room_t:
            self.flow = [f * (self.dst.room_t / self.dst.into_t) for f in self.flow]

    def ship(self) -> None:
        m = self.model
        slot = self.pipeline[(m.day + self.days) % m.horizon]
        for k in range(m.c):
            self.src.stock[k] -= self.flow[k]
            slot[k] += self.flow[k]
            self.in_transit[k] += self.flow[k]
            self.shipped[k] += self.flow[k]


class RefUnit(mesa.Agent):
    def __init__(self, model: ReferenceModel, row: int, s: Any, nodes: list[RefNode]) -> None:
        super().__init__(model)
        self.node = nodes[int(s.unit_node[row])]
        self.node.units.append(self)
        self.base = s.needs_per_day[row].tolist()
        self.fire = float(s.guns_in_action[row] * s.rounds_per_gun_per_day[row])
        self.ppr = float(s.parts_per_round[row])

    def plan(self) -> None:
        m = self.model
        self.need = list(self.base)
        if m.ammo >= 0:
            self.need[m.ammo] += self.fire
        self.need_wear = list(self.need)
        if m.parts >= 0 and m.ammo >= 0:
            self.need_wear[m.parts] += self.ppr * self.need[m.ammo]

    def got_first(self) -> None:
        m = self.model
        self.got = [n * r for n, r in zip(self.need, self.node.ratio, strict=True)]
        self.wear = [0.0] * m.c
        if m.wear:
            self.wear[m.parts] = self.ppr * self.got[m.ammo]

    def got_wear(self) -> None:
        self.got = [g + w * r for g, w, r in zip(self.got, self.wear, self.node.ratio, strict=True)]


class ReferenceModel(mesa.Model):
    """Per-agent Python version of :class:`sandbox.model.LogisticsModel` (no metrics)."""

    def __init__(self, scenario: Scenario, rng: Any = None) -> None:
        super().__init__(rng=rng)
        s = build_state(scenario)
        self.c, self.horizon = len(s.commodities), s.horizon
        self.tpu = s.tonnes_per_unit.tolist()
        self.alpha, self.ammo, self.parts = s.forecast_alpha, s.ammo, s.parts
        self.finite_storage = s.finite_storage
        self.wear = s.parts >= 0 and s.ammo >= 0 and bool(s.parts_per_round.any())
        self.day = 0
        self.nodes = [RefNode(self, i, s) for i in range(s.n_nodes)]
        self.links = [RefLink(self, e, s, self.nodes) for e in range(s.n_links)]
        self.units = [RefUnit(self, u, s, self.nodes) for u in range(len(s.unit_ids))]
        for nd in self.nodes:
            nd.lead = max([float(lk.days) for lk in nd.in_links], default=0.0)
        # the same starting forecast and orders as the model (computed once, by numpy)
        from sandbox.model import LogisticsModel

        start = LogisticsModel(scenario, rng=0, record="daily").state
        for nd in self.nodes:
            nd.forecast = start.forecast[nd.row].tolist()
            nd.orders_in = start.orders_in[nd.row].tolist()
        self.n, self.l, self.u = (
            AgentSet(x, random=self.random) for x in (self.nodes, self.links, self.units)
        )

    def tonnes(self, units: list[float]) -> float:
        return sum(a * b for a, b in zip(units, self.tpu, strict=True))

    def step(self) -> None:
        self.day = self.steps
        n, lk, u = self.n, self.l, self.u
        n.do("clear")
        for x in self.links:
            x.shipped = [0.0] * self.c
        n.do("produce")
        lk.do("arrive")
        u.do("plan")
        n.do("forecast_and_order")
        lk.do("share_weights")
        lk.do("place_order")
        n.do("take_orders")
        n.do("pressure")
        lk.do("want")
        n.do("fill_ratio")
        lk.do("fill_and_cap")
        n.do("stock_share")
        lk.do("share")
        if self.finite_storage:
            n.do("room")
            lk.do("storage_and_ship")
        lk.do("ship")
        n.do("draw", False)
        u.do("got_first")
        if self.wear:
            n.do("draw", True)
            u.do("got_wear")

    def side_totals(self, field: str) -> list[list[float]]:
        """(S, C) per-side sums of a node field (``stock``, ``consumed``, ...)."""
        out = [[0.0] * self.c for _ in SIDES]
        for nd in self.nodes:
            out[nd.side] = [a + b for a, b in zip(out[nd.side], getattr(nd, field), strict=True)]
        return out
