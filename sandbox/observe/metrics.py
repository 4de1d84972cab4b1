"""Metrics: the daily row, small pure functions of the model.

The DataCollector (:mod:`sandbox.observe.collector`), the CLI summary and the
dashboard all read these. The columns are declared by their rules in
:mod:`sandbox.state.columns`, which builds their names
(``blue.ammunition.stock``, ``blue.rounds_fired``, ...).
"""

from __future__ import annotations

from functools import cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox.rules.combat import columns as combat_columns
from sandbox.rules.combat import fighting
from sandbox.rules.strikes import interdiction as strikes
from sandbox.state import side_kernels
from sandbox.state.columns import DAILY, LOGISTICS, STRIKES
from sandbox.state.supply import SIDES, SupplyState

if TYPE_CHECKING:
    from sandbox.model import LogisticsModel

# declared in sandbox/state/columns.py, which builds every column name
COMMODITY_METRICS = LOGISTICS.daily.commodity  # per side and commodity, in its own unit
SIDE_METRICS = LOGISTICS.daily.side
STRIKE_METRICS = STRIKES.daily.side  # computed by sandbox.rules.strikes.interdiction
if tuple(STRIKE_METRICS) != strikes.DAILY:  # pragma: no cover - a declaration out of step
    raise ImportError(f"strike columns {STRIKE_METRICS} are not daily_counts' {strikes.DAILY}")


def column_names(commodities: list[str], sectors: list[str] | None = None) -> list[str]:
    """Every daily column, in the order of :func:`daily_row` (see :data:`DAILY`)."""
    return DAILY.names(commodities, sectors or [])


NODE_METRICS = (
    "produced",
    "delivered",
    "demand",
    "consumed",
    "shortfall",
    "stock",
    "front_stock",
    "destroyed",
)
LINK_METRICS = ("shipped", "in_transit")


# where each of COMMODITY_METRICS sits among NODE_METRICS + LINK_METRICS
_ORDER = [(*NODE_METRICS, *LINK_METRICS).index(m) for m in COMMODITY_METRICS]
_BLOCKS = len(NODE_METRICS) + len(LINK_METRICS)


@cache
def _table_index(c: int) -> np.ndarray:
    """Where each cell of the (S, C, M) commodity table sits in the flat (S, blocks x C)
    per-side sums (node blocks, then link blocks, C columns each)."""
    side, col, metric = np.meshgrid(
        np.arange(len(SIDES)), np.arange(c), np.array(_ORDER), indexing="ij"
    )
    return ((side * _BLOCKS + metric) * c + col).reshape(-1)


def daily_row(s: SupplyState, out: np.ndarray | None = None) -> np.ndarray:
    """All daily columns, in :func:`column_names` order, as one float array.

    The per-node metrics are summed per side in one pass
    (:func:`side_kernels.node_side_sums`), the per-link ones in another: the same
    sums, in the same order, as one ``side_sum`` per metric. Written into
    ``out`` (a float row of the right length) when given, else a new array.
    """
    t = s.today
    c = len(s.commodities)
    g = s.geometry
    n_sides = len(SIDES)
    per_node = side_kernels.node_side_sums(
        s.side,
        s.is_front,
        g.producing.rows,
        g.fronts.rows,
        t.produced,
        t.received,
        t.demand,
        t.consumed,
        s.stock,
        t.destroyed,
        n_sides,
    )
    per_link = side_kernels.link_side_sums(s.link_side, t.shipped, s.in_transit, n_sides)
    index = _table_index(c)
    a = len(index)
    b = a + n_sides * len(SIDE_METRICS)
    k = b + n_sides * len(STRIKE_METRICS)
    if out is None:
        out = np.empty(k + combat_columns.n_values(s))
    np.take(np.concatenate((per_node, per_link), axis=1), index, out=out[:a])
    out[a:b] = _side_values(s, per_node, per_link)
    strikes.daily_counts(s, out[b:k].reshape(n_sides, len(STRIKE_METRICS)))
    combat_columns.write_values(s, out[k:])
    return out


def _side_values(s: SupplyState, per_node: np.ndarray, per_link: np.ndarray) -> list[float]:
    """:data:`SIDE_METRICS` per side: rounds consumed and demanded, tonnes shipped and
    in transit (the side's sums by commodity in tonnes, :meth:`SupplyState.tonnes`)."""
    c, ammo = len(s.commodities), s.ammo
    used = NODE_METRICS.index("consumed") * c + ammo
    asked = NODE_METRICS.index("demand") * c + ammo
    shipped = LINK_METRICS.index("shipped") * c
    moving = LINK_METRICS.index("in_transit") * c
    shipped_t = s.tonnes(per_link[:, shipped : shipped + c])
    moving_t = s.tonnes(per_link[:, moving : moving + c])
    out: list[float] = []
    for si in range(len(SIDES)):
        if ammo >= 0:
            out += [per_node[si, used], per_node[si, asked]]
        else:
            out += [0.0, 0.0]
        out += [shipped_t[si], moving_t[si]]
    return out


def daily_totals(s: SupplyState) -> dict[str, float]:
    """All daily columns for the state as it is at the end of a day, by name."""
    c = fighting.combat_state(s)
    names = column_names(s.commodities, c.ids if c is not None else [])
    return dict(zip(names, daily_row(s).tolist(), strict=True))


def metric(model: LogisticsModel, name: str) -> float:
    """DataCollector reporter: one daily column of the model's state as it is now.

    Module level (bound by ``functools.partial``), so models pickle. The model's
    collector does not call it day by day: it computes the whole row once.
    """
    return daily_totals(model.state)[name]


def reporters(commodities: list[str], sectors: list[str] | None = None) -> dict[str, Any]:
    return {name: partial(metric, name=name) for name in column_names(commodities, sectors)}


def reporters_for(columns: list[str]) -> dict[str, Any]:
    return {name: partial(metric, name=name) for name in columns}


def mass_balance_error(s: SupplyState) -> np.ndarray:
    """initial + produced - (stock + in transit + consumed + destroyed), per side and commodity."""
    lg = s.ledger
    held = s.side_sum(s.stock) + s.side_sum_links(s.in_transit)
    return lg.initial + lg.produced - (held + lg.consumed + lg.destroyed)


def fire_ratio(red: Any, blue: Any) -> np.ndarray:
    """Red's rounds per blue round, day by day, for plots: a gap (NaN) where blue fired
    nothing. Not an output column: the tables hold the rounds, never a ratio that can be
    NaN or infinite."""
    red, blue = np.asarray(red, dtype=float), np.asarray(blue, dtype=float)
    fired = blue > 1e-9
    return np.where(fired, red / np.where(fired, blue, 1.0), np.nan)
