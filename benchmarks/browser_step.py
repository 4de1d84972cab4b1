"""The browser app's speed in a real headless Chromium (issue 15's browser targets).

For each map (the default map, and a generated 1,000-node map) it serves ``sandbox/viz/app.py``
(``solara run --production``, as ``sandbox viz`` does, offline CDN cache), opens the page and
measures:

- **Step**: seconds from the click on Step until the day label shows the next day AND every
  chart on the page (map and plots, Vega SVGs) has been redrawn; the median of ``--clicks``;
- **Play**: days a second shown while playing, over ``--play-s`` seconds (the day label at
  the end minus at the start, over the time between).

Targets: Step on the default map at most 0.25 s, Play at least 4 days/s, a 1,000-node map at
most 0.5 s a step. Prints a table and writes ``runs/bench/browser_step.json``.

::

    python -m benchmarks.browser_step --clicks 9 --play-s 10
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "sandbox" / "viz" / "app.py"
RESULTS = ROOT / "runs" / "bench"
TARGETS = {"step_s": 0.25, "play_days_per_s": 4.0, "step_s_1000": 0.5}
DAY = re.compile(r"^Day (\d+) · ")

# the charts: this app's Vega views (``data-drawn`` counts their drawings, see
# sandbox/viz/vega_view.py), or the figures' <img> of the Mesa SolaraViz app (before)
CHARTS = "'[data-drawn], .v-window-item img'"
# true once the day label reads `day` and every chart present before the click is redrawn
# (a higher drawing count; an <img> with a new src)
REDRAWN_JS = f"""([day, before]) => {{
  const label = [...document.querySelectorAll('.sandbox-day')].map(e => e.innerText)[0] || '';
  if (!label.startsWith('Day ' + day + ' ')) return false;
  const now = [...document.querySelectorAll({CHARTS})];
  const mark = e => e.src || e.dataset.drawn;
  return now.length >= before && now.every(e => e.__seen !== mark(e));
}}"""
MARK_JS = f"""() => {{
  const charts = [...document.querySelectorAll({CHARTS})];
  charts.forEach(e => {{ e.__seen = e.src || e.dataset.drawn; }});
  return charts.length;
}}"""


def day_shown(page: Any) -> int:
    text = page.locator(".sandbox-day").first.inner_text(timeout=30_000)
    m = DAY.match(text.strip())
    return int(m.group(1)) if m else -1


def step_seconds(page: Any, clicks: int) -> list[float]:
    out = []
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(clicks):
        day = day_shown(page)
        before = page.evaluate(MARK_JS)
        t0 = time.perf_counter()
        step.click()
        page.wait_for_function(REDRAWN_JS, arg=[day + 1, before], polling="raf", timeout=30_000)
        out.append(time.perf_counter() - t0)
    return out


def play_days_per_s(page: Any, seconds: float) -> tuple[float, int, int]:
    """Days a second the label moves while playing; the days at start and end."""
    page.get_by_role("button", name="▶").click()
    page.get_by_role("button", name="❚❚").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # past the first redraw
    d0, t0 = day_shown(page), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    d1, t1 = day_shown(page), time.perf_counter()
    page.get_by_role("button", name="❚❚").click()
    return (d1 - d0) / (t1 - t0), d0, d1


def measure(
    browser: Any, env: dict[str, str], clicks: int, play_s: float, root: Path = ROOT
) -> dict[str, Any]:
    """Serve the app of the checkout at ``root`` and time it."""
    from tests.browser import conftest

    conftest.REPO_ROOT = root  # the server runs from (and imports the sandbox of) root
    server = conftest.start_solara_server(root / APP.relative_to(ROOT), env=env)
    try:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(server.url)
        page.get_by_role("button", name="Step", exact=True).wait_for(timeout=60_000)
        page.locator(CHARTS.strip("'")).first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # the first drawing of every chart
        steps = step_seconds(page, clicks)
        play, d0, d1 = play_days_per_s(page, play_s) if play_s > 0 else (float("nan"), 0, 0)
        page.close()
    finally:
        server.stop()
    return {
        "step_s": steps,
        "step_median_s": statistics.median(steps),
        "play_days_per_s": play,
        "play_days": [d0, d1],
    }


def checkout(ref: str) -> Path:
    """``git archive REF`` unpacked into a temporary folder (the baseline's code)."""
    import subprocess

    out = Path(tempfile.mkdtemp(prefix="browser-step-base-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from sandbox.scenario.generate import generate_map, write_map
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clicks", type=int, default=9)
    ap.add_argument("--play-s", type=float, default=10.0)
    ap.add_argument("--baseline", metavar="REF", help="also time the app of git REF (before)")
    ap.add_argument("--only", choices=("default", "1000"), help="time one map only")
    args = ap.parse_args(argv)
    roots = {"": ROOT}
    if args.baseline:
        roots[f"{args.baseline}: "] = checkout(args.baseline)
    big = Path(tempfile.mkdtemp(prefix="bench-1k-")) / "generated_1000.toml"
    write_map(generate_map(1000, seed=1, days=365), big)
    maps = {"default map": {}, "1,000 nodes": {"SANDBOX_VIZ_MAP": str(big)}}
    if args.only:
        name = {"default": "default map", "1000": "1,000 nodes"}[args.only]
        maps = {name: maps[name]}
    results: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, env in maps.items():
            for tag, root in roots.items():
                play_s = args.play_s if name == "default map" else 0.0
                results[tag + name] = measure(browser, env, args.clicks, play_s, root)
        browser.close()
    print(f"{'app: map':<24} {'step median s':>14} {'steps (s)':<40} {'play days/s':>12}")
    for name, r in results.items():
        steps = " ".join(f"{s:.3f}" for s in r["step_s"])
        print(f"{name:<24} {r['step_median_s']:>14.3f} {steps:<40} {r['play_days_per_s']:>12.2f}")
    print("targets:", TARGETS)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "browser_step.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
