"""Tie worker processes to their parent, and turn SIGTERM into an orderly stop.

A process-pool worker outlives a parent that is killed (SIGKILL cannot be
caught), so each worker asks Linux to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``, via ctypes) and then checks that the
parent did not die before the request took effect. Elsewhere the call is a
no-op. Note: Linux sends the signal when the *thread* that forked the worker
exits; the pool forks from the thread that submits work, i.e. the sweep's.

SIGTERM (``kill PID``, a job scheduler, a container stop) is turned into
:class:`Terminated`, a ``KeyboardInterrupt``, so the sweep stops the way Ctrl-C
stops it: workers terminated, finished runs flushed, the manifest written.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM (handled like Ctrl-C: stop, keep what finished)."""

    signum = signal.SIGTERM


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux only).

    Exits at once if the parent (``parent_pid``) is already gone. Returns whether
    the request was made.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        return False
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    return True


def worker_init(parent_pid: int, close_fds: tuple[int, ...] = ()) -> None:
    """Initializer of a sweep's pool workers: die with the parent, leave Ctrl-C to it,
    and close descriptors inherited by fork that the worker must not hold (folder locks)."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)


class SigtermStop:
    """SIGTERM handling of a block: deferred (remembered) while workers start or stop, so
    their libraries are never interrupted half-way, and raising :class:`Terminated` while
    armed (runs in progress). A second SIGTERM after the first raise ends the process."""

    def __init__(self) -> None:
        self.armed = False
        self.pending = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            self.pending = True
            return
        self._raise()

    def _raise(self) -> None:
        self.armed = self.pending = False
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated()

    def arm(self) -> None:
        """From now on SIGTERM raises; one received while deferred raises now."""
        self.armed = True
        if self.pending:
            self._raise()

    def defer(self) -> None:
        """From now on SIGTERM is only remembered (in :attr:`pending`)."""
        self.armed = False


@contextlib.contextmanager
def sigterm_stops() -> Iterator[SigtermStop]:
    """Within the block SIGTERM is deferred until :meth:`SigtermStop.arm`, then raises
    :class:`Terminated`. Only in the main thread: elsewhere Python cannot install
    handlers, and the block runs with SIGTERM's usual effect."""
    stop = SigtermStop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGTERM, stop.handle)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous)
