"""The Solara page: ``solara run sandbox/viz/app.py`` (``sandbox viz`` does this).

Configuration comes from the environment, set by ``sandbox viz``:

* ``SANDBOX_VIZ_MAP`` -- the map loaded first (a name under maps/ or a path);
* ``SANDBOX_VIZ_LESSON`` -- text (Markdown) shown in the status panel.

Every browser session builds its own model inside :func:`Page`
(``solara.use_memo``): no model lives in module state.
"""

from __future__ import annotations

import os
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz
from mesa.visualization import solara_viz as _mesa_solara_viz

from sandbox.viz.components import make_components
from sandbox.viz.levers import SESSION, LeverInputs, Levers, slider_label
from sandbox.viz.params import DEFAULT_SEED, VizModel, list_maps, map_label, resolve_map

ENV_MAP = "SANDBOX_VIZ_MAP"
ENV_LESSON = "SANDBOX_VIZ_LESSON"
TITLE = "Logistics race"
# lever sliders: (min, max, step) of the multiplier
SLIDERS = {
    "blue_production": (0.25, 4.0, 0.25),
    "red_quantity": (0.2, 3.0, 0.1),
    "red_quality": (0.2, 3.0, 0.1),
    "strike_intensity": (0.0, 3.0, 0.25),
}


def initial_map() -> str:
    name = os.environ.get(ENV_MAP, "")
    return map_label(resolve_map(name)) if name else list_maps()[0]


def model_params(first_map: str) -> dict[str, Any]:
    """SolaraViz controls; each name is a keyword of :class:`VizModel`."""
    maps = list_maps()
    if first_map not in maps:
        maps.insert(0, first_map)
    return {
        "map": {"type": "Select", "value": first_map, "values": maps, "label": "Map"},
        "seed": {"type": "InputText", "value": str(DEFAULT_SEED), "label": "Seed"},
        **{
            name: Slider(slider_label(name, 1.0), value=1.0, min=lo, max=hi, step=step, dtype=float)
            for name, (lo, hi, step) in SLIDERS.items()
        },
    }


def grid_layout(n: int) -> list[dict[str, Any]]:
    """Card layout (12 columns, 30 px rows): a wide map beside the status panel,
    then the plots two by two. Mesa's default gives every card half the width and
    300 px, too small for the map."""
    if n < 2:
        return [{"i": 0, "x": 0, "y": 0, "w": 12, "h": 20, "moved": False}][:n]
    out = [
        {"i": 0, "x": 0, "y": 0, "w": 8, "h": 20, "moved": False},
        {"i": 1, "x": 8, "y": 0, "w": 4, "h": 20, "moved": False},
    ]
    for k in range(2, n):
        j = k - 2
        out.append(
            {"i": k, "x": 6 * (j % 2), "y": 20 + 12 * (j // 2), "w": 6, "h": 12, "moved": False}
        )
    return out


# ComponentsView and ModelCreator look these up on every page build; this server serves
# only this app: our card layout, and the controls with values, units and a Reset notice
_mesa_solara_viz.make_initial_grid_layout = grid_layout
_mesa_solara_viz.UserInputs = LeverInputs


@solara.component
def Page() -> Any:
    first_map = solara.use_memo(initial_map, [])
    lesson = solara.use_memo(lambda: os.environ.get(ENV_LESSON, ""), [])
    components = solara.use_memo(lambda: make_components(lesson), [])
    params = solara.use_memo(lambda: model_params(first_map), [])
    # one model per browser session; Reset replaces model.value (the lever notice reads it)
    first = solara.use_memo(lambda: VizModel(map=first_map), [])
    model: solara.Reactive[VizModel] = solara.use_reactive(first)
    chosen: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    solara.use_effect(lambda: SESSION.set(Levers(model, chosen)), [])
    return SolaraViz(model, components=components, model_params=params, name=TITLE)
