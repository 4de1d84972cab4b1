"""The floor of a whole ``sandbox run`` process: what the mandated libraries cost before any work.

Each row is a fresh process run ``--runs`` times (median wall and CPU, user + system from
``wait4``); the rows alternate run by run, so they share the minute:

- ``python``: the interpreter alone (``-c pass``);
- ``stack``: only imports what ``sandbox run`` must use (numpy, pandas, pyarrow's Parquet,
  networkx, Mesa, numba, pydantic, matplotlib's ``Figure`` and Agg canvas) and exits;
- ``stack + numba kernel``: the same, then calls one ``cache=True`` kernel loaded from its
  cache (numba builds its CPU target, ~250 registries, the first time a process calls any
  compiled function: a cost per process, whatever the kernel);
- ``sandbox run``: the whole default-map run with all outputs (as ``benchmarks.run_process``).

Compare the stack rows with issue 15's target for the whole process (1.2 s). Prints a table
and writes ``runs/bench/import_floor.json``.

::

    python -m benchmarks.import_floor --runs 5
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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "runs" / "bench"
TARGET_S = 1.2  # issue 15: the default map's `sandbox run`, whole process
STACK = (
    "import numpy, pandas, pyarrow.parquet, networkx, mesa, numba, pydantic, "
    "matplotlib.figure, matplotlib.backends.backend_agg"
)
KERNEL = "import numba\n@numba.njit(cache=True)\ndef twice(x):\n    return 2.0 * x\n"
CALL = "import floor_kernel\nfloor_kernel.twice(1.0)"


def one_process(args: list[str], cwd: Path) -> dict[str, float]:
    """Wall s and CPU s (user + system) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall_s = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed:\n{err}")
    return {"wall_s": wall_s, "cpu_s": usage.ru_utime + usage.ru_stime}


def commands(tmp: Path) -> dict[str, list[str]]:
    """The rows: name -> command line (the kernel's module is written into ``tmp``)."""
    (tmp / "floor_kernel.py").write_text(KERNEL, encoding="utf-8")
    py = sys.executable
    out = str(tmp / "run")
    return {
        "python": [py, "-c", "pass"],
        "stack": [py, "-c", STACK],
        "stack + numba kernel": [py, "-c", f"{STACK}\n{CALL}"],
        "sandbox run": [py, "-m", "sandbox", "run", "--no-progress", "--out", out, "--force"],
    }


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Medians per row, rows alternating run by run after one warm-up each."""
    with tempfile.TemporaryDirectory(prefix="import-floor-") as name:
        tmp = Path(name)
        rows = commands(tmp)
        env_cwd = {k: (tmp if "kernel" in k else ROOT) for k in rows}
        for k, args in rows.items():  # warm-up: file cache, the kernel's numba cache
            one_process(args, env_cwd[k])
        samples: dict[str, list[dict[str, float]]] = {k: [] for k in rows}
        for _ in range(runs):
            for k, args in rows.items():
                samples[k].append(one_process(args, env_cwd[k]))
    return {
        k: {key: statistics.median(s[key] for s in runs_) for key in runs_[0]}
        for k, runs_ in samples.items()
    }


def table(medians: dict[str, dict[str, float]], runs: int) -> str:
    lines = [f"whole processes, median of {runs} (target for sandbox run: {TARGET_S} s)"]
    lines.append(f"{'':24}{'wall s':>10}{'cpu s':>10}{'x target':>10}")
    for k, m in medians.items():
        lines.append(f"{k:24}{m['wall_s']:10.3f}{m['cpu_s']:10.3f}{m['wall_s'] / TARGET_S:10.2f}")
    with open("/proc/loadavg", encoding="ascii") as f:
        lines.append(f"load average at the end: {f.read().split()[0]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per row (default 5)")
    args = p.parse_args(argv)
    medians = measure(args.runs)
    print(table(medians, args.runs))
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"runs": args.runs, "target_s": TARGET_S, "median": medians}
    (RESULTS / "import_floor.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
