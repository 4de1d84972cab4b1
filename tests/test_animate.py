"""``sandbox run --animate`` and :func:`sandbox.plots.animate.animate` (issue 17)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

import sandbox
from sandbox.cli.main import main
from sandbox.plots.animate import MAX_FRAMES, animate, frame_days, front_bar
from sandbox.scenario.calendar import day_date
from sandbox.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SECTOR = ROOT / "maps/examples/sector.toml"


def test_frames_every_k_days_and_always_the_last() -> None:
    assert frame_days(range(1, 21), every=5) == [1, 6, 11, 16, 20]
    assert frame_days(range(1, 11)) == list(range(1, 11))  # short runs: every day
    year = frame_days(range(1, 366))
    assert year[:3] == [1, 5, 9] and year[-1] == 365  # every 4th day: ceil(365 / 120) = 4
    assert len(year) == 92 <= MAX_FRAMES
    assert len(frame_days(range(1, 121))) == 120
    assert frame_days(range(1, 122)) == list(range(1, 122, 2))  # 61 frames, 121 among them
    assert frame_days([]) == []


def test_day_one_is_the_start_date_and_no_two_days_share_a_date() -> None:
    start = dt.date(2023, 1, 1)
    assert day_date(start, 1) == start
    assert day_date(start, 0) == dt.date(2022, 12, 31)
    assert day_date(start, 365) == dt.date(2023, 12, 31)


def test_a_front_bar_crosses_the_line_between_the_fronts_and_moves_with_the_front() -> None:
    sector = {"blue": "b", "red": "r"}
    pos = {"b": (0.0, 0.0), "r": (0.0, 2.0)}  # red due north, on the equator: 1 deg = 111 km
    bar = front_bar(sector, pos, 0.0, half_deg=0.5)
    # across the line, at the middle (x stretched by 1 / cos(1 deg), the middle's latitude)
    assert bar[:, 0].tolist() == pytest.approx([-0.5, 0.5], rel=2e-4)
    assert bar[:, 1].tolist() == [1.0, 1.0]
    moved = front_bar(sector, pos, 111.32, half_deg=0.5)  # blue advanced 111 km: 1 deg north
    assert moved[:, 1].tolist() == pytest.approx([2.0, 2.0])


def test_the_gif_has_one_frame_per_shown_day_and_a_bounded_size(tmp_path: Path) -> None:
    res = sandbox.run(load_scenario(SECTOR), seed=0, days=20)
    path = animate(res, tmp_path / "a.gif", every=5, dpi=50)
    with Image.open(path) as im:
        assert im.n_frames == 5  # days 1, 6, 11, 16 and the last, 20
        assert im.size == (400, 300)  # 8 x 6 inches at 50 dpi
    assert path.stat().st_size < 500_000


def test_sandbox_run_animate_writes_animation_gif(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["run", str(SECTOR), "--days", "9", "--animate", "--out", str(out), "--no-progress"]
    assert main(argv) == 0
    assert "animation.gif" in capsys.readouterr().out
    with Image.open(out / "animation.gif") as im:
        assert im.n_frames == 9  # 9 days, under the frame limit: every day
        assert im.size == (640, 480)
    assert main([*argv[:-3], "--animate-every", "0", "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()
