"""``sandbox viz [MAP]``: serve the browser app (Mesa SolaraViz) on 127.0.0.1.

Registered by :mod:`sandbox.cli.main` through ``register(subparsers)``. It runs
``solara run sandbox/viz/app.py --production`` in a child process and passes the
map and the lesson through the environment (see :mod:`sandbox.viz.app`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sandbox.errors import UsageError

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "viz",
        help="serve the interactive map and plots in a browser (Mesa SolaraViz)",
        description="Serve the interactive visualization on http://127.0.0.1:PORT/ "
        "(step, play, move the levers, reset).",
    )
    p.add_argument("map", nargs="?", help="map file loaded first (default: the default map)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"(default {DEFAULT_PORT})")
    p.add_argument(
        "--host",
        default=LOCALHOST,
        help="interface to listen on (default 127.0.0.1; anything else exposes the app "
        "to the network and prints a warning)",
    )
    p.add_argument(
        "--lesson",
        metavar="NAME",
        help="a lesson: its name (see `sandbox lesson`) loads its map and shows its text "
        "in the status panel; else a text/Markdown file, or plain text",
    )
    p.add_argument("--dev", action="store_true", help="solara's auto-reloading dev mode")
    p.set_defaults(func=cmd_viz)


def lesson_text(name: str | None) -> str:
    """The lesson's text: the file's contents when ``name`` is a file, else ``name``."""
    if not name:
        return ""
    for candidate in (Path(name), Path("lessons") / name, Path("lessons") / f"{name}.md"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return name


def lesson_markdown(desc: dict[str, Any]) -> str:
    """A lesson's teaching text (``Lesson.describe()``) as Markdown for the status panel."""
    questions = [str(q) for q in desc.get("questions") or []]
    lines = [f"### Lesson {desc['number']}: {desc['title']}", "", f"**Goal.** {desc['goal']}", ""]
    lines += ["**Questions**", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(questions, 1)]
    lines += ["", f"**Takeaway.** {desc['takeaway']}"]
    return "\n".join(lines)


def resolve_lesson(name: str | None) -> tuple[str, Path | None]:
    """``--lesson NAME``: a lesson's text and map when NAME names a lesson; else the
    file's contents or the text itself, and no map. A name that looks like a lesson
    name (one word) but is neither a lesson nor a file is an error (exit 2)."""
    from sandbox import lessons

    if not name:
        return "", None
    try:
        lesson = lessons.get(name)
    except lessons.UnknownLesson as exc:
        text = lesson_text(name)
        if text == name and name.replace("_", "").replace("-", "").isalnum():
            raise UsageError(f"--lesson {name}: not a file, and {exc}") from None
        return text, None
    desc = lesson.describe()
    return lesson_markdown(desc), Path(str(desc["map"])).resolve()


def server_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:

    spec = importlib.util.find_spec("sandbox.viz.app")
    if spec is None or spec.origin is None:  # pragma: no cover - broken install
        raise UsageError("sandbox.viz.app not found")
    if importlib.util.find_spec("solara") is None:
        raise UsageError("solara is not installed: pip install -e '.[viz]'")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected 1-65535")
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("MPLBACKEND", "Agg")
    text, lesson_map = resolve_lesson(args.lesson)
    if args.map:
        path = Path(args.map)
        if not path.is_file():
            raise UsageError(f"{args.map}: no such map file")
        env["SANDBOX_VIZ_MAP"] = str(path.resolve())
    elif lesson_map is not None:
        env["SANDBOX_VIZ_MAP"] = str(lesson_map)
    env["SANDBOX_VIZ_LESSON"] = text
    cmd = [sys.executable, "-m", "solara", "run", spec.origin, "--host", args.host]
    cmd += ["--port", str(args.port), "--no-open"]
    if not args.dev:
        cmd.append("--production")
    return cmd, env


def cmd_viz(args: argparse.Namespace) -> int:
    cmd, env = server_command(args)
    if args.host not in LOOPBACK:
        print(
            f"warning: --host {args.host}: the app is reachable from other machines; "
            "it has no authentication",
            file=sys.stderr,
        )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sandbox viz: serving on http://{shown}:{args.port}/ (Ctrl-C to stop)", flush=True)
    return subprocess.call(cmd, env=env)
