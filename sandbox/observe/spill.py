"""Tables appended to Parquet files in a temporary folder, chunk by chunk, and read back.

Used by :class:`sandbox.observe.recorder.Recorder` so that a long run keeps
only its latest chunk of records in memory. Each table is a sequence of files
(``nodes-0.parquet``, ...); a file takes one row group per chunk written and
is closed when the table is read, so writing may continue after a read. The
folder is removed with the object (or at exit).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd


class Spill:
    """Append-only Parquet tables named ``tables``, in a temporary folder."""

    def __init__(self, tables: tuple[str, ...]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="sandbox-records-")
        self._files: dict[str, list[Path]] = {t: [] for t in tables}
        self._writers: dict[str, Any] = {}

    def write(self, table: str, frame: pd.DataFrame) -> None:
        """Append ``frame`` (same columns and types every time) to ``table``."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        writer = self._writers.get(table)
        if writer is None:
            path = Path(self._dir.name) / f"{table}-{len(self._files[table])}.parquet"
            self._files[table].append(path)
            writer = self._writers[table] = pq.ParquetWriter(path, arrow.schema)
        writer.write_table(arrow)

    def read(self, table: str) -> pd.DataFrame:
        """Everything written to ``table`` so far, in order, as one frame."""
        return read_files(self.files(table))

    def files(self, table: str) -> list[Path]:
        """The closed files holding everything written to ``table`` so far, in order
        (valid while this object lives; writing more starts a new file)."""
        writer = self._writers.pop(table, None)
        if writer is not None:
            writer.close()
        return list(self._files[table])


def read_files(paths: list[Path]) -> pd.DataFrame:
    """Parquet files of one table, in order, as one frame."""
    parts = [pd.read_parquet(p) for p in paths]
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
