"""Helpers for the input fuzz tests: the leaves of a map, their declared ranges, mutations.

A *leaf* is a path into a map's raw dict (``("nodes", 0, "production", "ammunition")``)
whose value is a number, a bool or a string. Its range comes from the schema
itself (the ``ge``/``gt``/``le`` of the pydantic field), so the tests follow the
schema rather than repeat it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import annotated_types as at

from sandbox.scenario.load import FREE_DICTS, TABLES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "maps" / "examples").glob("*.toml"))

Leaf = tuple[Any, ...]


def leaves(raw: Any, loc: Leaf = ()) -> Iterator[Leaf]:
    """Every path to a scalar in ``raw`` (dicts and lists walked, in order)."""
    if isinstance(raw, dict):
        for k, v in raw.items():
            yield from leaves(v, (*loc, k))
    elif isinstance(raw, list):
        for i, v in enumerate(raw):
            yield from leaves(v, (*loc, i))
    else:
        yield loc


def get(raw: Any, loc: Leaf) -> Any:
    for part in loc:
        raw = raw[part]
    return raw


def put(raw: Any, loc: Leaf, value: Any) -> None:
    get(raw, loc[:-1])[loc[-1]] = value


def _model_for(loc: Leaf) -> Any:
    pattern = tuple("*" if isinstance(p, int) else p for p in loc)
    for pat, model in TABLES.items():
        if len(pat) == len(pattern) and all(
            a in ("*", b) for a, b in zip(pat, pattern, strict=True)
        ):
            return model
    return None


def _annotated_metadata(annotation: Any) -> list[Any]:
    """The constraints of ``Annotated[float, Field(...)]``, also inside ``X | None``."""
    if typing.get_origin(annotation) is typing.Annotated:
        out: list[Any] = []
        for extra in typing.get_args(annotation)[1:]:
            out += list(getattr(extra, "metadata", [extra]))
        return out
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _annotated_metadata(arg)
            if found:
                return found
    return []


def bounds(loc: Leaf) -> tuple[float, float] | None:
    """The declared ``(lowest, highest)`` allowed value of a numeric leaf, or None."""
    in_free_dict = len(loc) >= 2 and loc[-2] in FREE_DICTS
    owner = loc[:-2] if in_free_dict else loc[:-1]
    name = loc[-2] if in_free_dict else loc[-1]
    model = _model_for(owner)
    if model is None or name not in model.model_fields:
        return None
    info = model.model_fields[name]
    if in_free_dict:
        args = typing.get_args(info.annotation)
        meta = _annotated_metadata(args[1]) if len(args) == 2 else []
    else:
        meta = list(info.metadata) or _annotated_metadata(info.annotation)
    lo = hi = None
    for m in meta:
        if isinstance(m, at.Ge | at.Gt):
            lo = float(m.ge if isinstance(m, at.Ge) else m.gt)
            if isinstance(m, at.Gt):  # the smallest value above it, relative
                lo = lo * (1 + 1e-9) if lo > 0 else 1e-12
        elif isinstance(m, at.Le):
            hi = float(m.le)
    if lo is None or hi is None:
        return None
    return lo, hi
