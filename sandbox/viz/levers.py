"""The app's levers, said plainly: slider labels that show their value and what it scales,
the status panel's lever lines, and a "levers changed: Reset to apply" notice.

Mesa's SolaraViz draws the controls with its ``UserInputs``; :func:`LeverInputs` takes its
place (``sandbox/viz/app.py`` installs it): the same controls, each slider's label showing
its value and unit, and below them the notice while the chosen controls differ from those of
the running model. The running model and the chosen values reach it through :data:`SESSION`,
which the app's page sets: a ``solara.reactive`` at module level holds one value per browser
session (a context would not reach the sidebar, which Solara renders outside the page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import solara
from mesa.visualization import Slider

# what each lever multiplies: (slider name, what it scales, in its unit)
LEVERS: dict[str, tuple[str, str]] = {
    "blue_production": ("Blue production", "the map's blue factory output per day"),
    "red_quantity": ("Red quantity", "the map's red guns per unit"),
    "red_quality": ("Red quality", "the map's red lethality per round"),
    "strike_intensity": ("Strike intensity", "the map's strikes per day"),
}
NOTICE = "Levers changed: press Reset to apply them (the running model keeps its own)."


def slider_label(name: str, value: float) -> str:
    """``Red quantity ×1.50 of the map's red guns per unit``."""
    title, scales = LEVERS[name]
    return f"{title} ×{value:.2f} of {scales}"


def lever_lines(model: Any) -> list[str]:
    """The running model's seed and levers, each with what it gives (the status panel):
    ``red quality ×1.00 → 0.40 lethality per round (blue's 1.00)``."""
    levers = getattr(model, "levers", None)
    if levers is None:
        return []
    sides = model.spec.spec.sides
    gives = {
        "red_quantity": f"→ red guns ×{sides['red'].quantity:.2f} of the map's units",
        "red_quality": f"→ {sides['red'].quality:.2f} lethality per round"
        f" (blue's {sides['blue'].quality:.2f})",
    }
    out = [f"Seed {getattr(model, 'seed', '?')}"]
    for name, value in levers.items():
        title, scales = LEVERS.get(name, (name, ""))
        out.append(f"{title.lower()} ×{value:.2f} " + gives.get(name, f"of {scales}"))
    return out


def changed(applied: dict[str, Any], chosen: dict[str, Any]) -> list[str]:
    """The controls whose chosen value differs from the running model's (in chosen order)."""

    def same(a: Any, b: Any) -> bool:
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return str(a) == str(b)

    return [k for k, v in chosen.items() if k in applied and not same(applied[k], v)]


def applied_controls(model: Any) -> dict[str, Any]:
    """The control values the running model was built from."""
    out: dict[str, Any] = dict(getattr(model, "levers", {}))
    if hasattr(model, "map_name"):
        out["map"] = model.map_name
    if hasattr(model, "seed"):
        out["seed"] = str(model.seed)
    return out


@dataclass
class Levers:
    """What :func:`LeverInputs` needs from the page: the running model, and the controls'
    chosen values (a reactive dict, per browser session)."""

    model: solara.Reactive[Any]
    chosen: solara.Reactive[dict[str, Any]]


SESSION: solara.Reactive[Levers | None] = solara.reactive(cast("Levers | None", None))


def _slider(name: str, options: Slider, on: Callable[[Any], None], value: Any) -> None:
    label = slider_label(name, value) if name in LEVERS else str(options.label)
    kind = solara.SliderFloat if options.is_float_slider else solara.SliderInt
    kind(label, value=value, on_value=on, min=options.min, max=options.max, step=options.step)


@solara.component
def LeverInputs(
    user_params: dict[str, Any], on_change: Callable[[str, Any], None] | None = None
) -> Any:
    """Mesa's controls, with values in the slider labels and the Reset notice."""
    ctx = SESSION.value
    local: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    chosen = ctx.chosen if ctx is not None else local

    def start(name: str, options: Any) -> Any:
        return options.value if isinstance(options, Slider) else options.get("value")

    values = {n: chosen.value.get(n, start(n, o)) for n, o in user_params.items()}
    for name, options in user_params.items():

        def handler(value: Any, name: str = name) -> None:
            chosen.set({**chosen.value, name: value})
            if on_change is not None:
                on_change(name, value)

        if isinstance(options, Slider):
            _slider(name, options, handler, values[name])
        elif options.get("type") == "Select":
            solara.Select(options.get("label", name), value=values[name], on_value=handler,
                          values=options.get("values"))  # fmt: skip
        else:
            solara.InputText(options.get("label", name), value=values[name], on_value=handler)
    if ctx is not None and changed(applied_controls(ctx.model.value), values):
        solara.Warning(NOTICE, dense=True, classes=["sandbox-reset-notice"])
