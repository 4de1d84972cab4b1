"""Bit-for-bit check of a change that must not change results.

``dump`` runs a fixed set of cases from this checkout and saves every numpy array of each
model's end state (the supply state and its nested state objects) and its daily table;
``compare`` says which arrays differ in any byte between two dumps. Run ``dump`` on the
commit before (e.g. a ``git archive`` export, ``PYTHONPATH=.``) and after, then ``compare``.
Cases: a generated 20,000-node map for 12 days (``record="daily"``), a generated 2,000-node
map for 30 days (``record="full"``), the default map for its year, and every example and
lesson map for 60 days. An array present in only one dump (a new cached structure) is
listed as such.

::

    python -m benchmarks.bitcheck dump runs/bench/before.npz
    python -m benchmarks.bitcheck compare runs/bench/before.npz runs/bench/after.npz
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MAX_DEPTH = 4  # state objects nest at most this deep (state.geometry.adjacency ...)


def arrays(prefix: str, obj: Any, out: dict[str, np.ndarray], seen: set[int]) -> None:
    """Every numpy array reachable from ``obj`` through sandbox state objects, by path."""
    if id(obj) in seen or prefix.count(".") > MAX_DEPTH:
        return
    seen.add(id(obj))
    for key, value in vars(obj).items():
        if isinstance(value, np.ndarray):
            out[f"{prefix}.{key}"] = value
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            if type(value).__module__.startswith("sandbox.state"):
                arrays(f"{prefix}.{key}", value, out, seen)


def case(name: str, sc: Any, days: int, record: str, out: dict[str, np.ndarray]) -> None:
    from sandbox.model import LogisticsModel

    m = LogisticsModel(sc, rng=1, record=record)
    for _ in range(days):
        m.step()
    arrays(f"{name}.state", m.state, out, set())
    out[f"{name}.daily"] = np.array(m.datacollector.rows, dtype=float)


def dump(path: Path) -> None:
    from sandbox.scenario.generate import generate_map
    from sandbox.scenario.load import from_dict, load_scenario

    out: dict[str, np.ndarray] = {}
    case("gen20k", from_dict(generate_map(20000, seed=1)), 12, "daily", out)
    case("gen2k", from_dict(generate_map(2000, seed=3)), 30, "full", out)
    case("ukraine", load_scenario(ROOT / "maps" / "ukraine_2023.toml"), 365, "daily", out)
    for folder in ("examples", "lessons"):
        for p in sorted((ROOT / "maps" / folder).glob("*.toml")):
            case(f"{folder}.{p.stem}", load_scenario(p), 60, "daily", out)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **out)  # type: ignore[arg-type]
    print(f"wrote {path}: {len(out)} arrays")


def compare(a: Path, b: Path) -> int:
    before, after = np.load(a), np.load(b)
    differ = only = 0
    for key in sorted(set(before.files) | set(after.files)):
        if key not in before.files or key not in after.files:
            print(f"only in one: {key}")
            only += 1
        elif before[key].shape != after[key].shape or (
            before[key].tobytes() != after[key].tobytes()
        ):
            print(f"DIFFERS: {key}")
            differ += 1
    common = len(set(before.files) & set(after.files))
    print(f"{differ} of {common} common arrays differ; {only} in one dump only")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    a = p.parse_args(argv)
    if a.cmd == "dump":
        dump(a.out)
        return 0
    return compare(a.before, a.after)


if __name__ == "__main__":
    raise SystemExit(main())
