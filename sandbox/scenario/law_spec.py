"""Attrition laws as a map names them: ``"square"``, ``"linear"`` or Helmbold's ``{p, q}``.

The scenario layer reads and checks a sector's ``law``; the rules in
:mod:`sandbox.rules.combat.laws` integrate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.errors import did_you_mean

MAX_EXPONENT = 10.0  # textbook laws use 0..2; strengths <= 1e15 to the 10th stay <= 1e150


@dataclass(frozen=True)
class Law:
    """Helmbold exponents: losses of A are ``b * B**p * A**q``."""

    p: float
    q: float

    def __post_init__(self) -> None:
        for name in ("p", "q"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= MAX_EXPONENT:
                raise ValueError(f"Law.{name} must be a number in 0..{MAX_EXPONENT:g}, got {v!r}")


SQUARE = Law(1.0, 0.0)
LINEAR = Law(1.0, 1.0)
_NAMED = {"square": SQUARE, "linear": LINEAR}
LawSpec = Law | str | Mapping[str, float]


def law_from_spec(spec: object) -> Law:
    """Read a law from ``"square"``, ``"linear"`` or ``{"p": .., "q": ..}``.

    >>> law_from_spec("square") == SQUARE, law_from_spec({"p": 1, "q": 1}) == LINEAR
    (True, True)
    """
    if isinstance(spec, Law):
        return spec
    if isinstance(spec, str) and spec in _NAMED:
        return _NAMED[spec]
    if isinstance(spec, Mapping) and set(spec) == {"p", "q"}:
        return Law(spec["p"], spec["q"])  # Law checks the values
    hint = did_you_mean(spec, _NAMED) if isinstance(spec, str) else ""
    raise ValueError(
        f"bad attrition law {spec!r}{hint}: expected 'square', 'linear' "
        "or a mapping with exactly the keys 'p' and 'q' (Helmbold exponents)"
    )
