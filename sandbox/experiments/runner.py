"""Run a sweep: spec → tasks → executor → store, with resume and a progress bar."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.experiments import store as st
from sandbox.experiments.backends import make_executor
from sandbox.experiments.designs import Task, make_tasks
from sandbox.experiments.executors import Executor, RunFn
from sandbox.experiments.progress import Progress
from sandbox.experiments.spec import ExperimentSpec, KeyValidator


@dataclass
class SweepSummary:
    """What a call of :func:`run_sweep` did."""

    out_dir: Path
    n_tasks: int  # runs in the whole sweep
    n_skipped: int  # already stored when this call started (resume)
    n_ok: int  # succeeded in this call
    n_failed: int  # failed in this call
    interrupted: bool
    wall_s: float
    executor: str
    workers: int

    @property
    def n_run(self) -> int:
        """Runs executed by this call."""
        return self.n_ok + self.n_failed

    @property
    def complete(self) -> bool:
        """Whether every run of the sweep is now stored."""
        return self.n_skipped + self.n_run == self.n_tasks


def _fn_name(fn: Any) -> str:
    inner = getattr(fn, "func", fn)  # functools.partial
    return f"{getattr(inner, '__module__', '?')}:{getattr(inner, '__qualname__', repr(inner))}"


def _check_out_dir(spec: ExperimentSpec, out: Path, resume: bool) -> dict[str, Any] | None:
    manifest = st.read_manifest(out)
    has_parts = any((out / "parts").glob("part-*.parquet"))
    if not resume:
        if manifest is not None or has_parts:
            raise ScenarioError(
                str(out),
                ["already holds a sweep; resume it (--resume) or choose another folder"],
            )
        return None
    if manifest is None:
        if has_parts:
            raise ScenarioError(str(out), ["has result parts but no manifest.json"])
        return None
    if manifest.get("fingerprint") != spec.fingerprint():
        raise ScenarioError(
            str(out),
            [
                "holds a different experiment (design, parameters, seeds or samples differ);"
                " resume with the same spec or choose another folder"
            ],
        )
    return manifest


def run_sweep(
    spec: ExperimentSpec,
    fn: RunFn,
    out_dir: str | Path,
    *,
    executor: str | Executor = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    progress: bool = True,
    validate_keys: KeyValidator | None = None,
    flush_rows: int = 500,
    flush_seconds: float = 5.0,
    chunksize: int | None = None,
    connect_timeout: float = 5.0,
) -> SweepSummary:
    """Run every task of ``spec`` with ``fn(params, seed)``, streaming results to ``out_dir``.

    Bad input (spec, unknown keys via ``validate_keys``, a folder holding another
    sweep, an unpicklable function, an unreachable scheduler) raises
    :class:`ScenarioError` before any run starts. With ``resume`` the runs
    already stored are skipped (failed ones too, unless ``retry_failed``).
    Ctrl-C stops the sweep, keeps what finished and returns with
    ``interrupted=True``.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    spec.validate(validate_keys)
    _check_sendable(fn, executor, scheduler)
    manifest = _check_out_dir(spec, out, resume)
    design = spec.design_frame()
    n_tasks = len(design) * len(spec.seeds)
    done = st.finished_run_ids(out, include_failed=not retry_failed) if manifest else set()
    pool = make_executor(executor, workers, scheduler, chunksize, connect_timeout)

    # nothing has been written before this point
    try:
        if manifest is None:
            manifest = st.new_manifest(
                spec.to_dict(), spec.fingerprint(), function=_fn_name(fn), n_tasks=n_tasks
            )
        elif retry_failed:
            st.drop_failed(out)
        session = _open_session(out, manifest, pool, resume, skipped=len(done))
        store = st.ResultStore(
            out, spec.params, spec.design, manifest.get("outcomes") or spec.outcomes,
            flush_rows, flush_seconds, spec.daily,
        )  # fmt: skip
        bar = Progress(n_tasks, len(done), progress)
        pending = (t for t in make_tasks(design, spec.seeds) if t.run_id not in done)
        interrupted = _stream(pool, fn, pending, n_tasks - len(done), spec.daily, store, bar)
    finally:
        pool.close()
    summary = SweepSummary(
        out, n_tasks, len(done), bar.ok, bar.failed, interrupted,
        time.perf_counter() - t0, pool.name, pool.workers,
    )  # fmt: skip
    _close_session(out, manifest, session, store, summary)
    return summary


def _check_sendable(fn: RunFn, executor: str | Executor, scheduler: str | None) -> None:
    """A function sent to worker processes must pickle (defined at module level)."""
    kind = executor if isinstance(executor, str) else executor.name
    if kind != "serial" or scheduler:
        try:
            pickle.dumps(fn)
        except Exception as exc:
            msg = f"{_fn_name(fn)} cannot be sent to workers ({exc}); define it at module level"
            raise ScenarioError("run function", [msg]) from None


def _open_session(
    out: Path, manifest: dict[str, Any], pool: Executor, resume: bool, skipped: int
) -> dict[str, Any]:
    """Record in the manifest that this call started; returns its session record."""
    session = {"started": st.now(), "executor": pool.name, "workers": pool.workers,
               "resume": resume, "skipped": skipped}  # fmt: skip
    manifest["sessions"].append(session)
    st.write_manifest(out, manifest)
    return session


def _stream(
    pool: Executor,
    fn: RunFn,
    pending: Iterator[Task],
    n_pending: int,
    daily: bool,
    store: st.ResultStore,
    bar: Progress,
) -> bool:
    """Run the pending tasks into the store; True when Ctrl-C stopped the sweep."""
    interrupted = False
    try:
        for record in pool.run(fn, pending, n_pending, daily):
            store.add(record)
            bar.update(record)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
        store.close()
    return interrupted


def _close_session(
    out: Path,
    manifest: dict[str, Any],
    session: dict[str, Any],
    store: st.ResultStore,
    summary: SweepSummary,
) -> None:
    """Record in the manifest what this call did and which outcomes the store kept."""
    session.update(
        finished=st.now(),
        ok=summary.n_ok,
        failed=summary.n_failed,
        interrupted=summary.interrupted,
    )
    manifest["outcomes"] = store.outcomes
    if store.dropped:
        manifest["dropped_outcomes"] = sorted(store.dropped)
    manifest["complete"] = summary.complete
    st.write_manifest(out, manifest)
