"""Arguments checked before any work starts: seeds, sizes and output paths.

Each check raises :class:`~sandbox.errors.UsageError` (exit 2) with a message
naming the argument, so a bad argument never costs a run, and a run never ends
in a traceback because its output folder cannot be written. Size limits are
documented in ``README.md`` ("Command line"); the messages quote the estimated memory.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.errors import UsageError

if TYPE_CHECKING:
    from sandbox.scenario.load import Scenario

MAX_RUN_MEMORY_BYTES = 8e9  # a run's estimated peak memory (what a laptop has to spare)
MAX_GENERATE_NODES = 200_000  # ~1.5 GB to generate, ~7 GB to run a day of it
GENERATE_BYTES_PER_NODE = 7.5e3  # measured: 20,000 nodes took 146 MB over the interpreter


def gigabytes(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:,.1f} GB"


def check_seed(seed: int) -> None:
    if seed < 0:
        raise UsageError(f"--seed {seed}: expected a whole number >= 0")


def check_days(sc: Scenario, days: int | None) -> int:
    """The number of days to run (the map's when ``days`` is None), within the limits."""
    n_days = sc.days if days is None else days
    if n_days < 1:
        raise UsageError(f"--days must be at least 1, got {n_days}")
    from sandbox.observe.recorder import run_memory_bytes
    from sandbox.scenario.schema import MAX_DAYS, check_calendar

    m = sc.spec
    memory = run_memory_bytes(len(m.nodes), len(m.links), len(m.commodities), n_days)
    need = f"this run would need about {gigabytes(memory)} of memory"
    if n_days > MAX_DAYS:
        raise UsageError(f"--days {n_days:,}: over the limit of {MAX_DAYS:,} days ({need})")
    if memory > MAX_RUN_MEMORY_BYTES:
        raise UsageError(
            f"--days {n_days:,}: {need}, over the limit of {gigabytes(MAX_RUN_MEMORY_BYTES)}; "
            "run fewer days or a smaller map"
        )
    why = check_calendar(m.scenario.start_date, n_days)
    if why is not None:
        raise UsageError(f"--days {n_days:,}: {why}")
    return n_days


def check_nodes(nodes: int) -> None:
    """``generate --nodes``: at least 6, at most :data:`MAX_GENERATE_NODES`."""
    if nodes < 6:
        raise UsageError(f"--nodes must be at least 6, got {nodes}")
    if nodes > MAX_GENERATE_NODES:
        need = GENERATE_BYTES_PER_NODE * nodes
        raise UsageError(
            f"--nodes {nodes:,}: over the limit of {MAX_GENERATE_NODES:,} nodes "
            f"(generating it would need about {gigabytes(need)} of memory)"
        )


def _not_under_a_file(out: Path) -> None:
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"--out {out}: {parent} is a file, not a folder")


def _writable_ancestor(out: Path) -> None:
    existing = next((p for p in (out, *out.parents) if p.exists()), Path("."))
    mode = os.W_OK | os.X_OK if existing.is_dir() else os.W_OK
    if not os.access(existing, mode):
        raise UsageError(f"--out {out}: cannot write in {existing}")


def check_out_dir(out: Path, force: bool | None = False) -> None:
    """An output folder: not a file, not under a file, empty unless ``force``, writable.

    ``force=None``: the command has no ``--force`` (a non-empty folder is refused).
    """
    _not_under_a_file(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; expected a folder")
    if out.exists() and any(out.iterdir()) and not force:
        hint = " (use --force to overwrite)" if force is not None else ""
        raise UsageError(f"--out {out}: folder exists and is not empty{hint}")
    _writable_ancestor(out)


def check_out_file(out: Path, suffixes: Sequence[str], force: bool = False) -> None:
    """An output file: one of ``suffixes``, not a folder, new unless ``force``, writable."""
    if out.is_dir():
        raise UsageError(f"--out {out}: is a folder; expected a file name ending {suffixes[0]}")
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"--out {out}: expected a file name ending {' or '.join(suffixes)}")
    _not_under_a_file(out)
    if out.exists() and not force:
        raise UsageError(f"--out {out}: file exists (use --force to overwrite it)")
    _writable_ancestor(out)
