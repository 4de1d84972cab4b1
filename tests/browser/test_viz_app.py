"""The sandbox's browser app (sandbox/viz/app.py) in a real headless Chromium.

One server for the module (``solara run --production``, offline CDN cache); each
test opens its own page, so each gets its own model (built per browser session).
"""

from __future__ import annotations

import re
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
