"""Experimental designs: parameter rows as DataFrames, and the tasks they expand to.

A design is a :class:`pandas.DataFrame` with one column per parameter and one
row per parameter combination, deterministic given its seed. Replicating each
row over the model seeds gives :class:`Task` objects with a stable ``run_id``
(row, seed and a hash of the values), which is what resume uses to skip runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sandbox.experiments.design_names import DESIGN_OPTIONS

Value = float | int | str | bool


@dataclass(frozen=True)
class ParamSpec:
    """One varied parameter: explicit ``values`` or a range ``lo``..``hi``.

    A range needs ``n`` for a grid (``n`` evenly spaced levels, ends included);
    sampling designs (lhs, sobol, morris) draw from ``[lo, hi]`` and ignore
    ``n``. ``integer`` rounds sampled values to whole numbers. ``where`` names
    the entry in error messages (``--vary x=...`` or ``parameters."x"``).
    """

    name: str
    values: tuple[Value, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    n: int | None = None
    integer: bool = False
    where: str = field(default="", compare=False)

    @property
    def is_range(self) -> bool:
        """Whether this parameter is a numeric range rather than a list of values."""
        return self.values is None

    def _int_grid(self) -> bool:
        lo, hi, n = self.lo, self.hi, self.n or 1
        if self.integer:
            return True
        if not (isinstance(lo, int) and isinstance(hi, int)):
            return False
        return n == 1 or (hi - lo) % (n - 1) == 0

    def levels(self) -> list[Value]:
        """The grid levels: the listed values, or ``n`` evenly spaced values."""
        if self.values is not None:
            return list(self.values)
        assert self.lo is not None and self.hi is not None
        n = self.n or 1
        pts = [float(self.lo)] if n == 1 else np.linspace(self.lo, self.hi, n).tolist()
        if self._int_grid():
            return [round(p) for p in pts]
        return [float(p) for p in pts]

    def dtype(self, design: str = "grid") -> str:
        """Column type of this parameter: ``float64``, ``int64``, ``bool`` or ``string``."""
        if self.values is None:
            if self.integer or (design == "grid" and self._int_grid()):
                return "int64"
            return "float64"
        if all(isinstance(v, bool) for v in self.values):
            return "bool"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in self.values):
            return "int64"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values):
            return "float64"
        return "string"

    def from_unit(self, u: np.ndarray) -> list[Value]:
        """Map uniform samples in ``[0, 1]`` to values of this parameter."""
        if self.values is not None:
            idx = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
            return [self.values[i] for i in idx]
        assert self.lo is not None and self.hi is not None
        lo, hi = float(self.lo), float(self.hi)
        if self.integer:
            k = np.floor(lo + u * (math.floor(hi) - math.ceil(lo) + 1))
            return [int(v) for v in np.clip(k, math.ceil(lo), math.floor(hi))]
        return [float(v) for v in lo + u * (hi - lo)]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, as stored in ``manifest.json``."""
        if self.values is not None:
            return {"values": list(self.values)}
        out: dict[str, Any] = {"lo": self.lo, "hi": self.hi}
        if self.n is not None:
            out["n"] = self.n
        if self.integer:
            out["int"] = True
        return out


def full_grid(params: Sequence[ParamSpec]) -> pd.DataFrame:
    """Every combination of the parameters' levels (last parameter varies fastest)."""
    names = [p.name for p in params]
    rows = list(itertools.product(*(p.levels() for p in params)))
    return _frame(params, names, rows, "grid")


def latin_hypercube(
    params: Sequence[ParamSpec], n: int, seed: int, optimization: str | None = None
) -> pd.DataFrame:
    """``n`` rows of a Latin hypercube over the parameters (scipy.stats.qmc, seeded)."""
    from scipy.stats import qmc

    sampler = qmc.LatinHypercube(
        d=len(params), optimization=optimization, rng=np.random.default_rng(seed)
    )
    unit = sampler.random(n)
    cols = [p.from_unit(unit[:, j]) for j, p in enumerate(params)]
    return _frame(params, [p.name for p in params], list(zip(*cols, strict=True)), "lhs")


def salib_problem(params: Sequence[ParamSpec]) -> dict[str, Any]:
    """The SALib ``problem`` dict for range parameters."""
    return {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [[float(p.lo or 0.0), float(p.hi or 0.0)] for p in params],
    }


def sobol_design(
    params: Sequence[ParamSpec], n: int, seed: int, second_order: bool = False
) -> pd.DataFrame:
    """Saltelli/Sobol' sample for Sobol' indices: ``n * (D + 2)`` rows (``2D + 2`` with S2)."""
    from SALib.sample import sobol

    x = sobol.sample(salib_problem(params), n, calc_second_order=second_order, seed=seed)
    return _from_matrix(params, x, "sobol")


def morris_design(params: Sequence[ParamSpec], n: int, seed: int, levels: int = 4) -> pd.DataFrame:
    """Morris elementary-effects sample: ``n`` trajectories of ``D + 1`` rows each."""
    from SALib.sample import morris

    x = morris.sample(salib_problem(params), n, num_levels=levels, seed=seed)
    return _from_matrix(params, x, "morris")


def make_design(
    design: str,
    params: Sequence[ParamSpec],
    samples: int | None,
    seed: int,
    options: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Dispatch on the design name; ``samples`` is ignored by the grid."""
    opts = {**DESIGN_OPTIONS[design], **(options or {})}
    if design == "grid":
        return full_grid(params)
    assert samples is not None
    if design == "lhs":
        return latin_hypercube(params, samples, seed, opts["optimization"])
    if design == "sobol":
        return sobol_design(params, samples, seed, bool(opts["second_order"]))
    if design == "morris":
        return morris_design(params, samples, seed, int(opts["levels"]))
    raise ValueError(f"unknown design {design!r}")


def _from_matrix(params: Sequence[ParamSpec], x: np.ndarray, design: str) -> pd.DataFrame:
    cols: list[list[Value]] = []
    for j, p in enumerate(params):
        col = x[:, j]
        cols.append([round(float(v)) for v in col] if p.integer else [float(v) for v in col])
    return _frame(params, [p.name for p in params], list(zip(*cols, strict=True)), design)


def _frame(
    params: Sequence[ParamSpec], names: list[str], rows: list[tuple[Any, ...]], design: str
) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=names)
    for p in params:
        kind = p.dtype(design)
        df[p.name] = df[p.name].astype(object if kind == "string" else np.dtype(kind))
    df.index.name = "row"
    return df


# -- tasks -------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One run: a design row's parameters and one model seed."""

    run_id: str
    row: int
    seed: int
    params: dict[str, Value]


def run_id(row: int, seed: int, params: Mapping[str, Value]) -> str:
    """Stable id of a run: ``"<row>-<seed>-<hash>"``, the hash over values and seed."""
    blob = json.dumps([sorted(params.items()), seed], separators=(",", ":"))
    digest = hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:10]
    return f"{row:06d}-{seed}-{digest}"


def _py(v: Any) -> Value:
    return v.item() if isinstance(v, np.generic) else v


def make_tasks(design: pd.DataFrame, seeds: Sequence[int]) -> Iterator[Task]:
    """Each design row × each seed, row-major, as :class:`Task` objects (lazily)."""
    names = list(design.columns)
    for row, values in enumerate(design.itertuples(index=False, name=None)):
        params = {k: _py(v) for k, v in zip(names, values, strict=True)}
        for seed in seeds:
            yield Task(run_id(row, int(seed), params), row, int(seed), params)
