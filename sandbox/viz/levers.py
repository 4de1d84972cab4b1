"""The app's levers, said plainly: slider labels that show their value and what it scales,
the status panel's lever lines, and a "levers changed: Reset to apply" notice.

:func:`LeverInputs` draws the map, seed and the levers a lesson declares
(:mod:`sandbox.viz.lesson_setup`), each slider's label showing its value and unit, and below
them the notice while the chosen controls differ from those of the running model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from sandbox.viz.params import LAWS, MAP_LAW

# what each lever multiplies: (slider name, what it scales, in its unit)
LEVERS: dict[str, tuple[str, str]] = {
    "blue_production": ("Blue production", "the map's blue factory output per day"),
    "red_quantity": ("Red quantity", "the map's red guns per unit"),
    "red_quality": ("Red quality", "the map's red lethality per round"),
    "strike_intensity": ("Strike intensity", "the map's strikes per day"),
    "blue_supply": ("Blue supply", "the map's blue link capacity (t/day)"),
    "red_supply": ("Red supply", "the map's red link capacity (t/day)"),
}
# lever sliders: (min, max, step) of the multiplier
SLIDERS: dict[str, tuple[float, float, float]] = {
    "blue_production": (0.25, 4.0, 0.25),
    "red_quantity": (0.2, 3.0, 0.1),
    "red_quality": (0.2, 16.0, 0.2),
    "strike_intensity": (0.0, 3.0, 0.25),
    "blue_supply": (0.25, 3.0, 0.25),
    "red_supply": (0.25, 3.0, 0.25),
}
# levers chosen from a list: name -> (label, choices)
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "attrition_law": ("Attrition law of every sector", (MAP_LAW, *LAWS)),
}
LAW_WORDS = {
    MAP_LAW: "as the map says",
    "square": "square (aimed fire)",
    "helmbold": "Helmbold p 1, q 0.5",
    "linear": "linear (area fire)",
}


def law_of_words(words: str) -> str:
    """The law a choice's words name (the select shows :data:`LAW_WORDS`, not raw keys)."""
    (law,) = [law for law, w in LAW_WORDS.items() if w == words]
    return law


NOTICE = "Levers changed: press Reset to apply them (the running model keeps its own)."


def slider_label(name: str, value: float) -> str:
    """``Red quantity ×1.50 of the map's red guns per unit``."""
    title, scales = LEVERS[name]
    return f"{title} ×{value:.2f} of {scales}"


def lever_lines(model: Any, shown: tuple[str, ...] | None = None) -> list[str]:
    """The running model's seed and levers (those ``shown`` and any moved off the map's
    value), each with what it gives (the status panel):
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
        moved = value != (MAP_LAW if name in CHOICES else 1.0)
        if shown is not None and name not in shown and not moved:
            continue
        if name in CHOICES:
            out.append(f"attrition law: {LAW_WORDS.get(value, value)}")
            continue
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


def start_values(model: Any, levers: tuple[str, ...]) -> dict[str, Any]:
    """The controls as the running model has them: map, seed and the levers shown."""
    applied = applied_controls(model)
    return {k: applied[k] for k in ("map", "seed", *levers) if k in applied}


@solara.component
def LeverInputs(
    maps: list[str],
    levers: tuple[str, ...],
    chosen: solara.Reactive[dict[str, Any]],
    running: Any,
) -> Any:
    """Map, seed and the levers, with values in the slider labels and the Reset notice."""
    values = chosen.value

    def setter(name: str) -> Callable[[Any], None]:
        def set_one(value: Any) -> None:
            chosen.set({**chosen.value, name: value})

        return set_one

    def chooser(name: str) -> Callable[[str], None]:
        def choose(words: str) -> None:
            setter(name)(law_of_words(words))

        return choose

    solara.Select("Map", value=values["map"], values=maps, on_value=setter("map"))
    solara.InputText("Seed", value=str(values["seed"]), on_value=setter("seed"))
    for name in levers:
        if name in CHOICES:
            label, options = CHOICES[name]
            solara.Select(
                label,
                value=LAW_WORDS[values[name]],
                values=[LAW_WORDS[o] for o in options],
                on_value=chooser(name),
            )
            continue
        lo, hi, step = SLIDERS[name]
        title, _ = LEVERS[name]
        solara.Text(slider_label(name, float(values[name])), style={"font-size": "0.85em"})
        solara.SliderFloat(
            f"{title} ×{float(values[name]):.2f}",
            value=float(values[name]),
            on_value=setter(name),
            min=lo,
            max=hi,
            step=step,
        )
    if changed(applied_controls(running), values):
        solara.Warning(NOTICE, dense=True, classes=["sandbox-reset-notice"])
