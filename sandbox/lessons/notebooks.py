"""Write one small notebook per lesson into ``notebooks/``.

``python -m sandbox.lessons.notebooks`` (re)writes ``notebooks/lesson_NAME.ipynb``
for every lesson. Each notebook loads its lesson, runs it, and shows its
numbers, tables and figures; the test suite executes every one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sandbox.lessons.base import Lesson

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"

SETUP = """\
import sys
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

# the repository root: the folder above this notebook that holds maps/lessons/
root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "maps" / "lessons").is_dir())
sys.path.insert(0, str(root))
from sandbox import lessons

lesson = lessons.get({name!r})
DAYS = None  # None: the lesson's own horizon; a number shortens the run
"""

RUN = """\
result = lesson.run(tempfile.mkdtemp(prefix="lesson-{name}-"), days=DAYS)
display(Markdown("\\n".join(f"- {{line}}" for line in result.found)))
for claim, ok in result.checks.items():
    print("holds" if ok else "DOES NOT HOLD", "-", claim)
"""

NUMBERS = """\
display(pd.Series(result.numbers, name="this run", dtype=object).to_frame())
for title, table in result.tables.items():
    display(Markdown(f"**{title}**"), table)
"""

FIGURES = """\
for path in result.figures.values():
    display(Image(filename=str(path)))
print("report:", result.report_html)
"""


def notebook_path(lesson: Lesson) -> Path:
    return NOTEBOOKS / f"lesson_{lesson.name}.ipynb"


def build(lesson: Lesson) -> object:
    import nbformat.v4 as nbf

    intro = [f"# Lesson {lesson.number}: {lesson.title}", "", f"**Goal.** {lesson.goal}", ""]
    intro += ["**Questions** (answer before running):", ""]
    intro += [f"{i}. {q}" for i, q in enumerate(lesson.questions, 1)]
    outro = ["## Takeaway", "", lesson.takeaway, "", "## Explore further", ""]
    outro += [
        f"- `{e.split(':')[0]}`:{e.split(':', 1)[1]}" if ":" in e else f"- {e}"
        for e in lesson.explore
    ]
    nb = nbf.new_notebook()
    nb.cells = [
        nbf.new_markdown_cell("\n".join(intro)),
        nbf.new_code_cell(SETUP.format(name=lesson.name)),
        nbf.new_code_cell(RUN.format(name=lesson.name)),
        nbf.new_code_cell(NUMBERS),
        nbf.new_code_cell(FIGURES),
        nbf.new_markdown_cell("\n".join(outro)),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def write_all(folder: Path = NOTEBOOKS) -> list[Path]:
    import nbformat

    from sandbox.lessons import all_lessons

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lesson in all_lessons():
        path = folder / f"lesson_{lesson.name}.ipynb"
        nbformat.write(build(lesson), path)  # type: ignore[arg-type]
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOKS):
        print(f"wrote {p}")
