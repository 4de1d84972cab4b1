"""``sandbox generate``: write a synthetic two-sided map (see :mod:`sandbox.scenario.generate`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sandbox.cli import guards
from sandbox.cli.options import add_common
from sandbox.errors import UsageError


def cmd_generate(args: argparse.Namespace) -> int:
    from sandbox.scenario.generate import FORMATS, generate_map, write_map
    from sandbox.scenario.load import from_dict
    from sandbox.scenario.schema import MAX_DAYS

    out = Path(args.out)
    guards.check_nodes(args.nodes)
    guards.check_seed(args.seed)
    if not 1 <= args.days <= MAX_DAYS:
        raise UsageError(f"--days {args.days:,}: expected 1 to {MAX_DAYS:,}")
    guards.check_out_file(out, tuple(FORMATS), force=args.force)
    raw = generate_map(args.nodes, seed=args.seed, days=args.days)
    from_dict(raw, source=str(out))  # validate before writing anything
    path = write_map(raw, out)
    print(
        f"wrote {path}: {len(raw['nodes'])} nodes, {len(raw['links'])} links, "
        f"{len(raw['units'])} units (seed {args.seed})"
    )
    return 0


def register(subparsers: Any) -> None:
    g = subparsers.add_parser("generate", help="write a synthetic map of N nodes")
    g.add_argument(
        "--nodes",
        type=int,
        required=True,
        help=f"number of nodes (both sides), 6 to {guards.MAX_GENERATE_NODES:,}",
    )
    add_common(g, sets=False)
    g.add_argument("--days", type=int, default=365, help="the map's horizon (default 365)")
    g.add_argument(
        "--out",
        required=True,
        help="map file to write: TOML if it ends .toml, JSON if .json (e.g. maps/generated/x.toml)",
    )
    g.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    g.set_defaults(func=cmd_generate)
