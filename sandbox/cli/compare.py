"""``sandbox compare RUN_A RUN_B``: summary differences and overlaid plots of two run folders."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sandbox.errors import UsageError

RUN_FILES = ("daily.parquet", "summary.json", "scenario.toml")


def _run_folder(path: str) -> Path:
    p = Path(path)
    if not p.is_dir():
        raise UsageError(f"{path}: not a run folder (no such directory)")
    missing = [f for f in RUN_FILES if not (p / f).is_file()]
    if missing:
        raise UsageError(f"{path}: not a run folder (missing {', '.join(missing)})")
    return p


def cmd_compare(args: argparse.Namespace) -> int:
    a, b = _run_folder(args.run_a), _run_folder(args.run_b)
    out = Path(args.out) if args.out else b / f"compare-{a.name}.html"
    if out.exists() and not args.force:
        raise UsageError(f"--out {out}: exists; pass --force to overwrite")
    if out.parent.exists() and not out.parent.is_dir():
        raise UsageError(f"--out {out}: {out.parent} is a file")
    from sandbox.plots.compare import compare

    c = compare(a, b)
    changed = c.changed()
    print(
        f"{len(changed)} of {len(c.table)} summary entries differ ({c.labels[1]} - {c.labels[0]}):"
    )
    for key, row in changed.head(args.top).iterrows():
        print(f"  {key:<44} {row.a:>14,.6g} -> {row.b:>14,.6g}  ({row['diff']:+,.6g})")
    if len(changed) > args.top:
        print(f"  ... {len(changed) - args.top} more in the page")
    print(f"wrote {c.write_html(out)}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``sandbox compare``."""
    p = subparsers.add_parser(
        "compare",
        help="compare two run folders: summary differences and overlaid plots (HTML)",
        description="Align the summaries of two runs and overlay their daily series per side; "
        "writes one self-contained HTML page.",
    )
    p.add_argument("run_a", metavar="RUN_A", help="first run folder (e.g. runs/base-...)")
    p.add_argument("run_b", metavar="RUN_B", help="second run folder")
    p.add_argument("--out", help="HTML file to write (default RUN_B/compare-<RUN_A>.html)")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--top", type=int, default=15, help="differences to print (default 15)")
    p.set_defaults(func=cmd_compare)
