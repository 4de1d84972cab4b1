"""Fuzzing the inputs (issue 13): mutated map files and ``--set`` values.

Each example takes a shipped example map and changes one field (a wrong type,
an extreme number, a bad id, a missing or unknown key), or passes one ``--set``.
Then ``sandbox validate`` and ``sandbox run --days 3`` must each exit 0 or 2,
never raise (a traceback), agree with each other, and write nothing on exit 2.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.cli.main import main
from tests.map_mutations import EXAMPLES, Leaf, get, leaves, put

# SANDBOX_FUZZ_EXAMPLES=500 SANDBOX_FUZZ_RANDOM=1 for a deeper, random search
FUZZ = settings(
    max_examples=int(os.environ.get("SANDBOX_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=not os.environ.get("SANDBOX_FUZZ_RANDOM"),  # by default the same examples
    suppress_health_check=[HealthCheck.too_slow],
)

WRONG_TYPES = [True, False, "21", "", "x", [1.0], {"a": 1}]
EXTREME_NUMBERS = [
    0,
    -1,
    -0.0,
    1e-300,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
    math.nan,
    2**63,
    -(2**63),
    10**30,
]
BAD_IDS = ["a.b", "", "a b", "ünï", "x" * 300, "front."]
SET_TEXTS = ["true", "yes", "1e308", "-1", "nan", "inf", '"21"', "[1, 2]", "{ a = 1 }", "0"]
SET_TEXTS += ["1e-300", "rail", "99999999999999999999999", "9999-12-31", "3.5", ""]


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


@st.composite
def mutated_maps(draw: st.DrawFn) -> dict[str, Any]:
    """An example map with one to three fields changed."""
    raw = _read(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        _mutate(draw, raw)
    return raw


def _mutate(draw: st.DrawFn, raw: dict[str, Any]) -> None:
    loc: Leaf = draw(st.sampled_from(list(leaves(raw))))
    how = draw(st.sampled_from(["type", "number", "id", "drop", "unknown"]))
    parent = get(raw, loc[:-1])
    if how == "drop":
        del parent[loc[-1]]
    elif how == "unknown" and isinstance(parent, list):
        parent.append(1)
    elif how == "unknown":
        parent[f"{loc[-1]}x"] = 1
    else:
        pool = {"type": WRONG_TYPES, "number": EXTREME_NUMBERS, "id": BAD_IDS}[how]
        put(raw, loc, copy.deepcopy(draw(st.sampled_from(pool))))  # the pool holds lists


def dotted(raw: dict[str, Any], loc: Leaf) -> str:
    """The ``--set`` key of a leaf: list entries by id (links by ``source->target``)."""
    parts: list[str] = []
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            entry = get(raw, loc[: depth + 1])
            if loc[0] == "links":
                parts.append(f"{entry['source']}->{entry['target']}")
            elif isinstance(entry, dict) and "id" in entry:
                parts.append(str(entry["id"]))
            else:
                parts.append(str(part))
        else:
            parts.append(str(part))
    return ".".join(parts)


@st.composite
def set_values(draw: st.DrawFn) -> tuple[Path, str]:
    path = draw(st.sampled_from(EXAMPLES))
    raw = _read(path)
    loc = draw(st.sampled_from([lf for lf in leaves(raw) if not isinstance(lf[-1], int)]))
    value = draw(st.sampled_from(SET_TEXTS) | st.floats().map(repr) | st.integers().map(str))
    return path, f"{dotted(raw, loc)}={value}"


def _validate_and_run(map_path: Path, sets: list[str], work: Path) -> None:
    """Both faces exit 0 or 2, agree, and write nothing on 2."""
    flags = [a for s in sets for a in ("--set", s)]
    validated = main(["validate", str(map_path), *flags])
    out = work / "run"
    ran = main(["run", str(map_path), "--days", "3", "--out", str(out), "--no-progress", *flags])
    assert validated in (0, 2)
    assert ran == validated, f"validate exits {validated}, run exits {ran}"
    if ran == 2:
        assert not out.exists(), "a refused run wrote its folder"
    else:
        assert (out / "dashboard.png").exists()


@FUZZ
@given(raw=mutated_maps())
def test_a_mutated_map_is_run_or_refused_cleanly(raw):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "map.toml"
        path.write_text(tomli_w.dumps(raw))
        _validate_and_run(path, [], work)


@FUZZ
@given(case=set_values())
def test_a_set_value_is_applied_or_refused_cleanly(case):
    path, pair = case
    with tempfile.TemporaryDirectory() as tmp:
        _validate_and_run(path, [pair], Path(tmp))
