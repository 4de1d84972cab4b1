"""Issue 15's ratio targets: the model's tick against the bare numpy flow floor, same process.

For each size (synthetic maps from ``sandbox generate``'s generator, seed 1): a model with
``record="daily"`` steps twice (compiles, warms caches), then ``--ticks`` timed ticks; the
floor (:func:`benchmarks.bench.floor_tick`) runs 20 ticks right after, in the same process,
so both share the minute. Prints the median and fastest tick, the floor, their ratios and
ticks per second; ``--rounds`` repeats the whole measurement (one process, rounds in
sequence, each with fresh models) so the spread shows. Targets: >= 30 ticks/s at 100k, <= 5x the
floor at every size from 10k.

::

    python -m benchmarks.tick_floor --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.bench import floor_tick
from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import from_dict

SIZES = ((10_000, 60), (100_000, 20))  # nodes, timed ticks


def one(nodes: int, ticks: int) -> dict[str, float]:
    """Median and fastest tick (s), the floor (s) and the median's ratio to it."""
    sc = from_dict(generate_map(nodes, seed=1))
    m = LogisticsModel(sc, rng=0, record="daily")
    m.step()
    m.step()
    times = []
    for _ in range(ticks):
        t0 = time.perf_counter()
        m.step()
        times.append(time.perf_counter() - t0)
    floor = floor_tick(sc, 20)
    med = statistics.median(times)
    return {"median": med, "fastest": min(times), "floor": floor, "ratio": med / floor}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=1, help="repeat the sizes this many times")
    a = p.parse_args(argv)
    head = ("nodes", "tick ms", "fastest", "floor ms", "x floor", "ticks/s")
    print(f"{head[0]:>7} " + " ".join(f"{h:>8}" for h in head[1:]))
    for _ in range(a.rounds):
        for nodes, ticks in SIZES:
            r = one(nodes, ticks)
            print(
                f"{nodes:>7} {r['median'] * 1e3:8.2f} {r['fastest'] * 1e3:8.2f} "
                f"{r['floor'] * 1e3:8.2f} {r['ratio']:8.1f} {1 / r['median']:8.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
