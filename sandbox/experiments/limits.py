"""Size limits of a sweep, checked before any work starts (issue 13).

A sweep's size is known from its spec alone: the design has a computable
number of rows (the product of the grid levels, or the samples times the
design's rows per sample), each row runs once per seed, and each run
simulates ``days`` days. Every size is compared here with a documented limit,
without building anything, and a message gives the estimated memory.

The per-item costs were measured (tracemalloc, Python 3.12, Dec 2026):
building a grid design peaks at about 100 + 16 B per parameter per row; a run
of ``maps/ukraine_2023.toml`` holds about 4 KB per simulated day (its daily
table of 124 columns and the model state); a stored result row is about 1 KB
in memory when the report or ``load_results`` reads the table (~106 outcomes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Rows of a design (parameter combinations). The design is built in memory.
MAX_DESIGN_ROWS = 1_000_000
#: Model seeds per design row (``--seeds N`` or an explicit list).
MAX_SEEDS = 100_000
#: Runs of a sweep (design rows x seeds): one result row each on disk and in the report.
MAX_RUNS = 1_000_000
#: Days a run simulates (100 years); a run's memory grows with its days.
MAX_DAYS = 36_500
#: Seeds are stored as Parquet int64 (and fed to numpy's generators).
MAX_SEED = 2**63 - 1
#: Local worker processes (each holds its own copy of the model and the map).
MAX_WORKERS = 256

DESIGN_BYTES_PER_ROW = 100
DESIGN_BYTES_PER_VALUE = 16
RESULT_BYTES_PER_RUN = 1_000
RUN_BYTES_PER_DAY = 4_000


def human_bytes(n_bytes: float) -> str:
    """``1.2 GB``-style size (decimal units)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes:.0f} B"


def design_rows(design: str, n_params: int, levels: Sequence[int], samples: Any,
                options: dict[str, Any]) -> int | None:  # fmt: skip
    """Rows the design will have, or ``None`` when the spec is too broken to tell."""
    if design == "grid":
        return math.prod(levels)
    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        return None
    if design == "lhs":
        return samples
    if design == "sobol":
        per = 2 * n_params + 2 if options.get("second_order") else n_params + 2
        return samples * per
    if design == "morris":
        return samples * (n_params + 1)
    return None


def size_problems(where: str, rows_at: str, rows: int | None, n_params: int, n_seeds: int,
                  days: Any) -> list[str]:  # fmt: skip
    """One message per size over its limit; ``where`` is ``--`` or ``experiment.``,
    ``rows_at`` names what sets the design's rows (``--vary``, ``--samples``...)."""
    out: list[str] = []
    if rows is not None and rows > MAX_DESIGN_ROWS:
        need = rows * (DESIGN_BYTES_PER_ROW + DESIGN_BYTES_PER_VALUE * n_params)
        out.append(
            f"{rows_at}: {rows:,} parameter combinations exceed the limit of"
            f" {MAX_DESIGN_ROWS:,} (building the design alone would take about"
            f" {human_bytes(need)} of memory); use fewer levels, or a sampling design"
            " (--design lhs --samples N)"
        )
    if rows is not None and rows <= MAX_DESIGN_ROWS and rows * n_seeds > MAX_RUNS:
        out.append(
            f"{where}seeds: {rows:,} combinations x {n_seeds:,} seeds = {rows * n_seeds:,} runs"
            f" exceed the limit of {MAX_RUNS:,} runs (the results table would take about"
            f" {human_bytes(rows * n_seeds * RESULT_BYTES_PER_RUN)} of memory to read back)"
        )
    if isinstance(days, int) and not isinstance(days, bool) and days > MAX_DAYS:
        out.append(
            f"{where}days: {days:,} days exceed the limit of {MAX_DAYS:,} (about"
            f" {human_bytes(days * RUN_BYTES_PER_DAY)} of memory per run and worker)"
        )
    return out


def seed_count_problem(where: str, n_seeds: int) -> str | None:
    """The message for ``--seeds N`` over :data:`MAX_SEEDS` (checked before the list is built)."""
    if n_seeds <= MAX_SEEDS:
        return None
    return (
        f"{where}: {n_seeds:,} seeds exceed the limit of {MAX_SEEDS:,} seeds per combination"
        f" (the seed list alone would take about {human_bytes(n_seeds * 36)} of memory)"
    )
