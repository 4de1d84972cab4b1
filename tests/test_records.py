"""Per-node and per-link records: streamed to Parquet in chunks, bounded memory, --record."""

from __future__ import annotations

import tracemalloc

import pandas as pd
import pandas.testing as pdt
import pytest

from sandbox.cli.main import main
from sandbox.model import LogisticsModel
from sandbox.observe.recorder import LINK_FIELDS, NODE_FIELDS, Recorder
from sandbox.scenario.load import load_scenario
from tests.conftest import EXAMPLES


def _pair(chunk_days: int) -> tuple[LogisticsModel, LogisticsModel]:
    sc = load_scenario(EXAMPLES / "chain.toml")
    kept, streamed = LogisticsModel(sc, rng=3), LogisticsModel(sc, rng=3)
    streamed.recorder = Recorder(chunk_days=chunk_days)
    return kept, streamed


def _assert_same_tables(a: LogisticsModel, b: LogisticsModel) -> None:
    assert a.recorder is not None and b.recorder is not None
    for table in ("nodes_frame", "links_frame"):
        pdt.assert_frame_equal(
            getattr(a.recorder, table)(a.state),
            getattr(b.recorder, table)(b.state),
            check_exact=True,
        )


def test_streamed_chunks_give_the_same_tables_cell_for_cell():
    kept, streamed = _pair(chunk_days=4)
    for _ in range(10):  # two chunks written, two days in memory
        kept.step()
        streamed.step()
    assert streamed.recorder is not None and len(streamed.recorder.days) == 2
    _assert_same_tables(kept, streamed)
    for _ in range(7):  # writing goes on after a read; ends on a full chunk (17 = 4 x 4 + 1)
        kept.step()
        streamed.step()
    _assert_same_tables(kept, streamed)
    nodes = streamed.recorder.nodes_frame(streamed.state)
    s = streamed.state
    assert len(nodes) == 17 * s.n_nodes * len(s.commodities)
    assert nodes["day"].tolist()[:: s.n_nodes * len(s.commodities)] == list(range(1, 18))


def test_chunk_size_follows_the_map():
    m = LogisticsModel(load_scenario(EXAMPLES / "chain.toml"), rng=0)
    m.step()
    s = m.state
    per_day = s.n_nodes * len(s.commodities) * len(NODE_FIELDS) + s.n_links * len(LINK_FIELDS)
    assert m.recorder is not None
    assert m.recorder.chunk_days == 4_000_000 // per_day


@pytest.mark.slow
def test_a_long_full_record_run_keeps_its_node_records_bounded():
    """20,000 days of a tiny map with full records: memory grows less than a daily row a day.

    Kept in memory, the records of one day are a dozen small arrays, over
    1,000 bytes a day on this map; written out in chunks of 64 days, they
    leave nothing behind. Growth is measured from day 16,448 to day 20,032:
    both just after a chunk was written, and after the daily table's buffer
    last doubled (to 32,768 rows, on day 16,385), so that table adds nothing.
    """
    m = LogisticsModel(load_scenario(EXAMPLES / "two_node.toml"), rng=0)
    m.recorder = Recorder(chunk_days=64)
    row_bytes = 8 * len(m.datacollector.columns)
    for _ in range(16_448):
        m.step()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for _ in range(20_032 - 16_448):
            m.step()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (after - before) / (20_032 - 16_448) < row_bytes
    assert m.recorder.days == []  # everything is on disk
    assert len(m.recorder.links_frame(m.state)) == 20_032 * m.state.n_links


def test_run_record_daily_writes_empty_node_and_link_tables(tmp_path):
    out = tmp_path / "run"
    args = ["run", str(EXAMPLES / "two_node.toml"), "--days", "3", "--no-progress"]
    assert main([*args, "--record", "daily", "--out", str(out)]) == 0
    assert len(pd.read_parquet(out / "daily.parquet")) == 3
    assert len(pd.read_parquet(out / "nodes.parquet")) == 0
    assert len(pd.read_parquet(out / "links.parquet")) == 0
    full = tmp_path / "full"
    assert main([*args, "--out", str(full)]) == 0
    assert len(pd.read_parquet(full / "links.parquet")) == 3 * 1  # one link, three days


def test_run_animate_with_record_daily_exits_2_naming_both(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["run", str(EXAMPLES / "two_node.toml"), "--days", "3", "--out", str(out)]
    assert main([*args, "--record", "daily", "--animate"]) == 2
    err = capsys.readouterr().err
    assert "--animate" in err and "--record full" in err
    assert not out.exists()


def test_spilled_results_stay_on_disk_until_used_and_are_copied_when_saved(tmp_path):
    """A run that spilled hands its results the files: equal tables, filtered reads, one copy."""
    import pickle

    from sandbox.observe.stored import StoredTable
    from sandbox.simulation import collect_results

    kept, streamed = _pair(chunk_days=4)
    for _ in range(10):  # two chunks on disk, two days in memory (written out at the end)
        kept.step()
        streamed.step()
    a, b = collect_results(kept, seed=3), collect_results(streamed, seed=3)
    assert isinstance(b.__dict__["_nodes"], StoredTable)  # not read yet
    assert isinstance(b.__dict__["_links"], StoredTable)
    b.links.loc[0, "flow_t"] = -1.0  # a loaded table is the results' own frame from then on
    assert b.links.loc[0, "flow_t"] == -1.0
    b = collect_results(streamed, seed=3)
    # filtered reads from the files equal the filter on the frame in memory
    where = [("day", "==", 7), ("commodity", "==", "ammunition")]
    pdt.assert_frame_equal(
        b.rows("nodes", where).reset_index(drop=True),
        a.rows("nodes", where).reset_index(drop=True),
        check_exact=True,
    )
    assert b.last_day("nodes") == a.last_day("nodes") == 10
    assert b.rows("nodes", [("no_such_column", "==", 1)]).empty
    b.save(tmp_path / "b")  # copied from the spill, never loaded
    assert isinstance(b.__dict__["_nodes"], StoredTable)
    a.save(tmp_path / "a")
    for table in ("nodes", "links"):
        pdt.assert_frame_equal(
            pd.read_parquet(tmp_path / "b" / f"{table}.parquet"),
            pd.read_parquet(tmp_path / "a" / f"{table}.parquet"),
            check_exact=True,
        )
        pdt.assert_frame_equal(getattr(b, table), getattr(a, table), check_exact=True)
    # more days after the results were taken: a second file each; saved as one file again
    for _ in range(5):
        kept.step()
        streamed.step()
    c, d = collect_results(kept, seed=3), collect_results(streamed, seed=3)
    assert len(d.__dict__["_nodes"].paths) == 2
    d.save(tmp_path / "d")
    c.save(tmp_path / "c")
    pdt.assert_frame_equal(
        pd.read_parquet(tmp_path / "d" / "nodes.parquet"),
        pd.read_parquet(tmp_path / "c" / "nodes.parquet"),
        check_exact=True,
    )
    # pickled (a worker's results going home): the tables travel loaded
    back = pickle.loads(pickle.dumps(d))
    pdt.assert_frame_equal(back.__dict__["_links"], c.links, check_exact=True)
