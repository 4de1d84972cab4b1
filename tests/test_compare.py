"""sandbox.compare and ``sandbox compare``: aligned summaries, overlaid plots, one HTML page."""

from __future__ import annotations

import math

import pytest

import sandbox
from sandbox.cli.main import main
from sandbox.plots.compare import compare, summary_table

TWO_NODE = "maps/examples/two_node.toml"


def test_summary_table_aligns_and_never_divides_by_zero():
    t = summary_table(
        {"x": 2.0, "y": 0.0, "z": 0, "s": "text", "only_a": 1},
        {"x": 3.0, "y": 5.0, "z": 0, "s": "t"},
    )
    assert list(t.index) == ["x", "y", "z", "only_a"]  # strings left out, order kept
    assert t.loc["x"].tolist() == [2.0, 3.0, 1.0, 0.5]
    assert t.loc["y", "diff"] == 5.0 and math.isnan(t.loc["y", "rel_diff"])  # 5 against 0
    assert t.loc["z", "rel_diff"] == 0.0  # 0 against 0: no change
    assert math.isnan(t.loc["only_a", "b"])


def test_a_run_compared_with_itself_differs_nowhere_and_a_lever_shows():
    sc = sandbox.load_scenario(TWO_NODE)
    base = sandbox.run(sc, seed=1, days=20)
    assert compare(base, base).changed().empty
    more = sandbox.run(
        sc.with_overrides({"nodes.plant.production.ammunition": 2000}), seed=1, days=20
    )
    c = compare(base, more)
    key = "blue.ammunition.produced"
    assert key in c.changed().index
    row = c.table.loc[key]
    assert row.b == pytest.approx(2 * row.a)  # twice the production, every day
    assert set(c.figures) == {"blue", "red"}


def test_cli_compare_writes_the_page_and_refuses_non_runs(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", TWO_NODE, "--days", "10", "--out", str(a), "--no-progress"]) == 0
    sets = ["--set", "nodes.plant.production.ammunition=2000"]
    assert main(["run", TWO_NODE, "--days", "10", "--out", str(b), "--no-progress", *sets]) == 0
    capsys.readouterr()
    assert main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "blue.ammunition.produced" in out
    page = (b / "compare-a.html").read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "class=changed" in page
    assert main(["compare", str(a), str(b)]) == 2  # exists: needs --force
    assert main(["compare", str(a), str(tmp_path / "nope")]) == 2
    assert "not a run folder" in capsys.readouterr().err
