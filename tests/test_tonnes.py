"""Units to tonnes: one compiled sum in one order (``kernels.row_tonnes``), on every CPU.

The reference is a plain Python loop over floats, which is IEEE arithmetic without fused
multiply-adds: each row ``((0.0 + x0*t0) + x1*t1) + ...``. numpy's ``x @ t`` (OpenBLAS's
gemv, chosen per CPU, with FMA and its own order) is what this replaced; it is not the
reference.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict
from sandbox.state import kernels
from sandbox.state.supply import SIDES


def loop_tonnes(row, tpu) -> float:
    """The one order: from 0.0, column by column, product rounded then added."""
    t = 0.0
    for x, w in zip(row, tpu, strict=True):
        t += float(x) * float(w)
    return t


def loop_rows(x, tpu) -> np.ndarray:
    return np.array([loop_tonnes(r, tpu) for r in x.reshape(-1, x.shape[-1])], dtype=float)


FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),  # huge and tiny (subnormal)
    st.sampled_from([0.0, -0.0, 1.0, 1e16, -1e16, 1.0 + 2.0**-27, -(1.0 + 2.0**-26), 0.05]),
    st.floats(1e-3, 1e3),
)


@st.composite
def units_and_weights(draw):
    c = draw(st.integers(1, 4))
    k = draw(st.integers(0, 6))
    x = np.array(draw(st.lists(FLOATS, min_size=k * c, max_size=k * c)), dtype=float)
    tpu = np.array(draw(st.lists(FLOATS, min_size=c, max_size=c)), dtype=float)
    return x.reshape(k, c), tpu


@settings(max_examples=300, deadline=None)
@given(units_and_weights())
def test_row_tonnes_is_the_left_to_right_float_loop_byte_for_byte(xt):
    x, tpu = xt
    with np.errstate(all="ignore"):
        expected = loop_rows(x, tpu)
        assert kernels.row_tonnes(x, tpu).tobytes() == expected.tobytes()
        assert kernels.tonnes(x, tpu).tobytes() == expected.tobytes()
        if len(x):  # one row (C,) gives a 0-d array; (K, 1, C) gives (K, 1)
            assert kernels.tonnes(x[0], tpu).shape == ()
            assert kernels.tonnes(x[0], tpu).tobytes() == expected[:1].tobytes()
            assert kernels.tonnes(x[:, None, :], tpu).tobytes() == expected.tobytes()


def test_no_fused_multiply_add_and_no_reordering_hand_checked():
    # x1*t1 = (1 + 2^-27)^2 = 1 + 2^-26 + 2^-54, rounded to 1 + 2^-26, which cancels the
    # first term exactly: 0.0. A fused multiply-add keeps the 2^-54.
    a = 1.0 + 2.0**-27
    fma_row = np.array([[-(1.0 + 2.0**-26), a]])
    assert kernels.tonnes(fma_row, np.array([1.0, a]))[0] == 0.0
    # 1e16 + 1 rounds to 1e16 (even), then - 1e16: 0.0; any other order gives 1.0
    order_row = np.array([[1e16, 1.0, -1e16]])
    assert kernels.tonnes(order_row, np.ones(3))[0] == 0.0
    # the sum starts from +0.0: a row of negative zeros weighs +0.0
    assert kernels.tonnes(np.array([[-0.0, -0.0]]), np.ones(2)).tobytes() == np.zeros(1).tobytes()


def test_the_model_weighs_in_the_one_order_everywhere():
    """The daily table's tonnes, the link records and the agents' tonnes are the loop over
    the model's own arrays (so no BLAS product sits behind any of them)."""
    m = LogisticsModel(from_dict(generate_map(60, seed=3)), rng=1, record="full")
    s, tpu = m.state, m.state.tonnes_per_unit.tolist()
    for _ in range(6):
        m.step()
        for si, side in enumerate(SIDES):  # the side's sums by commodity, link order from 0.0
            mine = np.flatnonzero(s.link_side == si)
            for name, per_link in (("shipped_t", s.today.shipped), ("in_transit_t", s.in_transit)):
                by_c = [0.0] * len(tpu)
                for e in mine:
                    by_c = [b + float(v) for b, v in zip(by_c, per_link[e], strict=True)]
                got = m.totals[f"{side}.{name}"]
                assert np.float64(got).tobytes() == np.float64(loop_tonnes(by_c, tpu)).tobytes()
        assert m.recorder is not None
        assert m.recorder.link["flow_t"][-1].tobytes() == loop_rows(s.today.shipped, tpu).tobytes()
        in_transit_t = loop_rows(s.in_transit, tpu).tobytes()
        assert m.recorder.link["in_transit_t"][-1].tobytes() == in_transit_t
    assert s.today.shipped.any() and s.in_transit.any()  # something weighed
    links = [a for a in m.agents if hasattr(a, "flow_t")]
    assert [a.flow_t for a in links] == loop_rows(s.today.shipped, tpu).tolist()
    nodes = [a for a in m.agents if hasattr(a, "stock_t")]
    assert [a.stock_t for a in nodes] == [loop_tonnes(s.stock[a.row], tpu) for a in nodes]
