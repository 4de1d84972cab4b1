"""Tables appended to Parquet files in a temporary folder, chunk by chunk, and read back.

Used by :class:`sandbox.observe.recorder.Recorder` so that a long run keeps
only its latest chunk of records in memory. Each table is a sequence of files
(``nodes-0.parquet``, ...); a file takes one row group per chunk written and
is closed when the table is read, so writing may continue after a read. The
folder is removed with the object (or at exit).

Each chunk is encoded and written on a thread of its own while the caller goes on
(Arrow releases the GIL while it encodes, so on a machine with a second core the
model's next days run meanwhile): at most one chunk a table in flight, the next
write to a table, and any read, wait for it first, and an error raised while writing
is raised there, in the caller. The files are the same, byte for byte, as written
inline: one writer a table, the same chunks in the same order.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import pandas as pd


class Spill:
    """Append-only Parquet tables named ``tables``, in a temporary folder."""

    def __init__(self, tables: tuple[str, ...], dictionary: tuple[str, ...] = ()) -> None:
        """``dictionary``: the columns to dictionary-encode (those with few distinct
        values) and to give statistics (min and max a row group, what filtered reads
        skip row groups by; on the floats they cost ~20% of a 10,000-node chunk's
        writing, and no reader filters on them); the others are written plain, without
        statistics (pyarrow's default tries a dictionary on
        every column, twice the time on a 10,000-node chunk of floats)."""
        self._dictionary = dictionary
        self._dir = tempfile.TemporaryDirectory(prefix="sandbox-records-")
        self._files: dict[str, list[Path]] = {t: [] for t in tables}
        self._writers: dict[str, Any] = {}
        self._pending: dict[str, threading.Thread] = {}  # the chunk being written, a table
        self._errors: dict[str, BaseException] = {}

    def write(self, table: str, frame: pd.DataFrame) -> None:
        """Append ``frame`` (same columns and types every time) to ``table``; returns
        once the chunk is handed to its writing thread (after the previous one ended)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        self._wait(table)
        writer = self._writers.get(table)
        if writer is None:
            path = Path(self._dir.name) / f"{table}-{len(self._files[table])}.parquet"
            self._files[table].append(path)
            coded = [c for c in arrow.schema.names if c in self._dictionary]
            writer = self._writers[table] = pq.ParquetWriter(
                path,
                arrow.schema,
                use_dictionary=coded,
                write_statistics=coded if self._dictionary else True,
            )
        thread = threading.Thread(
            target=self._write_table, args=(table, writer, arrow), name=f"spill-{table}"
        )
        self._pending[table] = thread
        thread.start()

    def _write_table(self, table: str, writer: Any, arrow: Any) -> None:
        """The writing thread's work: an error is kept for the caller's next wait."""
        try:
            writer.write_table(arrow)
        except BaseException as exc:  # raised in the caller by _wait
            self._errors[table] = exc

    def _wait(self, table: str) -> None:
        """Until ``table``'s chunk in flight (if any) is written; its error raised here."""
        thread = self._pending.pop(table, None)
        if thread is not None:
            thread.join()
        error = self._errors.pop(table, None)
        if error is not None:
            raise error

    def read(self, table: str) -> pd.DataFrame:
        """Everything written to ``table`` so far, in order, as one frame."""
        return read_files(self.files(table))

    def files(self, table: str) -> list[Path]:
        """The closed files holding everything written to ``table`` so far, in order
        (valid while this object lives; writing more starts a new file)."""
        self._wait(table)
        writer = self._writers.pop(table, None)
        if writer is not None:
            writer.close()
        return list(self._files[table])


def read_files(paths: list[Path]) -> pd.DataFrame:
    """Parquet files of one table, in order, as one frame."""
    parts = [pd.read_parquet(p) for p in paths]
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
