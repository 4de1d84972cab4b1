"""A game in progress, for the browser (``sandbox play``) or a notebook.

:class:`Session` holds the model, the fog and the doctrines of the sides no
human plays. The humans give orders (:meth:`Session.order`, checked at once: a
refused order is a message and changes nothing); :meth:`Session.end_turn` plays
``turn_days`` days, lets the doctrines give their orders, and returns the turn
report of the side to move; :meth:`Session.save` writes the run folder (with
``orders.toml``: ``sandbox run MAP --orders`` replays the game) and
:meth:`Session.load` replays a saved game to its day to go on playing. Hot-seat: with two
humans, the side to move alternates and the fog follows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.model import LogisticsModel
from sandbox.observe.results import Results
from sandbox.play import saves
from sandbox.play.doctrine import load_doctrine
from sandbox.play.fog import Fog, View
from sandbox.play.game import turn
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.orders_file import read_orders
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
        self.players = chosen
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

    def order(self, changes: Mapping[str, Any], note: str = "", day: int | None = None) -> str:
        """Give an order of the side to move (for ``day``, default the next morning);
        return "" or why it was refused."""
        return self.orders([(changes, day)], note)

    def orders(self, given: Sequence[tuple[Mapping[str, Any], int | None]], note: str = "") -> str:
        """Give orders ``(changes, day)`` of the side to move, all or none; return ""
        or why one was refused (the others are then taken back)."""
        done = []
        try:
            for changes, day in given:
                done.append(
                    self.model.apply_orders(dict(changes), side=self.to_move, note=note, day=day)
                )
        except ScenarioError as exc:
            for o in done:
                self.model.orders.withdraw(o)
            return "\n".join(exc.problems)
        return ""

    def end_turn(self) -> str:
        """Play the turn's days (doctrines order at its end); return the turn report."""
        if len(self.humans) == 2 and self.to_move == "blue":  # hot-seat: red's orders next
            self.to_move = "red"
            return f"red to move (day {self.day})"
        first, last = self.play_days()
        self.turns += 1
        self.to_move = self.humans[0] if self.humans else "blue"
        return self.report(first, last)

    def play_days(self) -> tuple[int, int]:
        """Step the turn's days, then the doctrines order; return (first, last) day."""
        first = self.day + 1
        last = min(self.day + self.turn_days, self.sc.days)
        for _ in range(first, last + 1):
            self.model.step()
            self.eyes.observe(self.model)
        if not self.over:
            turn(self.model, self.eyes, self.doctrines, self.day)
        return first, last

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
        """Write the run folder (``orders.toml`` replays the game) and ``session.json``
        (what :meth:`load` needs to go on playing: :mod:`sandbox.play.saves`)."""
        out = self.results().save(path)
        book = self.model.orders
        if not book.log:  # a stale orders file would not replay
            for name in ("orders.toml", "orders.parquet"):
                (out / name).unlink(missing_ok=True)
        meta = {
            "seed": self.seed,
            "players": self.players,
            "turn_days": self.turn_days,
            "fog": self.eyes.enabled,
            "day": self.day,
            "turns": self.turns,
            "to_move": self.to_move,
            "pending": [o.as_event() for o in book.pending],
        }
        saves.write_meta(out, meta)
        return out

    @classmethod
    def load(cls, path: str | Path) -> Session:
        """The game saved in run folder ``path``, replayed to its day, ready to go on."""
        folder = Path(path)
        meta = saves.read_meta(folder)
        orders_path = folder / "orders.toml"
        saved = read_orders(orders_path) if orders_path.exists() else []
        game = cls(
            load_scenario(folder / "scenario.toml"),
            seed=int(meta["seed"]),
            players=dict(meta["players"]),
            turn_days=int(meta["turn_days"]),
            fog=bool(meta["fog"]),
        )
        # the humans' orders, each given again after the day it was given (the
        # doctrines give theirs again themselves, at each turn's end)
        human = [e for e in saved + meta["pending"] if e.get("side") in game.humans]
        while game.day < int(meta["day"]):
            game.give([e for e in human if _given_after(e) == game.day])
            game.play_days()
        game.give([e for e in human if _given_after(e) == game.day])
        book = game.model.orders
        replayed = [o.as_event() for o in (*book.log, *book.pending)]
        saves.check_replay(str(orders_path), saved + meta["pending"], replayed)
        game.turns, game.to_move = int(meta["turns"]), SIDES[SIDES.index(meta["to_move"])]
        return game

    def give(self, entries: list[dict[str, Any]]) -> None:
        """Give saved ``[[events]]`` entries as orders, each with its side and note."""
        for e in entries:
            self.model.apply_orders(
                e["set"], side=e.get("side"), note=e.get("note", ""), day=int(e["day"])
            )


def _given_after(entry: dict[str, Any]) -> int:
    """The day after which a saved order was given (``given_day``, else the day before
    it took effect)."""
    return int(entry.get("given_day", int(entry["day"]) - 1))
