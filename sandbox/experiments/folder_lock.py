"""One writer per sweep folder: an exclusive ``flock`` on ``OUT/.sweep.lock``.

The lock file holds the holder's pid, command line and start time, so a second
writer is refused with a message naming them. The kernel drops the lock when
its holder dies however it dies, so a lock file left by a dead process is
simply taken over (and said so). The holder removes the file on release while
still holding the lock; an acquirer therefore checks, after locking, that the
file it locked is still the one at the path, and retries otherwise.

Fork children inherit the open descriptor (and with it a share of the lock):
:func:`held_fds` lists the descriptors that pool workers close at start.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError

LOCK_NAME = ".sweep.lock"
_HELD: set[int] = set()


class FolderBusy(ScenarioError):
    """Another live process holds the folder's lock (exit 2 at the command line)."""


def held_fds() -> tuple[int, ...]:
    """Descriptors of the folder locks this process holds."""
    return tuple(sorted(_HELD))


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_holder(path: Path, wait_s: float = 1.0) -> dict[str, Any]:
    """The holder's record; waits briefly for a holder that has locked but not yet written."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass
        if time.monotonic() >= deadline:
            return {}
        time.sleep(0.05)


class FolderLock:
    """Exclusive lock of a sweep folder; use as a context manager or acquire/release."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.fd: int | None = None
        self.stale: dict[str, Any] = {}  # the record of a dead holder that was taken over

    def acquire(self) -> FolderLock:
        """Take the lock or raise :class:`FolderBusy` naming the holder."""
        while self.fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                raise self._busy() from None
            if not self._is_current(fd):  # released and removed meanwhile: lock the new file
                os.close(fd)
                continue
            self.stale = _read_holder(self.path, wait_s=0)
            self._write_record(fd)
            self.fd = fd
            _HELD.add(fd)
        return self

    def _is_current(self, fd: int) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)

    def _write_record(self, fd: int) -> None:
        record = {"pid": os.getpid(), "command": list(sys.argv),
                  "started": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
        os.fsync(fd)

    def _busy(self) -> FolderBusy:
        holder = _read_holder(self.path)
        pid = holder.get("pid", "?")
        command = " ".join(map(str, holder.get("command") or ["?"]))
        since = holder.get("started", "?")
        alive = "" if _pid_alive(pid) else " (its workers may still be finishing)"
        return FolderBusy(
            str(self.folder),
            [
                f"another sweep is writing here: pid {pid}{alive}, started {since},"
                f" command: {command}; wait for it to finish (then resume with --resume)"
                " or choose another folder"
            ],
        )

    @property
    def took_over(self) -> str | None:
        """A note when the lock file was left by a process that is gone."""
        pid = self.stale.get("pid")
        if pid is None or pid == os.getpid() or _pid_alive(pid):
            return None
        return f"{self.folder}: taking over the lock left by pid {pid}, which is gone"

    def release(self) -> None:
        """Remove the lock file and drop the lock."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        _HELD.discard(fd)
        with contextlib.suppress(FileNotFoundError):
            if self._is_current(fd):
                os.unlink(self.path)
        os.close(fd)

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
