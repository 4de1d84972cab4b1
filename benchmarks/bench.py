"""``make bench``: time the model on the default map and on synthetic maps; print and save JSON.

Timings are wall clock on whatever else the machine runs: read medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.reference import ReferenceModel
from sandbox.model import LogisticsModel
from sandbox.scenario.generate import generate_map
from sandbox.scenario.load import Scenario, from_dict, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP
from sandbox.simulation import run

RESULTS = Path(__file__).resolve().parent.parent / "runs" / "bench"


def default_map(repeats: int) -> dict[str, Any]:
    sc = load_scenario(DEFAULT_MAP)
    build, steps, full = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        m = LogisticsModel(sc, rng=1, record="daily")
        t1 = time.perf_counter()
        for _ in range(365):
            m.step()
        build.append(t1 - t0)
        steps.append(time.perf_counter() - t1)
        t2 = time.perf_counter()
        run(sc, seed=1, days=365)
        full.append(time.perf_counter() - t2)
    return {
        "build_s": statistics.median(build),
        "365_days_s": statistics.median(steps),
        "run_full_record_s": statistics.median(full),
    }


def floor_tick(sc: Scenario, ticks: int) -> float:
    """The bare numpy flow update: capacity-limited flows out of stock, scattered to targets."""
    m = LogisticsModel(sc, rng=0, record="daily")
    s = m.state
    stock, src, dst, tpu = s.stock.copy(), s.src, s.dst, s.tonnes_per_unit
    n, c = stock.shape
    fs = (src[:, None] * c + np.arange(c)).reshape(-1)
    fd = (dst[:, None] * c + np.arange(c)).reshape(-1)
    t0 = time.perf_counter()
    for _ in range(ticks):
        flows = stock[src] * 0.1
        tot = flows @ tpu
        flows *= np.minimum(1.0, s.capacity_t / np.maximum(tot, 1e-12))[:, None]
        stock -= np.bincount(fs, weights=flows.reshape(-1), minlength=n * c).reshape(n, c)
        stock += np.bincount(fd, weights=flows.reshape(-1), minlength=n * c).reshape(n, c)
    return (time.perf_counter() - t0) / ticks


def synthetic(nodes: int, ticks: int, ref_ticks: int) -> dict[str, Any]:
    sc = from_dict(generate_map(nodes, seed=1))
    tracemalloc.start()
    m = LogisticsModel(sc, rng=0, record="daily")
    m.step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_links = m.state.n_links
    t0 = time.perf_counter()
    for _ in range(ticks):
        m.step()
    tick = (time.perf_counter() - t0) / ticks
    floor = floor_tick(sc, max(ticks, 5))
    row: dict[str, Any] = {
        "nodes": nodes,
        "links": n_links,
        "tick_ms": tick * 1e3,
        "ticks_per_s": 1 / tick,
        "edge_updates_per_s": n_links / tick,
        "bytes_per_node_incl_links": peak / nodes,
        "bytes_per_link": peak / n_links,
        "floor_ms": floor * 1e3,
        "model_over_floor": tick / floor,
    }
    if ref_ticks:
        a, r = LogisticsModel(sc, rng=0, record="daily"), ReferenceModel(sc, rng=0)
        t_ref = 0.0
        for _ in range(ref_ticks):
            a.step()
            t1 = time.perf_counter()
            r.step()
            t_ref += time.perf_counter() - t1
        ref_stock = np.array([nd.stock for nd in r.nodes])
        assert np.allclose(ref_stock, a.state.stock, rtol=1e-9, atol=1e-6), "reference disagrees"
        row["reference_tick_ms"] = t_ref / ref_ticks * 1e3
        row["reference_over_model"] = t_ref / ref_ticks / tick
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="fewer repeats and ticks")
    a = p.parse_args(argv)
    q = a.quick
    out: dict[str, Any] = {"default_map": default_map(2 if q else 5), "synthetic": []}
    d = out["default_map"]
    print(
        f"default map: build {d['build_s'] * 1e3:.1f} ms, 365 days {d['365_days_s']:.3f} s "
        f"(median; run() with full records {d['run_full_record_s']:.3f} s) [target < 0.25 s]"
    )
    plan = [(1_000, 30, 5), (10_000, 10, 2), (100_000, 3 if q else 5, 0 if q else 1)]
    head = (
        "nodes",
        "links",
        "tick ms",
        "ticks/s",
        "edge upd/s",
        "B/node",
        "floor ms",
        "x floor",
        "ref ms",
        "ref/model",
    )
    print(" ".join(f"{h:>11}" for h in head))
    for nodes, ticks, ref in plan:
        r = synthetic(nodes, ticks, ref)
        out["synthetic"].append(r)
        vals = (
            r["nodes"],
            r["links"],
            f"{r['tick_ms']:.2f}",
            f"{r['ticks_per_s']:.1f}",
            f"{r['edge_updates_per_s']:.3g}",
            f"{r['bytes_per_node_incl_links']:.0f}",
            f"{r['floor_ms']:.2f}",
            f"{r['model_over_floor']:.1f}",
            f"{r.get('reference_tick_ms', float('nan')):.0f}",
            f"{r.get('reference_over_model', float('nan')):.0f}",
        )
        print(" ".join(f"{v:>11}" for v in vals), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
