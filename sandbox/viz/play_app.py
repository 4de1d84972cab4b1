"""The game page: ``solara run sandbox/viz/play_app.py`` (``sandbox play`` does this).

Configuration from the environment, set by ``sandbox play``: ``SANDBOX_PLAY_MAP``
(map path), ``SANDBOX_PLAY_BLUE`` / ``SANDBOX_PLAY_RED`` ("human" or a doctrine),
``SANDBOX_PLAY_TURN_DAYS``, ``SANDBOX_PLAY_SEED``, ``SANDBOX_PLAY_SET`` (JSON of the
``--set`` overrides), ``SANDBOX_PLAY_FOG`` ("0" lifts
the fog), ``SANDBOX_PLAY_OUT`` (where Save writes the run folder).

The turn panel shows the side to move its decisions (front priorities, one
investment, depots to pull back to their fallbacks, free dotted-key orders);
**End turn** gives them as one order (the investment as an order of its own for
the day its capacity arrives: :func:`sandbox.play.decisions.invest_seen`; all
or none) and plays the turn; the report, the map as
the side to move knows it (own nodes exact, the enemy's as fog estimates:
:mod:`sandbox.viz.play_map`), the game log and any refused order are shown
below. **Save** writes the game to ``SANDBOX_PLAY_OUT``; **Load** picks a saved
game (that folder and its siblings), replays it to its day
(:mod:`sandbox.play.saves`) and plays on from there.
Every browser session plays its own :class:`~sandbox.play.session.Session`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import solara

from sandbox.errors import ScenarioError
from sandbox.play.decisions import invest_seen
from sandbox.play.saves import SESSION_FILE, saved_games
from sandbox.play.session import Session
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.values import parse_value
from sandbox.viz.play_map import view_map_figure


def new_session() -> Session:
    env = os.environ
    sc = load_scenario(env.get("SANDBOX_PLAY_MAP") or DEFAULT_MAP)
    overrides = json.loads(env.get("SANDBOX_PLAY_SET") or "{}")  # sandbox play --set
    if overrides:
        sc = sc.with_overrides(overrides)
    players = {
        s: env.get(f"SANDBOX_PLAY_{s.upper()}", d)
        for s, d in (("blue", "human"), ("red", "default"))
    }
    return Session(
        sc,
        seed=int(env.get("SANDBOX_PLAY_SEED", DEFAULT_SEED)),
        players=players,
        turn_days=int(env.get("SANDBOX_PLAY_TURN_DAYS", "7")),
        fog=env.get("SANDBOX_PLAY_FOG", "1") != "0",
    )


def pull_back_candidates(game: Session) -> list[str]:
    """The side to move's depots with a fallback that have not moved back yet."""
    s = game.model.state
    return [
        n.id
        for i, n in enumerate(game.model.timeline.current.spec.nodes)
        if n.kind == "depot"
        and n.side == game.to_move
        and n.fallback is not None
        and not n.pulled_back
        and not s.strikes.displaced[i]
    ]


def turn_orders(
    game: Session,
    priorities: dict[str, float],
    invest: float,
    extra: str,
    pull: frozenset[str] = frozenset(),
) -> list[tuple[dict[str, Any], int | None]]:
    """The side to move's decisions as orders ``(changes, day)``: one for the next
    morning (only what changed), and the investment for the day it arrives."""
    v = game.view()
    changes: dict[str, Any] = {
        f"nodes.{node}.priority": p
        for node, p in priorities.items()
        if p != v.priority[v.index(node)]
    }
    out: list[tuple[dict[str, Any], int | None]] = []
    plants = [i for i, k in enumerate(v.kind) if k == "factory" and v.own[i]]
    if invest > 0 and plants and "ammunition" in v.commodities:
        c = v.column("ammunition")
        i = max(plants, key=lambda p: v.rate[p, c])
        target = float(v.rate[i, c]) * (1 + invest / 100)
        inv = invest_seen(v, v.node_ids[i], "ammunition", target)
        out.append((inv.changes, inv.day))
    changes |= {f"nodes.{depot}.pulled_back": True for depot in sorted(pull)}
    for line in extra.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            changes[key.strip()] = parse_value(value.strip())
    return ([(changes, None)] if changes else []) + out


def save_root() -> Path:
    return Path(os.environ.get("SANDBOX_PLAY_OUT") or "runs/play")


@solara.component
def Page() -> Any:
    first = solara.use_memo(new_session, [])
    game, set_game = solara.use_state(first)
    tick, set_tick = solara.use_state(0)
    report, set_report = solara.use_state("")
    message, set_message = solara.use_state("")

    def played(text: str) -> None:
        set_report(text)
        set_tick(tick + 1)

    def save() -> None:
        out = save_root()
        set_message(f"saved {game.save(out)}/ (replay: sandbox run MAP --orders {out}/orders.toml)")

    def load(folder: str) -> None:
        try:
            loaded = Session.load(folder)
        except ScenarioError as exc:
            set_message(str(exc))
            return
        set_game(loaded)
        set_message(f"loaded {folder}/")
        set_report(f"Loaded: day {loaded.day}, {loaded.to_move} to move.")

    with solara.Column():
        title = f"## {game.sc.name}: day {game.day} of {game.sc.days}, {game.to_move} to move"
        solara.Markdown(title)
        TurnPanel(game, on_played=played, on_message=set_message, on_save=save).key(
            f"turn-{id(game)}"
        )
        LoadPanel(saved_games(save_root()), on_load=load)
        if message:
            solara.Markdown(f"```\n{message}\n```")
        solara.Markdown(report or "_No turn played yet._")
        FogMap(game, game.day, game.to_move)
        log = game.model.orders.frame(game.model)
        if len(log):
            solara.DataFrame(log)


@solara.component
def FogMap(game: Session, day: int, to_move: str) -> Any:
    """The map as the side to move knows it (:mod:`sandbox.viz.play_map`)."""
    fig = solara.use_memo(
        lambda: view_map_figure(game.model, game.view()), [id(game), day, to_move]
    )
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def LoadPanel(games: list[Path], on_load: Any) -> Any:
    """Pick a saved game (the save folder and its siblings) and Load it."""
    names = [str(g) for g in games]
    chosen, set_chosen = solara.use_state("")
    latest = max(games, key=lambda g: (g / SESSION_FILE).stat().st_mtime, default=None)
    pick = chosen if chosen in names else (str(latest) if latest else "")
    with solara.Row():
        solara.Select("Pick a game", values=names, value=pick, on_value=set_chosen)
        solara.Button("Load", on_click=lambda: on_load(pick), disabled=not pick)


@solara.component
def TurnPanel(game: Session, on_played: Any, on_message: Any, on_save: Any) -> Any:
    """The decisions of the side to move, End turn and Save."""
    no_change: dict[str, float] = {}
    priorities, set_priorities = solara.use_state(no_change)
    invest, set_invest = solara.use_state(0.0)
    extra, set_extra = solara.use_state("")
    pull, set_pull = solara.use_state(frozenset[str]())
    v = game.view()
    fronts = [v.node_ids[i] for i, k in enumerate(v.kind) if k == "front" and v.own[i]]

    def end_turn() -> None:
        wanted = {f: priorities.get(f, 1.0) for f in fronts}
        given = turn_orders(game, wanted, invest, extra, pull)
        refused = game.orders(given, note=f"turn {game.turns + 1}")
        on_message(refused)
        if refused:
            return
        set_invest(0.0)
        set_extra("")
        set_pull(frozenset())
        on_played(game.end_turn())

    def setter(front: str) -> Any:
        def set_one(x: float) -> None:
            set_priorities({**priorities, front: x})

        return set_one

    with solara.Card("Turn"):
        for f in fronts:
            now = priorities.get(f, float(v.priority[v.index(f)]))
            solara.SliderFloat(
                f"Priority {f}", value=now, min=0.5, max=5.0, step=0.5, on_value=setter(f)
            )
        solara.SliderFloat(
            "Invest: ammunition output + %",
            value=invest,
            min=0,
            max=100,
            step=5,
            on_value=set_invest,
        )
        PullBack(pull_back_candidates(game), pull, set_pull)
        solara.InputTextArea(
            "Other orders (KEY=VALUE per line)",
            value=extra,
            on_value=set_extra,
            continuous_update=True,
        )
        with solara.Row():
            solara.Button("End turn", on_click=end_turn, disabled=game.over)
            solara.Button("Save", on_click=on_save)


@solara.component
def PullBack(depots: list[str], pull: frozenset[str], on_pull: Any) -> Any:
    """One box per depot the side may pull back to its fallback (``nodes.ID.pulled_back``)."""

    def toggle(depot: str) -> Any:
        return lambda on: on_pull(pull | {depot} if on else pull - {depot})

    for depot in depots:
        solara.Checkbox(label=f"Pull back {depot}", value=depot in pull, on_value=toggle(depot))
