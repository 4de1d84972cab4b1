"""Milliseconds per day in each compiled kernel, on a synthetic map.

The model steps twice (compiles, warms caches), then every numba kernel defined in
``sandbox.state``'s kernel modules is wrapped by a timer (module attributes, which is how
the rules call them), then ``DAYS`` timed days; prints the whole tick, the kernels' sum
and each kernel by cost. What the kernels leave of the tick is Python and numpy around
them. Timers add ~1 us a call.

::

    python -m benchmarks.kernel_times 10000 300
"""

from __future__ import annotations

import argparse
import collections
import time
from collections.abc import Callable
from typing import Any

import numba

from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict
from sandbox.state import (
    combat_kernels,
    echelon_kernels,
    kernels,
    law_kernels,
    side_kernels,
    supply_kernels,
    unit_kernels,
)

MODULES = (
    supply_kernels,
    kernels,
    side_kernels,
    echelon_kernels,
    combat_kernels,
    unit_kernels,
    law_kernels,
)


def timed(spent: dict[str, float], label: str, f: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = f(*args, **kwargs)
        spent[label] += time.perf_counter() - t0
        return out

    return wrapper


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("nodes", type=int)
    p.add_argument("days", type=int)
    a = p.parse_args(argv)
    spent: dict[str, float] = collections.defaultdict(float)
    m = LogisticsModel(from_dict(generate_map(a.nodes, seed=1)), rng=0, record="daily")
    m.step()  # compiles (or loads) every kernel first: a kernel that calls another one
    m.step()  # resolves it as a global when compiled, so the timers must come after
    for mod in MODULES:
        for name in dir(mod):
            f = getattr(mod, name)
            if isinstance(f, numba.core.registry.CPUDispatcher) and f.py_func.__module__ == (
                mod.__name__
            ):
                setattr(mod, name, timed(spent, f"{mod.__name__.rsplit('.', 1)[-1]}.{name}", f))
    t0 = time.perf_counter()
    for _ in range(a.days):
        m.step()
    tick_ms = (time.perf_counter() - t0) / a.days * 1e3
    print(f"tick ms {tick_ms:.2f}, kernels {sum(spent.values()) / a.days * 1e3:.2f}")
    for label, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{label:<40} {s / a.days * 1e3:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
