"""Run a sweep: spec → tasks → executor → store, with resume and a progress bar.

One writer per folder: the sweep holds the folder's lock (:mod:`.folder_lock`)
from its checks of the folder to its last write, so two sweeps started into one
folder cannot both pass the "already holds a sweep" check, nor store a run
twice. SIGTERM stops a sweep as Ctrl-C does (workers terminated, finished runs
kept); SIGKILL takes the workers with it (:mod:`.lifetime`).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sandbox.errors import ScenarioError
from sandbox.experiments import store as st
from sandbox.experiments.backends import make_executor
from sandbox.experiments.designs import make_tasks
from sandbox.experiments.durable import folder_problem, remove_leftovers
from sandbox.experiments.executors import Executor, RunFn, RunRecord
from sandbox.experiments.folder_lock import FolderLock
from sandbox.experiments.lifetime import sigterm_stops
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
    stopped_by: int = 0  # the signal that interrupted the sweep (SIGINT, SIGTERM), else 0
    notes: list[str] = field(default_factory=list)  # parts set aside, a lock taken over

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
    """The manifest to resume (``None`` for a new sweep); call while holding the lock."""
    has_parts = any((out / "parts").glob("part-*.parquet"))
    if not resume:
        if (out / st.MANIFEST).exists() or has_parts:
            raise ScenarioError(
                str(out),
                ["already holds a sweep; resume it (--resume) or choose another folder"],
            )
        return None
    manifest = st.read_manifest(out)
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


def _check_inputs(spec: ExperimentSpec, fn: RunFn, out: Path, kind: str, scheduler: Any) -> None:
    if kind != "serial" or scheduler:
        try:
            pickle.dumps(fn)
        except Exception as exc:
            msg = f"{_fn_name(fn)} cannot be sent to workers ({exc}); define it at module level"
            raise ScenarioError("run function", [msg]) from None
    problem = folder_problem(out)
    if problem:
        raise ScenarioError(str(out), [problem])


def _note(notes: list[str], text: str) -> None:
    notes.append(text)
    print(f"note: {text}", file=sys.stderr)


@dataclass
class _Session:
    """One call's work on a locked folder."""

    spec: ExperimentSpec
    fn: RunFn
    out: Path
    pool: Executor
    retry_failed: bool
    flush_rows: int
    flush_seconds: float
    notes: list[str]
    n_tasks: int = 0
    n_ok: int = 0  # runs stored by this session
    n_failed: int = 0
    done: set[str] = field(default_factory=set)
    design: pd.DataFrame | None = None
    session: dict[str, Any] = field(default_factory=dict)

    def prepare(self, resume: bool) -> dict[str, Any]:
        """Check the folder, set damaged parts aside, and write the manifest's new session."""
        spec, out = self.spec, self.out
        manifest = _check_out_dir(spec, out, resume)
        remove_leftovers(out, st.MANIFEST)
        for folder in (out / "parts", out / "daily"):
            remove_leftovers(folder, "part-*.parquet")
        self.design = spec.design_frame()
        self.n_tasks = len(self.design) * len(spec.seeds)
        if manifest is None:
            manifest = st.new_manifest(
                spec.to_dict(), spec.fingerprint(), function=_fn_name(self.fn),
                n_tasks=self.n_tasks,
            )  # fmt: skip
        else:
            for text in st.set_aside_unreadable(out):
                _note(self.notes, text)
            self.done.update(st.finished_run_ids(out, include_failed=not self.retry_failed))
            if self.retry_failed:
                st.drop_failed(out)
        self.session = {
            "started": st.now(), "executor": self.pool.name, "workers": self.pool.workers,
            "resume": resume, "skipped": len(self.done), "pid": os.getpid(),
        }  # fmt: skip
        if self.notes:
            self.session["notes"] = list(self.notes)
        manifest["sessions"].append(self.session)
        st.write_manifest(out, manifest)
        return manifest

    def execute(self, manifest: dict[str, Any], progress: bool) -> int:
        """Run what is not done yet (counting what was stored, not what was shown);
        returns the signal that stopped it, or 0."""
        spec = self.spec
        store = st.ResultStore(
            self.out, spec.params, spec.design, manifest.get("outcomes") or spec.outcomes,
            self.flush_rows, self.flush_seconds, spec.daily,
        )  # fmt: skip
        bar = Progress(self.n_tasks, len(self.done), progress)
        stopped_by = 0
        assert self.design is not None, "prepare() first"
        todo = (t for t in make_tasks(self.design, spec.seeds) if t.run_id not in self.done)
        runs: Iterator[RunRecord] = self.pool.run(
            self.fn, todo, self.n_tasks - len(self.done), spec.daily
        )
        try:
            for record in runs:
                store.add(record)
                bar.update(record)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (lifetime.Terminated)
            stopped_by = int(getattr(exc, "signum", signal.SIGINT))
        finally:
            close = getattr(runs, "close", None)  # a generator: stop its workers now, not
            if close is not None:  # after the chunks in flight
                close()
            bar.close()
            store.close()
        self.n_ok, self.n_failed = store.stored["ok"], store.stored["failed"]
        self.session.update(finished=st.now(), ok=self.n_ok, failed=self.n_failed,
                            interrupted=bool(stopped_by))  # fmt: skip
        manifest["outcomes"] = store.outcomes
        if store.dropped:
            manifest["dropped_outcomes"] = sorted(store.dropped)
        manifest["complete"] = len(self.done) + self.n_ok + self.n_failed == self.n_tasks
        st.write_manifest(self.out, manifest)
        return stopped_by


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

    Bad input (spec, sizes over their limits, unknown keys via ``validate_keys``,
    an output path that cannot be a folder, a folder holding another sweep or
    locked by a running one, an unpicklable function, an unreachable scheduler)
    raises :class:`ScenarioError` before any run starts. With ``resume`` the runs
    already stored are skipped (failed ones too, unless ``retry_failed``) and
    unreadable parts are set aside (``*.corrupt``) so their runs run again.
    Ctrl-C or SIGTERM stops the sweep, keeps what finished and returns with
    ``interrupted=True`` (``stopped_by`` the signal).
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    spec.validate(validate_keys)
    kind = executor if isinstance(executor, str) else executor.name
    _check_inputs(spec, fn, out, kind, scheduler)
    with sigterm_stops() as stop:  # deferred while workers start and stop, else raising
        pool = make_executor(executor, workers, scheduler, chunksize, connect_timeout)
        notes: list[str] = []
        sess = _Session(spec, fn, out, pool, retry_failed, flush_rows, flush_seconds, notes)
        try:  # nothing has been written before this point (but the folder and its lock file)
            stop.arm()
            out.mkdir(parents=True, exist_ok=True)
            with FolderLock(out) as lock:
                if lock.took_over:
                    _note(notes, lock.took_over)
                manifest = sess.prepare(resume)
                stopped_by = sess.execute(manifest, progress)
        finally:
            stop.defer()
            pool.close()
    return SweepSummary(
        out, sess.n_tasks, len(sess.done), sess.n_ok, sess.n_failed, bool(stopped_by),
        time.perf_counter() - t0, pool.name, pool.workers, stopped_by, notes,
    )  # fmt: skip
