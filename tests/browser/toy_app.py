"""A tiny SolaraViz app for the browser-test harness.

Run it by hand with ``solara run tests/browser/toy_app.py --host 127.0.0.1``.

The model holds one counter; ``step()`` adds ``increment`` to it.  The page has
Mesa's own controls (Reset / Play / Step, a "Time: <t>" read-out), one slider
parameter ("Increment"), Mesa's matplotlib space drawing of a small grid and a
custom component that prints the counter and draws it as a matplotlib figure.

``Page`` builds a new model per browser session (``solara.use_memo``), so tests
that share one server do not see each other's steps.
"""

from __future__ import annotations

import mesa
import solara
from matplotlib.figure import Figure
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.components.matplotlib_components import make_mpl_space_component
from mesa.visualization.components.portrayal_components import AgentPortrayalStyle

GRID_WIDTH = 4
N_MARKERS = 3


class Marker(CellAgent):
    """A static agent, only there so the space drawing has something to draw."""

    def __init__(self, model: ToyModel, cell) -> None:
        super().__init__(model)
        self.cell = cell


class ToyModel(mesa.Model):
    """One counter; each step adds ``increment``."""

    def __init__(self, increment: int = 1, rng: int | None = 42) -> None:
        super().__init__(rng=rng)
        self.increment = int(increment)
        self.counter = 0
        self.grid = OrthogonalMooreGrid((GRID_WIDTH, GRID_WIDTH), torus=False, random=self.random)
        for i in range(N_MARKERS):
            Marker(self, self.grid[(i, i)])

    def step(self) -> None:
        self.counter += self.increment


def counter_text(model: ToyModel) -> str:
    return f"Counter: {model.counter} (increment {model.increment})"


def CounterView(model: ToyModel):
    """A plain function: SolaraViz wraps it so it re-renders after each step."""
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar(["counter"], [model.counter], color="tab:blue")
    ax.set_ylim(0, max(10, model.counter + 1))
    with solara.Column() as main:
        solara.Text(counter_text(model))
        solara.FigureMatplotlib(fig, format="png")
    return main


def marker_portrayal(agent: Marker) -> AgentPortrayalStyle:
    return AgentPortrayalStyle(color="tab:red", size=50)


model_params = {
    "increment": Slider("Increment", value=1, min=1, max=5, step=1),
}

components = [
    make_mpl_space_component(agent_portrayal=marker_portrayal),
    CounterView,
]


@solara.component
def Page():
    # one model per browser session; a module-level model would be shared by all
    model = solara.use_memo(ToyModel, [])
    return SolaraViz(model, components=components, model_params=model_params, name="Toy")
