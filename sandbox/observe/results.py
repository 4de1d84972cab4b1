"""Results of one run, and saving/loading them as a folder under ``runs/``.

A run folder holds::

    scenario.toml    the scenario exactly as run (overrides applied)
    daily.parquet    one row per day, per-side totals (also daily.csv)
    nodes.parquet    long table: day, node, commodity, stock, received, ...
    links.parquet    long table: day, source, target, flow_t, in_transit_t, status
    sectors.parquet  long table: day, sector, front_km, control, blue_rounds, red_rounds,
                     blue_strength, red_strength (no rows for a map without sectors)
    events.parquet   changes made during the run: day, date, key, value (JSON), note
    aid.parquet      aid deliveries: day, date, aid, side, node, commodity, units
    orders.parquet   players' orders (runs with orders): order, day, date, side, key, value, note
    orders.toml      the same orders as [[events]]: ``sandbox run MAP --orders`` replays them
    summary.json     scalar outcomes
    manifest.json    seed, days, package versions, git commit, command line
"""

from __future__ import annotations

import functools
import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from sandbox.errors import ScenarioError
from sandbox.observe.stored import Condition, StoredTable, frame_rows
from sandbox.rules.aid import AID_COLUMNS
from sandbox.rules.events import EVENT_COLUMNS
from sandbox.rules.orders import ORDER_COLUMNS, orders_from_frame
from sandbox.state.columns import DAILY

PACKAGES = ("logistics-race-sandbox", "mesa", "numpy", "pandas", "networkx", "pyarrow", "pydantic")


@dataclass
class Results:
    daily: pd.DataFrame
    nodes: pd.DataFrame
    links: pd.DataFrame
    summary: dict[str, Any]
    scenario: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    sectors: pd.DataFrame = field(default_factory=lambda: sector_table(pd.DataFrame(), []))
    events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))
    aid: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=AID_COLUMNS))
    orders: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ORDER_COLUMNS))

    def __post_init__(self) -> None:
        if self.sectors.empty and len(self.daily):  # not given: the sectors the scenario ran
            self.sectors = sector_table(self.daily, scenario_sector_ids(self.scenario))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its tables loaded (stored ones live in this process's temp folder)."""
        state = dict(self.__dict__)
        for name in LONG_TABLES:
            state[f"_{name}"] = getattr(self, name)
        return state

    def rows(
        self, table: str, where: Sequence[Condition] = (), columns: list[str] | None = None
    ) -> pd.DataFrame:
        """Rows of ``"nodes"`` or ``"links"`` where every ``(column, op, value)`` holds,
        without loading a stored table whole (e.g. ``res.rows("links", [("status", "==",
        "cut")])``)."""
        held = self.__dict__[f"_{table}"]
        if isinstance(held, StoredTable):
            return held.rows(where, columns)
        return frame_rows(held, where, columns)

    def last_day(self, table: str) -> int | None:
        """The last day in ``"nodes"`` or ``"links"`` (None when it has no rows)."""
        held = self.__dict__[f"_{table}"]
        if isinstance(held, StoredTable):
            return int(held.max("day"))
        return int(held["day"].max()) if len(held) else None

    def save(self, path: str | Path) -> Path:
        """Write the run folder (created if needed) and return its path."""
        self.write(path)
        return Path(path)

    def write(self, path: str | Path) -> list[Path]:
        """Write the run folder (created if needed); return every file written, in order."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        files = [out / "scenario.toml"]
        files[-1].write_bytes(tomli_w.dumps(_toml_safe(self.scenario)).encode())
        tables: list[tuple[str, pd.DataFrame | StoredTable, bool | None]] = [
            ("daily.parquet", self.daily, None),  # pandas default: the day index kept
            ("nodes.parquet", self.__dict__["_nodes"], False),  # stored records: copied
            ("links.parquet", self.__dict__["_links"], False),
            ("sectors.parquet", self.sectors, False),
            ("events.parquet", _frame_out(self.events, EVENT_COLUMNS), False),
            ("aid.parquet", _frame_out(self.aid, AID_COLUMNS), False),
        ]
        if len(self.orders):  # replay: sandbox run MAP --orders orders.toml
            tables.append(("orders.parquet", self.orders, False))
        for name, frame, index in tables:
            if isinstance(frame, StoredTable):  # not decoded and encoded again
                frame.write(out / name)
            else:
                frame.to_parquet(out / name, index=index)
            files.append(out / name)
        self.daily.to_csv(out / "daily.csv")
        files.append(out / "daily.csv")
        if len(self.orders):
            toml = tomli_w.dumps(_toml_safe({"events": orders_from_frame(self.orders)}))
            (out / "orders.toml").write_bytes(toml.encode())
            files.append(out / "orders.toml")
        for name, data in (("summary.json", self.summary), ("manifest.json", self.manifest)):
            _write_json(out / name, data)
            files.append(out / name)
        return files

    @classmethod
    def load(cls, path: str | Path) -> Results:
        """Read a run folder; a missing or corrupt file raises ``ScenarioError`` naming it."""
        import tomllib

        p = Path(path)
        daily = _read(p / "daily.parquet", pd.read_parquet)
        scenario = _read(p / "scenario.toml", lambda f: tomllib.loads(f.read_text()))
        if not isinstance(scenario.get("sectors", []), list):
            raise ScenarioError(
                str(p / "scenario.toml"), ["cannot read it: 'sectors' is not a list"]
            )
        sectors = p / "sectors.parquet"  # older run folders: rebuilt from daily
        return cls(
            daily=daily,
            sectors=_read(sectors, pd.read_parquet)
            if sectors.exists()
            else sector_table(daily, scenario_sector_ids(scenario)),
            nodes=_read(p / "nodes.parquet", pd.read_parquet),
            links=_read(p / "links.parquet", pd.read_parquet),
            summary=_read(p / "summary.json", lambda f: _json_object(f.read_text())),
            scenario=scenario,
            manifest=_read(p / "manifest.json", lambda f: _json_object(f.read_text())),
            events=_frame_in(p / "events.parquet", EVENT_COLUMNS),
            aid=_frame_in(p / "aid.parquet", AID_COLUMNS),
            orders=_frame_in(p / "orders.parquet", ORDER_COLUMNS),
        )

    def series(self, side: str, commodity: str, metric: str) -> pd.Series:
        """One daily column, e.g. ``res.series("blue", "ammunition", "stock")``."""
        return self.daily[DAILY.commodity(side, commodity, metric)]


LONG_TABLES = ("nodes", "links")


def _long_table(name: str) -> property:
    """``Results.nodes`` / ``.links``: a frame, or a :class:`StoredTable` loaded on first use."""
    key = f"_{name}"

    def get(self: Results) -> pd.DataFrame:
        held = self.__dict__[key]
        if isinstance(held, StoredTable):
            held = self.__dict__[key] = held.frame()
        return held  # type: ignore[no-any-return]

    def put(self: Results, value: pd.DataFrame | StoredTable) -> None:
        self.__dict__[key] = value

    return property(get, put, doc=f"The long table of {name} records (read when first used).")


for _name in LONG_TABLES:  # dataclass fields read through properties: stored tables stay lazy
    setattr(Results, _name, _long_table(_name))


def _read[T](path: Path, parse: Callable[[Path], T]) -> T:
    """``parse(path)``, or a ``ScenarioError`` naming the file when it is missing or corrupt."""
    try:
        return parse(path)
    except FileNotFoundError:
        raise ScenarioError(str(path), ["missing: not a complete run folder"]) from None
    except (OSError, ValueError, TypeError) as exc:  # JSON, TOML and Arrow errors are ValueErrors
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError(str(path), [f"cannot read it: {reason}"]) from None


def _json_object(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


def _frame_out(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A log table with its columns typed for parquet (dates as ISO text)."""
    out = frame.reindex(columns=columns).copy()
    out["day"] = out["day"].astype("int64")
    out["date"] = out["date"].astype(str)
    return out


def _frame_in(path: Path, columns: list[str]) -> pd.DataFrame:
    """A log table from a run folder (empty for folders older than the table)."""
    return _read(path, pd.read_parquet) if path.exists() else pd.DataFrame(columns=columns)


# the sector table's columns after day and sector: (column, daily metric, side or None)
SECTOR_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("front_km", "front_km", None),
    ("control", "control", None),
    ("blue_rounds", "rounds", "blue"),
    ("red_rounds", "rounds", "red"),
    ("blue_strength", "strength", "blue"),
    ("red_strength", "strength", "red"),
)


def scenario_sector_ids(scenario: dict[str, Any]) -> list[str]:
    """The sector ids of a scenario as run (``Results.scenario``), in map order."""
    return [str(sec["id"]) for sec in scenario.get("sectors") or []]


def sector_table(daily: pd.DataFrame, sector_ids: Sequence[str]) -> pd.DataFrame:
    """Long per-sector table, one row per day and sector, in day then map order.

    ``sector_ids``: the combat state's sectors (``model.combat.ids``); each sector's
    values are its daily columns, looked up by name in the registry
    (:data:`sandbox.state.columns.DAILY`). Columns: day, sector, front_km (+ = blue has
    advanced), control (+1 blue holds, -1 red holds, 0 contested), blue_rounds,
    red_rounds, blue_strength, red_strength. No sectors: an empty frame with these
    columns.
    """
    ids = list(sector_ids)
    cols = ["day", "sector", *(out for out, _, _ in SECTOR_COLUMNS)]
    if not ids:
        empty = {c: pd.Series(dtype=float) for c in cols}
        empty["day"] = pd.Series(dtype="int64")
        empty["sector"] = pd.Series(dtype="str")
        empty["control"] = pd.Series(dtype="int64")
        return pd.DataFrame(empty)
    days = daily.index.to_numpy()
    if not np.all(days[1:] >= days[:-1]):  # unsorted days: the general (stable sort) path
        return _sector_table_sorted(daily, ids, cols)
    # by day, and in map order within a day: row d * K + k
    n, nk = len(days), len(ids)
    data: dict[str, Any] = {
        "day": np.repeat(days, nk).astype("int64"),
        "sector": pd.array(np.tile(np.array(ids, dtype=object), n), dtype="str"),
    }
    for out, metric, side in SECTOR_COLUMNS:
        block = np.stack([daily[DAILY.sector(k, metric, side)].to_numpy() for k in ids], axis=1)
        data[out] = block.reshape(-1)
    data["control"] = data["control"].astype("int64")
    return pd.DataFrame(data)[cols]


def _sector_table_sorted(daily: pd.DataFrame, ids: list[str], cols: list[str]) -> pd.DataFrame:
    days = daily.index.to_numpy()
    parts = []
    for k in ids:
        part = pd.DataFrame({"day": days, "sector": k})
        for out, metric, side in SECTOR_COLUMNS:
            part[out] = daily[DAILY.sector(k, metric, side)].to_numpy()
        parts.append(part)
    table = pd.concat(parts, ignore_index=True).sort_values("day", kind="stable")
    table["day"] = table["day"].astype("int64")
    table["control"] = table["control"].astype("int64")
    return table.reset_index(drop=True)[cols]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(_json_safe(data), indent=2, sort_keys=False) + "\n")


def _json_safe(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_safe(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return _json_safe(v.item())
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _toml_safe(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _toml_safe(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_toml_safe(x) for x in v]
    return v


def versions() -> dict[str, str | None]:
    """Python and package versions (read once a process: they do not change under it)."""
    return dict(_versions())


@functools.cache
def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(where: Path | None = None) -> str | None:
    where = where or Path(__file__).resolve().parent
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if res.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    ).stdout.strip()
    return res.stdout.strip() + ("-dirty" if dirty else "")


def manifest(seed: int, days: int, source: str, wall_s: float) -> dict[str, Any]:
    return {
        "seed": seed,
        "days": days,
        "map": source,
        "wall_s": round(wall_s, 4),
        "versions": versions(),
        "git_commit": git_commit(),
        "command": [os.path.basename(sys.argv[0]), *sys.argv[1:]],
    }
