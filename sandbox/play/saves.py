"""Saved games: a run folder plus ``session.json``, and loading one to go on playing.

:func:`save_session` writes the run folder of :meth:`Results.save` (with
``orders.toml``: ``sandbox run MAP --orders`` replays the game) and
``session.json``: the seed, who plays each side, the turn length, the fog, the
day, the turns played, the side to move, and any orders given but not yet in
effect (a hot-seat blue who has ended the turn before red).

:func:`load_session` rebuilds the game from the folder's own ``scenario.toml``
(the map as it was played): a new :class:`~sandbox.play.session.Session` with the
saved settings, then, turn by turn, the humans' saved orders of each day and the
turn's days played, the doctrines ordering at each turn's end as they did (so
they remember what they did, e.g. when they last invested); then the humans'
orders still pending. The replayed order log (and the doctrines' pending orders)
must equal the saved ones, order for order: otherwise the save does not
belong to this code or was edited, and loading stops with a
:class:`~sandbox.errors.ScenarioError` naming the first order that differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import ScenarioError
from sandbox.scenario.load import load_scenario
from sandbox.scenario.orders_file import read_orders
from sandbox.scenario.schema import SIDES

if TYPE_CHECKING:
    from sandbox.play.session import Session

SESSION_FILE = "session.json"
FIELDS = ("seed", "players", "turn_days", "fog", "day", "turns", "to_move", "pending")


def save_session(game: Session, path: str | Path) -> Path:
    """Write the game's run folder and ``session.json``; return the folder."""
    out = game.results().save(path)
    if not len(game.model.orders.log):  # a stale orders file would not replay
        for name in ("orders.toml", "orders.parquet"):
            (out / name).unlink(missing_ok=True)
    meta = {
        "seed": game.seed,
        "players": game.players,
        "turn_days": game.turn_days,
        "fog": game.eyes.enabled,
        "day": game.day,
        "turns": game.turns,
        "to_move": game.to_move,
        "pending": [o.as_event() for o in game.model.orders.pending],
    }
    (out / SESSION_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def saved_games(root: str | Path) -> list[Path]:
    """Folders holding a saved game: ``root`` itself and its siblings, by name."""
    base = Path(root)
    found = {p.parent for p in base.parent.glob(f"*/{SESSION_FILE}")}
    if (base / SESSION_FILE).exists():
        found.add(base)
    return sorted(found)


def read_meta(folder: Path) -> dict[str, Any]:
    """``session.json`` of a saved game; a missing or bad file names itself."""
    path = folder / SESSION_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(str(path), ["file not found: not a saved game"]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(str(path), [f"cannot read it: {exc}"]) from None
    if not isinstance(meta, dict):
        raise ScenarioError(str(path), ["expected a JSON object"])
    problems = [f"missing field {k!r}" for k in FIELDS if k not in meta]
    if meta.get("to_move", "blue") not in SIDES:
        problems.append(f"field 'to_move': {meta['to_move']!r}: expected one of {SIDES}")
    if problems:
        raise ScenarioError(str(path), problems)
    return meta


def load_session(path: str | Path) -> Session:
    """The game saved in ``path``, replayed to its saved day."""
    from sandbox.play.session import Session

    folder = Path(path)
    meta = read_meta(folder)
    orders_path = folder / "orders.toml"
    saved = read_orders(orders_path) if orders_path.exists() else []
    game = Session(
        load_scenario(folder / "scenario.toml"),
        seed=int(meta["seed"]),
        players=dict(meta["players"]),
        turn_days=int(meta["turn_days"]),
        fog=bool(meta["fog"]),
    )
    human = [e for e in saved if e.get("side") in game.humans]
    while game.day < int(meta["day"]):
        give(game, [e for e in human if e["day"] == game.day + 1])
        game.play_days()
    book = game.model.orders
    replayed = [o.as_event() for o in (*book.log, *book.pending)]  # pending: the doctrines'
    theirs = [e for e in meta["pending"] if e.get("side") not in game.humans]
    check_replay(str(orders_path), saved + theirs, replayed)
    give(game, [e for e in meta["pending"] if e.get("side") in game.humans])
    game.turns, game.to_move = int(meta["turns"]), SIDES[SIDES.index(meta["to_move"])]
    return game


def give(game: Session, entries: list[dict[str, Any]]) -> None:
    """Give saved ``[[events]]`` entries as orders, each with its side and note."""
    for e in entries:
        game.model.apply_orders(e["set"], side=e.get("side"), note=e.get("note", ""))


def check_replay(source: str, saved: list[dict[str, Any]], replayed: list[dict[str, Any]]):
    """Raise :class:`ScenarioError` at the first order the replay did not give again."""
    for i, (a, b) in enumerate(zip(saved, replayed, strict=False)):
        if a != b:
            raise ScenarioError(source, [f"order {i} does not replay: saved {a}, replayed {b}"])
    if len(saved) != len(replayed):
        raise ScenarioError(
            source, [f"{len(saved)} orders saved but the replay gave {len(replayed)}"]
        )
