"""The model's ``mesa.DataCollector``: the daily table on a fast path, Mesa's API around it.

:class:`DailyCollector` is a ``mesa.DataCollector`` whose model reporters are the daily
columns (one :func:`~sandbox.observe.metrics.metric` reporter per column, a module-level
function, so models pickle). Calling those reporters one by one would rebuild the whole
daily row once per column; instead :meth:`DailyCollector.collect` computes
:func:`~sandbox.observe.metrics.daily_row` once a day and appends it to a growing float
array. ``model_vars`` (column name -> list of daily values) is built from that array when
read, so ``mesa.batch_run``, ``get_model_vars_dataframe()`` and Solara components read the
same numbers the reporters give. Agent reporters, when given, are collected by Mesa's own
code (``_agent_records``, ``get_agent_vars_dataframe()``).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from sandbox.observe.metrics import daily_row, reporters_for


class DailyCollector(mesa.DataCollector):
    """The daily table, one row of :func:`daily_row` per day, in a growing float array.

    Args:
        columns: the daily column names, in :func:`daily_row` order.
        agent_reporters: Mesa agent reporters (name -> module-level function of an
            agent), collected every day by ``mesa.DataCollector``; ``None`` for none.
    """

    def __init__(self, columns: list[str], agent_reporters: dict[str, Any] | None = None):
        self.columns = list(columns)
        self._rows = np.zeros((0, len(self.columns)))
        self._n = 0
        self._vars: dict[str, list[float]] | None = None
        super().__init__(
            model_reporters=reporters_for(self.columns), agent_reporters=agent_reporters
        )

    def _new_model_reporter(self, name: str, reporter: Any) -> None:
        self.model_reporters[name] = reporter  # the values live in the row array

    def collect(self, model: Any) -> None:
        """Append today's daily row; record the agents when agent reporters are set."""
        daily_row(model.state, out=self._free_row())
        self._commit_row()
        self._collection_steps.append(model.time)
        if self.agent_reporters:
            self._agent_records[model.time] = list(self._record_agents(model))
        if self.agenttype_reporters:
            self._agenttype_records[model.time] = {
                kind: list(self._record_agenttype(model, kind)) for kind in self.agenttype_reporters
            }

    def add_row(self, row: np.ndarray) -> None:
        self._free_row()[:] = row
        self._commit_row()

    def _free_row(self) -> np.ndarray:
        """The row after the table (a view, to be written whole), the array grown if full."""
        if self._n == len(self._rows):
            grown = np.zeros((max(64, 2 * len(self._rows)), len(self.columns)))
            grown[: self._n] = self._rows[: self._n]
            self._rows = grown
        return self._rows[self._n]

    def _commit_row(self) -> None:
        """Take the row written into :meth:`_free_row` into the table."""
        self._n += 1
        self._vars = None

    @property
    def rows(self) -> np.ndarray:
        """(days, columns) the table so far (a view)."""
        return self._rows[: self._n]

    @property
    def last(self) -> np.ndarray | None:
        return self._rows[self._n - 1] if self._n else None

    @property  # type: ignore[override]
    def model_vars(self) -> dict[str, list[float]]:
        """Column name -> daily values (kept, and editable, until the next day is collected)."""
        if self._vars is None:
            table = self.rows.T.tolist()
            self._vars = dict(zip(self.columns, table, strict=True))
        return self._vars

    @model_vars.setter
    def model_vars(self, value: dict[str, list[float]]) -> None:
        # mesa.DataCollector.__init__ assigns {}: the row array is the table then
        self._vars = dict(value) if value else None

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        if self._vars is not None:  # possibly edited through model_vars
            return pd.DataFrame(self._vars)
        return pd.DataFrame(self.rows.copy(), columns=self.columns)
