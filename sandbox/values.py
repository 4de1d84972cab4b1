"""Values typed at the command line (``--set KEY=VALUE``, ``--vary KEY=V1,V2``), read as TOML.

One parser for every face, so ``true``, ``3``, ``0.5``, ``"x"`` and ``[1, 2]`` mean
the same thing in ``run --set``, ``validate --set``, events and sweeps. Text that
is not a TOML value is kept as a string (``rail``), and the schema decides.
"""

from __future__ import annotations

import tomllib
from typing import Any


def parse_value(text: str) -> Any:
    """Parse a value as TOML (``3``, ``0.5``, ``true``, ``"x"``); otherwise the bare string.

    >>> parse_value("3"), parse_value("0.5"), parse_value("true"), parse_value("rail")
    (3, 0.5, True, 'rail')
    """
    text = text.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip("\"'")
