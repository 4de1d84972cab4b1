"""``sandbox run`` as the process: the collector paused around the one-off work, and the
process ended without the interpreter's teardown (:func:`sandbox.cli.main.end_process`)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from io import StringIO

import pytest

from sandbox.cli import main as cli
from tests.conftest import EXAMPLES, ROOT


def test_the_collector_rests_only_while_the_stacks_are_imported(tmp_path, monkeypatch):
    """Collecting during the run, the saving and the drawing (a long run's cyclic garbage
    is freed), with what was imported and loaded before each of them frozen."""
    seen: dict[str, tuple[bool, int]] = {}
    run_or_play = cli._run_or_play

    def run_and_look(*args):
        seen["run"] = (gc.isenabled(), gc.get_freeze_count())
        return run_or_play(*args)

    def dashboard(res, path):
        seen["dashboard"] = (gc.isenabled(), gc.get_freeze_count())
        path.write_bytes(b"")
        return path

    ended: list[int] = []
    monkeypatch.setattr(cli, "_run_or_play", run_and_look)
    monkeypatch.setattr("sandbox.plots.dashboard.dashboard", dashboard)
    monkeypatch.setattr(cli, "end_process", ended.append)
    out = tmp_path / "run"
    chain = str(EXAMPLES / "chain.toml")
    monkeypatch.setattr(sys, "argv", ["sandbox", "run", chain, "--days", "3", "--out", str(out)])
    gc.unfreeze()
    try:
        assert cli.main() == 0
        assert seen["run"][0] and seen["dashboard"][0]
        assert seen["run"][1] > 100_000  # the modules and the map, at least
        assert seen["dashboard"][1] > seen["run"][1]  # and what the run made
        assert ended == [0]  # the console script's run ends its process
    finally:
        gc.unfreeze()
        gc.enable()


def test_main_with_arguments_leaves_the_process_and_the_collector_alone(tmp_path, monkeypatch):
    ended: list[int] = []
    monkeypatch.setattr(cli, "end_process", ended.append)
    chain = str(EXAMPLES / "chain.toml")
    assert cli.main(["run", chain, "--days", "2", "--out", str(tmp_path / "a")]) == 0
    assert ended == []
    assert gc.isenabled()


SCRIPT = """
import atexit, sys, tempfile
from pathlib import Path
from sandbox.cli.main import end_process
folder = tempfile.TemporaryDirectory(prefix="end-process-")  # removed by its finalizer
Path(sys.argv[1]).write_text(folder.name)
atexit.register(lambda: print("exit handler ran", file=sys.stderr))
print("x" * 100_000)  # more than the pipe's buffer holds unread
print("last line")
end_process(3)
print("never printed")
"""


def test_end_process_flushes_runs_the_exit_handlers_and_keeps_the_status(tmp_path):
    """Everything printed arrives, ``atexit`` handlers run (a ``TemporaryDirectory``'s
    finalizer among them: how spilled records are removed), the status is kept."""
    where = tmp_path / "folder.txt"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(where)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 3
    assert proc.stdout == "x" * 100_000 + "\nlast line\n"
    assert proc.stderr == "exit handler ran\n"
    folder = where.read_text()
    assert folder and not (tmp_path / folder).exists()


def _no_exit(status: int) -> None:
    raise AssertionError(f"os._exit({status}) called")


def test_end_process_returns_while_another_thread_works(monkeypatch):
    """A non-daemon thread (a records writer, say) is waited for by the usual exit."""
    monkeypatch.setattr(cli.os, "_exit", _no_exit)  # this process is pytest's
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert cli.end_process(0) is None  # returned: the process goes on
    finally:
        release.set()
        worker.join()


class ClosedPipe(StringIO):
    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_end_process_returns_when_output_cannot_be_flushed(monkeypatch):
    """A closed pipe: the usual exit reports it as Python does."""
    monkeypatch.setattr(cli.os, "_exit", _no_exit)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.end_process(0) is None


def test_console_script_run_prints_everything_and_exits_0(tmp_path):
    out = tmp_path / "run"
    args = ["run", str(EXAMPLES / "chain.toml"), "--days", "3", "--out", str(out), "--no-progress"]
    proc = subprocess.run(
        [sys.executable, "-m", "sandbox", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1].startswith(f"wrote {out}/ (scenario.toml, ")
    assert (out / "dashboard.png").stat().st_size > 0
    assert (out / "manifest.json").exists()


@pytest.mark.parametrize("unbuffered", ["1", ""])
@pytest.mark.parametrize("reads_a_line", [True, False], ids=["head-1", "closed-at-once"])
def test_a_reader_that_stops_early_gets_no_traceback_and_the_folder_stays(
    tmp_path, unbuffered, reads_a_line
):
    """`sandbox run ... | head -1` and `... | true`: the pipe closes after the first line or
    before any; the run's folder is whole and stderr holds no traceback. A reader gone
    before any output makes every write fail: the status is the shells' 141 (128 +
    SIGPIPE). After one line it is a race (the rest may already sit in the pipe's buffer
    when the reader closes, then 0), so there 0 or 141."""
    out = tmp_path / "run"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    args = ["run", str(EXAMPLES / "chain.toml"), "--days", "3", "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline() if reads_a_line else b"-"
    proc.stdout.close()  # as `head -1` (or `true`) does
    err = proc.stderr.read().decode()
    status = proc.wait(timeout=120)
    assert first.strip()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert status in ((0, cli.EXIT_BROKEN_PIPE) if reads_a_line else (cli.EXIT_BROKEN_PIPE,))
    assert (out / "dashboard.png").stat().st_size > 0
    assert (out / "manifest.json").exists()
