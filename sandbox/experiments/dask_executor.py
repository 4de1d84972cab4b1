"""The Dask executor: a remote scheduler or a LocalCluster on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sandbox.experiments.designs import Task
from sandbox.experiments.executors import (
    Chunker,
    Executor,
    RunFn,
    RunRecord,
    SchedulerError,
    default_workers,
    execute_chunk,
    failed_records,
)

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx)://[^\s:/]+(:\d+)?$|^[^\s:/]+:\d+$")


class DaskExecutor(Executor):
    """Runs chunks on a Dask cluster: ``address`` (``tcp://HOST:PORT``) or a new
    :class:`distributed.LocalCluster` of ``workers`` processes bound to 127.0.0.1.

    Connecting happens here, so an unreachable scheduler raises
    :class:`SchedulerError` within ``connect_timeout`` seconds, before any run.
    """

    name = "dask"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        chunksize: int | None = None,
        connect_timeout: float = 5.0,
    ) -> None:
        from distributed import Client, LocalCluster

        self.chunksize = chunksize
        self._cluster: Any = None
        if address:
            if not _ADDRESS.match(address):
                raise SchedulerError("--scheduler", [f"{address!r} is not like tcp://HOST:PORT"])
            try:
                self._client = Client(address, timeout=connect_timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                msg = f"cannot reach the Dask scheduler at {address} ({exc})"
                raise SchedulerError("--scheduler", [msg]) from None
            self.workers = max(1, len(self._client.scheduler_info()["workers"]))
        else:
            self.workers = workers or default_workers()
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = Client(self._cluster, set_as_default=False)

    def run(
        self, fn: RunFn, tasks: Iterable[Task], n_tasks: int, want_daily: bool = False
    ) -> Iterator[RunRecord]:
        from distributed import as_completed

        chunker = Chunker(tasks, n_tasks, self.workers, self.chunksize)
        pending: dict[Any, list[Task]] = {}
        queue = as_completed(loop=self._client.loop)

        def top_up() -> None:
            while len(pending) < 2 * self.workers and (chunk := chunker.next()):
                fut = self._client.submit(execute_chunk, fn, chunk, want_daily, pure=False)
                pending[fut] = chunk
                queue.add(fut)

        try:
            top_up()
            for fut in queue:
                chunk = pending.pop(fut)
                try:
                    records = fut.result()
                except Exception as exc:  # a worker died or the chunk was lost
                    records = failed_records(chunk, exc)
                fut.release()
                chunker.observe(records)
                yield from records
                top_up()
        finally:
            if pending:
                self._client.cancel(list(pending))

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
