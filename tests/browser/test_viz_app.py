"""The sandbox's browser app (sandbox/viz/app.py) in a real headless Chromium.

One server for the module (``solara run --production``, offline CDN cache); each
test opens its own page, so each gets its own model (built per browser session).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().parents[2] / "sandbox" / "viz" / "app.py"
DAY = re.compile(r"^Day (\d+) · \d{4}-\d\d-\d\d$")
FIGURE_TIMEOUT = 20_000


@pytest.fixture(scope="module")
def app_url(solara_server) -> str:
    return solara_server(APP).url


def day_shown(page: Page) -> int:
    text = page.get_by_text(DAY).first.inner_text(timeout=FIGURE_TIMEOUT)
    m = DAY.match(text.strip())
    assert m, text
    return int(m.group(1))


def wait_day(page: Page, day: int) -> None:
    expect(page.get_by_text(DAY).first).to_have_text(re.compile(rf"^Day {day} "), timeout=15_000)


def settled_day(page: Page, quiet_ms: int = 6000, limit_s: float = 45.0) -> int:
    """The day shown once it has not changed for ``quiet_ms`` (bounded by ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    day = day_shown(page)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = day_shown(page)
        if now == day:
            return day
        day = now
    raise AssertionError(f"the day shown kept changing for {limit_s} s after Pause")


def map_img(page: Page):
    img = page.locator(".v-window-item img").first
    img.wait_for(state="visible", timeout=FIGURE_TIMEOUT)
    return img


def test_page_loads_with_map_plots_and_status(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    expect(page.get_by_text("Map: ukraine_2023.toml (Ukraine 2023)", exact=False)).to_be_visible()
    figures = page.locator(".v-window-item img")
    figures.nth(3).wait_for(state="visible", timeout=FIGURE_TIMEOUT)  # map + 3 plots
    for k in range(4):
        assert figures.nth(k).evaluate("img => img.complete && img.naturalWidth > 0")
    page.wait_for_load_state("networkidle", timeout=10_000)
    page_problems.assert_none()


def test_step_advances_the_day_and_redraws_the_map(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    img = map_img(page)
    src0 = img.get_attribute("src")
    step = page.get_by_role("button", name="Step")
    step.click()
    wait_day(page, 1)
    expect(page.get_by_text("Day 1 · 2023-01-01", exact=False)).to_be_visible()
    for _ in range(2):
        step.click()
    wait_day(page, 3)
    expect(map_img(page)).not_to_have_attribute("src", src0 or "", timeout=FIGURE_TIMEOUT)
    assert "day 3" in (map_img(page).get_attribute("alt") or "day 3")
    page_problems.assert_none()


def test_play_runs_and_pause_stops(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    page.get_by_role("button", name="▶").click()
    expect(page.get_by_text(DAY).first).not_to_have_text(re.compile(r"^Day [0-2] "), timeout=30_000)
    page.get_by_role("button", name="❚❚").click()
    expect(page.get_by_role("button", name="Step")).to_be_enabled(timeout=10_000)
    # the page may still be drawing steps made before Pause: wait until it settles
    paused = settled_day(page)
    assert paused >= 3
    page.wait_for_timeout(4000)
    assert day_shown(page) == paused, "the day moved on after Pause"
    page_problems.assert_none()


def test_slider_and_reset_rebuild_the_model(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    page.get_by_role("button", name="Step").click()
    wait_day(page, 1)
    slider = page.get_by_role("slider", name="Red quantity ×")
    expect(slider).to_have_attribute("aria-valuenow", "1")
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", re.compile(r"^1\.5"))
    # the slider says its value and what it scales; a notice says Reset applies it
    label = "Red quantity ×1.50 of the map's red guns per unit"
    expect(page.get_by_text(label, exact=False).first).to_be_visible()
    notice = page.get_by_text("Levers changed: press Reset to apply them", exact=False)
    expect(notice).to_be_visible()
    # the running model keeps its levers until Reset
    expect(page.get_by_text("red quantity ×1.00", exact=False)).to_be_visible()
    expect(page.get_by_text("Day 1 · 2023-01-01", exact=False)).to_be_visible()
    page.get_by_role("button", name="Reset").click()
    wait_day(page, 0)
    expect(page.get_by_text("Day 0 · 2022-12-31", exact=False)).to_be_visible()
    expect(page.get_by_text("red quantity ×1.50 → red guns ×1.50", exact=False)).to_be_visible()
    expect(notice).to_have_count(0)
    page_problems.assert_none()


def test_loading_a_second_map(page, page_problems, open_solara, app_url, save_screenshot):
    open_solara(app_url)
    wait_day(page, 0)
    src0 = map_img(page).get_attribute("src")
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="examples/chain.toml").click()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Map: examples/chain.toml", exact=False)).to_be_visible()
    wait_day(page, 0)
    expect(map_img(page)).not_to_have_attribute("src", src0 or "", timeout=FIGURE_TIMEOUT)
    page.get_by_role("button", name="Step").click()
    wait_day(page, 1)
    save_screenshot("-chain")
    page_problems.assert_none()


def test_server_log_is_clean(solara_server, app_url):
    log = solara_server(APP).log_text()
    assert "Could not load URL" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_lesson_by_name_loads_its_map_and_shows_its_text(
    page, page_problems, open_solara, solara_server
):
    """``sandbox viz --lesson interdiction``: the lesson's map and title in the status panel."""
    from sandbox.cli import main as cli
    from sandbox.cli import viz as cli_viz

    _, env = cli_viz.server_command(
        cli.build_parser().parse_args(["viz", "--lesson", "interdiction"])
    )
    keep = {k: env[k] for k in ("SANDBOX_VIZ_MAP", "SANDBOX_VIZ_LESSON")}
    open_solara(solara_server(APP, env=keep).url)
    wait_day(page, 0)
    expect(page.get_by_text("Lesson 3: Distance and interdiction", exact=False)).to_be_visible(
        timeout=FIGURE_TIMEOUT
    )
    expect(page.get_by_text("interdiction.toml", exact=False).first).to_be_visible()
    page_problems.assert_none()
