"""``sandbox lesson [NAME] [--days N] [--seed S] [--set KEY=VALUE] [--out DIR [--force]]``.

Without NAME, list the lessons. With NAME, print its questions, run it (``--set``
changes its map, ``--seed`` its seed), then print what came out. Running one writes
``runs/lesson-NAME-<timestamp>/`` (or ``--out``) with its figures (PNG) and its report
(``report.md``, and ``report.html`` with the figures inline).
An unknown name prints the known ones and exits with status 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.cli.options import add_common, parse_sets
from sandbox.errors import UsageError

if TYPE_CHECKING:
    from sandbox.lessons import Lesson, LessonResult


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "lesson",
        help="list the teaching lessons, or run one into runs/lesson-NAME-<time>/",
        description="Without NAME: list the lessons. With NAME: print its questions, run it, "
        "print the answers and write its report.",
    )
    p.add_argument("name", nargs="?", help="lesson to run (see `sandbox lesson`)")
    p.add_argument("--days", type=int, help="days to run (default: the lesson's horizon)")
    add_common(p)
    p.add_argument("--out", help="output folder (default runs/lesson-NAME-<timestamp>)")
    p.add_argument("--force", action="store_true", help="write into a non-empty --out folder")
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
    guards.check_seed(args.seed)
    lesson = lesson.configured(args.seed, parse_sets(args.set))
    lesson.scenario()  # a bad --set exits 2 here, naming the key, before anything runs
    out = Path(args.out) if args.out else lessons.default_out_dir(lesson.name)
    guards.check_out_dir(out, args.force)
    print_questions(lesson)
    before = set(out.iterdir()) if out.is_dir() else set()
    try:
        result = lesson.run(out, days=args.days)
    except ValueError as exc:
        raise UsageError(f"lesson {lesson.name}: {exc}") from None
    folders = sorted(p for p in out.iterdir() if p.is_dir() and p not in before)
    print_answers(lesson, result, folders)
    return 0


def print_questions(lesson: Lesson) -> None:
    """The lesson's title and questions, before it runs (think first, then look)."""
    print(f"Lesson {lesson.number}: {lesson.title}\n")
    print("Questions:")
    for i, question in enumerate(lesson.questions, 1):
        print(f"  {i}. {question}")
    print(f"\nRunning (seed {lesson.seed}) ...\n", flush=True)


def print_answers(lesson: Lesson, result: LessonResult, folders: list[Path]) -> None:
    """What came out, whether each claim held, the takeaway and the files written
    (``folders``: those the lesson made, e.g. race_2023's ``sweep/``)."""
    print("Answers:")
    for line in result.found:
        print(f"- {line}")
    for claim, ok in result.checks.items():
        print(f"  [{'holds' if ok else 'DOES NOT HOLD'}] {claim}")
    print(f"\nTakeaway: {lesson.takeaway}")
    files = ", ".join(
        [p.name for p in (result.report_md, result.report_html, *result.figures.values())]
        + [f"{p.name}/" for p in folders]
    )
    print(f"\nwrote {result.out_dir}/ ({files})")
