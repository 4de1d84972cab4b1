"""Saved games: save, load (replay to the saved day), go on playing as if never stopped."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sandbox.errors import ScenarioError
from sandbox.play.doctrine import Doctrine, Order
from sandbox.play.fog import View
from sandbox.play.saves import SESSION_FILE, saved_games
from sandbox.play.session import Session
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES

SECTOR = EXAMPLES / "sector.toml"


class Stubborn(Doctrine):
    """A doctrine with memory: each turn it raises its plant's output by 10 more
    than the turn before (10, 20, 30...), so a load that forgot its past would
    order differently."""

    def __init__(self, side: str) -> None:
        super().__init__(side)
        self.raised = 0.0

    def orders(self, view: View, day: int) -> list[Order]:
        self.raised += 10.0
        plant = f"{self.side}_plant"
        return [Order({f"nodes.{plant}.production.ammunition": 300.0 + self.raised}, "more")]


RED_STUBBORN = {"blue": "human", "red": "tests.test_saves:Stubborn"}


def two_turns(game: Session) -> None:
    assert game.order({"units.blue_brigade.rounds_per_gun_per_day": 20.0}, "conserve") == ""
    game.end_turn()
    assert game.order({"nodes.blue_front.priority": 2.0}) == ""
    game.end_turn()


def go_on(game: Session) -> pd.DataFrame:
    assert game.order({"links.blue_plant->blue_front.capacity_t": 300.0}) == ""
    game.end_turn()
    game.end_turn()
    return game.results().daily


def test_a_loaded_game_goes_on_exactly_as_the_game_that_never_stopped(tmp_path: Path):
    game = Session(load_scenario(SECTOR), seed=7, players=RED_STUBBORN, turn_days=7)
    two_turns(game)
    folder = game.save(tmp_path / "game")
    loaded = Session.load(folder)
    assert (loaded.day, loaded.turns, loaded.to_move) == (14, 2, "blue")
    pd.testing.assert_frame_equal(
        loaded.model.orders.frame(loaded.model), game.model.orders.frame(game.model)
    )
    pd.testing.assert_frame_equal(loaded.results().daily, game.results().daily)
    # red's doctrine remembers: its third order raises by 30, not by 10 again
    assert loaded.doctrines["red"].raised == 20.0  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(go_on(loaded), go_on(game))
    book = loaded.model.orders
    assert [o.changes for o in book.log + book.pending if o.side == "red"] == [
        {"nodes.red_plant.production.ammunition": 300.0 + x} for x in (10, 20, 30, 40)
    ]


def test_hot_seat_a_turn_half_given_is_saved_and_loaded(tmp_path: Path):
    both = {"blue": "human", "red": "human"}
    game = Session(load_scenario(SECTOR), seed=2, players=both, turn_days=5)
    assert game.order({"nodes.blue_front.priority": 3.0}, "blue's turn") == ""
    assert game.end_turn() == "red to move (day 0)"
    loaded = Session.load(game.save(tmp_path / "half"))
    assert loaded.to_move == "red"
    assert [o.changes for o in loaded.model.orders.pending] == [{"nodes.blue_front.priority": 3.0}]
    for g in (game, loaded):
        assert g.order({"sides.red.quality": 0.4}, "red's turn") == ""
        g.end_turn()
    pd.testing.assert_frame_equal(loaded.results().daily, game.results().daily)
    assert loaded.model.orders.frame(loaded.model)["side"].tolist() == ["blue", "red"]


def test_a_save_without_orders_loads_and_drops_a_stale_orders_file(tmp_path: Path):
    old = Session(load_scenario(SECTOR), seed=1, turn_days=3)
    assert old.order({"nodes.blue_front.priority": 2.0}) == ""
    old.end_turn()
    old.save(tmp_path / "g")
    fresh = Session(load_scenario(SECTOR), seed=1, turn_days=3)
    fresh.end_turn()
    fresh.save(tmp_path / "g")  # same folder, no orders now
    assert not (tmp_path / "g" / "orders.toml").exists()
    assert Session.load(tmp_path / "g").day == 3


def test_an_edited_save_does_not_load_and_says_which_order(tmp_path: Path):
    game = Session(load_scenario(SECTOR), seed=7, players=RED_STUBBORN, turn_days=7)
    two_turns(game)
    folder = game.save(tmp_path / "game")
    text = (folder / "orders.toml").read_text()
    (folder / "orders.toml").write_text(text.replace("310.0", "999.0"))
    with pytest.raises(ScenarioError, match=r"order 1 does not replay: saved .*999\.0.*310\.0"):
        Session.load(folder)


def test_not_a_save_names_the_file_and_the_field(tmp_path: Path):
    with pytest.raises(ScenarioError, match=r"session\.json: .*\n  - file not found: not a saved"):
        Session.load(tmp_path)
    (tmp_path / SESSION_FILE).write_text(json.dumps({"seed": 1}))
    with pytest.raises(ScenarioError, match="missing field 'players'"):
        Session.load(tmp_path)


def test_saved_games_are_the_folder_and_its_siblings_that_hold_a_game(tmp_path: Path):
    game = Session(load_scenario(SECTOR), seed=1, turn_days=3)
    for name in ("b", "a"):
        game.save(tmp_path / name)
    (tmp_path / "c").mkdir()  # not a game
    assert saved_games(tmp_path / "a") == [tmp_path / "a", tmp_path / "b"]
    assert saved_games(tmp_path / "new") == [tmp_path / "a", tmp_path / "b"]
