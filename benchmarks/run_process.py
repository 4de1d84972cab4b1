"""``sandbox run`` as a whole process: median wall time, CPU time and peak memory.

Each run is a fresh ``python -m sandbox run MAP --no-progress --out TMP --force`` (all outputs:
tables, summary, dashboard). Wall time swings with whatever else the machine runs; the
process's CPU time (user + system, from ``wait4``) swings much less, so both are reported,
with the peak resident memory. With ``--baseline REF`` the same command also runs on a copy
of ``REF`` (``git archive`` into a temporary folder, one warm-up run there first to fill its
numba cache), interleaved run by run with this checkout, so before and after share the
minute. Prints a table and writes ``runs/bench/run_process.json``.

::

    python -m benchmarks.run_process --runs 5 --baseline f4a038c
    python -m benchmarks.run_process --runs 1 --map /tmp/gen10k.toml   # 10k nodes
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.cli_startup import checkout

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "runs" / "bench"
TARGET_S = 1.2  # issue 15: the default map's `sandbox run`, whole process


def one_run(map_path: str, cwd: Path, out: Path) -> dict[str, float]:
    """Wall s, CPU s (user + system) and peak RSS MB of one whole ``sandbox run``."""
    args = [sys.executable, "-m", "sandbox", "run", *([map_path] if map_path else [])]
    args += ["--no-progress", "--out", str(out), "--force"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"sandbox run failed in {cwd}:\n{err}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def measure(trees: dict[str, Path], map_path: str, runs: int) -> dict[str, dict[str, float]]:
    """Medians per tree; trees alternate run by run after one warm-up run each."""
    samples: dict[str, list[dict[str, float]]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory(prefix="run-process-") as tmp:
        for tree, cwd in trees.items():
            one_run(map_path, cwd, Path(tmp) / f"warm-{tree.replace(' ', '_')}")
        for k in range(runs):
            for tree, cwd in trees.items():
                samples[tree].append(one_run(map_path, cwd, Path(tmp) / f"{k}"))
    return {
        tree: {key: statistics.median(s[key] for s in runs_) for key in runs_[0]}
        for tree, runs_ in samples.items()
    }


def table(medians: dict[str, dict[str, float]], runs: int, map_path: str) -> str:
    lines = [f"sandbox run {map_path or '(default map)'}: median of {runs} whole processes"]
    lines.append(f"{'':16}{'wall s':>10}{'cpu s':>10}{'peak MB':>10}")
    for tree, m in medians.items():
        lines.append(f"{tree:16}{m['wall_s']:10.3f}{m['cpu_s']:10.3f}{m['peak_mb']:10.0f}")
    if len(medians) == 2:
        before, after = medians.values()
        lines.append(
            f"{'after / before':16}{after['wall_s'] / before['wall_s']:10.2f}"
            f"{after['cpu_s'] / before['cpu_s']:10.2f}"
        )
    with open("/proc/loadavg", encoding="ascii") as f:
        lines.append(f"load average at the end: {f.read().split()[0]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per tree (default 5)")
    p.add_argument("--map", default="", help="map file (default: the default map)")
    p.add_argument("--baseline", metavar="REF", help="git ref measured beside this checkout")
    args = p.parse_args(argv)
    map_path = str(Path(args.map).resolve()) if args.map else ""
    with tempfile.TemporaryDirectory(prefix="run-process-tree-") as tmp:
        trees = {"baseline": checkout(args.baseline, Path(tmp))} if args.baseline else {}
        trees["this checkout"] = ROOT
        medians = measure(trees, map_path, args.runs)
    print(table(medians, args.runs, map_path))
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"runs": args.runs, "map": map_path, "baseline": args.baseline, "median": medians}
    (RESULTS / "run_process.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
