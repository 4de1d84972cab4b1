"""Results on disk: Parquet part files streamed as runs finish, plus a manifest.

Layout of an output folder ``OUT``::

    OUT/manifest.json        design, parameters, seeds, versions, command, times
    OUT/parts/part-*.parquet one row per run: run_id, row, seed, parameters,
                             status, error, outcomes, wall_s
    OUT/daily/part-*.parquet optional daily series (run_id, day, series...)
    OUT/.sweep.lock          while a sweep writes: its pid and command (folder_lock)
    OUT/corrupt/             parts found unreadable on resume, set aside

Part files are written whole (to a unique hidden temporary name, fsynced, then
renamed), so a killed sweep never leaves a half-written part behind; one
writer at a time is the runner's folder lock. A part damaged anyway (a full
disk, a copy cut short) is set aside by :func:`set_aside_unreadable` on resume
and its runs run again. Read everything back with :func:`load_results` or
simply ``pd.read_parquet("OUT/parts")``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sandbox.errors import ScenarioError
from sandbox.experiments.designs import ParamSpec
from sandbox.experiments.durable import remove_leftovers, replace_atomically
from sandbox.experiments.executors import RunRecord
from sandbox.experiments.manifest import (  # noqa: F401  (re-exported: the store's face)
    MANIFEST,
    new_manifest,
    now,
    package_versions,
    read_manifest,
    write_manifest,
)

CORRUPT = "corrupt"  # where set_aside_unreadable moves damaged parts
_ARROW = {"float64": pa.float64(), "int64": pa.int64(), "bool": pa.bool_(), "string": pa.string()}


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def _write_atomic(table: pa.Table, path: Path) -> None:
    replace_atomically(path, lambda tmp: pq.write_table(table, tmp))


def read_part(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """One part file; an unreadable one raises :class:`ScenarioError` naming it."""
    try:
        return pq.read_table(path, columns=list(columns) if columns else None)
    except (OSError, pa.ArrowException, ValueError) as exc:
        msg = f"unreadable result part ({type(exc).__name__}: {exc}); resume the sweep" \
              " (--resume) to set it aside and run its runs again"  # fmt: skip
        raise ScenarioError(str(path), [msg]) from None


def _part_problem(path: Path, required: Sequence[str]) -> str | None:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    missing = [c for c in required if c not in table.column_names]
    return f"missing columns {missing}" if missing else None


def set_aside_unreadable(out_dir: str | Path) -> list[str]:
    """Move every unreadable part of ``out_dir`` to ``OUT/corrupt/parts/NAME.corrupt`` (so
    its runs count as not done and run again); returns one message per part set aside."""
    out = Path(out_dir)
    notes: list[str] = []
    for folder, required in ((out / "parts", ("run_id", "status")), (out / "daily", ("run_id",))):
        for part in _parts(folder):
            problem = _part_problem(part, required)
            if problem is None:
                continue
            aside = out / CORRUPT / folder.name  # out of parts/: pd.read_parquet(parts) reads all
            aside.mkdir(parents=True, exist_ok=True)
            dest, k = aside / f"{part.name}.corrupt", 1
            while dest.exists():
                k += 1
                dest = aside / f"{part.name}.{k}.corrupt"
            os.replace(part, dest)
            redo = "its runs run again" if folder.name == "parts" else "its daily series are lost"
            where = dest.relative_to(out)
            notes.append(f"{part}: unreadable ({problem[:200]}); set aside as {where}, {redo}")
    return notes


class ResultStore:
    """Buffers finished runs and writes them as Parquet parts every ``flush_rows``
    rows or ``flush_seconds`` seconds, so memory stays flat.

    Outcome columns are fixed by ``outcomes`` or, when empty, by the first
    successful run; later runs missing one get a null, extra keys are counted in
    :attr:`dropped` and left out, so every part has the same schema.
    """

    def __init__(
        self,
        out_dir: str | Path,
        params: Sequence[ParamSpec],
        design: str = "grid",
        outcomes: Sequence[str] = (),
        flush_rows: int = 500,
        flush_seconds: float = 5.0,
        daily: bool = False,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.parts_dir = self.out_dir / "parts"
        self.daily_dir = self.out_dir / "daily"
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.parts_dir, "part-*.parquet")  # a killed sweep's (we hold the lock)
        self.params = [(p.name, p.dtype(design)) for p in params]
        self.outcomes: list[str] = list(outcomes)
        self.flush_rows = max(1, flush_rows)
        self.flush_seconds = flush_seconds
        self.daily = daily
        self.dropped: set[str] = set()
        self.stored: Counter[str] = Counter()  # runs written to parts, by status
        self._rows: list[dict[str, Any]] = []
        self._daily: list[pd.DataFrame] = []
        self._last = time.monotonic()
        self._next = self._next_index(self.parts_dir)
        self._next_daily = self._next_index(self.daily_dir)

    @staticmethod
    def _next_index(folder: Path) -> int:
        nums = [int(p.stem.split("-")[1]) for p in _parts(folder)]
        return max(nums, default=0) + 1

    def schema(self) -> pa.Schema:
        """The schema every part file of this sweep has."""
        fields = [("run_id", pa.string()), ("row", pa.int64()), ("seed", pa.int64())]
        fields += [(name, _ARROW[kind]) for name, kind in self.params]
        fields += [("status", pa.string()), ("error", pa.string())]
        fields += [(name, pa.float64()) for name in self.outcomes]
        fields += [("wall_s", pa.float64())]
        return pa.schema(fields)

    def add(self, rec: RunRecord) -> None:
        """Buffer a finished run; flush when the buffer is full or old enough."""
        if rec.status == "ok" and not self.outcomes:
            taken = {n for n, _ in self.params} | {"run_id", "row", "seed", "status", "error"}
            self.outcomes = [k if k not in taken else f"out.{k}" for k in rec.outcomes]
        row: dict[str, Any] = {"run_id": rec.run_id, "row": rec.row, "seed": rec.seed}
        row.update(rec.params)
        row.update(status=rec.status, error=rec.error, wall_s=rec.wall_s)
        for key, value in rec.outcomes.items():
            name = key if key in self.outcomes else f"out.{key}"
            if name in self.outcomes:
                row[name] = value
            else:
                self.dropped.add(key)
        self._rows.append(row)
        if self.daily and rec.daily is not None:
            frame = pd.DataFrame(rec.daily)
            if "day" not in frame.columns:
                frame.insert(0, "day", range(len(frame)))
            frame.insert(0, "run_id", rec.run_id)
            self._daily.append(frame)
        due = time.monotonic() - self._last >= self.flush_seconds
        if len(self._rows) >= self.flush_rows or due:
            # until one run succeeded the outcome columns are unknown: wait (within reason)
            if self.outcomes or len(self._rows) >= 20 * self.flush_rows:
                self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one new part file."""
        self._last = time.monotonic()
        if self._rows:
            path = self.parts_dir / f"part-{self._next:06d}.parquet"
            self._next += 1
            n_rows = len(self._rows)  # the rows stay buffered until their part has landed
            try:
                table = pa.Table.from_pylist(self._rows[:n_rows], schema=self.schema())
                _write_atomic(table, path)
            except BaseException:  # e.g. Ctrl-C mid-write: keep the rows unless they landed
                if path.exists():
                    self._landed(n_rows)
                raise
            self._landed(n_rows)
        if self._daily:
            self.daily_dir.mkdir(exist_ok=True)
            table = pa.Table.from_pandas(pd.concat(self._daily, ignore_index=True))
            _write_atomic(table, self.daily_dir / f"part-{self._next_daily:06d}.parquet")
            self._next_daily += 1
            self._daily = []

    def _landed(self, n_rows: int) -> None:
        rows = self._rows[:n_rows]
        del self._rows[:n_rows]
        self.stored.update(r["status"] for r in rows)

    def close(self) -> None:
        """Flush whatever is buffered."""
        self.flush()


# -- reading back -------------------------------------------------------------


def finished_run_ids(out_dir: str | Path, include_failed: bool = True) -> set[str]:
    """The run_ids already stored (failed ones too unless ``include_failed=False``)."""
    done: set[str] = set()
    for part in _parts(Path(out_dir) / "parts"):
        table = read_part(part, ["run_id", "status"])
        ids, status = table.column("run_id").to_pylist(), table.column("status").to_pylist()
        done.update(i for i, s in zip(ids, status, strict=True) if include_failed or s == "ok")
    return done


def drop_failed(out_dir: str | Path) -> int:
    """Remove failed runs from the part files (before retrying them); returns how many."""
    removed = 0
    for part in _parts(Path(out_dir) / "parts"):
        table = read_part(part)
        keep = pc.equal(table.column("status"), "ok")
        n_keep = pc.sum(keep).as_py() or 0
        if n_keep == table.num_rows:
            continue
        removed += table.num_rows - n_keep
        if n_keep:
            _write_atomic(table.filter(keep), part)
        else:
            part.unlink()
    return removed


def load_results(out_dir: str | Path) -> pd.DataFrame:
    """All stored runs as one DataFrame, sorted by design row then seed (i.e. by the
    run_id order), so the order never depends on completion order."""
    parts = _parts(Path(out_dir) / "parts")
    if not parts:
        cols = ["run_id", "row", "seed", "status", "error", "wall_s"]
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    tables = [read_part(p) for p in parts]
    table = pa.concat_tables(tables, promote_options="default")
    df = table.to_pandas()
    return df.sort_values(["row", "seed", "run_id"], kind="stable").reset_index(drop=True)


def load_daily(out_dir: str | Path) -> pd.DataFrame:
    """The daily series of all runs (empty when none were stored)."""
    parts = _parts(Path(out_dir) / "daily")
    if not parts:
        return pd.DataFrame(columns=["run_id", "day"])
    df = pa.concat_tables([read_part(p) for p in parts], promote_options="default")
    return df.to_pandas().sort_values(["run_id", "day"], kind="stable").reset_index(drop=True)
