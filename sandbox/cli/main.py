"""The ``sandbox`` command line: parse arguments, call the library, print.

Bad input (a map, a ``--set``, an argument) prints a clear message and exits
with status 2, never a traceback; nothing is written for an invalid map.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sandbox.cli import compare, generate, lesson, sweep, viz
from sandbox.errors import ScenarioError, UsageError
from sandbox.observe.run_dirs import new_run_dir
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import DEFAULT_MAP as PACKAGED_MAP
from sandbox.scenario.schema import SIDES
from sandbox.state.columns import SUMMARY
from sandbox.values import parse_value

EXIT_BAD_INPUT = 2
DEFAULT_MAP = Path("maps/ukraine_2023.toml")


def _default_map() -> Path:
    if DEFAULT_MAP.exists():
        return DEFAULT_MAP
    return PACKAGED_MAP


def parse_sets(pairs: Sequence[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE, e.g. sides.red.quality=0.3")
        out[key.strip()] = parse_value(value.strip())
    return out


def load_with_sets(path: str | Path, sets: Sequence[str]) -> Scenario:
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
    from sandbox.plots.dashboard import dashboard
    from sandbox.simulation import run

    path = Path(args.map) if args.map else _default_map()
    sc = load_with_sets(path, args.set)
    _warn(sc)
    if args.days is not None and args.days < 1:
        raise UsageError(f"--days must be at least 1, got {args.days}")
    if args.animate_every is not None and args.animate_every < 1:
        raise UsageError(f"--animate-every must be at least 1, got {args.animate_every}")
    if args.animate and args.record == "daily":
        raise UsageError("--animate draws the per-node records: it needs --record full")
    out = Path(args.out) if args.out else new_run_dir(path.stem)
    if out.exists() and any(out.iterdir()) and not args.force:
        raise UsageError(f"--out {out}: folder exists and is not empty (use --force to overwrite)")
    progress = None if args.progress else False
    res = run(sc, seed=args.seed, days=args.days, record=args.record, progress=progress)
    res.save(out)
    dashboard(res, out / "dashboard.png")
    wrote = "daily.parquet, daily.csv, summary.json, manifest.json, dashboard.png"
    if args.animate:
        from sandbox.plots.animate import animate

        animate(res, out / "animation.gif", every=args.animate_every)
        wrote += ", animation.gif"
    print(format_summary(res.summary, sc.commodities))
    print(f"\nwrote {out}/ ({wrote})")
    return 0


def format_summary(summary: dict[str, object], commodities: list[str]) -> str:
    """The summary table printed after a run."""
    lines = _commodity_table(summary, commodities)
    lines.insert(0, f"{summary.get(SUMMARY.overall('days'))} days")
    for side in SIDES:
        first = summary.get(SUMMARY.commodity(side, "ammunition", "first_short_day"))
        if "ammunition" in commodities:
            when = "never ran short" if first is None else f"first ran short on day {first}"
            lines.append(f"{side} front ammunition: {when}")
    if SUMMARY.overall("winning") in summary:
        lines.append("")
        lines += _combat_lines(summary)
    if any(_num(summary, SUMMARY.side(side, "strikes")) > 0 for side in SIDES):
        for side, enemy in zip(SIDES, SIDES[::-1], strict=True):
            lines.append(
                f"{side} strikes: {_num(summary, SUMMARY.side(side, 'strikes')):,.0f} "
                f"({_num(summary, SUMMARY.side(side, 'hits')):,.0f} hits), "
                f"{_num(summary, SUMMARY.side(enemy, 'destroyed_t')):,.0f} t of {enemy} stock "
                f"destroyed, {_num(summary, SUMMARY.side(enemy, 'depots_moved')):.0f} {enemy} "
                "depots moved back"
            )
    return "\n".join(lines)


def _commodity_table(summary: dict[str, object], commodities: list[str]) -> list[str]:
    """Produced, delivered, consumed, end stock and shortage days per side and commodity."""
    head = (
        "side",
        "commodity",
        "produced",
        "delivered",
        "consumed",
        "stock_end",
        "short_days",
        "first_short",
    )
    rows: list[tuple[str, ...]] = [head]
    for side in SIDES:
        for c in commodities:
            first = summary.get(SUMMARY.commodity(side, c, "first_short_day"))
            rows.append(
                (
                    side,
                    c,
                    *(
                        f"{_float(summary, SUMMARY.commodity(side, c, m)):,.0f}"
                        for m in ("produced", "delivered", "consumed", "stock_end")
                    ),
                    str(summary[SUMMARY.commodity(side, c, "shortfall_days")]),
                    "never" if first is None else f"day {first}",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            v.rjust(w) if i > 1 else v.ljust(w)
            for i, (v, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _combat_lines(summary: dict[str, object]) -> list[str]:
    """Fire, strength and doctrine per side; each sector's holder and front; who is winning."""
    lines = []
    for side in SIDES:
        below = summary.get(SUMMARY.side(side, "fires_below_doctrine_day"))
        when = "never" if below is None else f"day {below}"
        lines.append(
            f"{side}: {_float(summary, SUMMARY.side(side, 'rounds_per_day_first_30')):,.0f} "
            f"rounds/day in the first 30 days, strength "
            f"{_float(summary, SUMMARY.side(side, 'strength_end')):,.0f}"
            f" of {_float(summary, SUMMARY.side(side, 'strength_start')):,.0f}, "
            f"fires below doctrine for lack of ammunition: {when}"
        )
    for k in SUMMARY.sector_ids(summary):
        holder = summary[SUMMARY.sector(k, "holder")]
        km = _float(summary, SUMMARY.sector(k, "front_km_end"))
        lines.append(f"sector {k}: {holder}, front {km:+.1f} km (+ = blue advanced)")
    lines.append(f"winning the race: {summary[SUMMARY.overall('winning')]}")
    return lines


def _float(summary: dict[str, object], key: str) -> float:
    """A summary value that must be there, as a float."""
    return float(summary[key])  # type: ignore[arg-type]


def _num(summary: dict[str, object], key: str) -> float:
    """A summary value as a number (0 when absent or None)."""
    value = summary.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sandbox", description="The logistics race sandbox.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a map and write runs/<map>-<time>/")
    r.add_argument("map", nargs="?", help="map file (default maps/ukraine_2023.toml)")
    r.add_argument("--days", type=int, help="days to run (default: the map's horizon)")
    r.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    r.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a map value, e.g. --set sides.red.quality=0.3",
    )
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
    v.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    v.set_defaults(func=cmd_validate)

    for face in SUBCOMMANDS:
        face.register(sub)
    return p


# Modules that add a sub-command, registered here statically: each has
# ``register(subparsers)``, which adds its parser and sets ``func`` (returning an
# exit code). Each imports its heavy parts inside ``func``, so ``--help`` stays cheap.
SUBCOMMANDS = (sweep, viz, lesson, generate, compare)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
        return 130


if __name__ == "__main__":
    sys.exit(main())
