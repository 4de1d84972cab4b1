"""The batch-experiment engine: designs, executors, store/resume, sensitivity, report.

The run functions live in :mod:`tests.experiments_helpers` (module level, so
worker processes can unpickle them); none of these tests needs the model.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sandbox.errors import ScenarioError
from sandbox.experiments import load_results, load_spec, run_sweep, spec_from_cli
from sandbox.experiments.designs import latin_hypercube, make_tasks
from sandbox.experiments.executors import SchedulerError
from sandbox.experiments.report import write_report
from sandbox.experiments.sensitivity import analyze
from sandbox.experiments.spec import ExperimentSpec
from sandbox.experiments.store import load_daily, read_manifest
from sandbox.scenario.defaults import DEFAULT_SEED
from tests import experiments_helpers as helpers

ROOT = Path(__file__).resolve().parent.parent
GRID = ["x=0:3:4", "y=0.5,1.5,2.5"]  # 12 rows
PI = repr(math.pi)


def table(out: Path) -> pd.DataFrame:
    """The stored results without the timing column (the only one allowed to differ)."""
    return load_results(out).drop(columns="wall_s")


def grid_spec(seeds: int = 3) -> ExperimentSpec:
    return spec_from_cli(GRID, seeds=seeds)


@pytest.fixture(scope="module")
def serial_grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the grid sweep run serially."""
    out = tmp_path_factory.mktemp("grid") / "serial"
    summary = run_sweep(grid_spec(), helpers.noisy, out, progress=False)
    assert summary.complete and summary.n_ok == 36 and summary.n_failed == 0
    return out


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ishigami over [-pi, pi]^3 with a Saltelli/Sobol' design, N = 1024 (5120 runs)."""
    vary = [f"x{i}=-{PI}:{PI}" for i in (1, 2, 3)]
    spec = spec_from_cli(vary, seeds=1, design="sobol", samples=1024, name="ishigami")
    out = tmp_path_factory.mktemp("sobol") / "ishigami"
    summary = run_sweep(spec, helpers.ishigami, out, progress=False)
    assert summary.n_ok == 1024 * 5
    return out


# -- designs and specs -----------------------------------------------------------


def test_grid_design_levels_types_and_stable_run_ids() -> None:
    spec = grid_spec(seeds=2)
    design = spec.design_frame()
    assert design["x"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert design["x"].dtype == np.int64 and design["y"].dtype == np.float64
    tasks = list(spec.tasks())
    assert len(tasks) == 24 and len({t.run_id for t in tasks}) == 24
    assert [t.run_id for t in tasks] == [t.run_id for t in grid_spec(seeds=2).tasks()]
    s0 = DEFAULT_SEED  # --seeds 2: the default seed and the next
    assert [(t.row, t.seed) for t in tasks[:3]] == [(0, s0), (0, s0 + 1), (1, s0)]
    explicit = spec_from_cli(GRID, seeds="4,9")
    assert explicit.seeds == (4, 9)


def test_lhs_is_seeded_and_stratified() -> None:
    spec = spec_from_cli(["a=0:1", "b=10:20"], design="lhs", samples=50, design_seed=3)
    d1, d2 = spec.design_frame(), spec.design_frame()
    pd.testing.assert_frame_equal(d1, d2, check_exact=True)
    other = latin_hypercube(spec.params, 50, seed=4)
    assert not d1.equals(other)
    strata = np.floor((d1["b"].to_numpy() - 10) / 10 * 50).astype(int)
    assert sorted(strata) == list(range(50))  # one point per stratum


def test_toml_spec_round_trips_through_the_manifest(tmp_path: Path) -> None:
    path = tmp_path / "exp.toml"
    path.write_text(
        """
[experiment]
name = "toml"
design = "grid"
seeds = [0, 5]
outcomes = ["mean", "spread", "tail"]

[parameters]
x = { lo = 0, hi = 3, n = 4 }
y = "0.5:2.5:3"
""",
        encoding="utf-8",
    )
    spec = load_spec(path)
    assert spec.seeds == (0, 5) and [p.name for p in spec.params] == ["x", "y"]
    out = tmp_path / "out"
    run_sweep(spec, helpers.noisy, out, progress=False)
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest["fingerprint"] == spec.fingerprint()
    assert {"numpy", "pandas", "pyarrow", "python"} <= set(manifest["versions"])
    assert manifest["spec"]["parameters"]["y"] == {"lo": 0.5, "hi": 2.5, "n": 3}
    df = pd.read_parquet(out / "parts")  # the one-liner for users
    assert len(df) == 24 and {"mean", "spread", "tail", "x", "y", "seed"} <= set(df.columns)


# -- bad input: clear errors before any run --------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"vary": ["x=0:1:2"], "design": "sobel"},
            "unknown design 'sobel' (did you mean 'sobol'?)",
        ),
        ({"vary": ["x=1:0:3"]}, "--vary 'x=1:0:3': empty range: lo (1) > hi (0)"),
        ({"vary": ["x=0:1:0"]}, "field 'n': must be an integer >= 1, got 0"),
        ({"vary": ["x=0:1"]}, "a grid needs the number of levels"),
        ({"vary": ["x=0:1:3"], "seeds": "-2"}, "--seeds: the number of seeds must be >= 1"),
        ({"vary": ["x=0:1:3"], "seeds": "0,-3"}, "seeds must be integers >= 0, got [-3]"),
        ({"vary": ["x"]}, "--vary 'x': expected KEY=V1,V2,... or KEY=LO:HI:N"),
        ({"vary": ["x=1:b:3"]}, "range must be LO:HI:N with numbers"),
        ({"vary": ["x=0:1"], "design": "sobol", "samples": 100}, "sobol needs a power of 2"),
        ({"vary": ["x=1,2"], "design": "morris", "samples": 4}, "needs a range LO:HI"),
    ],
)
def test_bad_cli_input_is_a_scenario_error(kwargs: dict, expected: str) -> None:
    with pytest.raises(ScenarioError) as err:
        spec_from_cli(**kwargs)
    assert expected in str(err.value)


def test_toml_reports_every_problem_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[experiment]\ndesign = "grd"\nseeds = -1\nsampels = 4\n\n'
        '[parameters]\n"a.b" = { lo = 5, hi = 1, n = 3 }\nc = []\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_spec(path)
    problems = err.value.problems
    assert err.value.source == str(path)
    assert any(p.startswith("experiment.sampels: unknown key") for p in problems)
    assert any("experiment.design: unknown design 'grd'" in p for p in problems)
    assert any(p.startswith("experiment.seeds:") for p in problems)
    assert 'parameters."a.b": empty range: lo (5) > hi (1)' in problems
    assert "parameters.\"c\": field 'values': empty list" in problems


def test_unknown_key_and_busy_folder_fail_before_any_run(tmp_path: Path) -> None:
    def validate(keys: list[str]) -> list[str]:
        return [f"--vary {k}: unknown key" for k in keys if k != "x"]

    out = tmp_path / "out"
    with pytest.raises(ScenarioError, match="--vary y: unknown key"):
        run_sweep(grid_spec(), helpers.noisy, out, validate_keys=validate, progress=False)
    assert not out.exists()
    run_sweep(spec_from_cli(["x=0:1:2"]), helpers.noisy, out, progress=False)
    with pytest.raises(ScenarioError, match="already holds a sweep"):
        run_sweep(spec_from_cli(["x=0:1:2"]), helpers.noisy, out, progress=False)
    with pytest.raises(ScenarioError, match="holds a different experiment"):
        run_sweep(spec_from_cli(["x=0:1:3"]), helpers.noisy, out, resume=True, progress=False)


def test_unpicklable_function_is_refused_for_workers(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot be sent to workers"):
        run_sweep(grid_spec(), lambda p, s: {}, tmp_path / "o", executor="process")
    assert not (tmp_path / "o").exists()


def test_unreachable_scheduler_fails_fast_before_any_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(SchedulerError) as err:
        run_sweep(
            grid_spec(), helpers.noisy, out, executor="dask", scheduler="tcp://127.0.0.1:1",
            connect_timeout=1.0, progress=False,
        )  # fmt: skip
    assert isinstance(err.value, ScenarioError)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in str(err.value)
    assert not out.exists()


# -- executors: same bits everywhere ---------------------------------------------


def test_process_pool_matches_serial_bit_for_bit(serial_grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "proc"
    s = run_sweep(grid_spec(), helpers.noisy, out, executor="process", workers=2, progress=False)
    assert s.workers == 2 and s.n_ok == 36
    pd.testing.assert_frame_equal(table(serial_grid), table(out), check_exact=True)


def test_dask_local_cluster_matches_serial_bit_for_bit(serial_grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "dask"
    s = run_sweep(grid_spec(), helpers.noisy, out, executor="dask", workers=2, progress=False)
    assert s.executor == "dask" and s.workers == 2 and s.n_ok == 36
    pd.testing.assert_frame_equal(table(serial_grid), table(out), check_exact=True)


def test_failing_runs_are_recorded_and_the_sweep_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "flaky"
    s = run_sweep(grid_spec(), helpers.flaky, out, executor="process", workers=2, progress=False)
    assert (s.n_ok, s.n_failed) == (27, 9)
    df = load_results(out)
    failed = df[df["status"] == "failed"]
    assert (failed["x"] == 2).all() and len(failed) == 9
    row = failed.iloc[0]
    assert row["error"] == f"ValueError: x=2 breaks the model (seed {row['seed']})"
    assert failed["mean"].isna().all()
    ok = df[df["status"] == "ok"]
    assert ok["mean"].notna().all() and ok["error"].isna().all()
    # failed runs count as finished on resume, unless retried
    again = run_sweep(grid_spec(), helpers.noisy, out, resume=True, progress=False)
    assert again.n_run == 0 and again.n_skipped == 36
    retry = run_sweep(
        grid_spec(), helpers.noisy, out, resume=True, retry_failed=True, progress=False
    )
    assert retry.n_run == 9 and retry.n_ok == 9
    df = load_results(out)
    assert df["run_id"].is_unique and (df["status"] == "ok").all() and len(df) == 36


def test_daily_series_are_stored_only_when_asked(tmp_path: Path) -> None:
    vary = ["x=1,2", "y=0.5"]
    s = run_sweep(spec_from_cli(vary, seeds=2, daily=True), helpers.with_daily, tmp_path / "d")
    assert s.n_ok == 4
    daily = load_daily(tmp_path / "d")
    assert len(daily) == 4 * 3 and daily["day"].max() == 2
    assert set(daily["run_id"]) == set(load_results(tmp_path / "d")["run_id"])
    last = daily.groupby("run_id")["level"].last().sort_values().tolist()
    assert last == [2.0 * x + s for x in (1, 2) for s in (DEFAULT_SEED, DEFAULT_SEED + 1)]
    s = run_sweep(spec_from_cli(vary, seeds=2), helpers.with_daily, tmp_path / "n")
    assert s.n_ok == 4 and not (tmp_path / "n" / "daily").exists()


# -- interrupt and resume ---------------------------------------------------------


def start_sweep(out: Path, log: Path, *extra: str, sleep_s: float = 0.3) -> subprocess.Popen[bytes]:
    """The grid sweep (``counting``, 0.3 s per run: ~5 s in all at 2 workers, long enough to
    interrupt on a loaded machine) in a subprocess of its own session."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env[helpers.CALL_LOG_ENV] = str(log)
    env[helpers.SLEEP_ENV] = str(sleep_s)
    fn = "tests.experiments_helpers:counting"
    cmd = [sys.executable, "-m", "sandbox.experiments", "sweep", "--fn", fn, "--seeds", "3",
           "--vary", GRID[0], "--vary", GRID[1], "--out", str(out), "--flush-rows", "1",
           "--no-progress", *extra]  # fmt: skip
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def wait_for_parts(out: Path, proc: subprocess.Popen[bytes], n: int, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while len(list((out / "parts").glob("part-*.parquet"))) < n:
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline, "no results appeared in time"
        time.sleep(0.05)


def calls(log: Path) -> Counter[str]:
    """Executions per run_id, from the side channel the run function writes."""
    ids = {
        (repr(t.params["x"]), repr(t.params["y"]), t.seed): t.run_id for t in grid_spec().tasks()
    }
    lines = log.read_text(encoding="utf-8").split("\n") if log.exists() else []
    keys = [ln.split() for ln in lines if ln]
    return Counter(ids[(x, y, int(seed))] for x, y, seed in keys)


def test_killed_sweep_resumes_without_redoing_finished_runs(
    serial_grid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, log = tmp_path / "killed", tmp_path / "calls.log"
    proc = start_sweep(out, log)
    try:
        wait_for_parts(out, proc, 5)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    before = set(load_results(out)["run_id"])
    assert 5 <= len(before) < 36
    monkeypatch.setenv(helpers.CALL_LOG_ENV, str(log))
    s = run_sweep(grid_spec(), helpers.counting, out, resume=True, executor="process",
                  workers=2, progress=False)  # fmt: skip
    assert (s.n_skipped, s.n_run, s.complete) == (len(before), 36 - len(before), True)
    final = table(out)
    assert final["run_id"].is_unique
    pd.testing.assert_frame_equal(table(serial_grid), final, check_exact=True)
    counts = calls(log)
    assert all(counts[r] == 1 for r in before), "a finished run was executed again"
    assert set(counts) == set(final["run_id"])
    assert sum(counts.values()) - 36 <= 1  # at most the run in flight at the kill is redone


def test_ctrl_c_flushes_finished_runs_and_exits_cleanly(serial_grid: Path, tmp_path: Path) -> None:
    out, log = tmp_path / "interrupted", tmp_path / "calls.log"
    # 1 s a run: ~18 s in all, so the interrupt lands mid-sweep even on a loaded machine
    proc = start_sweep(
        out, log, "--executor", "process", "--workers", "2", "--chunksize", "2", sleep_s=1.0
    )
    try:
        wait_for_parts(out, proc, 4)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    manifest = read_manifest(out)
    assert manifest is not None and manifest["sessions"][-1]["interrupted"] is True
    stored = load_results(out)
    assert len(stored) == manifest["sessions"][-1]["ok"] and len(stored) < 36
    s = run_sweep(grid_spec(), helpers.noisy, out, resume=True, progress=False)
    assert s.n_skipped == len(stored) and s.complete
    pd.testing.assert_frame_equal(table(serial_grid), table(out), check_exact=True)


def test_part_files_hold_one_row_per_run_with_the_documented_columns(serial_grid: Path) -> None:
    parts = sorted((serial_grid / "parts").glob("part-*.parquet"))
    names = pq.read_schema(parts[0]).names
    assert names == ["run_id", "row", "seed", "x", "y", "status", "error", "mean", "spread",
                     "tail", "wall_s"]  # fmt: skip
    assert sum(pq.read_metadata(p).num_rows for p in parts) == 36


# -- sensitivity ---------------------------------------------------------------------


def test_sobol_indices_of_ishigami_match_the_analytic_values(sobol_sweep: Path) -> None:
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    s1 = np.array([v1, v2, 0.0]) / v
    st = np.array([v1 + v13, v2, v13]) / v
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)
    idx = analyze(sobol_sweep)["y"].set_index("parameter")
    assert list(idx.index) == ["x1", "x2", "x3"]
    assert (np.abs(idx["S1"] - s1) <= idx["S1_conf"]).all(), idx
    assert (np.abs(idx["ST"] - st) <= idx["ST_conf"]).all(), idx
    assert (idx["ST_conf"] < 0.1).all()  # enough samples for the check to mean something


def test_morris_ranks_ishigami_inputs(tmp_path: Path) -> None:
    vary = [f"x{i}=-{PI}:{PI}" for i in (1, 2, 3)]
    spec = spec_from_cli(vary, design="morris", samples=500, options={"levels": 4})
    run_sweep(spec, helpers.ishigami, tmp_path / "m", progress=False)
    idx = analyze(tmp_path / "m")["y"].set_index("parameter")
    # x1 and x2 matter most; x3 acts only through its interaction with x1: its
    # signed mean effect is near zero while mu* and sigma are not.
    floor = idx.loc["x3", "mu_star"] + idx.loc["x3", "mu_star_conf"]
    assert idx.loc["x1", "mu_star"] > floor and idx.loc["x2", "mu_star"] > floor
    assert abs(idx.loc["x3", "mu"]) < 0.25 * idx.loc["x3", "mu_star"]
    assert idx.loc["x3", "sigma"] > idx.loc["x3", "mu_star"]


# -- report ----------------------------------------------------------------------------


def test_report_for_a_grid_sweep(tmp_path: Path) -> None:
    out = tmp_path / "flaky"
    run_sweep(grid_spec(), helpers.flaky, out, progress=False)
    page = write_report(out, outcomes=["mean", "tail"])
    assert page.name == "report.html"
    pngs = sorted(p.name for p in page.parent.glob("*.png"))
    assert pngs == sorted(
        f"{kind}_{o}.png" for o in ("mean", "tail") for kind in ("lines", "heatmap")
    )
    text = page.read_text(encoding="utf-8")
    md = (page.parent / "report.md").read_text(encoding="utf-8")
    for png in pngs:
        assert f'src="{png}"' in text and f"]({png})" in md
        assert (page.parent / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Failed runs" in text and "ValueError: x=2" in text


def test_report_for_a_sobol_sweep(sobol_sweep: Path) -> None:
    page = write_report(sobol_sweep)
    assert (page.parent / "sensitivity_y.png").stat().st_size > 1000
    text = (page.parent / "report.md").read_text(encoding="utf-8")
    assert "](sensitivity_y.png)" in text and "| parameter | S1 | S1_conf | ST | ST_conf |" in text


def test_tasks_of_a_design_frame_are_row_major() -> None:
    design = pd.DataFrame({"k": ["a", "b"]})
    tasks = list(make_tasks(design, [7, 3]))
    assert [(t.params["k"], t.seed) for t in tasks] == [("a", 7), ("a", 3), ("b", 7), ("b", 3)]
