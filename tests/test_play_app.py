"""The game page without a browser: End turn gives the decisions as one order and plays."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

import sandbox
from sandbox.cli import main as cli
from sandbox.errors import UsageError
from sandbox.scenario.load import load_scenario
from sandbox.scenario.orders_file import with_orders
from tests.conftest import EXAMPLES

SECTOR = EXAMPLES / "sector.toml"


def test_the_page_plays_turns_saves_and_the_save_replays(monkeypatch, tmp_path: Path):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    from sandbox.viz import play_app

    monkeypatch.setenv("SANDBOX_PLAY_MAP", str(SECTOR))
    monkeypatch.setenv("SANDBOX_PLAY_OUT", str(tmp_path / "game"))
    monkeypatch.setenv("SANDBOX_PLAY_SEED", "3")
    _box, rc = solara.render(play_app.Page(), handle_error=False)
    text = rc.find(v.Textarea).widget
    text.v_model = "units.blue_brigade.rounds_per_gun_per_day=20"
    rc.find(v.Btn, children=["End turn"]).widget.click()
    text.v_model = "sides.red.quality=5"  # red's key: refused, nothing played
    rc.find(v.Btn, children=["End turn"]).widget.click()
    text.v_model = ""
    rc.find(v.Btn, children=["End turn"]).widget.click()
    rc.find(v.Btn, children=["Save"]).widget.click()
    rc.close()
    orders = pd.read_parquet(tmp_path / "game" / "orders.parquet")
    assert orders[["day", "side", "key"]].values.tolist() == [
        [1, "blue", "units.blue_brigade.rounds_per_gun_per_day"]
    ]
    saved = pd.read_parquet(tmp_path / "game" / "daily.parquet")
    assert len(saved) == 14  # two turns of 7 days
    replay = sandbox.run(
        with_orders(load_scenario(SECTOR), tmp_path / "game" / "orders.toml"), 3, 14
    )
    pd.testing.assert_frame_equal(saved, replay.daily)


def test_cli_play_passes_the_game_to_the_app(monkeypatch, tmp_path: Path):
    from sandbox.cli import play

    args = cli.build_parser().parse_args(
        ["play", str(SECTOR), "--red", "human", "--turn-days", "3", "--no-fog"]
    )
    env = play.play_env(args)
    assert env["SANDBOX_PLAY_MAP"] == str(SECTOR.resolve())
    assert (env["SANDBOX_PLAY_BLUE"], env["SANDBOX_PLAY_RED"]) == ("human", "human")
    assert (env["SANDBOX_PLAY_TURN_DAYS"], env["SANDBOX_PLAY_FOG"]) == ("3", "0")
    bad = argparse.Namespace(**{**vars(args), "turn_days": 0})
    with pytest.raises(UsageError, match="--turn-days must be at least 1"):
        play.play_env(bad)
    calls = []
    monkeypatch.setattr(play.subprocess, "call", lambda cmd, env: calls.append(cmd) or 0)
    assert cli.main(["play", str(SECTOR), "--port", "9911"]) == 0
    assert calls[0][-4:] == ["--port", "9911", "--no-open", "--production"]


def page_text(rc) -> str:
    """The Markdown shown on a rendered page (Solara renders it into templates)."""
    import ipyvuetify as v

    return "\n".join(str(w.template) for w in rc.find(v.VuetifyTemplate).widgets)


def test_load_picks_the_save_replays_it_to_its_day_and_plays_on(monkeypatch, tmp_path: Path):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v
    from solara.components.datatable import DataTableWidget

    from sandbox.viz import play_app

    monkeypatch.setenv("SANDBOX_PLAY_MAP", str(SECTOR))
    monkeypatch.setenv("SANDBOX_PLAY_OUT", str(tmp_path / "game"))
    monkeypatch.setenv("SANDBOX_PLAY_SEED", "3")
    _box, rc = solara.render(play_app.Page(), handle_error=False)
    rc.find(v.Textarea).widget.v_model = "units.blue_brigade.rounds_per_gun_per_day=20"
    rc.find(v.Btn, children=["End turn"]).widget.click()
    rc.find(v.Btn, children=["End turn"]).widget.click()
    rc.find(v.Btn, children=["Save"]).widget.click()
    saved_log = rc.find(DataTableWidget).widget.items
    rc.close()
    _box, rc = solara.render(play_app.Page(), handle_error=False)  # a fresh page: day 0
    assert "day 0 of 60" in page_text(rc)
    assert rc.find(v.Select).widget.v_model == str(tmp_path / "game")
    rc.find(v.Btn, children=["Load"]).widget.click()
    assert "day 14 of 60, blue to move" in page_text(rc)
    assert rc.find(DataTableWidget).widget.items == saved_log
    rc.find(v.Textarea).widget.v_model = "nodes.blue_plant.production.ammunition=400"
    rc.find(v.Btn, children=["End turn"]).widget.click()
    assert "day 21 of 60" in page_text(rc)
    rc.find(v.Btn, children=["Save"]).widget.click()
    rc.close()
    orders = tmp_path / "game" / "orders.toml"
    replay = sandbox.run(with_orders(load_scenario(SECTOR), orders), 3, 21)
    saved = pd.read_parquet(tmp_path / "game" / "daily.parquet")
    pd.testing.assert_frame_equal(saved, replay.daily)
    assert pd.read_parquet(tmp_path / "game" / "orders.parquet")["day"].tolist() == [1, 15]


def test_the_pull_back_box_orders_the_depot_back(monkeypatch, tmp_path: Path):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    from sandbox.viz import play_app

    monkeypatch.setenv("SANDBOX_PLAY_MAP", str(EXAMPLES / "strikes.toml"))
    monkeypatch.setenv("SANDBOX_PLAY_BLUE", "none")  # red plays: its depot has a fallback
    monkeypatch.setenv("SANDBOX_PLAY_RED", "human")
    monkeypatch.setenv("SANDBOX_PLAY_TURN_DAYS", "2")
    monkeypatch.setenv("SANDBOX_PLAY_OUT", str(tmp_path / "game"))
    _box, rc = solara.render(play_app.Page(), handle_error=False)
    boxes = rc.find(v.Checkbox).widgets
    assert [b.label for b in boxes] == ["Pull back r_depot_near"]
    boxes[0].v_model = True
    rc.find(v.Btn, children=["End turn"]).widget.click()
    assert rc.find(v.Checkbox).widgets == []  # moved back: nothing left to pull back
    rc.find(v.Btn, children=["Save"]).widget.click()
    rc.close()
    orders = pd.read_parquet(tmp_path / "game" / "orders.parquet")
    assert orders[["day", "side", "key", "value"]].values.tolist() == [
        [1, "red", "nodes.r_depot_near.pulled_back", "true"]
    ]
    nodes = pd.read_parquet(tmp_path / "game" / "nodes.parquet")
    lon = nodes[nodes["node"] == "r_depot_near"].groupby("day")["lon"].first()
    assert lon.tolist() == [38.0, 38.0]  # at its fallback from the morning of day 1


def test_the_investment_slider_orders_a_line_for_the_day_it_arrives(monkeypatch, tmp_path: Path):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    from sandbox.viz import play_app

    monkeypatch.setenv("SANDBOX_PLAY_MAP", str(SECTOR))
    monkeypatch.setenv("SANDBOX_PLAY_SET", '{"logistics.investment_lead_days": 5}')
    monkeypatch.setenv("SANDBOX_PLAY_OUT", str(tmp_path / "game"))
    monkeypatch.setenv("SANDBOX_PLAY_SEED", "3")
    _box, rc = solara.render(play_app.Page(), handle_error=False)
    (invest,) = [w for w in rc.find(v.Slider).widgets if w.label.startswith("Invest")]
    invest.v_model = 20  # blue_plant's 250 a day (flat) + 20%: 300 from day 0 + 1 + 5
    rc.find(v.Btn, children=["End turn"]).widget.click()
    rc.find(v.Btn, children=["End turn"]).widget.click()
    rc.find(v.Btn, children=["Save"]).widget.click()
    rc.close()
    orders = pd.read_parquet(tmp_path / "game" / "orders.parquet")
    assert orders[["day", "given_day", "key", "value"]].values.tolist() == [
        [6, 0, "nodes.blue_plant.production.ammunition", "250.0"],
        [6, 0, "nodes.blue_plant.ramp.ammunition.target", "300.0"],
        [6, 0, "nodes.blue_plant.ramp.ammunition.start_day", "6"],
        [6, 0, "nodes.blue_plant.ramp.ammunition.days", "0"],
    ]
    saved = pd.read_parquet(tmp_path / "game" / "daily.parquet")
    assert saved["blue.ammunition.produced"].loc[5:6].tolist() == [250.0, 300.0]
    sc = load_scenario(SECTOR).with_overrides({"logistics.investment_lead_days": 5})
    replay = sandbox.run(with_orders(sc, tmp_path / "game" / "orders.toml"), 3, 14)
    pd.testing.assert_frame_equal(saved, replay.daily)
