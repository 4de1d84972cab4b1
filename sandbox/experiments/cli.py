"""Command line: ``python -m sandbox.experiments sweep|report|analyze ...``.

The main ``sandbox`` CLI can delegate here with :func:`main` (or reuse
:func:`build_parser`). Exit codes: 0 done, 2 bad input (including an
unreachable scheduler, a folder another sweep is writing), 130 interrupted by Ctrl-C
and 143 by SIGTERM (resume with ``--resume``).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.experiments.design_names import DESIGNS
from sandbox.experiments.executors import EXECUTORS
from sandbox.experiments.lifetime import Terminated
from sandbox.experiments.spec import ExperimentSpec, load_spec, parse_value, spec_from_cli


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m sandbox.experiments``."""
    ap = argparse.ArgumentParser(prog="python -m sandbox.experiments")
    sub = ap.add_subparsers(dest="command", required=True)
    sw = sub.add_parser("sweep", help="run a batch of runs and store them as Parquet")
    sw.add_argument("spec", nargs="?", help="experiment TOML file (instead of --vary)")
    sw.add_argument("--vary", action="append", default=[], metavar="KEY=V1,V2|LO:HI:N")
    sw.add_argument("--seeds", default="1", help="N (seeds 1..N: DEFAULT_SEED on) or a list 3,5,8")
    sw.add_argument("--design", default="grid", help=f"one of {', '.join(DESIGNS)}")
    sw.add_argument("--samples", type=int, help="lhs rows, sobol base N, morris trajectories")
    sw.add_argument("--design-seed", type=int, default=0, help="seed of the sampling design")
    sw.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    sw.add_argument("--outcome", action="append", default=[], help="outcome columns to keep")
    sw.add_argument("--map", help="map file for the model")
    sw.add_argument("--days", type=int, help="days to simulate")
    sw.add_argument("--name", default="sweep")
    sw.add_argument("--daily", action="store_true", help="also store daily series")
    sw.add_argument("--fn", help="run function as module:name (default: the model)")
    sw.add_argument("--out", help="output folder (default runs/NAME)")
    sw.add_argument("--executor", default="serial", choices=EXECUTORS)
    sw.add_argument("--workers", type=int)
    sw.add_argument("--scheduler", help="Dask scheduler tcp://HOST:PORT")
    sw.add_argument("--resume", action="store_true", help="continue a sweep in --out")
    sw.add_argument("--retry-failed", action="store_true", help="with --resume: rerun failures")
    sw.add_argument("--no-progress", action="store_true")
    sw.add_argument("--flush-rows", type=int, default=500)
    sw.add_argument("--flush-seconds", type=float, default=5.0)
    sw.add_argument("--chunksize", type=int)
    for name, text in (("report", "write report.html and plots"), ("analyze", "print indices")):
        p = sub.add_parser(name, help=text)
        p.add_argument("out", help="sweep folder")
        p.add_argument("--outcome", action="append", default=[])
        if name == "report":
            p.add_argument("--all-outcomes", action="store_true", help="figures for every outcome")
    return ap


def resolve_fn(text: str) -> Callable[..., Any]:
    """Import ``module:name``."""
    module, _, attr = text.partition(":")
    if not module or not attr:
        raise ScenarioError("--fn", [f"expected module:name, got {text!r}"])
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ScenarioError("--fn", [f"cannot import {text!r}: {exc}"]) from None
    if not callable(fn):
        raise ScenarioError("--fn", [f"{text!r} is not callable"])
    return fn  # type: ignore[no-any-return]


def spec_from_args(args: argparse.Namespace) -> ExperimentSpec:
    """The spec of a ``sweep`` command: the experiment file or the ``--vary`` options."""
    if args.spec:
        if args.vary:
            raise ScenarioError("command line", ["give an experiment file or --vary, not both"])
        return load_spec(args.spec)
    options: dict[str, Any] = {}
    for text in args.option:
        key, eq, value = text.partition("=")
        if not eq:
            raise ScenarioError("command line", [f"--option {text!r}: expected KEY=VALUE"])
        options[key.strip()] = parse_value(value)
    return spec_from_cli(
        args.vary, args.seeds, args.design, args.samples, args.design_seed, options=options,
        outcomes=tuple(args.outcome), name=args.name, map=args.map, days=args.days,
        daily=args.daily,
    )  # fmt: skip


def sweep_command(args: argparse.Namespace, spec: ExperimentSpec | None = None) -> int:
    """Run the sweep the parsed ``args`` describe (also used by ``sandbox sweep``).

    Raises :class:`ScenarioError` for bad input, before anything is written.
    """
    from sandbox.experiments.runner import run_sweep

    spec = spec or spec_from_args(args)
    validate_keys = None
    if args.fn:
        fn = resolve_fn(args.fn)
    else:
        from sandbox.experiments.model_task import bind

        fn, validate_keys = bind(spec)
    out = Path(args.out or Path("runs") / spec.name)
    try:
        s = run_sweep(
            spec, fn, out, executor=args.executor, workers=args.workers,
            scheduler=args.scheduler, resume=args.resume, retry_failed=args.retry_failed,
            progress=not args.no_progress, validate_keys=validate_keys,
            flush_rows=args.flush_rows, flush_seconds=args.flush_seconds,
            chunksize=args.chunksize,
        )  # fmt: skip
    except Terminated:  # while the workers were starting or stopping: no summary to show
        print(f"stopped by SIGTERM; continue with --resume --out {out}", file=sys.stderr)
        return 128 + signal.SIGTERM
    done = s.n_skipped + s.n_run
    print(
        f"{out}: {done}/{s.n_tasks} runs stored ({s.n_ok} ok, {s.n_failed} failed this time,"
        f" {s.n_skipped} resumed) in {s.wall_s:.1f} s on {s.executor} x{s.workers}"
    )
    if s.interrupted:
        print(f"interrupted; continue with --resume --out {out}", file=sys.stderr)
        return 128 + (s.stopped_by or 2)  # 130 for Ctrl-C, 143 for SIGTERM
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sweep":
            return sweep_command(args)
        if args.command == "report":
            from sandbox.experiments.report import write_report

            print(write_report(args.out, args.outcome or None, all_outcomes=args.all_outcomes))
            return 0
        from sandbox.experiments.sensitivity import analyze

        for outcome, table in analyze(args.out, args.outcome or None).items():
            print(f"== {outcome}\n{table.to_string(index=False)}\n")
        return 0
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # AnalysisError and the like
        print(f"error: {exc}", file=sys.stderr)
        return 2
