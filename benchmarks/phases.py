"""Wall time per phase of ``LogisticsModel.step`` on the default map and synthetic maps.

``python -m benchmarks.phases [--nodes 10000 100000] [--days N]``. Each phase
method of one model instance is wrapped by a timer (the wrappers add a little
overhead); the first day is left out (it compiles and warms caches).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP

PHASES = ("produce", "arrive", "order", "ship", "consume", "fight", "strike", "repair", "collect")


def _timed(fn: Callable[..., Any], name: str, spent_s: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        spent_s[name] += time.perf_counter() - t0
        return out

    return wrapper


def profile(m: LogisticsModel, days: int) -> dict[str, float]:
    """Milliseconds per day spent in each phase over ``days`` days after a first one."""
    m.step()
    spent_s: dict[str, float] = defaultdict(float)
    for name in PHASES:
        if hasattr(m, name):
            setattr(m, name, _timed(getattr(m, name), name, spent_s))
    t0 = time.perf_counter()
    for _ in range(days):
        m.step()
    total_s = time.perf_counter() - t0
    out = {k: v / days * 1e3 for k, v in spent_s.items()}
    out["total"] = total_s / days * 1e3
    return out


def _show(label: str, ms: dict[str, float]) -> None:
    parts = ", ".join(f"{k} {v:.2f}" for k, v in ms.items() if k != "total")
    print(f"{label}: {ms['total']:.2f} ms/day ({parts})", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--nodes", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--days", type=int, default=0, help="days per map (default: by size)")
    p.add_argument("--record", default="daily", choices=("daily", "full"))
    a = p.parse_args(argv)
    m = LogisticsModel(load_scenario(DEFAULT_MAP), rng=1, record=a.record)
    _show("default map", profile(m, a.days or 364))
    for n in a.nodes:
        sc = from_dict(generate_map(n, seed=1))
        m = LogisticsModel(sc, rng=0, record=a.record)
        _show(f"{n} nodes", profile(m, a.days or max(5, 200_000 // n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
