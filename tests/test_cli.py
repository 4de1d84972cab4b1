"""The command line: files written by run, exit 2 and a named field for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import numpy as np
import pandas as pd
import pytest

from sandbox.cli.main import DISTRIBUTION, main
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES, ROOT

RUN_FILES = [
    "scenario.toml",
    "daily.parquet",
    "daily.csv",
    "nodes.parquet",
    "links.parquet",
    "summary.json",
    "manifest.json",
    "dashboard.png",
]


def test_run_writes_every_file(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(
        [
            "run",
            str(EXAMPLES / "diamond.toml"),
            "--days",
            "20",
            "--seed",
            "3",
            "--out",
            str(out),
            "--set",
            "units.corps.guns=20",
            "--no-progress",
        ]
    )
    assert code == 0
    for name in RUN_FILES:
        assert (out / name).stat().st_size > 0, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["days"] == 20
    assert "units.corps.guns=20" in manifest["command"] or manifest["versions"]["mesa"]
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 20
    assert (out / "scenario.toml").read_text().count("guns = 20") == 1
    printed = capsys.readouterr().out
    assert "blue front ammunition" in printed and "first_short" in printed


def test_run_refuses_to_overwrite(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    assert main(["run", str(EXAMPLES / "two_node.toml"), "--out", str(out)]) == 2
    assert (out / "keep.txt").read_text() == "precious"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[scenario\nname='x'", "TOML syntax error"),
        (
            "[scenario]\nname='x'\n[commodities.a]\nunit='r'\ntonnes_per_unit=1\n"
            "[[nodes]]\nid='n'\nkind='depot'\nside='blue'\nlon=1\nlat=1\ncolour='x'\n",
            "nodes[0] 'n': unknown key 'colour'",
        ),
    ],
)
def test_validate_exits_2_and_names_the_field(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and fragment in err
    assert "Traceback" not in err


def test_run_with_bad_set_writes_nothing(tmp_path, capsys):
    out = tmp_path / "never"
    code = main(
        ["run", str(EXAMPLES / "two_node.toml"), "--out", str(out), "--set", "sides.red.qualty=2"]
    )
    assert code == 2
    assert not out.exists()
    assert "did you mean 'quality'" in capsys.readouterr().err


def test_console_script_exits_2_without_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[scenario]\nname = 'x'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sandbox", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "missing required field 'commodities'" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- one command-line style (issue 16) -----------------------------------------------


def _table_rows(printed: str) -> dict[tuple[str, str], list[str]]:
    """The summary table's rows, by (side, commodity), split on whitespace."""
    lines = printed.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("side "))
    assert lines[head].split()[:3] == ["side", "commodity", "unit"]
    rows = {}
    for line in lines[head + 2 :]:
        if not line.strip():
            break
        cells = line.split()
        if cells[0] not in ("blue", "red") or len(cells) != 9:
            break
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_summary_table_prints_each_commodity_unit_from_the_map(tmp_path, capsys):
    """The unit column is the map's own (here renamed by --set), per commodity."""
    argv = ["run", str(EXAMPLES / "diamond.toml"), "--days", "3", "--no-progress"]
    argv += ["--record", "daily", "--out", str(tmp_path / "r")]
    argv += ["--set", "commodities.fuel.unit=m3"]
    assert main(argv) == 0
    rows = _table_rows(capsys.readouterr().out)
    assert {k: v[0] for k, v in rows.items()} == {
        ("blue", "ammunition"): "round",
        ("blue", "fuel"): "m3",
        ("red", "ammunition"): "round",
        ("red", "fuel"): "m3",
    }
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    produced = rows[("blue", "fuel")][1]
    assert produced == f"{summary['blue.fuel.produced']:,.0f}"


@pytest.mark.parametrize("game", [False, True])
def test_wrote_line_lists_every_file_in_the_folder(tmp_path, capsys, game):
    """The printed 'wrote' list is exactly the folder's contents; a played game (a map
    with players) adds its orders, and --animate its animation."""
    import tomli_w

    raw = load_scenario(EXAMPLES / "two_node.toml").to_dict()
    if game:  # blue's doctrine invests after day 7 (tests/test_fog_doctrine.py): day 9
        raw["players"] = {"blue": {"doctrine": "default"}}
        raw["logistics"]["investment_lead_days"] = 1
    path = tmp_path / "map.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    out = tmp_path / "run"
    argv = ["run", str(path), "--days", "10", "--out", str(out), "--no-progress"]
    assert main([*argv, *(["--animate"] if game else [])]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(f"wrote {out}/ (") and last.endswith(")")
    listed = last[len(f"wrote {out}/ (") : -1].split(", ")
    assert sorted(listed) == sorted(p.name for p in out.iterdir())
    assert len(listed) == len(set(listed))
    expected = {"scenario.toml", "daily.parquet", "nodes.parquet", "links.parquet"}
    expected |= {"sectors.parquet", "summary.json", "manifest.json", "dashboard.png"}
    if game:
        expected |= {"orders.toml", "orders.parquet", "animation.gif"}
    assert expected <= set(listed)
    assert ("orders.toml" in listed) == game


def test_version_is_the_installed_metadata(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"sandbox {version('logistics-race-sandbox')}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION  # the name --version asks the metadata for


def test_one_default_seed_cli_library_and_app(tmp_path):
    """Without a seed, `sandbox run`, `sandbox.run()` and the app's model (its default
    controls) give the same daily table; another seed gives another (so the seed matters)."""
    import sandbox
    from sandbox.viz.app import initial_controls
    from sandbox.viz.lesson_setup import DEFAULT
    from sandbox.viz.params import VizModel

    days, path = 12, EXAMPLES / "strikes.toml"
    out = tmp_path / "cli"
    argv = ["run", str(path), "--days", str(days), "--out", str(out), "--record", "daily"]
    assert main([*argv, "--no-progress"]) == 0
    cli = pd.read_parquet(out / "daily.parquet").drop(columns="date")
    library = sandbox.run(path, days=days).daily.drop(columns="date")
    pd.testing.assert_frame_equal(cli, library)
    app = VizModel(**initial_controls("examples/strikes.toml", DEFAULT.levers))  # a new page
    for _ in range(days):
        app.step()
    table = app.datacollector.get_model_vars_dataframe()
    assert list(table.columns) == list(library.columns)
    np.testing.assert_array_equal(table.to_numpy(float), library.to_numpy(float))  # NaN == NaN
    other = sandbox.run(path, seed=DEFAULT_SEED + 1, days=days).daily.drop(columns="date")
    assert not other.equals(library)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == DEFAULT_SEED


def test_lesson_prints_its_questions_first_and_takes_seed_and_set(tmp_path, capsys, monkeypatch):
    """`sandbox lesson NAME --seed --set --out`: questions, then answers; every run of the
    lesson gets the seed and the map with the --set value (a spy on its runs)."""
    from sandbox import lessons
    from sandbox.lessons import bottlenecks

    seen: list[tuple[int, int]] = []
    real = bottlenecks.run_variant

    def spy(sc, ov, days, seed):
        seen.append((seed, sc.to_dict()["logistics"]["forecast_days"]))
        return real(sc, ov, days, seed)

    monkeypatch.setattr(bottlenecks, "run_variant", spy)
    out = tmp_path / "lesson"
    argv = ["lesson", "bottlenecks", "--days", "8", "--seed", "7", "--out", str(out)]
    assert main([*argv, "--set", "logistics.forecast_days=4"]) == 0
    assert seen and set(seen) == {(7, 4)}
    printed = capsys.readouterr().out
    questions = lessons.get("bottlenecks").questions
    at = [printed.index(q) for q in questions]
    assert at == sorted(at) and at[-1] < printed.index("Answers:") < printed.index("Takeaway:")
    assert printed.index("Questions:") < at[0]
    last = printed.strip().splitlines()[-1]
    assert last.startswith(f"wrote {out}/ (") and last.endswith(")")
    assert sorted(last[len(f"wrote {out}/ (") : -1].split(", ")) == sorted(
        p.name for p in out.iterdir()
    )
    report = (out / "report.md").read_text()
    assert "8 days, seed 7." in report
    assert "with logistics.forecast_days = 4" in report
    assert lessons.get("bottlenecks").seed == DEFAULT_SEED  # the shared lesson is unchanged


def test_lesson_refuses_a_non_empty_out_without_force_and_a_bad_set(tmp_path, capsys):
    out = tmp_path / "lesson"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["lesson", "bottlenecks", "--days", "3", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --out {out}: folder exists and is not empty (use --force to overwrite)\n"
    fresh = tmp_path / "fresh"
    argv = ["lesson", "bottlenecks", "--out", str(fresh), "--set", "logistics.forecast_dayz=4"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "logistics.forecast_dayz" in err and "did you mean 'forecast_days'" in err
    assert not fresh.exists()
    assert main(["lesson", "bottlenecks", "--seed", "-2"]) == 2
    assert capsys.readouterr().err == "error: --seed -2: expected a whole number >= 0\n"


def test_a_lesson_over_several_seeds_runs_from_the_seed_given():
    from sandbox import lessons

    interdiction = lessons.get("interdiction")
    assert interdiction.run_seeds() == (DEFAULT_SEED, DEFAULT_SEED + 1, DEFAULT_SEED + 2)
    assert interdiction.configured(seed=5).run_seeds() == (5, 6, 7)
    assert interdiction.run_seeds() == (DEFAULT_SEED, DEFAULT_SEED + 1, DEFAULT_SEED + 2)
    bottlenecks = lessons.get("bottlenecks")
    assert bottlenecks.run_seeds() == (DEFAULT_SEED,)
    assert bottlenecks.configured(seed=5).run_seeds() == (5,)
    assert bottlenecks.configured(seed=5).knob_values()["seed"] == 5


def test_run_as_its_own_process_freezes_the_loaded_map_for_the_collector(
    tmp_path, monkeypatch, capsys
):
    """The console script leaves what it loaded out of the collector's full passes;
    ``main([...])`` called from other code leaves the caller's collector alone."""
    import gc

    gc.unfreeze()
    chain = str(EXAMPLES / "chain.toml")
    assert main(["run", chain, "--days", "2", "--out", str(tmp_path / "a"), "--no-progress"]) == 0
    assert gc.get_freeze_count() < 1_000  # (a library freezes a few hundred of its own)
    argv = ["sandbox", "run", chain, "--days", "2", "--out", str(tmp_path / "b"), "--no-progress"]
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr("sandbox.cli.main.end_process", lambda status: None)  # not pytest's end
    try:
        assert main() == 0
        assert gc.get_freeze_count() > 100_000  # the modules and the map, at least
    finally:
        gc.unfreeze()
