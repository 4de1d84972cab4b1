"""A long table left in its Parquet files until someone asks for all of it.

A large run's per-node and per-link records are spilled to Parquet chunk by chunk
(:mod:`sandbox.observe.spill`). Loading them whole costs memory several times their
size (a 10,000-node year: ~11 million node rows, ~4 GB at the peak), and saving them
encodes them a second time. A :class:`StoredTable` keeps the files instead:

* :meth:`frame` reads the whole table (what ``Results.nodes`` returns on first use);
* :meth:`rows` reads only the rows and columns asked for (Arrow's filters), which is
  all the dashboard needs (the last day, the struck nodes, the cut links);
* :meth:`write` puts the files into a run folder (one file: a hard link to it, or a
  byte copy across file systems; several: row group by row group), so the records are
  encoded once and, usually, not copied at all.

The frame read back equals, cell for cell and type for type, the one built in memory
(``tests/test_records.py``).
"""

from __future__ import annotations

import operator
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sandbox.observe.spill import read_files

Condition = tuple[str, str, Any]  # (column, "==" | "!=" | ">" | ">=" | "<" | "<=", value)
OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


class StoredTable:
    """A table in Parquet ``paths`` (in order); ``owner`` keeps their folder alive."""

    def __init__(self, paths: Sequence[Path], owner: object = None) -> None:
        self.paths = list(paths)
        self._owner = owner

    def frame(self) -> pd.DataFrame:
        return read_files(self.paths)

    def rows(
        self, where: Sequence[Condition] = (), columns: list[str] | None = None
    ) -> pd.DataFrame:
        """The rows where every condition holds (all of them for none), in table order;
        no rows when a condition names a column the table lacks."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = pq.read_schema(self.paths[0]).names
        if any(c[0] not in names for c in where):
            return pd.DataFrame()
        filters = [tuple(c) for c in where] or None
        parts = [pq.read_table(p, columns=columns, filters=filters) for p in self.paths]
        frame: pd.DataFrame = pa.concat_tables(parts).to_pandas()
        return frame

    def max(self, column: str) -> Any:
        """The largest value of one column (read alone)."""
        return self.rows(columns=[column])[column].max()

    def write(self, out: Path) -> None:
        """The table as one Parquet file at ``out``, without decoding it."""
        import pyarrow.parquet as pq

        if len(self.paths) == 1:
            _link_or_copy(self.paths[0], out)
            return
        first = pq.ParquetFile(self.paths[0])
        with pq.ParquetWriter(out, first.schema_arrow) as writer:
            for path in self.paths:
                source = pq.ParquetFile(path)
                for group in range(source.num_row_groups):
                    writer.write_table(source.read_row_group(group))


def _link_or_copy(source: Path, out: Path) -> None:
    """``out`` made the same file as ``source``: a hard link when both lie on one file
    system (no bytes copied: a spilled file is never written again once closed, and the
    spill folder's clean-up removes only its own name), else a copy. An ``out`` already
    there (``--force``) is replaced; the link is made under a temporary name first, so
    ``out`` is never half there."""
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)  # left by a killed process of the same id
    try:
        os.link(source, temp)
    except OSError:  # another file system, or links not allowed: copy the bytes
        shutil.copyfile(source, out)
        return
    try:
        os.replace(temp, out)
    finally:  # the temporary name gone whatever happens (Ctrl-C, out a folder)
        temp.unlink(missing_ok=True)


def frame_rows(
    frame: pd.DataFrame, where: Sequence[Condition] = (), columns: list[str] | None = None
) -> pd.DataFrame:
    """:meth:`StoredTable.rows` on a frame in memory."""
    if frame.empty or any(c[0] not in frame for c in where):
        return pd.DataFrame()
    keep = pd.Series(True, index=frame.index)
    for column, op, value in where:
        keep &= OPS[op](frame[column], value)
    out = frame[keep.to_numpy()]
    return out[columns] if columns is not None else out
