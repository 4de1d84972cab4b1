"""The ``sandbox`` command line: parse arguments, call the library, print.

At parse time this module and the subcommand modules import only argparse-level
things (no pydantic, networkx, Mesa or pandas), so ``sandbox --help`` stays fast;
each command imports the layers it needs inside its ``func``.

Bad input (a map, a ``--set``, an argument) prints a clear message and exits
with status 2, never a traceback; nothing is written for an invalid map.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.cli import compare, generate, guards, lesson, play, sweep, viz
from sandbox.cli.options import add_common, parse_sets
from sandbox.errors import ScenarioError, UsageError
from sandbox.observe.run_dirs import new_run_dir
from sandbox.scenario.paths import DEFAULT_MAP as PACKAGED_MAP

if TYPE_CHECKING:
    from sandbox.observe.results import Results
    from sandbox.scenario.load import Scenario

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shells report `yes | head`
DEFAULT_MAP = Path("maps/ukraine_2023.toml")
DISTRIBUTION = "logistics-race-sandbox"  # pyproject.toml's [project] name


def _default_map() -> Path:
    if DEFAULT_MAP.exists():
        return DEFAULT_MAP
    return PACKAGED_MAP


def version() -> str:
    """The installed package's version (its metadata), else the source's."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:
        import sandbox

        return f"{sandbox.__version__} (not installed)"


def load_with_sets(path: str | Path, sets: Sequence[str]) -> Scenario:
    from sandbox.scenario.load import load_scenario  # the schema: pydantic, networkx

    sc = load_scenario(path)
    overrides = parse_sets(sets)
    return sc.with_overrides(overrides) if overrides else sc


def _warn(sc: Scenario) -> None:
    for w in sc.warnings:
        print(f"warning: {sc.source}: {w}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.maps:
        try:
            sc = load_with_sets(path, args.set)
        except ScenarioError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        _warn(sc)
        m = sc.spec
        print(
            f"ok: {path}: {sc.name!r}, {len(m.nodes)} nodes, {len(m.links)} links, "
            f"{len(m.units)} units, {sc.days} days"
        )
    return status


def cmd_run(args: argparse.Namespace) -> int:
    own_process = getattr(args, "own_process", False)
    if own_process:
        _collector_off()  # until the map is loaded: see _collector_off
    from sandbox.cli.summary_text import format_summary
    from sandbox.simulation import RunInterrupted, run

    path = Path(args.map) if args.map else _default_map()
    sc = load_with_sets(path, args.set)
    if args.orders:
        from sandbox.scenario.orders_file import with_orders

        sc = with_orders(sc, args.orders)
    _warn(sc)
    if own_process:
        _freeze_what_lasts()
    guards.check_seed(args.seed)
    days = guards.check_days(sc, args.days)
    if args.animate_every is not None and args.animate_every < 1:
        raise UsageError(f"--animate-every must be at least 1, got {args.animate_every}")
    if args.animate and args.record == "daily":
        raise UsageError("--animate draws the per-node records: it needs --record full")
    out = Path(args.out) if args.out else new_run_dir(path.stem)
    guards.check_out_dir(out, args.force)
    if args.turn_days < 1:
        raise UsageError(f"--turn-days must be at least 1, got {args.turn_days}")
    try:
        res = _run_or_play(sc, args, days, run)
    except RunInterrupted as stop:
        files = _save(stop.results, out, own_process)
        print(f"interrupted after day {len(stop.results.daily)} of {days}", file=sys.stderr)
        print(f"wrote {wrote_line(out, files)} (the days done; manifest.json says interrupted)",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPTED
    files = _save(res, out, own_process)
    if args.animate:
        from sandbox.plots.animate import animate

        files.append(animate(res, out / "animation.gif", every=args.animate_every))
    print(format_summary(res.summary, sc.commodities, _units(sc)))
    _print_record_fit(res)
    print(f"\nwrote {wrote_line(out, files)}")
    return 0


def _collector_off() -> None:
    """Pause the cyclic garbage collector while this process imports its stack and loads
    the map, and while it imports the plotting stack after the run: objects that live to
    the end of the process (modules, the map), in which the collector's passes (full ones
    over every module imported so far) find almost nothing: ~0.15 s of CPU on the default
    map's imports and ~0.08 s on matplotlib's, measured with ``gc.callbacks``. Reference
    counting still frees what is dropped, and :func:`_freeze_what_lasts` turns the
    collector on again, so the run, the saving and the drawing collect as before (a long
    run's memory stays bounded). Only when the command is the process (``main()``
    without arguments), not for callers of ``main([...])``."""
    gc.disable()


def _freeze_what_lasts() -> None:
    """Leave the objects made so far (modules, the map as read and validated: ~200,000
    dicts for a 10,000-node map) out of the cyclic garbage collector's full passes, which
    otherwise walk all of them again every few days of the run (a 10k year: full passes
    0.82 s -> 0.36 s, outputs the same bytes), and collect again for the run. Only when
    the command is the process (``main()`` without arguments), not for callers of
    ``main([...])``: these objects live until the process ends anyway; reference counting
    still frees any dropped."""
    gc.freeze()
    gc.enable()


def wrote_line(out: Path, files: Sequence[Path]) -> str:
    """``runs/x/ (scenario.toml, daily.parquet, ...)``: the folder and every file written."""
    return f"{out}/ ({', '.join(Path(f).relative_to(out).as_posix() for f in files)})"


def _units(sc: Scenario) -> dict[str, str]:
    """Each commodity's unit, as the map defines it (``round``, ``t``, ``kit``)."""
    return {c: sc.spec.commodities[c].unit for c in sc.commodities}


def _print_record_fit(res: Results) -> None:
    """How many figures of the map's public record (if it has one) the run lies within."""
    from sandbox.observe.record import fit_line

    line = fit_line(res)
    if line is not None:
        print(line)


def _run_or_play(sc: Scenario, args: argparse.Namespace, days: int, run: Any) -> Results:
    """The map's doctrines play when it names players (a replay plays its orders instead)."""
    if sc.spec.players and not args.orders:
        from sandbox.play.game import play

        return play(sc, seed=args.seed, days=days, turn_days=args.turn_days, fog=args.fog)
    progress = None if args.progress else False
    return run(sc, seed=args.seed, days=days, record=args.record, progress=progress)  # type: ignore[no-any-return]


def _save(res: Results, out: Path, own_process: bool = False) -> list[Path]:
    """Write the run folder and its dashboard; every file written, in order (when the
    command is the process, the plotting stack is imported with the collector paused
    and then frozen with the rest: see :func:`_collector_off`)."""
    if own_process:
        _collector_off()
    from sandbox.plots.dashboard import dashboard

    if own_process:
        _freeze_what_lasts()
    files = res.write(out)
    files.append(dashboard(res, out / "dashboard.png"))
    return files


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sandbox", description="The logistics race sandbox.")
    p.add_argument("--version", action=VersionAction, help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a map and write runs/<map>-<time>/")
    r.add_argument("map", nargs="?", help="map file (default maps/ukraine_2023.toml)")
    r.add_argument("--days", type=int, help="days to run (default: the map's horizon)")
    add_common(r)
    r.add_argument(
        "--orders", metavar="FILE", help="replay a game's orders.toml (the map's players rest)"
    )
    r.add_argument(
        "--turn-days", type=int, default=7, help="days per turn of the map's [players] (default 7)"
    )
    r.add_argument("--no-fog", dest="fog", action="store_false", help="doctrines see the truth")
    r.add_argument("--out", help="output folder (default runs/<map>-<timestamp>)")
    r.add_argument("--force", action="store_true", help="overwrite a non-empty --out folder")
    r.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    r.add_argument(
        "--record",
        choices=("full", "daily"),
        default="full",
        help="full: per-node and per-link tables too (default); daily: per-side daily totals only",
    )
    r.add_argument("--animate", action="store_true", help="also write animation.gif of the map")
    r.add_argument("--animate-every", type=int, metavar="K", help="one frame every K days")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check map files; exit 2 if any is invalid")
    v.add_argument("maps", nargs="+", help="map files")
    add_common(v, seed=False)
    v.set_defaults(func=cmd_validate)

    for face in SUBCOMMANDS:
        face.register(sub)
    return p


# Modules that add a sub-command, registered here statically: each has
# ``register(subparsers)``, which adds its parser and sets ``func`` (returning an
# exit code). Each imports its heavy parts inside ``func``, so ``--help`` stays cheap.
SUBCOMMANDS = (sweep, viz, lesson, generate, compare, play)


class VersionAction(argparse.Action):
    """``--version``: reads the package metadata only when asked (``--help`` stays light)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"sandbox {version()}")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sweep.with_default_mode(list(sys.argv[1:] if argv is None else argv)))
    args.own_process = argv is None  # the console script: this process ends with the command
    status = _call(args)
    try:
        sys.stdout.flush()  # what is still buffered (stdout to a pipe is block-buffered)
    except BrokenPipeError:
        status = _reader_gone()
    if args.own_process and args.command == "run":
        end_process(status)  # returns only if the process must end the usual way
    return status


def _call(args: argparse.Namespace) -> int:
    """The command's exit status; bad input and Ctrl-C reported on stderr."""
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader of stdout closed it (``sandbox run ... | head -1``): what was written
    stays written (a run prints after saving its folder); the rest of stdout goes to
    the null device, so the exit's flush does not raise again, and the status says so."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def end_process(status: int) -> None:
    """End this process with ``status`` now, without the interpreter's teardown.

    After ``sandbox run`` has written its folder and printed its summary, the usual exit
    spends ~0.2 s of CPU on the default map (more on large maps) on a last garbage
    collection and on freeing every object of ~1,600 modules one by one, all of which
    the operating system reclaims at once anyway. Here the output streams are flushed
    and the exit handlers run (``atexit``, which also removes the temporary folder of
    spilled records through its ``weakref.finalize``), then ``os._exit``. Returns
    (the process then ends the usual way) when a stream cannot be flushed (a closed
    pipe: Python reports it as usual) or another non-daemon thread still runs (the
    usual exit waits for it).
    """
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(not t.daemon for t in others) or not _flushed():
        return
    atexit._run_exitfuncs()
    _flushed()  # what the exit handlers printed
    os._exit(status)


def _flushed() -> bool:
    """Flush stdout and stderr; False if one cannot be (a closed pipe, a closed file)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
