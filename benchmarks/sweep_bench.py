"""``make bench-sweep``: sweep throughput on the default map; prints and saves JSON.

A grid over one blue ramp target (``--rows`` rows × ``--seeds`` seeds, ``record="daily"``,
``--days`` days per run) is run through :func:`sandbox.experiments.run_sweep` with 1 worker
(the serial executor, as ``sandbox sweep --workers 1``) and with a 2-process pool. Reported:

- runs per minute at each worker count;
- parallel efficiency ``wall_1 / (2 * wall_2)``;
- model time per run: ``sandbox.run`` alone, timed in this process on the same variants;
- per-run overhead outside the model: ``wall * workers / runs - model time per run``
  (overrides, summary, pickling, the pool, the Parquet store, the progress counter).

Timings are wall clock on whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sandbox.experiments import load_results, run_sweep, spec_from_cli
from sandbox.experiments.model_task import bind
from sandbox.scenario.load import load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.simulation import run

RESULTS = Path(__file__).resolve().parent.parent / "runs" / "bench"
KEY = "nodes.blue_plant_iowa_aap.ramp.ammunition.target"


def model_time(map_path: str, values: list[int], seeds: int, days: int) -> float:
    """Median seconds of ``sandbox.run`` alone (variants built beforehand)."""
    base = load_scenario(map_path)
    variants = [base.with_overrides({KEY: v}) for v in values]
    run(variants[0], 0, days, record="daily")  # warm up
    times = []
    for sc in variants:
        for seed in range(seeds):
            t0 = time.perf_counter()
            run(sc, seed, days, record="daily")
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sweep_wall(
    map_path: str, rows: int, seeds: int, days: int, workers: int
) -> tuple[float, float]:
    """Wall seconds of the sweep, and the mean seconds per run measured inside the workers."""
    spec = spec_from_cli([f"{KEY}=933:{933 + 100 * (rows - 1)}:{rows}"], seeds, map=map_path)
    spec = dataclasses.replace(spec, days=days)
    fn, validate = bind(spec)
    with tempfile.TemporaryDirectory() as tmp:
        executor = "serial" if workers == 1 else "process"
        t0 = time.perf_counter()
        s = run_sweep(
            spec, fn, Path(tmp) / "out", executor=executor, workers=workers,
            validate_keys=validate, progress=False,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        in_worker = float(load_results(Path(tmp) / "out")["wall_s"].mean())
    assert s.complete and s.n_failed == 0, s
    return wall, in_worker


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--map", default=str(DEFAULT_MAP))
    p.add_argument("--days", type=int, default=90, help="days per run (default 90)")
    p.add_argument("--rows", type=int, default=30, help="design rows (default 30)")
    p.add_argument("--seeds", type=int, default=2, help="seeds per row (default 2)")
    p.add_argument("--workers", type=int, default=2, help="largest pool (default 2)")
    args = p.parse_args(argv)
    n = args.rows * args.seeds
    values = [933 + 100 * i for i in range(args.rows)]
    t_model = model_time(args.map, values, args.seeds, args.days)
    report: dict[str, Any] = {
        "map": args.map, "days": args.days, "runs": n, "record": "daily",
        "model_s_per_run": t_model, "workers": {}, "loadavg_start": os.getloadavg(),
    }  # fmt: skip
    print(f"{args.map}, {args.days} days, {n} runs; model alone {t_model * 1e3:.1f} ms/run")
    walls: dict[int, float] = {}
    for w in sorted({1, args.workers}):
        wall, in_worker = sweep_wall(args.map, args.rows, args.seeds, args.days, w)
        walls[w] = wall
        overhead = wall * w / n - t_model
        engine = wall * w / n - in_worker
        eff = walls[1] / (w * wall)
        report["workers"][w] = {
            "wall_s": wall, "runs_per_min": 60 * n / wall, "efficiency": eff,
            "overhead_ms_per_run": overhead * 1e3, "in_worker_s_per_run": in_worker,
            "engine_ms_per_run": engine * 1e3,
        }  # fmt: skip
        print(
            f"  {w} worker(s): {wall:6.2f} s, {60 * n / wall:6.0f} runs/min, "
            f"efficiency {eff:5.1%}, overhead {overhead * 1e3:+.1f} ms/run "
            f"(run inside a worker {in_worker * 1e3:.1f} ms, "
            f"engine outside the run function {engine * 1e3:+.1f} ms)"
        )
    report["loadavg_end"] = os.getloadavg()
    print(
        f"load average {report['loadavg_start'][0]:.2f} at start, "
        f"{report['loadavg_end'][0]:.2f} at end, on {os.cpu_count()} CPUs"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "sweep.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
