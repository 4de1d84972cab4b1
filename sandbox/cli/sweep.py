"""``sandbox sweep``: batch runs of a map over varied parameters (see :mod:`sandbox.experiments`).

::

    sandbox sweep run MAP --vary KEY=V1,V2,... --vary KEY=LO:HI:N --seeds N --workers N
                  [--out runs/NAME [--force]] [--design grid|lhs|sobol|morris] [--samples N]
                  [--scheduler tcp://HOST:PORT | --dask-workers N] [--resume] [--daily]
    sandbox sweep run --experiment FILE.toml [MAP] [--workers N] ...
    sandbox sweep report runs/NAME [--all-outcomes]

``sandbox sweep MAP ...`` (no ``run``) is short for ``sandbox sweep run MAP ...``.

The face of the engine's own command line (``python -m sandbox.experiments``):
this module only translates its options and delegates to
:func:`sandbox.experiments.cli.sweep_command`. Execution: one worker runs in
this process, more use a local process pool; ``--dask-workers N`` starts a
Dask LocalCluster on 127.0.0.1 and ``--scheduler`` joins an existing cluster.
Bad input exits 2 before any run starts, with nothing written.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.cli.options import add_common, parse_sets
from sandbox.errors import ScenarioError, UsageError
from sandbox.experiments.folder_lock import LOCK_NAME
from sandbox.experiments.limits import MAX_WORKERS
from sandbox.observe.run_dirs import new_run_dir
from sandbox.scenario.defaults import DEFAULT_SEED

if TYPE_CHECKING:
    from sandbox.experiments.spec import ExperimentSpec


def _default_out(map_path: str | None, name: str) -> Path:
    stem = Path(map_path).stem if map_path else name
    return new_run_dir(f"sweep-{stem}")


def _executor(args: argparse.Namespace) -> tuple[str, int | None]:
    problems = []
    if args.scheduler and args.dask_workers is not None:
        problems.append("--scheduler and --dask-workers: give one, not both")
    for flag, n in (("--dask-workers", args.dask_workers), ("--workers", args.workers)):
        if n is not None and not 1 <= n <= MAX_WORKERS:
            problems.append(f"{flag}: must be from 1 to {MAX_WORKERS}, got {n}")
    if args.chunksize is not None and args.chunksize < 1:
        problems.append(f"--chunksize: must be >= 1, got {args.chunksize}")
    if (args.scheduler or args.dask_workers is not None) and args.workers is not None:
        problems.append("--workers: not with Dask (the cluster's workers run the sweep)")
    if problems:
        raise ScenarioError("command line", problems)
    if args.scheduler:
        return "dask", None
    if args.dask_workers is not None:
        return "dask", args.dask_workers
    if args.workers == 1:
        return "serial", 1
    return "process", args.workers


def cmd_report(args: argparse.Namespace) -> int:
    """``sandbox sweep report DIR``: write the sweep's report.html; returns the exit code."""
    from sandbox.experiments.report import write_report
    from sandbox.experiments.sensitivity import AnalysisError

    if not (Path(args.folder) / "manifest.json").is_file():
        raise ScenarioError(args.folder, ["not a sweep folder (no manifest.json)"])
    try:
        print(write_report(args.folder, args.outcome or None, all_outcomes=args.all_outcomes))
    except AnalysisError as exc:
        raise ScenarioError(args.folder, [str(exc)]) from None
    return 0


def with_default_mode(argv: list[str]) -> list[str]:
    """``sandbox sweep MAP ...`` is short for ``sandbox sweep run MAP ...`` (the old form)."""
    if argv[:1] == ["sweep"] and (len(argv) == 1 or argv[1] not in (*MODES, "-h", "--help")):
        return ["sweep", "run", *argv[1:]]
    return argv


def _check_out(args: argparse.Namespace) -> None:
    """A new sweep's --out folder: empty unless --force. A folder holding a sweep, or
    another sweep's lock (it is starting there), is the engine's to refuse (resume it,
    or wait for the named writer), as is a file."""
    out = Path(args.out) if args.out else None
    if out is None or args.resume or args.force or not out.is_dir():
        return
    if any((out / name).exists() for name in ("manifest.json", "parts", LOCK_NAME)):
        return
    if any(out.iterdir()):
        raise UsageError(
            f"--out {out}: folder exists and is not empty (use --force to write into it)"
        )


def cmd_sweep(args: argparse.Namespace) -> int:
    """``sandbox sweep run``: run a sweep; returns the exit code."""
    from sandbox.experiments import cli as engine
    from sandbox.experiments.spec import load_spec, parse_seeds

    if len(args.target) > 1:
        raise ScenarioError("command line", [f"one map file, got {' '.join(args.target)}"])
    map_path = args.target[0] if args.target else None
    if args.experiment:
        if args.vary:
            raise ScenarioError("command line", ["give --experiment or --vary, not both"])
        spec = load_spec(args.experiment)
        changes: dict[str, Any] = {}
        if map_path:
            changes["map"] = map_path
        if args.days is not None:
            changes["days"] = args.days
        if args.daily:
            changes["daily"] = True
        if args.seeds is not None:
            try:
                changes["seeds"] = parse_seeds(args.seeds)
            except ValueError as exc:
                raise ScenarioError("command line", [str(exc)]) from None
        spec = dataclasses.replace(spec, **changes)
        problems = spec.problems()
        if problems:
            raise ScenarioError(spec.source, problems)
    else:
        if not map_path:
            raise ScenarioError("command line", ["give a map file (or --experiment FILE.toml)"])
        spec = None
    if args.resume and not args.out:
        raise ScenarioError("command line", ["--resume: give the sweep's folder with --out"])
    _check_out(args)
    executor, workers = _executor(args)
    ns = argparse.Namespace(
        spec=None, vary=args.vary, seeds=args.seeds or "1", design=args.design,
        samples=args.samples, design_seed=args.design_seed, option=args.option,
        outcome=args.outcome, map=map_path, days=args.days, name=args.name, daily=args.daily,
        fn=args.fn, out=None, executor=executor, workers=workers, scheduler=args.scheduler,
        resume=args.resume, retry_failed=args.retry_failed, no_progress=not args.progress,
        flush_rows=args.flush_rows, flush_seconds=5.0, chunksize=args.chunksize,
    )  # fmt: skip
    spec = spec or engine.spec_from_args(ns)
    ns.out = args.out or str(_default_out(spec.map, spec.name))
    if args.set:
        spec = _with_sets(spec, Path(ns.out), args.set, args.resume)
    return engine.sweep_command(ns, spec)


MAP_WITH_SETS = "map.toml"  # a sweep's map with its --set values, in the sweep's folder


def _with_sets(spec: ExperimentSpec, out: Path, sets: list[str], resume: bool) -> ExperimentSpec:
    """``--set``: every run's map is the map with these values, written to
    ``OUT/map.toml`` (the record of what was swept) and swept in place of the map."""
    import tomli_w

    from sandbox.scenario.load import load_scenario

    if not spec.map:
        raise UsageError("--set: the sweep has no map to set values on")
    sc = load_scenario(spec.map).with_overrides(parse_sets(sets))  # a bad key exits 2 here
    text = tomli_w.dumps(_no_none(sc.to_dict()))
    path = out / MAP_WITH_SETS
    if path.exists() and path.read_text(encoding="utf-8") != text:
        raise UsageError(f"--set: {path} holds another map; resume with the same --set values")
    if resume or not (out / "manifest.json").exists():  # else the engine refuses the folder
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dataclasses.replace(spec, map=str(path))


def _no_none(value: Any) -> Any:
    """A scenario's data without its unset (None) values, which TOML cannot hold."""
    if isinstance(value, dict):
        return {k: _no_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_none(v) for v in value]
    return value


MODES = ("run", "report")


def register(subparsers: Any) -> None:
    """Add ``sandbox sweep run`` and ``sandbox sweep report``."""
    s = subparsers.add_parser(
        "sweep",
        help="batch runs over varied parameters (Parquet results); 'sweep report DIR' for plots",
        description="Run a map many times over varied parameters and seeds (sweep run), or "
        "write a sweep folder's report.html (sweep report). 'sandbox sweep MAP ...' is "
        "short for 'sandbox sweep run MAP ...'.",
    )
    modes = s.add_subparsers(dest="sweep_mode", required=True, metavar="{run,report}")
    r = modes.add_parser(
        "run",
        help="run the batch into runs/sweep-<map>-<time>/ (the default: sandbox sweep MAP ...)",
        description="Run a map many times over varied parameters and seeds.",
    )
    _run_arguments(r)
    r.set_defaults(func=cmd_sweep)
    rep = modes.add_parser(
        "report",
        help="write DIR/report/report.html: headline outcomes and figures",
        description="Write a sweep folder's report (report/report.html and report.md).",
    )
    rep.add_argument("folder", metavar="DIR", help="the sweep's folder, e.g. runs/sweep-x-...")
    rep.add_argument(
        "--outcome", action="append", default=[], help="an outcome column to plot (repeatable)"
    )
    rep.add_argument(
        "--all-outcomes", action="store_true",
        help="figures for every outcome that varies, not only the headline ones",
    )  # fmt: skip
    rep.set_defaults(func=cmd_report)


def _run_arguments(s: argparse.ArgumentParser) -> None:
    from sandbox.experiments.design_names import DESIGNS

    s.add_argument("target", nargs="*", metavar="MAP", help="map file")
    s.add_argument("--experiment", metavar="FILE.toml", help="experiment file instead of --vary")
    s.add_argument(
        "--vary", action="append", default=[], metavar="KEY=V1,V2|LO:HI:N",
        help="a map value to vary, by its dotted key, e.g. --vary sides.red.quality=0.3:0.6:4 "
        "or --vary sides.red.quality=0.3,0.5 (repeatable; one value holds it fixed)",
    )  # fmt: skip
    s.add_argument(
        "--seeds",
        help=f"N (seeds {DEFAULT_SEED}..{DEFAULT_SEED}+N-1) or a list 3,5,8 (default 1 seed: "
        f"{DEFAULT_SEED}, the default seed of sandbox run)",
    )
    s.add_argument("--design", default="grid", help=f"{' | '.join(DESIGNS)} (default grid)")
    s.add_argument("--samples", type=int, help="lhs rows / sobol base N / morris trajectories")
    s.add_argument("--design-seed", type=int, default=0, help="seed of the sampling design")
    s.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE",
        help="an option of the sampling design (repeatable), e.g. --option levels=6 (morris), "
        "second_order=true (sobol), optimization=random-cd (lhs)",
    )  # fmt: skip
    add_common(s, seed=False)  # --set: values held fixed in every run (OUT/map.toml)
    s.add_argument("--outcome", action="append", default=[], help="outcome columns to keep")
    s.add_argument("--days", type=int, help="days per run (default: the map's horizon)")
    s.add_argument("--name", default="sweep", help="name of the experiment")
    s.add_argument("--workers", type=int, help="local worker processes (default: all CPUs)")
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster")
    s.add_argument("--dask-workers", type=int, metavar="N", help="run on a local Dask cluster")
    s.add_argument("--out", help="output folder (default runs/sweep-<map>-<timestamp>)")
    s.add_argument(
        "--force", action="store_true",
        help="write into a non-empty --out folder (one holding a sweep needs --resume)",
    )  # fmt: skip
    s.add_argument("--resume", action="store_true", help="continue the sweep in --out")
    s.add_argument("--retry-failed", action="store_true", help="with --resume: rerun failures")
    s.add_argument("--daily", action="store_true", help="also store the daily series of each run")
    s.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    s.add_argument("--chunksize", type=int, help=argparse.SUPPRESS)
    s.add_argument("--flush-rows", type=int, default=500, help=argparse.SUPPRESS)
    s.add_argument("--fn", help=argparse.SUPPRESS)  # module:name instead of the model (tests)
