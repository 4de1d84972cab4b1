"""The options every subcommand that runs the model spells the same way.

``--seed`` (default :data:`~sandbox.scenario.defaults.DEFAULT_SEED`), ``--set KEY=VALUE``
(repeatable, a dotted key of the map), and the parsing of ``--set``. ``--out`` and
``--force`` are checked by :mod:`sandbox.cli.guards`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sandbox.errors import UsageError
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.values import parse_value

SET_HELP = (
    "set a map value by its dotted key (repeatable), e.g. --set sides.red.quality=0.3 "
    "or --set links.plant->front.capacity_t=500"
)


def add_common(parser: argparse.ArgumentParser, *, seed: bool = True, sets: bool = True) -> None:
    """The options every face that runs the model shares: ``--seed`` and ``--set``."""
    if seed:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
    if sets:
        parser.add_argument(
            "--set", action="append", default=[], metavar="KEY=VALUE", help=SET_HELP
        )


def parse_sets(pairs: Sequence[str]) -> dict[str, object]:
    """``--set`` pairs as overrides (``{"sides.red.quality": 0.3}``); a pair without ``=``
    is a :class:`~sandbox.errors.UsageError` (exit 2)."""
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE, e.g. sides.red.quality=0.3")
        out[key.strip()] = parse_value(value.strip())
    return out
