"""Reset, Play/Pause and Step, and the play loop that redraws every few days.

The page owns the running model (a ``solara.Reactive``) and a redraw count ``tick``; the
panels redraw when ``tick`` moves. Step makes one day and redraws. Play makes days in a
worker thread and redraws after every ``days_per_redraw`` of them (the map and the plots
take longer to draw than a day takes to compute), at most one redraw per
:data:`PLAY_FRAME_S`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara
import solara.lab

PLAY_FRAME_S = 0.1  # shortest time between two redraws while playing
DEFAULT_DAYS_PER_REDRAW = 3


@dataclass
class Run:
    """The page's reactive state the controls drive."""

    model: solara.Reactive[Any]
    tick: solara.Reactive[int]
    playing: solara.Reactive[bool]
    days_per_redraw: solara.Reactive[int]


def step_days(model: Any, days: int) -> int:
    """Step up to ``days`` days (fewer when the model stops); the days made."""
    made = 0
    while made < days and model.running:
        model.step()
        made += 1
    return made


def play_loop(run: Run) -> None:
    """While playing: make ``days_per_redraw`` days, redraw, wait out the frame."""
    while run.playing.value and run.model.value.running:
        t0 = time.perf_counter()
        step_days(run.model.value, max(1, run.days_per_redraw.value))
        run.tick.set(run.tick.value + 1)
        time.sleep(max(0.0, PLAY_FRAME_S - (time.perf_counter() - t0)))
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
            f"Days per redraw while playing: {run.days_per_redraw.value}",
            value=run.days_per_redraw,
            min=1,
            max=30,
        )
    return main
