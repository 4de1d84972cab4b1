"""One switch between the per-sector float form and the vectorised form of the integrator.

``laws.SCALAR_MAX_SECTORS`` is the only thing that chooses the path. Forced each way on
random sectors and laws, the two agree within ``RTOL`` (relative) or ``ATOL`` (absolute, for
losses that are zero or subnormal).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandbox
from sandbox.rules.combat import laws
from sandbox.rules.combat.attrition import MAX_SHARE_PER_DAY
from sandbox.rules.combat.laws import stable_substeps as substeps
from sandbox.scenario.law_spec import Law
from tests.strategies import random_maps_with_sectors

RTOL = 1e-12
ATOL = 1e-300
FLOAT_PATH, VECTOR_PATH = 10**6, 0  # values of SCALAR_MAX_SECTORS that force each path
SCALAR_EXPONENTS = st.sampled_from([0.0, 0.5, 1.0])  # the laws the float path handles


def losses_on(path: int, monkeypatch: pytest.MonkeyPatch, *args: object) -> np.ndarray:
    with monkeypatch.context() as m:
        m.setattr(laws, "SCALAR_MAX_SECTORS", path)
        return np.array(laws.daily_losses(*args))  # type: ignore[arg-type]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(p=SCALAR_EXPONENTS, q=SCALAR_EXPONENTS, data=st.data())
def test_float_and_vector_paths_agree_on_random_sectors_and_laws(monkeypatch, p, q, data):
    # the domain the fight uses: strengths as shares of the morning (1, or less after a
    # crossing), loss rates up to the cap, and at least the steps attrition takes for them
    n = data.draw(st.integers(1, 12), label="sectors")
    share = st.one_of(st.just(1.0), st.just(0.0), st.floats(1e-12, 1.0))
    rate = st.one_of(st.floats(0, 1e-3), st.floats(0, 2.0), st.floats(0, MAX_SHARE_PER_DAY))
    cols = [
        np.array(data.draw(st.lists(s, min_size=n, max_size=n)), dtype=float)
        for s in (share, share, rate, rate)
    ]
    law = Law(p, q)
    steps = substeps(law, float(max(cols[2].max(), cols[3].max())))
    steps += data.draw(st.integers(0, 24), label="extra steps")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        fast = losses_on(FLOAT_PATH, monkeypatch, law, *cols, 1.0, steps)
        vec = losses_on(VECTOR_PATH, monkeypatch, law, *cols, 1.0, steps)
    np.testing.assert_allclose(fast, vec, rtol=RTOL, atol=ATOL)


def test_the_switch_really_switches(monkeypatch):
    calls: list[int] = []
    real = laws._advance

    def counting(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(laws, "_advance", counting)
    one, rate = np.ones(3), np.full(3, 0.1)
    for path, expect_calls in ((FLOAT_PATH, False), (VECTOR_PATH, True)):
        calls.clear()
        losses_on(path, monkeypatch, Law(1.0, 0.5), one, one, rate, rate, 1.0, 24)
        assert bool(calls) is expect_calls


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=random_maps_with_sectors(), seed=st.integers(0, 2**31 - 1))
def test_the_fight_agrees_on_either_path_on_random_maps(raw, seed):
    runs = []
    for path in (FLOAT_PATH, VECTOR_PATH):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(laws, "SCALAR_MAX_SECTORS", path)
            runs.append(sandbox.run(sandbox.from_dict(raw), seed=seed, days=10).daily)
    fast, vec = runs
    assert list(fast.columns) == list(vec.columns)
    pd.testing.assert_frame_equal(fast, vec, check_exact=False, rtol=RTOL, atol=ATOL)
