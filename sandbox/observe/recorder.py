"""Per-node and per-link daily records, kept as arrays and turned into long tables once.

Recording every agent through Mesa's DataCollector costs a Python call per
agent per day; this keeps one copy of each array per day instead.

Memory stays bounded however long the run: at most ``chunk_days`` days are
held as arrays; each full chunk becomes its long tables and is appended to a
Parquet file in a temporary folder (one row group per chunk), read back only
when the tables are asked for. The chunk is sized so that it holds about
:data:`CHUNK_CELLS` values (a 365-day run of the default map never spills).
A run that spilled hands its results the files themselves (:meth:`Recorder.tables`,
:class:`~sandbox.observe.stored.StoredTable`): read when used, copied when saved.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sandbox.observe.spill import Spill
from sandbox.observe.stored import StoredTable
from sandbox.state.supply import SupplyState

NODE_FIELDS: tuple[str, ...] = ("stock", "received", "consumed", "shortfall", "ordered", "forecast")
# strikes (sandbox/strikes.py): units destroyed, hits on the node today (the
# same on each commodity's row), and the node's position (depots move back)
NODE_FIELDS += ("destroyed", "hits", "lon", "lat")
LINK_FIELDS = ("flow_t", "in_transit_t", "up")
CHUNK_CELLS = 4_000_000  # recorded values held in memory before a chunk is written out
# dictionary-encoded in the spilled files: few distinct values (a 10k chunk: nodes written
# in 0.069 s, not 0.135, and 7% larger; links 0.029 s, not 0.037, and 12% smaller)
DICTIONARY: tuple[str, ...] = ("day", "node", "commodity", "hits", "destroyed", "lon", "lat")
DICTIONARY += ("source", "target", "status")


class Recorder:
    """The per-node and per-link records; ``chunk_days`` days at most in memory.

    ``chunk_days=None`` sizes the chunk from the map at the first record:
    :data:`CHUNK_CELLS` over the values recorded a day.
    """

    def __init__(self, chunk_days: int | None = None) -> None:
        self.chunk_days = chunk_days
        self.days: list[int] = []  # the days held in memory (not yet written out)
        self.node: dict[str, list[np.ndarray]] = {k: [] for k in NODE_FIELDS}
        self.link: dict[str, list[np.ndarray]] = {k: [] for k in LINK_FIELDS}
        self._spill: Spill | None = None

    def record(self, s: SupplyState) -> None:
        if self.chunk_days is None:
            per_day = s.n_nodes * len(s.commodities) * len(NODE_FIELDS)
            per_day += s.n_links * len(LINK_FIELDS)
            self.chunk_days = max(1, CHUNK_CELLS // max(1, per_day))
        self._append(s)
        if len(self.days) >= self.chunk_days:
            self._write_chunk(s)

    def _write_chunk(self, s: SupplyState) -> None:
        """The days in memory appended to the Parquet files, and forgotten here."""
        if self._spill is None:
            self._spill = Spill(("nodes", "links"), DICTIONARY)
        self._spill.write("nodes", self._nodes_chunk(s))
        self._spill.write("links", self._links_chunk(s))
        self.days.clear()
        for arrays in (*self.node.values(), *self.link.values()):
            arrays.clear()

    def tables(
        self, s: SupplyState
    ) -> tuple[pd.DataFrame | StoredTable, pd.DataFrame | StoredTable]:
        """(nodes, links) for the run's results: frames when nothing was spilled, else
        the spilled files (the days in memory written out first), read when used."""
        if self._spill is None:
            return self._nodes_chunk(s), self._links_chunk(s)
        if self.days:
            self._write_chunk(s)
        spill = self._spill
        return StoredTable(spill.files("nodes"), spill), StoredTable(spill.files("links"), spill)

    def _append(self, s: SupplyState) -> None:
        t = s.today
        self.days.append(s.day)
        self.node["stock"].append(s.stock.copy())
        self.node["received"].append(t.received.copy())
        self.node["consumed"].append(t.consumed.copy())
        self.node["shortfall"].append(t.demand - t.consumed)
        self.node["ordered"].append(s.geometry.by_dst(t.requested))
        self.node["forecast"].append(s.forecast.copy())
        c = len(s.commodities)
        self.node["destroyed"].append(t.destroyed.copy())
        self.node["hits"].append(np.repeat(s.strikes.node_hits[:, None], c, axis=1))
        self.node["lon"].append(np.repeat(s.lon[:, None], c, axis=1))
        self.node["lat"].append(np.repeat(s.lat[:, None], c, axis=1))
        self.link["flow_t"].append(s.tonnes(t.shipped))
        self.link["in_transit_t"].append(s.tonnes(s.in_transit))
        self.link["up"].append(s.link_up.copy())

    def nodes_frame(self, s: SupplyState) -> pd.DataFrame:
        """The long table of node records: one row per day, node and commodity."""
        return self._frame("nodes", self._nodes_chunk(s))

    def links_frame(self, s: SupplyState) -> pd.DataFrame:
        """The long table of link records: one row per day and link."""
        return self._frame("links", self._links_chunk(s))

    def _frame(self, table: str, in_memory: pd.DataFrame) -> pd.DataFrame:
        if self._spill is None:
            return in_memory
        written = self._spill.read(table)
        if not self.days:
            return written
        return pd.concat([written, in_memory], ignore_index=True)

    def _nodes_chunk(self, s: SupplyState) -> pd.DataFrame:
        if not self.days:
            return pd.DataFrame(columns=["day", "node", "commodity", *NODE_FIELDS])
        d, n, c = len(self.days), s.n_nodes, len(s.commodities)
        cols: dict[str, object] = {
            "day": np.repeat(np.asarray(self.days), n * c),
            "node": repeated(np.repeat(np.asarray(s.node_ids), c), d),
            "commodity": repeated(np.asarray(s.commodities), d * n),
        }
        for k in NODE_FIELDS:
            cols[k] = np.stack(self.node[k]).reshape(-1)
        return pd.DataFrame(cols)

    def _links_chunk(self, s: SupplyState) -> pd.DataFrame:
        if not self.days:
            return pd.DataFrame(columns=["day", "source", "target", *LINK_FIELDS, "status"])
        d, e = len(self.days), s.n_links
        ids = np.asarray(s.node_ids)
        up = np.stack(self.link["up"]).reshape(-1)
        return pd.DataFrame(
            {
                "day": np.repeat(np.asarray(self.days), e),
                "source": repeated(ids[s.src], d),
                "target": repeated(ids[s.dst], d),
                "flow_t": np.stack(self.link["flow_t"]).reshape(-1),
                "in_transit_t": np.stack(self.link["in_transit_t"]).reshape(-1),
                "status": up_or_cut(up),
            }
        )


# Measured on a generated 20,000-node map (3 commodities, 22,740 links): peak
# memory of `sandbox run` was 755 MB for 1 day, 1,029 MB for 20 and 1,852 MB for
# 60, i.e. ~35 kB a node to start and 14-21 MB a day, 3-4 times the arrays recorded
# (the long tables and the files are built from them at the end).
TABLES_PER_RECORD = 3.5
BASE_BYTES = 100e6
BYTES_PER_NODE = 35e3


def run_memory_bytes(n_nodes: int, n_links: int, n_commodities: int, days: int) -> float:
    """Estimated peak memory of a fully recorded run, in bytes (within a factor ~1.5)."""
    node_day = 8 * len(NODE_FIELDS) * n_nodes * n_commodities
    link_day = 17 * n_links  # two floats and a bool
    daily_day = 8 * (40 + 12 * n_commodities)  # the per-side daily columns
    per_day = TABLES_PER_RECORD * (node_day + link_day + daily_day)
    return BASE_BYTES + BYTES_PER_NODE * n_nodes + per_day * days


def repeated(values: np.ndarray, times: int) -> pd.Categorical[Any]:
    """``pd.Categorical(np.tile(values, times))``, built from one copy's codes: the same
    categories (sorted), dtype and codes, without factorising every repeat's strings
    (a 10,000-node chunk: 0.06 s a column -> 0.008 s)."""
    one = pd.Categorical(values if times else values[:0])  # no repeat: no categories
    return pd.Categorical.from_codes(np.tile(one.codes, times), dtype=one.dtype)


def up_or_cut(up: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``"up"`` / ``"cut"`` per link-day, in the ``str`` dtype a frame gives
    ``np.where(up, "up", "cut")``, chosen in Arrow instead of building numpy strings."""
    import pyarrow as pa
    import pyarrow.compute as pc  # both already loaded by pandas' string dtype

    return pd.array(pc.if_else(pa.array(up), "up", "cut"), dtype=pd.StringDtype(na_value=np.nan))
