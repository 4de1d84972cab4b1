"""``sandbox lesson [NAME] [--days N] [--out DIR]``: list the lessons, or run one.

Running one writes ``runs/lesson-NAME-<timestamp>/`` with its figures (PNG)
and its report (``report.md``, and ``report.html`` with the figures inline).
An unknown name prints the known ones and exits with status 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sandbox.errors import UsageError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "lesson",
        help="list the teaching lessons, or run one into runs/lesson-NAME-<time>/",
        description="Without NAME: list the lessons. With NAME: run it and write its report.",
    )
    p.add_argument("name", nargs="?", help="lesson to run (see `sandbox lesson`)")
    p.add_argument("--days", type=int, help="days to run (default: the lesson's horizon)")
    p.add_argument("--out", help="output folder (default runs/lesson-NAME-<timestamp>)")
    p.set_defaults(func=cmd_lesson)


def cmd_lesson(args: argparse.Namespace) -> int:
    from sandbox import lessons
    from sandbox.cli import guards

    if args.name is None:
        for lesson in lessons.all_lessons():
            print(f"{lesson.name:<16} {lesson.number}. {lesson.title}")
        return 0
    try:
        lesson = lessons.get(args.name)
    except lessons.UnknownLesson as exc:
        raise UsageError(str(exc)) from None
    if args.days is not None and args.days < 1:
        raise UsageError(f"--days must be at least 1, got {args.days}")
    out = Path(args.out) if args.out else lessons.default_out_dir(lesson.name)
    guards.check_out_dir(out, force=None)
    try:
        result = lesson.run(out, days=args.days)
    except ValueError as exc:
        raise UsageError(f"lesson {lesson.name}: {exc}") from None
    print(f"Lesson {lesson.number}: {lesson.title}\n")
    for line in result.found:
        print(f"- {line}")
    for claim, ok in result.checks.items():
        print(f"  [{'holds' if ok else 'DOES NOT HOLD'}] {claim}")
    print(f"\nTakeaway: {lesson.takeaway}")
    files = ", ".join(
        p.name for p in (result.report_md, result.report_html, *result.figures.values())
    )
    print(f"\nwrote {out}/ ({files})")
    return 0
