"""Sweeps of the real model (``sandbox sweep`` and :mod:`sandbox.experiments.model_task`).

Small maps and short horizons, so the whole file stays well under a minute.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from sandbox.cli.main import main
from sandbox.experiments import load_results, load_spec, run_sweep, spec_from_cli
from sandbox.experiments.model_task import bind
from sandbox.scenario.defaults import DEFAULT_SEED

ROOT = Path(__file__).resolve().parent.parent
CHAIN = str(ROOT / "maps/examples/chain.toml")
DIAMOND = str(ROOT / "maps/examples/diamond.toml")
VARY = ["sides.blue.quality=0.5:1:3", "links.plant->hub.capacity_t=40,80"]
ARGS = ["--seeds", "2", "--days", "15", "--no-progress"]


def _table(out: Path) -> pd.DataFrame:
    """The outcome table in a fixed order, without the timing column."""
    df = load_results(out).drop(columns="wall_s")
    return df.sort_values("run_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def serial_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "s"
    argv = ["sweep", CHAIN, *[f"--vary={v}" for v in VARY], *ARGS, "--workers", "1"]
    assert main([*argv, "--out", str(out)]) == 0
    return out


def test_cli_sweep_stores_one_row_per_run(serial_sweep: Path) -> None:
    df = pd.read_parquet(serial_sweep / "parts")  # the one-liner of the README
    assert len(df) == 3 * 2 * 2 and set(df["status"]) == {"ok"}
    assert {"sides.blue.quality", "links.plant->hub.capacity_t", "seed"} <= set(df.columns)
    assert df["blue.ammunition.delivered"].nunique() > 1  # the capacity matters
    assert df["blue.ammunition.first_short_day"].dtype == float  # None -> NaN, stable schema


def test_two_processes_and_dask_match_serial_bit_for_bit(
    serial_sweep: Path, tmp_path: Path
) -> None:
    expected = _table(serial_sweep)
    proc = tmp_path / "proc"
    argv = ["sweep", CHAIN, *[f"--vary={v}" for v in VARY], *ARGS, "--workers", "2"]
    assert main([*argv, "--out", str(proc), "--chunksize", "1"]) == 0
    pd.testing.assert_frame_equal(_table(proc), expected, check_exact=True)

    spec = spec_from_cli(VARY, 2, map=CHAIN, days=15)
    fn, validate = bind(spec)
    dask = tmp_path / "dask"
    s = run_sweep(
        spec, fn, dask, executor="dask", workers=2, validate_keys=validate, progress=False
    )
    assert s.complete and s.executor == "dask"
    pd.testing.assert_frame_equal(_table(dask), expected, check_exact=True)


def test_a_combination_the_model_rejects_is_recorded_and_the_rest_finish(
    tmp_path: Path,
) -> None:
    # Each value alone is a valid map, so the up-front check passes; together the two
    # links become plant_west->hub_south twice, which the scenario rejects in the run.
    vary = [
        "links.plant_west->hub_north.target=hub_north,hub_south",
        "links.plant_south->hub_south.source=plant_south,plant_west",
    ]
    out = tmp_path / "out"
    argv = ["sweep", DIAMOND, *[f"--vary={v}" for v in vary], *ARGS, "--workers", "2"]
    assert main([*argv, "--out", str(out)]) == 0
    df = load_results(out)
    assert len(df) == 8
    failed = df[df["status"] == "failed"]
    assert len(failed) == 2 and set(failed["seed"]) == {DEFAULT_SEED, DEFAULT_SEED + 1}
    assert set(failed["links.plant_west->hub_north.target"]) == {"hub_south"}
    assert set(failed["links.plant_south->hub_south.source"]) == {"plant_west"}
    assert failed["error"].str.contains("ScenarioError").all()
    assert failed["error"].str.contains("duplicate link").all()
    assert failed["blue.ammunition.delivered"].isna().all()
    ok = df[df["status"] == "ok"]
    assert len(ok) == 6 and ok["blue.ammunition.delivered"].notna().all()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            ["--vary", "sides.blue.qualty=0.5,1"],
            "unknown key 'qualty' (did you mean 'quality'?)",
        ),
        (["--vary", "sides.blue.quality=1:0.5:3"], "empty range: lo (1) > hi (0.5)"),
        (["--vary", "sides.blue.quality=0.5,1", "--seeds", "-2"], "--seeds: the number of"),
        (
            ["--vary", "links.plant->hub.transit_days=1:4", "--design", "lhs", "--samples", "4"],
            "int = true",
        ),
        (
            ["--vary", "sides.blue.quality=0.5,1", "--scheduler", "tcp://127.0.0.1:1"],
            "cannot reach the Dask scheduler at tcp://127.0.0.1:1",
        ),
    ],
    ids=["unknown-key", "empty-range", "negative-seeds", "fractional-int", "no-scheduler"],
)
def test_bad_sweep_input_exits_2_before_anything_is_written(
    extra: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["sweep", CHAIN, *extra, "--no-progress", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not out.exists()


def test_sweep_report_writes_a_page_and_markdown(
    serial_sweep: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sweep", "report", str(serial_sweep)]) == 0
    rep = serial_sweep / "report"
    assert capsys.readouterr().out.strip() == str(rep / "report.html")
    md = (rep / "report.md").read_text()
    pngs = sorted(p.name for p in rep.glob("*.png"))
    assert pngs and all(f"({p})" in md for p in pngs)
    assert "ok 12, failed 0" in md
    assert "link plant->hub capacity (t)" in md  # not the raw links.plant->hub.capacity_t
    assert main(["sweep", "report", str(serial_sweep / "nope")]) == 2


@pytest.mark.parametrize("name", ["production_ramp", "sobol_race"])
def test_example_experiment_files_are_valid_for_their_maps(name: str) -> None:
    spec = load_spec(ROOT / "experiments" / f"{name}.toml")
    assert spec.map is not None
    spec = dataclasses.replace(spec, map=str(ROOT / spec.map))
    _, validate = bind(spec)
    spec.validate(validate)
    assert len(spec.design_frame()) > 1
