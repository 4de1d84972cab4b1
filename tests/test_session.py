"""A game session (what ``sandbox play`` drives): orders, turns, report, save, replay."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sandbox
from sandbox.play.session import Session
from sandbox.scenario.load import load_scenario
from sandbox.scenario.orders_file import with_orders
from tests.conftest import EXAMPLES

SECTOR = EXAMPLES / "sector.toml"


def test_three_turns_as_blue_then_save_and_replay_give_the_same_tables(tmp_path: Path):
    game = Session(load_scenario(SECTOR), seed=7, turn_days=7)
    assert game.order({"sides.red.quality": 9.0}).startswith(
        "order of day 1 (blue): 'sides.red.quality': red's key"
    )
    assert game.order({"units.blue_brigade.rounds_per_gun_per_day": 20.0}, "conserve") == ""
    first = game.end_turn()
    assert first.splitlines()[0] == "Turn 1: days 1-7, blue"
    assert game.order({"nodes.blue_plant.production.ammunition": 400.0}, "second shift") == ""
    game.end_turn()
    assert game.order({"links.blue_plant->blue_front.capacity_t": 300.0}) == ""
    game.end_turn()
    assert game.day == 21
    game.save(tmp_path / "game")
    replay = sandbox.run(
        with_orders(load_scenario(SECTOR), tmp_path / "game" / "orders.toml"), 7, 21
    )
    pd.testing.assert_frame_equal(game.results().daily, replay.daily)
    orders = pd.read_parquet(tmp_path / "game" / "orders.parquet")
    assert orders.groupby("order")["day"].first().tolist() == [1, 8, 15]


def test_the_turn_report_counts_what_arrived_ran_short_and_was_lost():
    game = Session(load_scenario(EXAMPLES / "two_node.toml"), seed=0, turn_days=5)
    text = game.end_turn()
    d = game.results().daily.loc[1:5]
    arrived = d["blue.ammunition.delivered"].sum()
    short = d["blue.ammunition.shortfall"].sum()
    assert f"- ammunition: arrived {arrived:,.0f}, ran short {short:,.0f}, lost 0" in text
    assert arrived == 2000.0  # shipped on days 1 and 2 (1,000 a day), three days in transit


def test_hot_seat_the_side_to_move_alternates():
    game = Session(load_scenario(SECTOR), players={"blue": "human", "red": "human"})
    assert game.to_move == "blue" and game.view().own.tolist() == [True, True, False, False]
    assert game.end_turn() == "red to move (day 0)"
    assert game.view().own.tolist() == [False, False, True, True]
    assert game.order({"sides.red.quality": 0.4}, "red's turn") == ""
    game.end_turn()
    assert game.day == 7 and game.to_move == "blue"
