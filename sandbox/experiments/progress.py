"""A tqdm progress bar for sweeps: runs done, failures, and the time left."""

from __future__ import annotations

import sys
from typing import Any

from sandbox.experiments.executors import RunRecord


class Progress:
    """Counts finished runs; shows a bar on a terminal (stderr), nothing otherwise.

    The bar shows runs done of the total (resumed runs count as done from the
    start), the estimated time left, and ``failed=N`` as a postfix.
    """

    def __init__(self, total: int, initial: int = 0, enabled: bool = True, desc: str = "runs"):
        self.ok = 0
        self.failed = 0
        self._bar: Any = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, initial=initial, desc=desc, unit="run", dynamic_ncols=True,
                smoothing=0.1, file=sys.stderr,
            )  # fmt: skip
            self._bar.set_postfix(failed=0, refresh=False)

    @property
    def enabled(self) -> bool:
        """Whether a bar is shown."""
        return self._bar is not None

    def update(self, record: RunRecord) -> None:
        """Count one finished run."""
        if record.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
        if self._bar is not None:
            if record.status != "ok":
                self._bar.set_postfix(failed=self.failed, refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        """Remove the bar's resources (the final state stays on screen)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
