"""Where runs execute: in this process, in a local process pool, or on Dask.

Every executor calls the same :func:`execute_chunk` on the same picklable run
function and yields :class:`RunRecord` objects as runs finish. A run that
raises becomes a ``failed`` record carrying the error's type and text; the
sweep goes on. Each run gets its seed explicitly, so outcomes do not depend on
the executor, the worker count or the chunking.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.experiments.designs import Task, Value
from sandbox.experiments.folder_lock import held_fds
from sandbox.experiments.lifetime import worker_init

RunFn = Callable[[dict[str, Value], int], Any]
EXECUTORS = ("serial", "process", "dask")


class SchedulerError(ScenarioError):
    """The Dask scheduler cannot be reached (the CLI maps this to exit code 2)."""


@dataclass
class RunRecord:
    """The outcome of one run, successful or not."""

    run_id: str
    row: int
    seed: int
    params: dict[str, Value]
    status: str  # "ok" or "failed"
    error: str | None
    outcomes: dict[str, float]
    wall_s: float
    daily: Any = field(default=None, repr=False)


def _as_outcomes(out: Any) -> dict[str, float]:
    if not isinstance(out, Mapping):
        raise TypeError(f"run function must return a dict of outcomes, got {type(out).__name__}")
    res: dict[str, float] = {}
    for key, value in out.items():
        try:
            res[str(key)] = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"outcome {key!r} is not a number: {value!r}") from None
    return res


def execute_task(fn: RunFn, task: Task, want_daily: bool = False) -> RunRecord:
    """Run ``fn(params, seed)``; exceptions become a failed record (the sweep goes on)."""
    t0 = time.perf_counter()
    daily = None
    try:
        out = fn(dict(task.params), task.seed)
        if isinstance(out, tuple):
            if len(out) != 2:
                raise TypeError("run function must return outcomes or (outcomes, daily)")
            out, daily = out
        outcomes, status, error = _as_outcomes(out), "ok", None
    except Exception as exc:
        outcomes, status, error, daily = {}, "failed", f"{type(exc).__name__}: {exc}", None
    wall = time.perf_counter() - t0
    return RunRecord(
        task.run_id, task.row, task.seed, task.params, status, error, outcomes, wall,
        daily if want_daily else None,
    )  # fmt: skip


def execute_chunk(fn: RunFn, tasks: list[Task], want_daily: bool = False) -> list[RunRecord]:
    """Run a chunk of tasks in order (the unit of work sent to a worker)."""
    return [execute_task(fn, t, want_daily) for t in tasks]


def failed_records(tasks: Iterable[Task], exc: BaseException) -> list[RunRecord]:
    """Failed records for tasks lost with their worker (crash, kill, broken pool)."""
    msg = f"{type(exc).__name__}: {exc}".strip()
    return [RunRecord(t.run_id, t.row, t.seed, t.params, "failed", msg, {}, 0.0) for t in tasks]


class Chunker:
    """Groups tasks so that short runs are not drowned in per-task overhead.

    The first chunks hold one task each; afterwards a chunk holds about
    ``target_s`` seconds of work (from the mean run time seen so far), capped
    so that every worker still gets about four chunks.
    """

    def __init__(
        self,
        tasks: Iterable[Task],
        n_tasks: int,
        workers: int,
        chunksize: int | None = None,
        target_s: float = 0.5,
    ) -> None:
        self._it = iter(tasks)
        self.fixed = chunksize
        self.cap = max(1, math.ceil(n_tasks / (max(1, workers) * 4)))
        self.target_s = target_s
        self._runs = 0
        self._wall = 0.0

    def observe(self, records: Iterable[RunRecord]) -> None:
        """Update the mean run time from finished records."""
        for r in records:
            self._runs += 1
            self._wall += r.wall_s

    @property
    def size(self) -> int:
        """The size of the next chunk."""
        if self.fixed:
            return self.fixed
        if not self._runs:
            return 1
        mean = max(self._wall / self._runs, 1e-6)
        return max(1, min(self.cap, int(self.target_s / mean)))

    def next(self) -> list[Task]:
        """The next chunk (empty when the tasks are exhausted)."""
        return list(islice(self._it, self.size))


class Executor:
    """Base class: ``run`` yields records as runs finish; ``close`` releases resources."""

    name = "base"
    workers = 1

    def run(
        self, fn: RunFn, tasks: Iterable[Task], n_tasks: int, want_daily: bool = False
    ) -> Iterator[RunRecord]:
        """Execute ``tasks`` with ``fn``, yielding one record per task in completion order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers and connections."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs every task in this process, one after the other."""

    name = "serial"

    def run(
        self, fn: RunFn, tasks: Iterable[Task], n_tasks: int, want_daily: bool = False
    ) -> Iterator[RunRecord]:
        for task in tasks:
            yield execute_task(fn, task, want_daily)


class ProcessExecutor(Executor):
    """A local process pool (``fork`` where available), fed chunk by chunk.

    At most ``2 * workers`` chunks are in flight, so memory stays flat however
    many tasks there are. A worker that dies fails only the chunks in flight;
    the pool is rebuilt and the sweep goes on. Workers die with this process,
    even when it is SIGKILLed (:func:`sandbox.experiments.lifetime.worker_init`).
    """

    name = "process"

    def __init__(
        self,
        workers: int | None = None,
        chunksize: int | None = None,
        start_method: str | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self.chunksize = chunksize
        if start_method is None and "fork" in mp.get_all_start_methods():
            start_method = "fork"  # cheap workers; "forkserver" avoids fork-with-threads
        self._ctx = mp.get_context(start_method)
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        forked = self._ctx.get_start_method() == "fork"  # only fork copies the lock's fd
        return ProcessPoolExecutor(
            self.workers, mp_context=self._ctx, initializer=worker_init,
            initargs=(os.getpid(), held_fds() if forked else ()),
        )  # fmt: skip

    def run(
        self, fn: RunFn, tasks: Iterable[Task], n_tasks: int, want_daily: bool = False
    ) -> Iterator[RunRecord]:
        chunker = Chunker(tasks, n_tasks, self.workers, self.chunksize)
        pending: dict[Future[list[RunRecord]], tuple[list[Task], ProcessPoolExecutor]] = {}
        try:
            while True:
                while len(pending) < 2 * self.workers and (chunk := chunker.next()):
                    pool = self._pool = self._pool or self._new_pool()
                    pending[pool.submit(execute_chunk, fn, chunk, want_daily)] = (chunk, pool)
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk, pool = pending.pop(fut)
                    try:
                        records = fut.result()
                    except BrokenProcessPool as exc:  # a worker died: fail its chunks only
                        records = failed_records(chunk, exc)
                        if pool is self._pool:
                            pool.shutdown(wait=False, cancel_futures=True)
                            self._pool = None  # a new pool is made for the next chunk
                    chunker.observe(records)
                    yield from records
        finally:
            if pending:  # interrupted or closed early: do not wait for running chunks
                self._terminate()

    def _terminate(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.terminate()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
