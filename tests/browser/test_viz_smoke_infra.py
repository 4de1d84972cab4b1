"""Proves the browser-test harness on a tiny SolaraViz app (tests/browser/toy_app.py).

Everything the page loads must come from the local Solara server (its CDN proxy
cache filled by scripts/prepare-viz): no page errors, no failed requests, nothing
fetched from outside.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOY_APP = Path(__file__).with_name("toy_app.py")


@pytest.fixture(scope="module")
def toy_url(solara_server) -> str:
    return solara_server(TOY_APP).url


def test_page_loads_offline_without_errors(
    page, page_problems, open_solara, toy_url, save_screenshot
):
    seconds = open_solara(toy_url)
    assert seconds < 30
    expect(page.get_by_role("button", name="Reset")).to_be_visible()
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    expect(page.get_by_text("Counter: 0 (increment 1)")).to_be_visible()
    # both matplotlib figures (space drawing and counter bar) arrive as <img>
    figures = page.locator(".v-window-item img")
    figures.nth(1).wait_for(state="visible")
    for k in range(2):
        assert figures.nth(k).evaluate("img => img.complete && img.naturalWidth > 0"), (
            f"figure {k} not drawn"
        )
    page.wait_for_load_state("networkidle", timeout=10_000)
    save_screenshot("-loaded")
    page_problems.assert_none()


def test_step_advances_the_model(page, page_problems, open_solara, toy_url):
    open_solara(toy_url)
    step = page.get_by_role("button", name="Step")
    counter_img = page.locator(".v-window-item img").nth(1)
    counter_img.wait_for(state="visible")
    src_before = counter_img.get_attribute("src")

    step.click()
    expect(page.get_by_text("Time: 1.0")).to_be_visible()
    expect(page.get_by_text("Counter: 1 (increment 1)")).to_be_visible()
    step.click()
    step.click()
    expect(page.get_by_text("Time: 3.0")).to_be_visible()
    expect(page.get_by_text("Counter: 3 (increment 1)")).to_be_visible()
    # the figure is redrawn (a new image) after stepping
    expect(counter_img).not_to_have_attribute("src", src_before or "")
    page_problems.assert_none()


def test_slider_and_reset_rebuild_the_model(page, page_problems, open_solara, toy_url):
    open_solara(toy_url)
    slider = page.get_by_role("slider", name="Increment")
    expect(slider).to_have_attribute("aria-valuenow", "1")
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", "3")

    # the running model keeps its parameters until Reset
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Counter: 1 (increment 1)")).to_be_visible()

    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Time: 0.0")).to_be_visible()
    expect(page.get_by_text("Counter: 0 (increment 3)")).to_be_visible()
    page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Time: 1.0")).to_be_visible()
    expect(page.get_by_text("Counter: 3 (increment 3)")).to_be_visible()
    page_problems.assert_none()


def test_server_log_has_no_cdn_misses_or_tracebacks(solara_server, toy_url):
    # runs after the page tests (same module-scoped server): the log must show no
    # proxy-cache miss ("Could not load URL") and no exception in the app
    log = solara_server(TOY_APP).log_text()
    assert "Could not load URL" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
