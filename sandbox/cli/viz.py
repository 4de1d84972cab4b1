"""``sandbox viz [MAP]``: serve the browser app (Solara) on 127.0.0.1.

Registered by :mod:`sandbox.cli.main` through ``register(subparsers)``. It runs
``solara run sandbox/viz/app.py --production`` in a child process and passes the
map and the lesson through the environment (see :mod:`sandbox.viz.app`).
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sandbox.cli.options import add_common
from sandbox.errors import UsageError

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "viz",
        help="serve the interactive map and plots in a browser (Solara)",
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
    add_common(p, sets=False)  # --seed: the first model's seed (the page's Seed box after)
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
    text, path, _ = resolve_lesson_named(name)
    return text, path


def resolve_lesson_named(name: str | None) -> tuple[str, Path | None, str]:
    """:func:`resolve_lesson` and the lesson's name ("" when NAME is a file or text)."""
    from sandbox import lessons

    if not name:
        return "", None, ""
    try:
        lesson = lessons.get(name)
    except lessons.UnknownLesson as exc:
        text = lesson_text(name)
        if text == name and name.replace("_", "").replace("-", "").isalnum():
            raise UsageError(f"--lesson {name}: not a file, and {exc}") from None
        return text, None, ""
    desc = lesson.describe()
    return lesson_markdown(desc), Path(str(desc["map"])).resolve(), lesson.name


def server_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:

    spec = importlib.util.find_spec("sandbox.viz.app")
    if spec is None or spec.origin is None:  # pragma: no cover - broken install
        raise UsageError("sandbox.viz.app not found")
    if importlib.util.find_spec("solara") is None:
        raise UsageError("solara is not installed: pip install -e '.[viz]'")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected 1-65535")
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed}: expected a whole number >= 0")
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("MPLBACKEND", "Agg")
    from sandbox.scenario.load import load_scenario

    text, lesson_map, lesson_name = resolve_lesson_named(args.lesson)
    if args.map:
        path = Path(args.map)
        if not path.is_file():
            raise UsageError(f"{args.map}: no such map file")
        load_scenario(path)  # a malformed map exits 2 here, before the server starts
        env["SANDBOX_VIZ_MAP"] = str(path.resolve())
    elif lesson_map is not None:
        env["SANDBOX_VIZ_MAP"] = str(lesson_map)
    env["SANDBOX_VIZ_LESSON"] = text
    env["SANDBOX_VIZ_LESSON_NAME"] = lesson_name  # the app's levers, plots and takeaway
    env["SANDBOX_VIZ_SEED"] = str(args.seed)
    cmd = [sys.executable, "-m", "solara", "run", spec.origin, "--host", args.host]
    cmd += ["--port", str(args.port), "--no-open"]
    if not args.dev:
        cmd.append("--production")
    return cmd, env


def cmd_viz(args: argparse.Namespace) -> int:
    cmd, env = server_command(args)
    check_port_free(args.host, args.port)
    if args.host not in LOOPBACK:
        print(
            f"warning: --host {args.host}: the app is reachable from other machines; "
            "it has no authentication",
            file=sys.stderr,
        )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sandbox viz: serving on http://{shown}:{args.port}/ (Ctrl-C to stop)", flush=True)
    return serve(cmd, env)


def check_port_free(host: str, port: int) -> None:
    """Exit 2 (before anything is printed or started) when ``host:port`` cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(
                f"--port {port}: cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "is another server using it? Try another --port"
            ) from None


PR_SET_PDEATHSIG = 1  # linux/prctl.h
GRACE_S = 2.0  # after a forwarded SIGTERM, the server has this long before SIGKILL


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """In the server child: ask the kernel to SIGKILL it when its parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: SIGTERM is still forwarded by serve()


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server child until it ends; it ends with us.

    SIGKILL of this process: the kernel kills the child (``PR_SET_PDEATHSIG``).
    SIGTERM: forwarded to the child, which gets :data:`GRACE_S` to stop before
    SIGKILL. Ctrl-C reaches both (one process group); we wait and exit 130.
    """
    child = subprocess.Popen(cmd, env=env, preexec_fn=_die_with_parent)
    stopping: list[float] = []  # when SIGTERM was forwarded

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)
        stopping.append(time.monotonic())

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        code = _wait(child, stopping)
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        stopping.append(time.monotonic())
        _wait(child, stopping)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if child.poll() is None:  # pragma: no cover - only on an unexpected error
            child.kill()
    return code if code >= 0 else 128 - code  # killed by signal N: 128 + N, as shells say


def _wait(child: subprocess.Popen[bytes], stopping: list[float]) -> int:
    """Wait for the child; once asked to stop, SIGKILL it after :data:`GRACE_S`."""
    while True:
        try:
            return child.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            if stopping and time.monotonic() - stopping[0] > GRACE_S:
                child.kill()
