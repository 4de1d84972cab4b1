"""``sandbox play`` in a real headless Chromium: three turns as blue, Save, replay."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "sandbox" / "viz" / "play_app.py"
SECTOR = ROOT / "maps" / "examples" / "sector.toml"
OUT = Path(tempfile.mkdtemp(prefix="play18-")) / "game"
ORDERS = (
    "units.blue_brigade.rounds_per_gun_per_day=20",
    "nodes.blue_plant.production.ammunition=400",
    "links.blue_plant->blue_front.capacity_t=300",
)


@pytest.fixture(scope="module")
def play_url(solara_server) -> str:
    env = {"SANDBOX_PLAY_MAP": str(SECTOR), "SANDBOX_PLAY_OUT": str(OUT), "SANDBOX_PLAY_SEED": "3"}
    return solara_server(APP, env=env).url


def end_turn_with(page: Page, order: str, day: int) -> None:
    box = page.get_by_label("Other orders (KEY=VALUE per line)")
    box.fill(order)
    page.get_by_role("button", name="End turn").click()
    expect(page.get_by_text(f"day {day} of 60", exact=False)).to_be_visible(timeout=20_000)


def test_three_turns_as_blue_save_and_replay(page, page_problems, open_solara, play_url):
    import sandbox
    from sandbox.scenario.load import load_scenario
    from sandbox.scenario.orders_file import with_orders

    open_solara(play_url, ready_button="End turn")
    for k, order in enumerate(ORDERS, 1):
        end_turn_with(page, order, 7 * k)
    expect(page.get_by_text("Turn 3: days 15-21, blue", exact=False)).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved", exact=False)).to_be_visible(timeout=20_000)
    orders = pd.read_parquet(OUT / "orders.parquet")
    assert orders.groupby("order")["day"].first().tolist() == [1, 8, 15]
    replay = sandbox.run(with_orders(load_scenario(SECTOR), OUT / "orders.toml"), seed=3, days=21)
    pd.testing.assert_frame_equal(pd.read_parquet(OUT / "daily.parquet"), replay.daily)
    page_problems.assert_none()


LOAD_OUT = Path(tempfile.mkdtemp(prefix="play18-load-")) / "game"


@pytest.fixture(scope="module")
def load_url(solara_server) -> str:
    env = {
        "SANDBOX_PLAY_MAP": str(SECTOR),
        "SANDBOX_PLAY_OUT": str(LOAD_OUT),
        "SANDBOX_PLAY_SEED": "3",
    }
    return solara_server(APP, env=env).url


def test_two_turns_save_reload_load_and_the_game_is_back(
    page, page_problems, open_solara, load_url
):
    import sandbox
    from sandbox.scenario.load import load_scenario
    from sandbox.scenario.orders_file import with_orders

    open_solara(load_url, ready_button="End turn")
    for k, order in enumerate(ORDERS[:2], 1):
        end_turn_with(page, order, 7 * k)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved", exact=False)).to_be_visible(timeout=20_000)
    first_save = pd.read_parquet(LOAD_OUT / "orders.parquet")
    open_solara(load_url, ready_button="End turn")  # reload: a new game on day 0
    expect(page.get_by_text("day 0 of 60", exact=False)).to_be_visible()
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.get_by_text("day 14 of 60, blue to move", exact=False)).to_be_visible(
        timeout=20_000
    )
    for key, times in first_save["key"].value_counts().items():  # the game log is back:
        # each key in as many rows as it was saved (waits out a redraw caught half done)
        expect(page.get_by_role("cell", name=str(key), exact=True)).to_have_count(int(times))
    page.get_by_role("button", name="Save", exact=True).click()  # the loaded game's own tables
    expect(page.get_by_text("saved", exact=False)).to_be_visible(timeout=20_000)
    pd.testing.assert_frame_equal(pd.read_parquet(LOAD_OUT / "orders.parquet"), first_save)
    replay = sandbox.run(
        with_orders(load_scenario(SECTOR), LOAD_OUT / "orders.toml"), seed=3, days=14
    )
    pd.testing.assert_frame_equal(pd.read_parquet(LOAD_OUT / "daily.parquet"), replay.daily)
    page_problems.assert_none()
