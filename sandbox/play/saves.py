"""Saved games: a run folder plus ``session.json``, and loading one to go on playing.

:meth:`Session.save <sandbox.play.session.Session.save>` writes the run folder of
:meth:`Results.save` (with ``orders.toml``: ``sandbox run MAP --orders`` replays the
game) and ``session.json``: the seed, who plays each side, the turn length, the
fog, the day, the turns played, the side to move, and any orders given but not yet
in effect (a hot-seat blue who has ended the turn before red).

:meth:`Session.load <sandbox.play.session.Session.load>` rebuilds the game from the
folder's own ``scenario.toml`` (the map as it was played): a new session with the
saved settings, then, turn by turn, the humans' saved orders (applied or pending),
each given again after the day it was given (the day before it took effect, or its
``given_day``: an investment is given for a later day) and the turn's days played,
the doctrines ordering at each turn's end as they did (so they remember what they
did, e.g. when they last invested). The replayed order log and pending orders must
equal the saved ones, order for order: otherwise the save does not belong to this
code or was edited, and loading stops with a
:class:`~sandbox.errors.ScenarioError` naming the first order that differs.

This module holds the file side (:func:`write_meta`, :func:`read_meta`,
:func:`saved_games`, :func:`check_replay`); the game side is in the session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.scenario.schema import SIDES

SESSION_FILE = "session.json"
FIELDS = ("seed", "players", "turn_days", "fog", "day", "turns", "to_move", "pending")


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    (folder / SESSION_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


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


def check_replay(source: str, saved: list[dict[str, Any]], replayed: list[dict[str, Any]]):
    """Raise :class:`ScenarioError` at the first order the replay did not give again."""
    for i, (a, b) in enumerate(zip(saved, replayed, strict=False)):
        if a != b:
            raise ScenarioError(source, [f"order {i} does not replay: saved {a}, replayed {b}"])
    if len(saved) != len(replayed):
        raise ScenarioError(
            source, [f"{len(saved)} orders saved but the replay gave {len(replayed)}"]
        )
