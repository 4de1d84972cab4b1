"""``sandbox run``'s dashboard drawn by a second process: the same picture, no process left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.plots.dashboard import dashboard
from sandbox.plots.dashboard_process import ROOT, DashboardProcess
from sandbox.simulation import run
from sandbox.state.columns import DAILY
from tests.conftest import EXAMPLES

MAP = EXAMPLES / "sector.toml"
DAYS = 6


@pytest.fixture(scope="module")
def drawn_here(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, bytes]:
    res = run(MAP, seed=1, days=DAYS)
    path = dashboard(res, tmp_path_factory.mktemp("here") / "dashboard.png")
    return res, path.read_bytes()


def test_sandbox_run_draws_in_a_second_process_the_same_picture(tmp_path, drawn_here):
    out = tmp_path / "run"
    code = (
        "import sys; from sandbox.cli.main import main\n"
        f"assert main(['run', {str(MAP)!r}, '--days', '{DAYS}', '--out', {str(out)!r},"
        " '--no-progress']) == 0\n"
        "print('matplotlib imported here:', 'matplotlib.figure' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "matplotlib imported here: False" in done.stdout  # the other process drew it
    assert (out / "dashboard.png").read_bytes() == drawn_here[1]


def test_a_dead_process_falls_back_to_drawing_here(tmp_path, drawn_here):
    res, here = drawn_here
    with DashboardProcess(always=True) as drawer:
        proc = drawer._proc
        assert proc is not None
        proc.kill()
        proc.wait()
        drawer.start(res, tmp_path / "dashboard.png")  # the pipe is broken: nothing sent
        assert drawer.finish().read_bytes() == here


def test_a_drawing_error_is_raised_here_and_the_process_is_reaped(tmp_path):
    broken = run(MAP, seed=1, days=DAYS)
    broken.daily = broken.daily.drop(columns=[DAILY.side("blue", "strength")])  # a panel's
    with DashboardProcess(always=True) as drawer:
        proc = drawer._proc
        drawer.start(broken, tmp_path / "dashboard.png")
        with pytest.raises(KeyError):
            drawer.finish()
    assert proc is not None and proc.returncode == 0  # it reported the error and exited


def test_a_run_that_never_draws_leaves_no_process(tmp_path: Path):
    with DashboardProcess(always=True) as drawer:
        proc = drawer._proc
    assert proc is not None and proc.returncode is not None  # killed and reaped
