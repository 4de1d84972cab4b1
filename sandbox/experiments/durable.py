"""Crash-safe file writes: a unique temporary file in the same folder, fsync, rename.

A reader (or a resumed sweep) sees either the old file or the new one, never a
half-written one, whatever kills the writer and whenever. Temporary names are
unique (``.NAME.<random>.tmp``), so two writers never write into the same
temporary file; :func:`remove_leftovers` deletes those of a killed writer.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _fsync_path(path: str | Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` to fill a fresh temporary file, then move it to ``path``."""
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        _fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_path(path.parent, directory=True)


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def remove_leftovers(folder: Path, name: str = "*") -> int:
    """Delete the temporary files a killed writer left for files named ``name`` (a glob)
    in ``folder``; call while holding the folder's lock. Returns how many."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.glob(f".{name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                removed += 1
    return removed


def folder_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be (or become) a writable output folder, or ``None``."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        return "exists and is not a folder; give a folder (new or a sweep's) with --out"
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        return f"cannot be created: {probe} is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"cannot write in {probe} (permission denied)"
    return None
