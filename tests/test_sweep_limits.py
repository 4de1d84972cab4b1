"""Sweep sizes and outputs checked before any work (issue 13), and the report on outcomes
that differ only in their last bit."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandbox.cli.main import main
from sandbox.experiments import run_sweep, spec_from_cli
from sandbox.experiments.limits import MAX_DAYS, MAX_DESIGN_ROWS, MAX_RUNS, MAX_SEEDS
from sandbox.experiments.report import hist_edges, is_constant, write_report
from tests import experiments_helpers as helpers

ROOT = Path(__file__).resolve().parent.parent
CHAIN = str(ROOT / "maps/examples/chain.toml")
LAST_BIT = [489.99999999999994, 490.0, 490.00000000000006]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--vary", "sides.blue.quality=0.5:1:1000000000"],
            "--vary: 1,000,000,000 parameter combinations exceed the limit of 1,000,000"
            " (building the design alone would take about 116 GB of memory)",
        ),
        (
            ["--vary", "sides.blue.quality=0.5,1", "--seeds", "100000000000"],
            "--seeds: 100,000,000,000 seeds exceed the limit of 100,000 seeds per combination",
        ),
        (
            ["--vary", "sides.blue.quality=0.5,1", "--seeds", "5,99999999999999999999999"],
            "--seeds: seeds must fit in int64 (at most 9223372036854775807),"
            " got [99999999999999999999999]",
        ),
        (
            ["--vary", "sides.blue.quality=0:1:1001", "--seeds", "1000"],
            "--seeds: 1,001 combinations x 1,000 seeds = 1,001,000 runs exceed the limit"
            " of 1,000,000 runs (the results table would take about 1 GB",
        ),
        (
            ["--vary", "sides.blue.quality=0.5,1", "--days", "1000000"],
            "--days: 1,000,000 days exceed the limit of 36,500 (about 4 GB of memory per run",
        ),
        (
            ["--vary", "x=0:1", "--design", "sobol", "--samples", "1048576"],
            "--samples: 3,145,728 parameter combinations exceed the limit",
        ),
    ],
    ids=["grid-levels", "seed-count", "seed-int64", "runs", "days", "sobol-rows"],
)
def test_oversized_sweeps_exit_2_at_once_with_the_estimate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert main(["sweep", CHAIN, *args, "--no-progress", "--out", str(out)]) == 2
    assert time.perf_counter() - t0 < 10  # nothing was built
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err, err
    assert not out.exists()


def test_sizes_at_their_limits_pass() -> None:
    side = int(MAX_DESIGN_ROWS**0.5)
    assert side * side == MAX_DESIGN_ROWS
    at_limit = spec_from_cli([f"x=0:1:{side}", f"y=0:1:{side}"], seeds=1, days=MAX_DAYS)
    assert at_limit.problems() == []
    assert spec_from_cli(["x=0:1:10"], seeds=MAX_RUNS // 10).problems() == []
    assert len(spec_from_cli(["x=0:1:2"], seeds=MAX_SEEDS).seeds) == MAX_SEEDS
    with pytest.raises(ValueError, match="1,001,000 parameter combinations"):
        spec_from_cli([f"x=0:1:{side}", "y=0:1:1001"], seeds=1)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--workers", "257"], "--workers: must be from 1 to 256, got 257"),
        (["--dask-workers", "0"], "--dask-workers: must be from 1 to 256, got 0"),
        (["--chunksize", "-1"], "--chunksize: must be >= 1, got -1"),
    ],
)
def test_worker_counts_and_chunks_are_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    out = tmp_path / "out"
    argv = ["sweep", CHAIN, "--vary", "sides.blue.quality=0.5,1", "--no-progress", *args]
    assert main([*argv, "--out", str(out)]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()


def test_a_map_horizon_over_the_limit_needs_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_map = tmp_path / "long.toml"
    text = Path(CHAIN).read_text()
    assert "\ndays = 60\n" in text
    long_map.write_text(text.replace("\ndays = 60\n", f"\ndays = {MAX_DAYS + 1}\n"))
    out = tmp_path / "out"
    argv = ["sweep", str(long_map), "--vary", "sides.blue.quality=0.5,1", "--no-progress"]
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"map {long_map}: days = 36,501 exceed the sweep limit of 36,500 days" in err, err
    assert not out.exists()
    assert main([*argv, "--days", "2", "--workers", "1", "--out", str(out)]) == 0


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_out_that_is_a_file_exits_2_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    out = afile if where == "file" else afile / "sub"
    argv = ["sweep", CHAIN, "--vary", "sides.blue.quality=0.5,1", "--no-progress"]
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{out}: " in err and "Traceback" not in err
    assert ("is not a folder" if where == "file" else f"{afile} is a file") in err
    assert afile.read_text() == "keep me\n"


# -- the report on last-bit differences --------------------------------------------


def test_a_last_bit_spread_gets_one_bin_where_numpy_finds_too_many() -> None:
    values = np.array(LAST_BIT)
    with pytest.raises(ValueError, match="Too many bins"):
        np.histogram(values, bins=30)  # what crashed the report
    edges = hist_edges(values)
    assert len(edges) == 2 and edges[0] < 489.9 and edges[1] > 490.1
    assert np.histogram(values, bins=edges)[0].tolist() == [3]
    assert hist_edges(np.arange(31.0)).tolist() == list(np.linspace(0, 30, 31))
    deviations = values - 490.0  # +-5.7e-14: a real spread at its own scale, noise at 490's
    assert len(hist_edges(deviations)) == 31
    assert len(hist_edges(deviations, scale=490.0)) == 2
    assert is_constant(pd.Series(LAST_BIT)) and not is_constant(pd.Series([490.0, 490.001]))


def test_report_on_outcomes_equal_but_for_the_last_bit(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    spec = spec_from_cli(["x=-1,0,1"], seeds=2)
    assert run_sweep(spec, helpers.last_bit, out, progress=False).complete
    md = (write_report(out).parent / "report.md").read_text()
    assert "The same in every successful run, to 9 significant digits" in md
    assert "`level`" in md.split("The same in every")[1].split("\n")[0]
    assert "](lines_y.png)" in md and "lines_level" not in md
    md = (write_report(out, ["level"]).parent / "report.md").read_text()  # asked for: plotted
    assert "](lines_level.png)" in md  # its histogram facet has one bin
    assert (out / "report" / "lines_level.png").stat().st_size > 0
