"""The game page's map under fog: own nodes exact, enemy nodes the fog's estimates."""

from __future__ import annotations

import numpy as np
import pytest

from sandbox.play import fog
from sandbox.play.session import Session
from sandbox.scenario.load import load_scenario
from sandbox.viz import mapview
from sandbox.viz.play_map import view_map_data
from tests.conftest import EXAMPLES

SECTOR = EXAMPLES / "sector.toml"


def played(fog_on: bool, players: dict[str, str] | None = None) -> Session:
    game = Session(load_scenario(SECTOR), seed=3, players=players, turn_days=7, fog=fog_on)
    game.end_turn()
    return game


def test_with_fog_own_nodes_are_exact_and_enemy_nodes_are_the_fogs_estimates():
    game = played(fog_on=True)
    view = game.view()
    truth = mapview.map_data(game.model)
    shown = view_map_data(game.model, view)
    own = view.own
    assert own.tolist() == [True, True, False, False]  # blue moves: blue_plant, blue_front
    np.testing.assert_array_equal(shown.stock[own], truth.stock[own])
    np.testing.assert_array_equal(shown.dos[own], truth.dos[own])
    # the enemy's stock is the truth times max(0, 1 + 0.3 z), z the fog's own draws
    s = game.model.state
    z = fog._generator(game.model, s.day, 0).standard_normal(s.stock.shape)
    c = s.commodities.index("ammunition")
    factor = np.maximum(1.0 + fog.FOG_SD * z[~own, c], 0.0)
    assert (truth.stock[~own] > 0).all()
    np.testing.assert_allclose(shown.stock[~own], truth.stock[~own] * factor, rtol=1e-12)
    ratio = shown.stock[~own] / truth.stock[~own]
    assert (ratio != 1.0).all()  # estimates, not the truth
    assert (np.abs(ratio - 1.0) <= 5 * fog.FOG_SD).all()  # within the noise band
    # flows on the enemy's links are not seen; the side's own are
    enemy_links = ~own[s.src]
    assert (shown.flow_t[enemy_links] == 0).all()
    np.testing.assert_array_equal(shown.flow_t[~enemy_links], truth.flow_t[~enemy_links])
    assert (truth.flow_t[enemy_links] > 0).any()
    assert "as blue sees it (enemy: estimates" in shown.title


def test_with_the_fog_lifted_both_sides_are_the_truth():
    game = played(fog_on=False)
    truth = mapview.map_data(game.model)
    shown = view_map_data(game.model, game.view())
    np.testing.assert_array_equal(shown.stock, truth.stock)
    np.testing.assert_array_equal(shown.dos, truth.dos)
    np.testing.assert_array_equal(shown.flow_t, truth.flow_t)
    assert shown.title.endswith("(fog lifted)")


def test_hot_seat_the_map_switches_with_the_side_to_move():
    game = played(fog_on=True, players={"blue": "human", "red": "human"})  # blue ended
    game.end_turn()  # red ends: days 1-7 played, blue to move
    assert (game.day, game.to_move) == (7, "blue")
    truth = mapview.map_data(game.model).stock
    blue_map = view_map_data(game.model, game.view()).stock
    assert game.end_turn().startswith("red to move")
    red_map = view_map_data(game.model, game.view()).stock
    blue, red = slice(0, 2), slice(2, 4)  # node rows of each side on this map
    np.testing.assert_array_equal(blue_map[blue], truth[blue])
    np.testing.assert_array_equal(red_map[red], truth[red])
    assert (blue_map[red] != truth[red]).all()
    stocked = truth > 0  # a plant ships what it makes: an estimate of 0 is 0
    assert (red_map[blue] != truth[blue])[stocked[blue]].all() and stocked[blue].any()


@pytest.mark.parametrize("fog_on", [True, False])
def test_the_map_figure_draws_every_node(fog_on: bool):
    from sandbox.viz.play_map import view_map_figure

    game = played(fog_on)
    fig = view_map_figure(game.model, game.view())
    assert fig.axes[0].get_title().startswith(game.sc.name)
