"""Names of new run folders: ``runs/NAME-<time>``, for runs, sweeps and lessons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def new_run_dir(name: str, root: str | Path = "runs") -> Path:
    """``ROOT/NAME-<YYYYmmdd-HHMMSS>``, suffixed ``-2``, ``-3``... never an existing folder."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(root) / f"{name}-{stamp}"
    out, k = base, 1
    while out.exists():
        k += 1
        out = base.with_name(f"{base.name}-{k}")
    return out
