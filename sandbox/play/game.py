"""The game loop: play ``turn_days`` days, then let each side's doctrine give orders.

``play(scenario, seed, days, turn_days=7)`` runs the scenario like
:func:`sandbox.simulation.run`, and at the end of each turn (after days
``turn_days``, ``2 x turn_days``, ...; not after the last day) asks each
doctrine (the map's ``[players.SIDE]``, or ``doctrines``) for orders, given its
side's :class:`~sandbox.play.fog.View`, and gives them with
``model.apply_orders(..., side=SIDE)``. The orders are in ``Results.orders`` and
``orders.toml``: ``sandbox run MAP --orders orders.toml`` replays the game
without the doctrines, bit for bit.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from sandbox.model import LogisticsModel
from sandbox.observe.results import Results
from sandbox.play.doctrine import Doctrine, load_doctrine
from sandbox.play.fog import Fog
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario
from sandbox.simulation import collect_results


def map_doctrines(sc: Scenario) -> dict[str, Doctrine]:
    """The doctrines the map's ``[players]`` names, by side."""
    return {side: load_doctrine(p.doctrine, side, sc.source) for side, p in sc.spec.players.items()}


def play(
    sc: Scenario,
    seed: int = DEFAULT_SEED,
    days: int | None = None,
    turn_days: int = 7,
    doctrines: Mapping[str, Doctrine] | None = None,
    fog: bool = True,
) -> Results:
    """Play ``sc`` with doctrines (default: the map's players); return the results."""
    if turn_days < 1:
        raise ValueError(f"turn_days must be at least 1, got {turn_days}")
    n_days = sc.days if days is None else int(days)
    players = map_doctrines(sc) if doctrines is None else dict(doctrines)
    t0 = time.perf_counter()
    model = LogisticsModel(sc, rng=seed)
    eyes = Fog(model, enabled=fog)
    for day in range(1, n_days + 1):
        model.step()
        eyes.observe(model)
        if day % turn_days == 0 and day < n_days:
            turn(model, eyes, players, day)
    return collect_results(model, seed=seed, wall_s=time.perf_counter() - t0)


def turn(model: LogisticsModel, eyes: Fog, players: Mapping[str, Doctrine], day: int) -> None:
    """End of a turn: each doctrine, in side order, sees its view and gives its orders."""
    for side, doctrine in sorted(players.items()):
        view = eyes.view(model, side)
        for order in doctrine.orders(view, day):
            model.apply_orders(order.changes, side=side, note=order.note, day=order.day)
