"""Same scenario and seed, same numbers; shipped maps match their golden baselines."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import sandbox
from tests.conftest import EXAMPLES
from tests.golden import compute, golden_path, shipped_maps


def test_same_seed_gives_identical_results():
    sc = sandbox.load_scenario(EXAMPLES / "cycle.toml")
    a = sandbox.run(sc, seed=7, days=40)
    b = sandbox.run(sc, seed=7, days=40)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=True)
    pd.testing.assert_frame_equal(a.nodes, b.nodes, check_exact=True)
    pd.testing.assert_frame_equal(a.links, b.links, check_exact=True)
    assert a.summary == b.summary


def test_results_round_trip_through_a_run_folder(tmp_path):
    res = sandbox.run(EXAMPLES / "diamond.toml", seed=2, days=15)
    res.save(tmp_path / "r")
    back = sandbox.Results.load(tmp_path / "r")
    pd.testing.assert_frame_equal(res.daily, back.daily, check_exact=True)
    pd.testing.assert_frame_equal(res.nodes, back.nodes, check_exact=True, check_categorical=False)
    assert back.summary == json.loads(json.dumps(res.summary))
    assert sandbox.from_dict(back.scenario) == sandbox.from_dict(res.scenario)


@pytest.mark.parametrize("map_path", shipped_maps(), ids=lambda p: p.stem)
def test_shipped_map_matches_its_golden_baseline(map_path):
    path = golden_path(map_path)
    if not path.exists():
        pytest.fail(f"no golden baseline for {map_path.name}: run `make golden` on purpose")
    expected = json.loads(path.read_text())
    got = compute(map_path)
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        have = got[key]
        if isinstance(want, float):
            assert math.isclose(have, want, rel_tol=1e-9, abs_tol=1e-6), key
        else:
            assert have == want, key
