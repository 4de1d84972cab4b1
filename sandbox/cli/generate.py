"""``sandbox generate``: write a synthetic two-sided map (see :mod:`sandbox.scenario.generate`)."""

from __future__ import annotations

import argparse
from typing import Any

from sandbox.errors import UsageError


def cmd_generate(args: argparse.Namespace) -> int:
    from sandbox.scenario.generate import generate_map, write_map
    from sandbox.scenario.load import from_dict

    if args.nodes < 6:
        raise UsageError(f"--nodes must be at least 6, got {args.nodes}")
    raw = generate_map(args.nodes, seed=args.seed, days=args.days)
    from_dict(raw, source=str(args.out))  # validate before writing anything
    path = write_map(raw, args.out)
    print(
        f"wrote {path}: {len(raw['nodes'])} nodes, {len(raw['links'])} links, "
        f"{len(raw['units'])} units (seed {args.seed})"
    )
    return 0


def register(subparsers: Any) -> None:
    g = subparsers.add_parser("generate", help="write a synthetic map of N nodes")
    g.add_argument("--nodes", type=int, required=True, help="number of nodes (both sides)")
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("--days", type=int, default=365, help="the map's horizon (default 365)")
    g.add_argument("--out", required=True, help="map file to write, e.g. maps/generated/x.toml")
    g.set_defaults(func=cmd_generate)
