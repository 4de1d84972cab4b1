"""The sandbox's browser app (sandbox/viz/app.py) in a real headless Chromium.

One server for the module (``solara run --production``, offline CDN cache); each
test opens its own page, so each gets its own model (built per browser session).
The charts are Vega views (sandbox/viz/vega_view.py): their element's ``data-drawn``
counts the drawings the browser has made.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().parents[2] / "sandbox" / "viz" / "app.py"
DAY = re.compile(r"^Day (\d+) · \d{4}-\d\d-\d\d$")
FIGURE_TIMEOUT = 20_000
NODE_MARKS = ".sandbox-map svg .mark-symbol.role-mark path"  # not the legend's symbols


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


def the_map(page: Page):
    """The map's chart once the browser has drawn it."""
    chart = page.locator(".sandbox-map[data-drawn]")
    chart.wait_for(state="visible", timeout=FIGURE_TIMEOUT)
    return chart


def drawings(locator) -> int:
    return int(locator.get_attribute("data-drawn") or 0)


MAP_DRAWINGS = "() => +(document.querySelector('.sandbox-map') || {dataset: {}}).dataset.drawn || 0"


def step_days(page: Page, n: int) -> None:
    """Press Step ``n`` times, each time until the day moved and the map was redrawn."""
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(n):
        day, drawn = day_shown(page), page.evaluate(MAP_DRAWINGS)
        step.click()
        wait_day(page, day + 1)
        try:  # a day that changes nothing on the map gives no drawing: do not wait forever
            page.wait_for_function(f"() => ({MAP_DRAWINGS})() > {drawn}", timeout=5_000)
        except PlaywrightTimeout:
            pass


def test_page_loads_with_map_plots_and_status(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    expect(page.get_by_text("Map: ukraine_2023.toml (Ukraine 2023)", exact=False)).to_be_visible()
    the_map(page)
    n_nodes = len(model_after(0).state.node_ids)
    assert page.locator(NODE_MARKS).count() == n_nodes  # one mark per node
    step_days(page, 1)
    plots = page.locator(".sandbox-plot[data-drawn]")
    expect(plots).to_have_count(
        5, timeout=FIGURE_TIMEOUT
    )  # stock, strength, fire, production, front
    assert page.locator(".sandbox-plot svg").count() == 5  # sharp: SVG, not pictures
    page.wait_for_load_state("networkidle", timeout=10_000)
    page_problems.assert_none()


def test_step_advances_the_day_and_redraws_the_map(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    drawn0 = drawings(the_map(page))
    step_days(page, 1)
    expect(page.get_by_text("Day 1 · 2023-01-01", exact=False)).to_be_visible()
    step_days(page, 2)
    page.wait_for_function(
        f"() => +document.querySelector('.sandbox-map').dataset.drawn > {drawn0}",
        timeout=FIGURE_TIMEOUT,
    )
    page_problems.assert_none()


def test_mesa_chrome_is_gone_and_the_day_is_right(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    step_days(page, 2)
    body = page.locator("body").inner_text()
    for chrome in ("PAGE 0", "Page 0", "Time:", "Use Threads", "Play Interval", "Render Interval"):
        assert chrome not in body, chrome
    assert [line for line in body.splitlines() if DAY.match(line.strip())] == ["Day 2 · 2023-01-02"]
    page_problems.assert_none()


def map_settled(page: Page, quiet_ms: int = 800, limit_s: float = 20.0) -> None:
    """Wait until the map has not been redrawn for ``quiet_ms`` (a redraw replaces its marks)."""
    deadline = time.monotonic() + limit_s
    drawn = page.evaluate(MAP_DRAWINGS)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = page.evaluate(MAP_DRAWINGS)
        if now == drawn:
            return
        drawn = now
    raise AssertionError(f"the map kept redrawing for {limit_s} s")


def model_after(days: int):
    """The app's default model, stepped as the page's (same map and seed: deterministic)."""
    from sandbox.viz.params import VizModel

    m = VizModel()
    for _ in range(days):
        m.step()
    return m


def tooltip(page: Page, node: str) -> dict[str, str]:
    box = page.locator("#vg-tooltip-element.visible")
    expect(box).to_contain_text(node, timeout=FIGURE_TIMEOUT)
    rows = box.locator("tr")
    out = {}
    for k in range(rows.count()):
        cells = rows.nth(k).locator("td")
        out[cells.nth(0).inner_text().strip()] = cells.nth(1).inner_text().strip()
    return out


HOVERED = "blue_port_gdansk"  # alone on the Baltic coast: nothing on top of it


def test_hovering_a_node_shows_its_stocks_days_of_supply_and_orders(
    page, page_problems, open_solara, app_url
):
    open_solara(app_url)
    step_days(page, 3)
    m = model_after(3)
    s, i = m.state, m.state.node_index[HOVERED]
    node = page.locator(f'{NODE_MARKS}[aria-label*="node: {HOVERED};"]')
    map_settled(page)
    page.mouse.move(0, 0)
    node.hover()
    tip = tooltip(page, HOVERED)
    assert tip["node"] == HOVERED and tip["kind"] == "depot" and tip["side"] == "blue"
    for k, c in enumerate(s.commodities):
        assert tip[f"stock {c}"] == f"{s.stock[i, k]:,.1f}"
    a = s.commodities.index("ammunition")
    assert tip["days of supply (ammunition)"] == f"{s.stock[i, a] / s.forecast[i, a]:.1f}"
    assert tip["orders in (yesterday)"] == f"{s.orders_in[i, a]:,.1f}"
    asked = float(s.today.requested[s.dst == i, a].sum())
    assert tip["ordered today"] == f"{asked:,.1f}"
    page_problems.assert_none()


def test_clicking_a_node_shows_its_detail(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    step_days(page, 3)
    expect(page.get_by_text("Click a node on the map for its detail.")).to_be_visible()
    m = model_after(3)
    s, i = m.state, m.state.node_index[HOVERED]
    node = page.locator(f'{NODE_MARKS}[aria-label*="node: {HOVERED};"]')
    map_settled(page)
    node.hover()  # as a user would: the tooltip says the view is live under it
    tooltip(page, HOVERED)
    node.click()
    card = page.locator(".sandbox-node-detail")
    expect(card).to_contain_text(f"Node {HOVERED}", timeout=FIGURE_TIMEOUT)
    fc = float(s.forecast[i, 0])
    expect(card).to_contain_text(f"{s.stock[i, 0]:,.1f} ({s.stock[i, 0] / fc:.1f} days)")
    expect(card).to_contain_text("link to blue_hub_rzeszow")
    page_problems.assert_none()


def test_play_runs_and_pause_stops(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    page.get_by_role("button", name="▶").click()
    expect(page.get_by_text(DAY).first).not_to_have_text(re.compile(r"^Day [0-2] "), timeout=30_000)
    page.get_by_role("button", name="❚❚").click()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled(timeout=10_000)
    # the page may still be drawing steps made before Pause: wait until it settles
    paused = settled_day(page)
    assert paused >= 3
    page.wait_for_timeout(4000)
    assert day_shown(page) == paused, "the day moved on after Pause"
    page_problems.assert_none()


def test_slider_and_reset_rebuild_the_model(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    wait_day(page, 0)
    step_days(page, 1)
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
    the_map(page)
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="examples/chain.toml").click()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Map: examples/chain.toml", exact=False)).to_be_visible()
    wait_day(page, 0)
    expect(page.locator(NODE_MARKS)).to_have_count(3, timeout=FIGURE_TIMEOUT)  # plant, hub, front
    step_days(page, 1)
    save_screenshot("-chain")
    page_problems.assert_none()


def test_server_log_is_clean(solara_server, app_url):
    log = solara_server(APP).log_text()
    assert "Could not load URL" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_lesson_by_name_loads_its_map_levers_plots_and_hides_the_takeaway(
    page, page_problems, open_solara, solara_server
):
    """``sandbox viz --lesson quality_quantity``: the lesson's map, text, levers (the law and
    supply among them) and strength plot; the takeaway only after a step and a click."""
    from sandbox import lessons
    from sandbox.cli import main as cli
    from sandbox.cli import viz as cli_viz

    _, env = cli_viz.server_command(
        cli.build_parser().parse_args(["viz", "--lesson", "quality_quantity"])
    )
    keep = {k: env[k] for k in ("SANDBOX_VIZ_MAP", "SANDBOX_VIZ_LESSON", "SANDBOX_VIZ_LESSON_NAME")}
    open_solara(solara_server(APP, env=keep).url)
    wait_day(page, 0)
    lesson = lessons.get("quality_quantity")
    expect(page.get_by_text("Lesson 4: Quality versus quantity", exact=False)).to_be_visible(
        timeout=FIGURE_TIMEOUT
    )
    expect(page.get_by_text("quality_quantity.toml", exact=False).first).to_be_visible()
    expect(page.get_by_text("Attrition law of every sector").first).to_be_visible()
    expect(page.get_by_role("slider", name="Red supply ×")).to_have_count(1)
    expect(page.get_by_role("slider", name="Blue production ×")).to_have_count(0)
    takeaway = page.get_by_text(lesson.takeaway[:60], exact=False)
    button = page.get_by_role("button", name="Show the takeaway")
    expect(button).to_have_count(0)
    expect(takeaway).to_have_count(0)
    step_days(page, 1)
    expect(page.locator(".sandbox-plot-strength[data-drawn]")).to_be_visible(timeout=FIGURE_TIMEOUT)
    expect(takeaway).to_have_count(0)
    button.click()
    expect(takeaway).to_be_visible()
    page_problems.assert_none()


def test_the_map_zooms_and_keeps_its_zoom_through_a_step(page, page_problems, open_solara, app_url):
    open_solara(app_url)
    step_days(page, 1)
    labels_js = (
        "() => [...document.querySelector('.sandbox-map svg .role-axis-label')"
        ".querySelectorAll('text')].map(t => t.textContent).join(' ')"
    )
    before = page.evaluate(labels_js)
    box = the_map(page).locator("svg").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
    for _ in range(3):
        page.mouse.wheel(0, -300)  # scroll up: zoom in
    page.wait_for_function(f"() => ({labels_js})() !== {before!r}", timeout=FIGURE_TIMEOUT)
    zoomed = page.evaluate(labels_js)
    step_days(page, 1)  # the day's rows swap into the same view: the zoom stays
    assert page.evaluate(labels_js) == zoomed
    page_problems.assert_none()
