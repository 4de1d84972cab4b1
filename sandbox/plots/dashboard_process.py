"""``sandbox run``'s dashboard drawn by a second process, started when the run starts.

Importing the plotting stack (pandas, matplotlib's ``Figure`` and Agg canvas, ~0.6-0.8 s
of CPU) and drawing the dashboard are a third of a default-map ``sandbox run``. A
:class:`DashboardProcess` starts ``python`` at once to import them on the machine's other
core while this process imports the model and runs it; :meth:`start` hands it the results
(pickled, a spilled run's tables as their file paths) and it draws while this process
writes the run folder; :meth:`finish` waits for it. The picture is the same bytes: the
same function draws it from the same results.

Robust by falling back: when the process cannot start, dies, or reports an error, the
dashboard is drawn here (so a drawing error is raised here, with its own traceback).
The process reads its one request from its stdin and exits at end of input, so it
never outlives this one; :meth:`close` (a ``with`` block) kills it if still running.
It ignores Ctrl-C (the terminal sends it to both): an interrupted run still saves its
dashboard. Started only when this process has not imported matplotlib already (a
warm process, e.g. the test suite calling ``main`` again, draws faster itself).
"""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.observe.results import Results

ROOT = Path(__file__).resolve().parents[2]  # the folder holding this ``sandbox`` package
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); import sandbox.plots.dashboard_process as d; d.serve()"  # noqa: E501


class DashboardProcess:
    """One dashboard, drawn by a second process when it can, else by this one."""

    def __init__(self, always: bool = False) -> None:
        """``always``: start the process even when matplotlib is imported here."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._job: tuple[Results, Path] | None = None
        self._sent = False
        if "matplotlib.figure" in sys.modules and not always:
            return  # already imported here: nothing to gain
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", BOOT, str(ROOT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError:
            self._proc = None

    def start(self, res: Results, path: Path) -> None:
        """Hand ``res`` to the process to draw at ``path`` (whose folder exists)."""
        self._job = (res, path)
        proc = self._proc
        if proc is None or proc.stdin is None:
            return
        try:
            proc.stdin.write(pickle.dumps((res.handover(), str(path)), pickle.HIGHEST_PROTOCOL))
            proc.stdin.close()
        except (OSError, pickle.PicklingError):  # it died: drawn here at finish
            self.close()
            return
        proc.stdin = None  # sent; communicate() only reads its report
        self._sent = True

    def finish(self) -> Path:
        """The dashboard's path once written (by the process, else drawn here now)."""
        if self._job is None:
            raise RuntimeError("DashboardProcess.finish before start")
        res, path = self._job
        if self._proc is not None and self._sent:
            report = self._proc.communicate()[0]
            if self._proc.returncode == 0 and report == b"ok":
                return path
        from sandbox.plots.dashboard import dashboard

        return dashboard(res, path)

    def close(self) -> None:
        """Stop the process if it still runs (nothing drawn, or this run failed)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return  # never started, or already reaped by finish
        proc.kill()  # nothing sent if it has already exited
        proc.communicate()  # reaped, pipes closed

    def __enter__(self) -> DashboardProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def serve() -> None:
    """The second process: import the plotting stack, read one request, draw, report."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from sandbox.observe.results import Results
    from sandbox.plots.dashboard import dashboard

    request = sys.stdin.buffer.read()
    if not request:
        return  # the run ended without a dashboard (an error, a usage mistake)
    try:
        state, path = pickle.loads(request)
        dashboard(Results(**state), path)
    except Exception:  # reported; the parent draws it again and raises it there
        sys.stdout.buffer.write(traceback.format_exc().encode())
        return
    sys.stdout.buffer.write(b"ok")
