"""The app's page: ``solara run sandbox/viz/app.py`` (``sandbox viz`` does this).

Configuration comes from the environment, set by ``sandbox viz``:

* ``SANDBOX_VIZ_MAP`` -- the map loaded first (a name under maps/ or a path);
* ``SANDBOX_VIZ_LESSON_NAME`` -- a lesson's name: its levers, plots and text
  (:mod:`sandbox.viz.lesson_setup`), the takeaway behind a button;
* ``SANDBOX_VIZ_LESSON`` -- otherwise, text (Markdown) shown beside the map;
* ``SANDBOX_VIZ_SEED`` -- the first model's seed (default: the command line's default seed).

The page is the app's own (not Mesa's ``SolaraViz``, whose chrome -- page tabs, "Time:",
"Use Threads", draggable cards -- has no options to hide it): a sidebar with Reset, Play,
Step and the levers; the interactive map beside the day, the status, the clicked node's
detail and the lesson; the plots below. Every browser session builds its own model
(``solara.use_memo``): no model lives in module state.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import solara

from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.viz.components import LessonPanel, MapPanel, NodeDetail, PlotPanel, StatusView
from sandbox.viz.controls import DEFAULT_DAYS_PER_REDRAW, Controls, Run
from sandbox.viz.lesson_setup import AppSetup, LessonText, lesson_text, plots_for, setup_for
from sandbox.viz.levers import CHOICES, LeverInputs, start_values
from sandbox.viz.params import MAP_LAW, VizModel, list_maps, map_label, resolve_map

ENV_MAP = "SANDBOX_VIZ_MAP"
ENV_LESSON = "SANDBOX_VIZ_LESSON"
ENV_LESSON_NAME = "SANDBOX_VIZ_LESSON_NAME"
ENV_SEED = "SANDBOX_VIZ_SEED"
TITLE = "Logistics race"


def initial_map() -> str:
    name = os.environ.get(ENV_MAP, "")
    return map_label(resolve_map(name)) if name else list_maps()[0]


def map_choices(first_map: str) -> list[str]:
    maps = list_maps()
    return maps if first_map in maps else [first_map, *maps]


def page_lesson() -> tuple[AppSetup, LessonText]:
    """The lesson named in the environment (its setup and text), else the default setup
    and any free text."""
    name = os.environ.get(ENV_LESSON_NAME, "")
    if name:
        return setup_for(name), lesson_text(name)
    return setup_for(""), LessonText(os.environ.get(ENV_LESSON, ""))


def initial_controls(first_map: str, levers: tuple[str, ...] = ()) -> dict[str, Any]:
    """The controls of a new page: the map, the default seed (the command line's), and
    each lever at the map's own value. The page's first model is built from them."""
    return {
        "map": first_map,
        "seed": os.environ.get(ENV_SEED, "") or str(DEFAULT_SEED),
        **{name: MAP_LAW if name in CHOICES else 1.0 for name in levers},
    }


def rebuilt(chosen: dict[str, Any]) -> VizModel:
    """Reset: a model from the chosen controls."""
    return VizModel(**chosen)


@solara.component
def Page() -> Any:
    first_map = solara.use_memo(initial_map, [])
    setup, text = solara.use_memo(page_lesson, [])
    maps = solara.use_memo(lambda: map_choices(first_map), [])
    first = solara.use_memo(lambda: rebuilt(initial_controls(first_map, setup.levers)), [])
    run = Run(
        model=solara.use_reactive(first),
        tick=solara.use_reactive(0),
        playing=solara.use_reactive(False),
        days_per_redraw=solara.use_reactive(DEFAULT_DAYS_PER_REDRAW),
        drawn=solara.use_memo(threading.Event, []),
    )
    chosen = solara.use_reactive(start_values(first, setup.levers))
    node = solara.use_reactive(None)

    def reset() -> None:
        run.model.set(rebuilt(chosen.value))
        node.set(None)
        run.tick.set(run.tick.value + 1)

    model, tick = run.model.value, run.tick.value
    solara.Title(TITLE)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            Controls(run, on_reset=reset)
        with solara.Card("Levers"):
            LeverInputs(maps, setup.levers, chosen, model)
    has_sectors = bool(getattr(model.spec.spec, "sectors", None))
    with solara.Column(style={"padding": "8px"}):
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            with solara.Column(style={"flex": "0 0 auto"}):
                MapPanel(model, tick, on_node=node.set, on_drawn=run.on_drawn)
            with solara.Column(style={"flex": "1 1 320px", "min-width": "300px"}):
                StatusView(model, tick, setup.levers)
                NodeDetail(model, tick, node.value)
                if text.body:
                    LessonPanel(text, model.state.day)
        with solara.Row(style={"flex-wrap": "wrap"}):
            for name in plots_for(setup, has_sectors):
                PlotPanel(model, tick, name)
