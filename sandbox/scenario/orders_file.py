"""``orders.toml``: the orders of a game, as ``[[events]]`` to replay on a map.

A run that took orders writes them to its folder as ``orders.toml`` (one
``[[events]]`` entry per order: ``day``, ``side``, ``note``, ``set``); ``sandbox run
MAP --orders orders.toml`` appends them to the map's own events, after them, and
replays the game bit for bit (orders apply after the day's map events, as in play).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sandbox.errors import ScenarioError
from sandbox.scenario.load import Scenario, from_dict


def read_orders(path: str | Path) -> list[dict[str, object]]:
    """The ``[[events]]`` entries of an orders file; raises :class:`ScenarioError`."""
    source = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(source, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, [f"cannot read the file: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [f"TOML syntax error: {exc}"]) from None
    extra = sorted(set(raw) - {"events"})
    if extra:
        raise ScenarioError(
            source, [f"unknown key {k!r}: an orders file holds only [[events]]" for k in extra]
        )
    events = raw.get("events", [])
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ScenarioError(source, ["'events' must be a list of tables ([[events]])"])
    return events


def with_orders(sc: Scenario, path: str | Path) -> Scenario:
    """``sc`` with the orders of ``path`` appended to its ``[[events]]``, validated."""
    raw = sc.to_dict()
    raw["events"] = list(raw.get("events", [])) + read_orders(path)
    return from_dict(raw, source=f"{sc.source} + {path}")
