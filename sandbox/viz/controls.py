"""Reset, Play/Pause and Step, and the play loop that redraws every few days.

The page owns the running model (a ``solara.Reactive``) and a redraw count ``tick``; the
panels redraw when ``tick`` moves. Step makes one day and redraws. Play makes days in a
worker thread and redraws after every few of them (the map and the plots take far longer
to draw than a day takes to compute): it waits until the browser has drawn the map
(``Run.drawn``, set by the map's view), so the server never runs ahead of the page, and
makes at least ``days_per_redraw`` days a frame, more when a frame takes long, so the day
shown moves at :data:`PLAY_DAYS_PER_S` or faster.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara
import solara.lab

PLAY_FRAME_S = 0.1  # shortest time between two redraws while playing
PLAY_DAYS_PER_S = 5.0  # Play makes more days a frame when frames are slow
DRAW_WAIT_S = 5.0  # longest wait for the browser's drawing of a frame
DEFAULT_DAYS_PER_REDRAW = 2
MAX_DAYS_PER_REDRAW = 30


@dataclass
class Run:
    """The page's reactive state the controls drive."""

    model: solara.Reactive[Any]
    tick: solara.Reactive[int]
    playing: solara.Reactive[bool]
    days_per_redraw: solara.Reactive[int]
    drawn: threading.Event  # set by the map when the browser has drawn it

    def on_drawn(self, _count: int = 0) -> None:
        self.drawn.set()


def step_days(model: Any, days: int) -> int:
    """Step up to ``days`` days (fewer when the model stops); the days made."""
    made = 0
    while made < days and model.running:
        model.step()
        made += 1
    return made


def days_per_frame(least: int, frame_s: float) -> int:
    """Days to make a frame: ``least``, or enough to move at :data:`PLAY_DAYS_PER_S`."""
    need = math.ceil(PLAY_DAYS_PER_S * frame_s - 1e-9)
    return max(1, least, min(need, MAX_DAYS_PER_REDRAW))


def play_loop(run: Run) -> None:
    """While playing: make a frame's days, redraw, wait for the browser's drawing."""
    frame_s = 0.0
    while run.playing.value and run.model.value.running:
        t0 = time.perf_counter()
        step_days(run.model.value, days_per_frame(run.days_per_redraw.value, frame_s))
        run.drawn.clear()
        run.tick.set(run.tick.value + 1)
        run.drawn.wait(DRAW_WAIT_S)
        time.sleep(max(0.0, PLAY_FRAME_S - (time.perf_counter() - t0)))
        frame_s = time.perf_counter() - t0
    if run.playing.value:
        run.playing.set(False)


@solara.component
def Controls(run: Run, on_reset: Callable[[], None]) -> Any:
    playing = run.playing.value
    running = run.model.value.running
    solara.lab.use_task(lambda: play_loop(run), dependencies=[playing], prefer_threaded=True)

    def step() -> None:
        if step_days(run.model.value, 1):
            run.tick.set(run.tick.value + 1)

    def reset() -> None:
        run.playing.set(False)
        on_reset()

    with solara.Column() as main:
        with solara.Row(justify="space-between"):
            solara.Button("Reset", color="primary", on_click=reset)
            solara.Button(
                "❚❚" if playing else "▶",
                color="primary",
                on_click=lambda: run.playing.set(not run.playing.value),
                disabled=not running,
            )
            solara.Button("Step", color="primary", on_click=step, disabled=playing or not running)
        solara.SliderInt(
            f"Play: at least {run.days_per_redraw.value} days per redraw",
            value=run.days_per_redraw,
            min=1,
            max=30,
        )
    return main
