"""Sweeps under concurrency, kills and damage (issue 13): nothing lost, nothing orphaned.

Two writers into one folder, SIGKILL and SIGTERM to a sweep's parent, a
truncated part or a damaged manifest on resume. The run functions are the
model-free ones of :mod:`tests.experiments_helpers`; each subprocess test
takes a few seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from sandbox.errors import ScenarioError
from sandbox.experiments import load_results, run_sweep, spec_from_cli
from sandbox.experiments.durable import replace_atomically
from sandbox.experiments.folder_lock import LOCK_NAME, FolderBusy, FolderLock
from sandbox.experiments.lifetime import Terminated, sigterm_stops
from sandbox.experiments.store import read_manifest
from tests import experiments_helpers as helpers

ROOT = Path(__file__).resolve().parent.parent
MAP = str(ROOT / "maps/examples/two_node.toml")
GRID = ["x=0:3:4", "y=0.5,1.5,2.5"]  # 12 rows x 3 seeds = 36 runs


def table(out: Path) -> pd.DataFrame:
    """The stored results in run order, without the timing column."""
    return load_results(out).drop(columns="wall_s")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grid sweep run serially, uninterrupted."""
    out = tmp_path_factory.mktemp("ref") / "serial"
    assert run_sweep(spec_from_cli(GRID, seeds=3), helpers.noisy, out, progress=False).complete
    return out


def sweep_cmd(out: Path, fn: str, *extra: str) -> list[str]:
    vary = [a for v in GRID for a in ("--vary", v)]
    fn = f"tests.experiments_helpers:{fn}"
    return [sys.executable, "-m", "sandbox", "sweep", MAP, "--fn", fn, *vary, "--seeds", "3",
            "--out", str(out), "--no-progress", *extra]  # fmt: skip


def start(cmd: list[str], sleep_s: float, **env: str) -> subprocess.Popen[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), helpers.SLEEP_ENV: str(sleep_s), **env}
    return subprocess.Popen(cmd, env=full_env, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its new parent to reap it counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


# -- one writer per folder ----------------------------------------------------------


@pytest.mark.parametrize("resume", [True, False], ids=["both-resume", "both-new"])
def test_two_writers_into_one_folder_one_is_refused(
    reference: Path, tmp_path: Path, resume: bool
) -> None:
    out, log = tmp_path / "race", tmp_path / "calls.log"
    extra = ["--workers", "1", "--flush-rows", "2", *(["--resume"] if resume else [])]
    procs = [start(sweep_cmd(out, "counting", *extra), 0.2, **{helpers.CALL_LOG_ENV: str(log)})
             for _ in range(2)]  # fmt: skip
    outputs = [p.communicate(timeout=120) for p in procs]
    results = [(p.pid, p.returncode, *o) for p, o in zip(procs, outputs, strict=True)]
    codes = sorted(rc for _, rc, _, _ in results)
    assert codes == [0, 2], results
    (winner,) = [pid for pid, rc, _, _ in results if rc == 0]
    (err,) = [stderr for _, rc, _, stderr in results if rc == 2]
    assert "Traceback" not in err
    if f"pid {winner}" not in err:  # without --resume the loser may come after the winner
        assert not resume and "already holds a sweep" in err, err
    else:
        assert "another sweep is writing here" in err and "sweep" in err.split("command:")[1]
    final = table(out)
    assert final["run_id"].is_unique and len(final) == 36 and set(final["status"]) == {"ok"}
    pd.testing.assert_frame_equal(final, table(reference), check_exact=True)
    runs = Counter(log.read_text().splitlines())
    assert len(runs) == 36 and set(runs.values()) == {1}, "a run was executed twice"
    assert not (out / LOCK_NAME).exists()


def test_a_folder_holding_only_a_starting_sweeps_lock_names_the_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The moment a second new sweep meets the first one's lock and nothing else (the race CI
    once hit): the refusal names the live writer, not "not empty, use --force"."""
    from sandbox.cli.main import main

    out = tmp_path / "starting"
    out.mkdir()
    vary = [a for v in GRID for a in ("--vary", v)]
    argv = ["sweep", MAP, "--fn", "tests.experiments_helpers:noisy", *vary, "--no-progress",
            "--workers", "1", "--out", str(out)]  # fmt: skip
    with FolderLock(out):
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"another sweep is writing here: pid {os.getpid()}" in err and "--force" not in err, err
    assert sorted(p.name for p in out.iterdir()) == []  # nothing written, the lock released


def test_a_live_lock_names_its_holder_and_a_dead_ones_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    with FolderLock(out):
        with pytest.raises(FolderBusy, match=rf"another sweep is writing here: pid {os.getpid()}"):
            FolderLock(out).acquire()
    assert not (out / LOCK_NAME).exists()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(gone.stdout)
    (out / LOCK_NAME).write_text(json.dumps({"pid": dead_pid, "command": ["sandbox", "sweep"]}))
    s = run_sweep(spec_from_cli(["x=0:1:2", "y=1"]), helpers.noisy, out, progress=False)
    assert s.complete and s.notes == [
        f"{out}: taking over the lock left by pid {dead_pid}, which is gone"
    ]
    assert not (out / LOCK_NAME).exists()


# -- workers end with their parent ------------------------------------------------


def _worker_pids(log: Path, n: int, proc: subprocess.Popen[str], limit_s: float = 60) -> set[int]:
    deadline = time.monotonic() + limit_s
    while True:
        pids = {int(p) for p in log.read_text().split()} if log.exists() else set()
        if len(pids) >= n:
            return pids
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the workers did not start in time"
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_parent_ends_its_workers(
    reference: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    out, log = tmp_path / "killed", tmp_path / "pids.log"
    extra = ["--workers", "2", "--chunksize", "1", "--flush-rows", "1"]
    proc = start(sweep_cmd(out, "pid_logging", *extra), 0.3, **{helpers.PID_LOG_ENV: str(log)})
    workers: set[int] = set()
    try:
        workers = _worker_pids(log, 2, proc)
        assert proc.pid not in workers
        deadline = time.monotonic() + 60
        while not any((out / "parts").glob("part-*.parquet")):  # let some runs be stored
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(sig)  # the parent only, not its process group
        rc = proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if alive(p)], "workers outlived their parent by 5 s"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in workers:  # orphans, should the test fail: do not leave them running
            if alive(pid) and os.getpgid(pid) == proc.pid:  # still the sweep's session
                os.kill(pid, signal.SIGKILL)
    assert rc == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
    if sig == signal.SIGTERM:  # an orderly stop: finished runs kept, the session recorded
        manifest = read_manifest(out)
        assert manifest is not None and manifest["sessions"][-1]["interrupted"] is True
        assert len(load_results(out)) == manifest["sessions"][-1]["ok"] >= 1
    spec = spec_from_cli(GRID, seeds=3, map=MAP)  # as the command line made it
    s = run_sweep(spec, helpers.noisy, out, resume=True, progress=False)
    assert s.complete
    pd.testing.assert_frame_equal(table(out), table(reference), check_exact=True)


# -- damage ------------------------------------------------------------------------


def test_resume_sets_a_truncated_part_aside_and_reruns_its_runs(
    reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "damaged"
    spec = spec_from_cli(GRID, seeds=3)
    run_sweep(spec, helpers.noisy, out, flush_rows=5, progress=False)  # 8 parts: 7 x 5, 1 x 1
    part = out / "parts" / "part-000003.parquet"
    lost = set(pd.read_parquet(part)["run_id"])
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    with pytest.raises(ScenarioError, match=r"(?s)part-000003.parquet: .*unreadable result part"):
        load_results(out)
    s = run_sweep(spec, helpers.noisy, out, resume=True, progress=False)
    assert (s.n_skipped, s.n_run, s.complete) == (31, 5, True)
    assert len(s.notes) == 1 and str(part) in s.notes[0]
    assert (
        "set aside as corrupt/parts/part-000003.parquet.corrupt, its runs run again" in s.notes[0]
    )
    assert (out / "corrupt" / "parts" / "part-000003.parquet.corrupt").is_file()
    assert set(pd.read_parquet(sorted((out / "parts").glob("*.parquet"))[-1])["run_id"]) == lost
    pd.testing.assert_frame_equal(table(out), table(reference), check_exact=True)
    assert len(pd.read_parquet(out / "parts")) == 36  # the README's one-liner reads the folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"spec": {"experiment": {', "not valid JSON (Expecting property name"),
        ('{"spec": 5}', "spec: expected an object, got 5"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"seed": 0, "days": 5}', "has no 'spec': not a sweep's manifest"),
        (
            '{"spec": {"experiment": {}, "parameters": {"x": 5}}, "fingerprint": "f",'
            ' "sessions": []}',
            "expected a list, 'LO:HI:N' or {lo, hi, n}, got 5",
        ),
    ],
    ids=["truncated", "spec-a-number", "not-an-object", "run-folder", "bad-parameter"],
)
def test_a_damaged_manifest_stops_resume_and_report_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    from sandbox.cli.main import main

    out = tmp_path / "m"
    out.mkdir()
    (out / "manifest.json").write_text(text)
    vary = [a for v in GRID for a in ("--vary", v)]
    resume = ["sweep", MAP, "--fn", "tests.experiments_helpers:noisy", *vary, "--resume",
              "--no-progress", "--workers", "1", "--out", str(out)]  # fmt: skip
    shape_only = "fingerprint" not in text  # a well-shaped manifest: resume compares fingerprints
    for argv in (["sweep", "report", str(out)], *([resume] if shape_only else [])):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"{out / 'manifest.json'}: " in err and expected in err, err
        assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]  # nothing written


def test_sigterm_is_deferred_while_workers_start_and_raises_once_armed() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with sigterm_stops() as stop:
        os.kill(os.getpid(), signal.SIGTERM)  # deferred: a pool or cluster may be starting
        time.sleep(0.05)
        assert stop.pending
        with pytest.raises(Terminated):
            stop.arm()  # the deferred signal stops the sweep before its first run
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # a second one ends it
        signal.signal(signal.SIGTERM, stop.handle)
        stop.arm()
        with pytest.raises(Terminated):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler raises in the main thread
    assert signal.getsignal(signal.SIGTERM) == before
    assert isinstance(Terminated(), KeyboardInterrupt)  # handled where Ctrl-C is


def test_a_killed_writers_temporary_files_go_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "tmpfiles"
    spec = spec_from_cli(["x=0:1:2", "y=1"])
    run_sweep(spec, helpers.noisy, out, progress=False)
    leftovers = [out / ".manifest.json.k2j4.tmp", out / "parts" / ".part-000002.parquet.x9.tmp"]
    mine = [out / ".notes.tmp", out / "parts" / "README"]
    for path in leftovers + mine:
        path.write_text("half written")
    with pytest.raises(RuntimeError, match="disk full"):  # a failed write leaves no temporary
        replace_atomically(out / "manifest.json", _failing_write)
    assert [p.name for p in out.glob(".manifest.json.*.tmp")] == [".manifest.json.k2j4.tmp"]
    assert read_manifest(out) is not None  # the old manifest is intact
    run_sweep(spec, helpers.noisy, out, resume=True, progress=False)
    assert [p.exists() for p in leftovers + mine] == [False, False, True, True]
    assert sorted(p.name for p in out.glob(".*.tmp")) == [".notes.tmp"]


def _failing_write(tmp: Path) -> None:
    tmp.write_text('{"spec": ')
    raise RuntimeError("disk full")
