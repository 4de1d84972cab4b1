"""Fog of war (what a side sees) and doctrine opponents (who gives orders each turn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sandbox
from sandbox.cli.main import main
from sandbox.errors import ScenarioError
from sandbox.play.doctrine import Doctrine, load_doctrine
from sandbox.play.fog import FOG_SD, RECON_FACTOR, Fog
from sandbox.play.game import play
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES
from tests.test_decisions import fork

QUANTITIES = ("stock", "received", "consumed", "short")


def truth(m: sandbox.LogisticsModel) -> dict[str, np.ndarray]:
    t = m.state.today
    short = np.maximum(t.demand - t.consumed, 0.0)
    return {"stock": m.state.stock, "received": t.received, "consumed": t.consumed, "short": short}


def test_without_fog_the_view_is_the_truth():
    m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "sector.toml"), rng=5)
    eyes = Fog(m, enabled=False)
    for _ in range(6):
        m.step()
        eyes.observe(m)
    for side in ("blue", "red"):
        v = eyes.view(m, side)
        for name, arr in truth(m).items():
            assert np.array_equal(getattr(v, name), arr), name
        assert not np.isnan(v.rate).any() and v.rel_sd.tolist() == [0.0] * 4


def test_with_fog_own_numbers_are_exact_and_the_enemy_is_off_by_the_documented_sd():
    m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "sector.toml"), rng=5)
    eyes = Fog(m)
    errors = []
    for _ in range(60):
        m.step()
        eyes.observe(m)
        v = eyes.view(m, "blue")
        assert v.own.tolist() == [True, True, False, False]
        assert v.rel_sd.tolist() == [0.0, 0.0, FOG_SD, FOG_SD]
        for name, arr in truth(m).items():
            seen = getattr(v, name)
            assert np.array_equal(seen[:2], arr[:2]), name
            real = arr[2:] > 0
            errors += ((seen[2:][real] / arr[2:][real] - 1.0) / FOG_SD).tolist()
        assert np.isnan(v.rate[2:]).all() and v.rate[0].tolist() == [250.0, 60.0, 0.5]
    z = np.array(errors)
    assert len(z) > 400
    # standard normal draws: mean 0 (se ~0.05), sd 1 (se ~0.03)
    assert abs(z.mean()) < 0.2 and 0.88 < z.std() < 1.12


def test_same_seed_same_estimates_and_looking_never_changes_the_game():
    def views(seed: int) -> list[np.ndarray]:
        m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "sector.toml"), rng=seed)
        eyes = Fog(m)
        out = []
        for _ in range(5):
            m.step()
            out.append(eyes.view(m, "red").stock)
        return out

    a, b, c = views(1), views(1), views(2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[-1], c[-1])
    watched = play(
        load_scenario(EXAMPLES / "sector.toml"),
        seed=4,
        days=20,
        turn_days=2,
        doctrines={"blue": Doctrine("blue"), "red": Doctrine("red")},
    )
    plain = sandbox.run(EXAMPLES / "sector.toml", seed=4, days=20)
    pd.testing.assert_frame_equal(watched.daily, plain.daily)


def test_a_strike_is_reconnaissance():
    m = sandbox.LogisticsModel(load_scenario(EXAMPLES / "strikes.toml"), rng=0)
    eyes = Fog(m)
    red = m.state.side == 1
    for _ in range(30):
        m.step()
        eyes.observe(m)
        hit = m.state.strikes.node_hits > 0
        if (hit & red).any():
            break
    assert (hit & red).any()
    v = eyes.view(m, "blue")
    assert (v.rel_sd[hit & red] == FOG_SD * RECON_FACTOR).all()
    assert v.rel_sd[~red].tolist() == [0.0] * int((~red).sum())


def test_the_default_doctrine_reacts_to_a_shortage_with_its_documented_orders():
    raw = fork().to_dict()
    raw["nodes"][2]["stock"] = {"ammunition": 5000.0}  # b is well stocked; a starts empty
    raw["players"] = {"blue": {"doctrine": "default"}}
    raw["logistics"]["investment_lead_days"] = 3
    res = play(sandbox.from_dict(raw), seed=0, days=14, turn_days=7)
    rows = [
        (r["order"], r["day"], r["given_day"], r["side"], r["key"], r["value"], r["note"])
        for r in res.orders.to_dict("records")
    ]
    invested = "doctrine: invest, plant to x1.25"
    # both given after day 7: the priority for day 8, the investment for day 7 + 1 + 3
    # (the plant's flat 100 a day: the new line's 125 from that day, a step)
    assert rows == [
        (0, 8, 7, "blue", "nodes.a.priority", "2.0", "doctrine: main effort to a (short)"),
        (1, 11, 7, "blue", "nodes.plant.production.ammunition", "100.0", invested),
        (1, 11, 7, "blue", "nodes.plant.ramp.ammunition.target", "125.0", invested),
        (1, 11, 7, "blue", "nodes.plant.ramp.ammunition.start_day", "11", invested),
        (1, 11, 7, "blue", "nodes.plant.ramp.ammunition.days", "0", invested),
    ]
    assert res.daily["blue.ammunition.produced"].loc[10:11].tolist() == [100.0, 125.0]


def test_sandbox_run_plays_the_maps_doctrines_and_replays_their_orders(tmp_path: Path):
    raw = load_scenario(EXAMPLES / "two_node.toml").to_dict()
    raw["players"] = {"blue": {"doctrine": "default"}}
    raw["logistics"]["investment_lead_days"] = 5
    import tomli_w

    game_map = tmp_path / "game.toml"
    game_map.write_bytes(tomli_w.dumps(raw).encode())
    args = ["run", str(game_map), "--seed", "2", "--no-progress", "--turn-days", "7"]
    assert main([*args, "--out", str(tmp_path / "game")]) == 0
    orders = pd.read_parquet(tmp_path / "game" / "orders.parquet")
    # short from day 5 (5,000 rounds, 1,500 fired, 1,000 made a day): invest after days
    # 7, 14, 21, 28, each in effect 1 + 5 days later (day 34 is after the run's 30)
    first = orders.groupby("order")[["day", "given_day"]].first()
    assert first["day"].tolist() == [13, 20, 27]
    assert first["given_day"].tolist() == [7, 14, 21]
    replay = [
        *args,
        "--orders",
        str(tmp_path / "game" / "orders.toml"),
        "--out",
        str(tmp_path / "r"),
    ]
    assert main(replay) == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "game" / "daily.parquet"),
        pd.read_parquet(tmp_path / "r" / "daily.parquet"),
    )
    # the replay took them as map events: in its event log, not as orders
    assert len(pd.read_parquet(tmp_path / "r" / "events.parquet")) == len(orders)
    assert not (tmp_path / "r" / "orders.toml").exists()


def test_a_doctrine_is_named_or_loaded_by_path():
    assert type(load_doctrine("tests.test_fog_doctrine:Doctrine", "red")) is Doctrine
    with pytest.raises(ScenarioError, match=r"players\.red: field 'doctrine': 'clever': expected"):
        load_doctrine("clever", "red")
    with pytest.raises(ScenarioError, match="cannot load 'nowhere:X'"):
        load_doctrine("nowhere:X", "red")
