"""Choose an executor by name: ``serial``, ``process`` or ``dask``."""

from __future__ import annotations

from sandbox.errors import ScenarioError
from sandbox.experiments.dask_executor import DaskExecutor
from sandbox.experiments.executors import (
    EXECUTORS,
    Executor,
    ProcessExecutor,
    SerialExecutor,
)
from sandbox.experiments.limits import MAX_WORKERS


def make_executor(
    kind: str | Executor = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    chunksize: int | None = None,
    connect_timeout: float = 5.0,
) -> Executor:
    """An executor by name: ``serial``, ``process`` or ``dask`` (``scheduler`` implies dask)."""
    if isinstance(kind, Executor):
        return kind
    if scheduler and kind in ("serial", "dask"):
        kind = "dask"
    problems = []
    if kind not in EXECUTORS:
        problems.append(f"--executor: unknown executor {kind!r}; expected {', '.join(EXECUTORS)}")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        problems.append(f"--workers: must be from 1 to {MAX_WORKERS}, got {workers}")
    if chunksize is not None and chunksize < 1:
        problems.append(f"--chunksize: must be >= 1, got {chunksize}")
    if scheduler and kind != "dask":
        problems.append(f"--scheduler: only the dask executor uses a scheduler, not {kind!r}")
    if problems:
        raise ScenarioError("command line", problems)
    if kind == "serial":
        return SerialExecutor()
    if kind == "process":
        return ProcessExecutor(workers, chunksize)
    return DaskExecutor(scheduler, workers, chunksize, connect_timeout)
