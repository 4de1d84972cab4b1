"""``sandbox play [MAP]``: play a map in the browser, turn by turn (Solara).

Runs ``solara run sandbox/viz/play_app.py`` in a child process on 127.0.0.1, with
the game's settings in the environment (see :mod:`sandbox.viz.play_app`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from sandbox.cli.options import add_common, parse_sets
from sandbox.errors import UsageError

DEFAULT_PORT = 8766


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("play", help="play a map turn by turn in the browser")
    p.add_argument("map", nargs="?", help="map file (default: the default map)")
    p.add_argument("--blue", default="human", help="'human' or a doctrine (default human)")
    p.add_argument("--red", default="default", help="'human' or a doctrine (default default)")
    p.add_argument("--turn-days", type=int, default=7, help="days per turn (default 7)")
    add_common(p)
    p.add_argument("--no-fog", dest="fog", action="store_false", help="lift the fog of war")
    p.add_argument("--out", default="runs/play", help="where Save writes (default runs/play)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"(default {DEFAULT_PORT})")
    p.set_defaults(func=cmd_play)


def play_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment of the app's process; bad arguments raise :class:`UsageError`."""
    if args.turn_days < 1:
        raise UsageError(f"--turn-days must be at least 1, got {args.turn_days}")
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed}: expected a whole number >= 0")
    env = dict(os.environ)
    if args.map:
        if not Path(args.map).is_file():
            raise UsageError(f"{args.map}: no such map file")
        env["SANDBOX_PLAY_MAP"] = str(Path(args.map).resolve())
    overrides = parse_sets(args.set)
    if overrides:
        from sandbox.scenario.load import load_scenario
        from sandbox.scenario.paths import DEFAULT_MAP

        load_scenario(args.map or DEFAULT_MAP).with_overrides(overrides)  # bad key: exit 2
        env["SANDBOX_PLAY_SET"] = json.dumps(overrides)
    env.update(
        SANDBOX_PLAY_BLUE=args.blue,
        SANDBOX_PLAY_RED=args.red,
        SANDBOX_PLAY_TURN_DAYS=str(args.turn_days),
        SANDBOX_PLAY_SEED=str(args.seed),
        SANDBOX_PLAY_FOG="1" if args.fog else "0",
        SANDBOX_PLAY_OUT=str(Path(args.out).resolve()),
    )
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def cmd_play(args: argparse.Namespace) -> int:
    env = play_env(args)
    spec = importlib.util.find_spec("sandbox.viz.play_app")
    if spec is None or spec.origin is None or importlib.util.find_spec("solara") is None:
        raise UsageError("solara is not installed: pip install -e '.[viz]'")
    cmd = [sys.executable, "-m", "solara", "run", spec.origin, "--host", "127.0.0.1"]
    cmd += ["--port", str(args.port), "--no-open", "--production"]
    print(f"sandbox play: serving on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    return subprocess.call(cmd, env=env)
