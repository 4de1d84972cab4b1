"""Command-line start-up: median wall time of whole-process runs of the ``sandbox`` command.

Two commands, each run ``--runs`` times as a fresh process (``python -m sandbox ...``):

- ``sandbox --help``: argument parsing only (the target: at most 0.3 s, issue 11);
- ``sandbox validate maps/ukraine_2023.toml``: the scenario layer (schema, checks), no model.

With ``--baseline REF`` the same commands also run on a copy of ``REF`` (``git archive``
into a temporary folder), interleaved run by run with this checkout, so "before" and
"after" are measured in the same minute on the same load. Prints a table and writes
``runs/bench/cli_startup.json``. Timings are wall clock on whatever else the machine runs.

::

    python -m benchmarks.cli_startup --runs 5 --baseline a316d31
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "runs" / "bench"
COMMANDS: dict[str, list[str]] = {
    "sandbox --help": ["--help"],
    "sandbox validate maps/ukraine_2023.toml": ["validate", "maps/ukraine_2023.toml"],
}
HELP_TARGET_S = 0.3


def one_run_s(args: list[str], cwd: Path) -> float:
    """Seconds of one whole ``python -m sandbox ARGS`` process run in ``cwd``."""
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sandbox", *args],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def checkout(ref: str, into: Path) -> Path:
    """The package and the maps of git ``ref``, unpacked into ``into``."""
    archive = subprocess.run(
        ["git", "archive", ref, "sandbox", "maps"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(trees: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Median seconds per command and tree; the trees alternate run by run."""
    times: dict[str, dict[str, list[float]]] = {c: {t: [] for t in trees} for c in COMMANDS}
    for command, args in COMMANDS.items():
        for cwd in trees.values():
            one_run_s(args, cwd)  # warm the file cache and the bytecode
        for _ in range(runs):
            for tree, cwd in trees.items():
                times[command][tree].append(one_run_s(args, cwd))
    return {c: {t: statistics.median(v) for t, v in by.items()} for c, by in times.items()}


def table(medians: dict[str, dict[str, float]], runs: int) -> str:
    trees = list(next(iter(medians.values())))
    width = max(map(len, medians))
    lines = [f"median of {runs} whole-process runs, seconds"]
    lines.append(" ".join([" " * width, *(f"{t:>12}" for t in trees)]))
    for command, by in medians.items():
        row = [command.ljust(width), *(f"{by[t]:12.3f}" for t in trees)]
        if len(trees) == 2:
            row.append(f"  ratio {by[trees[1]] / by[trees[0]]:.2f}")
        lines.append(" ".join(row))
    help_s = medians["sandbox --help"][trees[-1]]
    verdict = "meets" if help_s <= HELP_TARGET_S else "MISSES"
    lines.append(f"--help, this checkout: {help_s:.3f} s, {verdict} the {HELP_TARGET_S} s target")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per command and tree (default 5)")
    p.add_argument("--baseline", metavar="REF", help="git ref measured beside this checkout")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cli-startup-") as tmp:
        trees = {"baseline": checkout(args.baseline, Path(tmp))} if args.baseline else {}
        trees["this checkout"] = ROOT
        medians = measure(trees, args.runs)
    print(table(medians, args.runs))
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"runs": args.runs, "baseline": args.baseline, "median_s": medians}
    (RESULTS / "cli_startup.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
