"""``toml_out.dumps`` writes what ``tomli_w.dumps`` writes (after ``None`` values are dropped)."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.observe.toml_out import dumps
from sandbox.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def _no_none(v: Any) -> Any:
    """What the run folder did before: ``None`` values of dicts dropped, then tomli_w."""
    if isinstance(v, dict):
        return {k: _no_none(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_no_none(x) for x in v]
    return v


KEYS = st.text(alphabet='ab_-1 .é"\\\n', min_size=0, max_size=5)
SCALARS = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)  # any character: quotes, backslashes, controls, DEL, é
    | st.dates()
    | st.datetimes()
    | st.times()
)
VALUES = st.recursive(
    SCALARS | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.lists(st.dictionaries(KEYS, inner, max_size=6), min_size=1, max_size=3)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_the_same_text_as_tomli_w(doc: dict[str, Any]) -> None:
    try:
        want: str | type[Exception] = tomli_w.dumps(_no_none(doc))
    except (TypeError, ValueError) as exc:  # None in a list: not TOML either way
        want = type(exc)
    if isinstance(want, str):
        assert dumps(doc) == want
    else:
        with pytest.raises(want):
            dumps(doc)


def test_strings_that_need_escapes_and_long_inline_tables():
    doc = {
        "s": 'a"b\\c\td\x01\x7fé\n',
        "odd key": 1,
        "": 2,
        "aot": [{"x": 1}, {"x": "y" * 120}],  # the second does not fit a line: [[aot]]
        "short": [{"x": 1}, {"y": 2.5}],  # both fit: an inline array of inline tables
        "d": Decimal("1.5"),
        "t": dt.time(3, 4),
        "skip": None,
        "sub": {"a": None, "b": {"c": True}},
    }
    text = dumps(doc)
    assert text == tomli_w.dumps(_no_none(doc))
    assert "[[aot]]" in text and "short = [\n    { x = 1 },\n    { y = 2.5 },\n]" in text
    assert tomllib.loads(text)["s"] == doc["s"]


@pytest.mark.parametrize(
    "name", ["ukraine_2023.toml", "examples/strikes.toml", "lessons/interdiction.toml"]
)
def test_shipped_maps_scenarios_are_written_as_tomli_w_writes_them(name: str) -> None:
    scenario = load_scenario(ROOT / "maps" / name).to_dict()
    assert dumps(scenario) == tomli_w.dumps(_no_none(scenario))
