"""A game in progress, for the browser (``sandbox play``) or a notebook.

:class:`Session` holds the model, the fog and the doctrines of the sides no
human plays. The humans give orders (:meth:`Session.order`, checked at once: a
refused order is a message and changes nothing); :meth:`Session.end_turn` plays
``turn_days`` days, lets the doctrines give their orders, and returns the turn
report of the side to move; :meth:`Session.save` writes the run folder (with
``orders.toml``: ``sandbox run MAP --orders`` replays the game). Hot-seat: with two
humans, the side to move alternates and the fog follows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.model import LogisticsModel
from sandbox.observe.results import Results
from sandbox.play.doctrine import load_doctrine
from sandbox.play.fog import Fog, View
from sandbox.play.game import turn
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario
from sandbox.scenario.schema import SIDES
from sandbox.simulation import collect_results
from sandbox.state.columns import DAILY

REPORT_METRICS = (("delivered", "arrived"), ("shortfall", "ran short"), ("destroyed", "lost"))


class Session:
    """A game: ``players`` maps each side to ``"human"`` or a doctrine name/path."""

    def __init__(
        self,
        sc: Scenario,
        seed: int = DEFAULT_SEED,
        players: Mapping[str, str] | None = None,
        turn_days: int = 7,
        fog: bool = True,
    ) -> None:
        if turn_days < 1:
            raise ValueError(f"turn_days must be at least 1, got {turn_days}")
        self.sc, self.seed, self.turn_days = sc, seed, turn_days
        chosen = dict(players or {"blue": "human", "red": "default"})
        self.humans = [s for s in SIDES if chosen.get(s) == "human"]
        self.doctrines = {
            s: load_doctrine(name, s, sc.source) for s, name in chosen.items() if name != "human"
        }
        self.model = LogisticsModel(sc, rng=seed)
        self.eyes = Fog(self.model, enabled=fog)
        self.to_move = self.humans[0] if self.humans else "blue"
        self.turns = 0

    @property
    def day(self) -> int:
        return self.model.state.day

    @property
    def over(self) -> bool:
        return self.day >= self.sc.days

    def view(self) -> View:
        return self.eyes.view(self.model, self.to_move)

    def order(self, changes: Mapping[str, Any], note: str = "") -> str:
        """Give an order of the side to move; return "" or why it was refused."""
        try:
            self.model.apply_orders(dict(changes), side=self.to_move, note=note)
        except ScenarioError as exc:
            return "\n".join(exc.problems)
        return ""

    def end_turn(self) -> str:
        """Play the turn's days (doctrines order at its end); return the turn report."""
        if len(self.humans) == 2 and self.to_move == "blue":  # hot-seat: red's orders next
            self.to_move = "red"
            return f"red to move (day {self.day})"
        first = self.day + 1
        last = min(self.day + self.turn_days, self.sc.days)
        for _ in range(first, last + 1):
            self.model.step()
            self.eyes.observe(self.model)
        if not self.over:
            turn(self.model, self.eyes, self.doctrines, self.day)
        self.turns += 1
        self.to_move = self.humans[0] if self.humans else "blue"
        return self.report(first, last)

    def report(self, first: int, last: int) -> str:
        """What arrived, ran short and was lost (own side, exact) and what the enemy
        seemed to hold (its estimated stock, as the side to move sees it)."""
        frame = self.model.datacollector.get_model_vars_dataframe().iloc[first - 1 : last]
        side = self.to_move
        lines = [f"Turn {self.turns}: days {first}-{last}, {side}", ""]
        for c in self.model.state.commodities:
            parts = [
                f"{label} {frame[DAILY.commodity(side, c, metric)].sum():,.0f}"
                for metric, label in REPORT_METRICS
            ]
            lines.append(f"- {c}: " + ", ".join(parts))
        v = self.view()
        enemy = ~v.own
        for j, c in enumerate(v.commodities):
            lines.append(f"- enemy {c} stock (estimate): {v.stock[enemy, j].sum():,.0f}")
        return "\n".join(lines)

    def results(self) -> Results:
        return collect_results(self.model, seed=self.seed)

    def save(self, path: str | Path) -> Path:
        """Write the run folder (``orders.toml`` replays the game)."""
        return self.results().save(path)
