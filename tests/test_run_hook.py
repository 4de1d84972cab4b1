"""``sandbox.run(..., on_step=hook)``: the per-day hook lessons use instead of their own loop."""

from __future__ import annotations

import pandas as pd

import sandbox
from tests.conftest import ROOT

TWO_NODE = ROOT / "maps" / "examples" / "two_node.toml"  # 1,500 rounds a day, 5,000 in stock


def test_the_hook_runs_every_morning_before_the_step():
    seen: list[int] = []
    res = sandbox.run(TWO_NODE, seed=1, days=5, on_step=lambda m: seen.append(m.steps))
    assert seen == [0, 1, 2, 3, 4]  # days already run when the hook is called
    assert len(res.daily) == 5


def test_a_hook_that_changes_nothing_changes_no_output():
    plain = sandbox.run(TWO_NODE, seed=3, days=12)
    hooked = sandbox.run(TWO_NODE, seed=3, days=12, on_step=lambda m: None)
    pd.testing.assert_frame_equal(plain.daily, hooked.daily)
    pd.testing.assert_frame_equal(plain.nodes, hooked.nodes)
    assert plain.summary == hooked.summary


def test_the_hook_sets_the_days_lever():
    """Half fire on even days: the front fires 1,500, 750, 1,500, 750 rounds (stock is ample)."""

    def half_on_even_days(model: sandbox.LogisticsModel) -> None:
        model.state.fire_intensity[:] = 0.5 if (model.steps + 1) % 2 == 0 else 1.0

    res = sandbox.run(TWO_NODE, seed=1, days=4, on_step=half_on_even_days)
    assert res.daily["blue.ammunition.consumed"].tolist() == [1500.0, 750.0, 1500.0, 750.0]


def test_a_hook_that_keeps_the_model_reads_the_final_state():
    kept: list[sandbox.LogisticsModel] = []
    sandbox.run(TWO_NODE, seed=1, days=3, on_step=kept.append)
    assert len({id(m) for m in kept}) == 1  # one model, handed over every morning
    assert kept[0].steps == 3
