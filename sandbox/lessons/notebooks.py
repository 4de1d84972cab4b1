"""One notebook per lesson in ``notebooks/``, written and executed by this module.

``python -m sandbox.lessons.notebooks --execute`` (or ``make notebooks``) writes
``notebooks/lesson_NAME.ipynb`` for every lesson and runs it in a Jupyter kernel of
this interpreter, so the committed files show their tables and figures on a forge;
without ``--execute`` it writes the cells only. ``tests/test_notebooks.py`` checks the
committed notebooks match the generator and re-executes some to check their outputs.

A notebook states the lesson's goal and questions, then has a ``parameters`` cell
(tagged as papermill expects) with ``DAYS`` and one variable per knob of the lesson
(:attr:`~sandbox.lessons.base.Lesson.knobs`), then runs the lesson and shows what was
run, the tables, the figures, what came out, the checks and the takeaway.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from sandbox.lessons.base import Lesson
from sandbox.lessons.notebook_kernel import PYTHON3

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"
PARAMETERS_TAG = "parameters"

SETUP = """\
import tempfile

import pandas as pd
from IPython.display import Image, Markdown, display

from sandbox import lessons

lesson = lessons.get({name!r}).with_knobs({knobs})
"""

RUN = """\
result = lesson.run(tempfile.mkdtemp(prefix="lesson-{name}-"), days=DAYS)
ran = "\\n".join(f"- {{line}}" for line in result.ran)
display(Markdown(f"**What was run** ({{result.days}} days):\\n\\n{{ran}}"))
"""

TABLES = """\
for title, table in result.tables.items():
    display(Markdown(f"**{title}**"), table)
numbers = pd.Series(result.numbers, name="this run", dtype=object)
display(Markdown("**The numbers the tests check**"), numbers.to_frame())
"""

FIGURES = """\
for path in result.figures.values():
    display(Image(filename=str(path)))
"""

FOUND = """\
display(Markdown("\\n".join(f"- {line}" for line in result.found)))
"""

CHECKS = """\
checks = "\\n".join(
    f"- **{'holds' if ok else 'DOES NOT HOLD'}**: {claim}" for claim, ok in result.checks.items()
)
display(Markdown(checks))
"""

RUN_TEXT = (
    "## Run the lesson\n\n"
    "The lesson runs the model once per variant (and seed); it also writes its figures "
    "and a report (Markdown and HTML) into a temporary folder."
)
FOUND_TEXT = "## What came out\n\nCompare with your answers to the questions above."
CHECKS_TEXT = "## Checks\n\nEach effect the lesson claims, checked on this run's output:"


def notebook_path(lesson: Lesson, folder: Path = NOTEBOOKS) -> Path:
    return folder / f"lesson_{lesson.name}.ipynb"


def variable(knob: str) -> str:
    """The parameters cell's name for a knob: ``additions_t`` -> ``ADDITIONS_T``."""
    return knob.upper()


def parameters_source(lesson: Lesson) -> str:
    """``DAYS`` and one assignment per knob, each with what it sets."""
    lines = [
        '# Parameters (papermill: this cell is tagged "parameters"). Change, then run all.',
        f"DAYS = None  # days to run; None: the lesson's own horizon ({lesson.horizon()} days)",
    ]
    values = lesson.knob_values()
    lines += [f"{variable(k)} = {values[k]!r}  # {what}" for k, what in lesson.knobs.items()]
    return "\n".join(lines) + "\n"


def _intro(lesson: Lesson) -> str:
    lines = [f"# Lesson {lesson.number}: {lesson.title}", "", f"**Goal.** {lesson.goal}", ""]
    lines += ["**Questions** (answer before running):", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(lesson.questions, 1)]
    lines += ["", "The next cell holds the lesson's parameters: its seed and its variants."]
    return "\n".join(lines)


def _outro(lesson: Lesson) -> str:
    lines = ["## Takeaway", "", lesson.takeaway, "", "## Explore further", ""]
    lines += [
        f"- `{e.split(':')[0]}`:{e.split(':', 1)[1]}" if ":" in e else f"- {e}"
        for e in lesson.explore
    ]
    return "\n".join(lines)


def build(lesson: Lesson) -> Any:
    """The lesson's notebook (an ``nbformat`` v4 notebook, not executed)."""
    import nbformat.v4 as nbf

    knobs = "".join(f"\n    {k}={variable(k)}," for k in lesson.knobs) + "\n"
    params = nbf.new_code_cell(parameters_source(lesson))
    params.metadata["tags"] = [PARAMETERS_TAG]
    nb = nbf.new_notebook()
    nb.cells = [
        nbf.new_markdown_cell(_intro(lesson)),
        params,
        nbf.new_code_cell(SETUP.format(name=lesson.name, knobs=knobs)),
        nbf.new_markdown_cell(RUN_TEXT),
        nbf.new_code_cell(RUN.format(name=lesson.name)),
        nbf.new_markdown_cell("## Tables"),
        nbf.new_code_cell(TABLES),
        nbf.new_markdown_cell("## Figures"),
        nbf.new_code_cell(FIGURES),
        nbf.new_markdown_cell(FOUND_TEXT),
        nbf.new_code_cell(FOUND),
        nbf.new_markdown_cell(CHECKS_TEXT),
        nbf.new_code_cell(CHECKS),
        nbf.new_markdown_cell(_outro(lesson)),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{lesson.name}-{i}"  # stable ids: regenerating changes nothing
    nb.metadata["kernelspec"] = dict(PYTHON3)
    return nb


def write_all(
    folder: Path = NOTEBOOKS, execute: bool = False, only: list[str] | None = None
) -> list[Path]:
    """Write (and with ``execute`` run) the notebook of every lesson, or of ``only``."""
    import nbformat

    from sandbox import lessons
    from sandbox.lessons.notebook_kernel import execute_notebook

    chosen = [lessons.get(n) for n in only] if only else lessons.all_lessons()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lesson in chosen:
        path = notebook_path(lesson, folder)
        nb = build(lesson)
        start = time.perf_counter()
        if execute:
            execute_notebook(nb, folder)
        nbformat.write(nb, path)
        took = f", executed in {time.perf_counter() - start:.0f} s" if execute else ""
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB{took})", flush=True)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.lessons.notebooks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", nargs="?", type=Path, default=NOTEBOOKS)
    parser.add_argument("--execute", action="store_true", help="run each notebook (outputs)")
    parser.add_argument("--only", action="append", metavar="LESSON", help="this lesson only")
    args = parser.parse_args(argv)
    from sandbox.lessons import UnknownLesson

    try:
        write_all(args.folder, execute=args.execute, only=args.only)
    except UnknownLesson as exc:
        parser.error(str(exc))  # exits 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
