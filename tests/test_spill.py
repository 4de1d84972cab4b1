"""The recorder's cheap column builders and the spill's writing threads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.observe.recorder import repeated, up_or_cut
from sandbox.observe.spill import Spill
from sandbox.observe.stored import StoredTable


@given(st.lists(st.sampled_from(["b", "a", "front_x", "é", ""]), max_size=8), st.integers(0, 4))
def test_repeated_is_the_categorical_of_the_tiled_values(values: list[str], times: int) -> None:
    arr = np.asarray(values, dtype=str)
    got, want = repeated(arr, times), pd.Categorical(np.tile(arr, times))
    pdt.assert_series_equal(pd.Series(got), pd.Series(want))  # values and dtype
    pdt.assert_index_equal(got.categories, want.categories, exact=True)  # sorted, same dtype
    assert got.codes.tolist() == want.codes.tolist()
    assert got.codes.dtype == want.codes.dtype


@given(st.lists(st.booleans(), max_size=12))
def test_up_or_cut_is_what_a_frame_makes_of_numpy_strings(up: list[bool]) -> None:
    arr = np.asarray(up, dtype=bool)
    got = pd.DataFrame({"status": up_or_cut(arr)})
    want = pd.DataFrame({"status": np.where(arr, "up", "cut")})
    pdt.assert_frame_equal(got, want)
    as_arrow = [pa.Table.from_pandas(f, preserve_index=False) for f in (got, want)]
    assert as_arrow[0].equals(as_arrow[1], check_metadata=True)  # same Parquet schema


def test_chunks_written_on_threads_come_back_in_order():
    spill = Spill(("t",))
    for k in range(5):
        spill.write("t", pd.DataFrame({"day": [2 * k, 2 * k + 1], "x": [0.5 * k, -1.0]}))
    (path,) = spill.files("t")
    assert pq.ParquetFile(path).num_row_groups == 5  # one a chunk
    assert spill.read("t")["day"].tolist() == list(range(10))


def test_an_error_while_writing_is_raised_in_the_caller():
    spill = Spill(("t",))
    spill.write("t", pd.DataFrame({"x": [1.0]}))
    spill.write("t", pd.DataFrame({"y": ["not the file's schema"]}))  # fails on its thread
    with pytest.raises(ValueError, match="schema"):
        spill.files("t")


def test_only_the_named_columns_are_dictionary_encoded_and_carry_statistics():
    spill = Spill(("t",), dictionary=("node",))
    frame = pd.DataFrame({"node": pd.Categorical(["a", "b", "a"]), "x": [0.5, 0.5, 1.5]})
    spill.write("t", frame)
    (path,) = spill.files("t")
    group = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {group.column(i).path_in_schema: group.column(i).encodings for i in range(2)}
    assert "RLE_DICTIONARY" in encodings["node"]
    assert "RLE_DICTIONARY" not in encodings["x"]
    assert group.column(0).is_stats_set and group.column(0).statistics.max == "b"
    assert not group.column(1).is_stats_set
    pdt.assert_frame_equal(spill.read("t"), frame)  # read back as written
    # a filter on the column with statistics skips the row group; all answers still right
    stored = StoredTable([path])
    assert stored.rows([("node", "==", "c")]).empty
    assert stored.rows([("x", ">", 1.0)])["x"].tolist() == [1.5]


def _one_file_table(tmp_path):
    source = tmp_path / "spill" / "nodes-0.parquet"
    source.parent.mkdir()
    pq.write_table(pa.table({"day": [1, 2, 3], "stock": [0.5, 1.5, 2.5]}), source)
    return source, StoredTable([source])


def test_a_one_file_table_is_saved_as_a_hard_link_replacing_an_older_file(tmp_path):
    import os

    source, table = _one_file_table(tmp_path)
    out = tmp_path / "run" / "nodes.parquet"
    out.parent.mkdir()
    out.write_bytes(b"an older run's file")  # --force over an earlier run
    table.write(out)
    assert os.stat(out).st_ino == os.stat(source).st_ino  # the same file, no bytes copied
    assert os.stat(source).st_nlink == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["nodes.parquet"]  # no temp left
    source.unlink()  # the spill folder removed: the run folder's file stays whole
    assert pd.read_parquet(out)["stock"].tolist() == [0.5, 1.5, 2.5]


def test_a_one_file_table_is_copied_when_it_cannot_be_linked(tmp_path, monkeypatch):
    import os

    source, table = _one_file_table(tmp_path)

    def no_links(*_args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    out = tmp_path / "nodes.parquet"
    table.write(out)
    assert out.read_bytes() == source.read_bytes()
    assert os.stat(out).st_ino != os.stat(source).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nodes.parquet", "spill"]


def test_a_failed_save_leaves_no_temporary_file(tmp_path):
    source, table = _one_file_table(tmp_path)
    out = tmp_path / "run" / "nodes.parquet"
    out.mkdir(parents=True)  # a folder where the file should go: os.replace refuses
    with pytest.raises(OSError):
        table.write(out)
    assert [p.name for p in out.parent.iterdir()] == ["nodes.parquet"]
    assert out.is_dir() and source.stat().st_nlink == 1
