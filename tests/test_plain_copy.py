"""``plain_copy``: a deep copy of a map's plain data, equal to ``copy.deepcopy``'s."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sandbox.values import plain_copy

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.dates()
    | st.datetimes()
    | st.times()
)
PLAIN = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=30,
)


def containers(value: Any) -> list[int]:
    """The ids of every dict and list inside ``value`` (itself included)."""
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in containers(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in containers(v))]
    return []


@given(PLAIN)
def test_plain_copy_equals_deepcopy_and_shares_no_container(value: Any) -> None:
    out = plain_copy(value)
    assert out == copy.deepcopy(value)
    assert set(containers(out)).isdisjoint(containers(value))


def test_other_objects_are_deep_copied_and_scalars_shared() -> None:
    when = dt.date(2023, 5, 1)
    raw = {"a": [when, "x"], "t": (1, [2]), "s": {3}}
    out = plain_copy(raw)
    assert out == raw
    assert out["a"][0] is when  # immutable: shared, as deepcopy does
    assert out["t"][1] is not raw["t"][1]  # a tuple holding a list: copy.deepcopy's copy
    assert out["s"] is not raw["s"]
