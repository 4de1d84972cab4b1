"""Generated maps validate and are deterministic; the per-agent reference agrees with the model."""

from __future__ import annotations

import numpy as np

from benchmarks.reference import ReferenceModel
from sandbox.cli.main import main
from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict, load_scenario


def test_generate_cli_validates_and_is_deterministic(tmp_path):
    a, b, c = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "c.toml"
    assert main(["generate", "--nodes", "200", "--seed", "3", "--out", str(a)]) == 0
    assert main(["generate", "--nodes", "200", "--seed", "3", "--out", str(b)]) == 0
    assert main(["generate", "--nodes", "200", "--seed", "4", "--out", str(c)]) == 0
    assert a.read_text() == b.read_text() != c.read_text()
    sc = load_scenario(a)
    assert len(sc.spec.nodes) == 200
    assert {n.kind for n in sc.spec.nodes} == {"factory", "depot", "front"}
    assert {n.side for n in sc.spec.nodes} == {"blue", "red"}


def test_reference_agrees_with_model():
    sc = from_dict(generate_map(120, seed=5))
    m, r = LogisticsModel(sc, rng=0, record="daily"), ReferenceModel(sc, rng=0)
    for _ in range(25):
        m.step()
        r.step()
        np.testing.assert_allclose(
            np.array([nd.stock for nd in r.nodes]), m.state.stock, rtol=1e-9, atol=1e-9
        )
        np.testing.assert_allclose(
            np.array(r.side_totals("consumed")),
            m.state.side_sum(m.state.today.consumed),
            rtol=1e-9,
            atol=1e-9,
        )
    assert m.state.today.consumed.sum() > 0
