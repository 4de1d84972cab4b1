"""Teaching lessons: small experiments that run, explain and never rot.

Each lesson is one module in this package defining ``LESSON``, an instance of
a :class:`~sandbox.lessons.base.Lesson` subclass, with its own map in
``maps/lessons/``. Adding a lesson means adding one module; nothing here
lists them by hand.

>>> from sandbox import lessons
>>> [lesson.name for lesson in lessons.all_lessons()][:2]
['production_gap', 'bottlenecks']
"""

from __future__ import annotations

import importlib
import pkgutil

from sandbox.lessons.base import Lesson, LessonResult, Outcome, default_out_dir

__all__ = [
    "Lesson",
    "LessonResult",
    "Outcome",
    "UnknownLesson",
    "all_lessons",
    "default_out_dir",
    "get",
]

_FRAMEWORK = {"base", "report", "common", "notebooks", "notebook_kernel"}


class UnknownLesson(KeyError):
    """No lesson has this name."""

    def __str__(self) -> str:
        return str(self.args[0])


def all_lessons() -> list[Lesson]:
    """Every lesson in this package, in course order."""
    found: list[Lesson] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _FRAMEWORK or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        lesson = getattr(module, "LESSON", None)
        if isinstance(lesson, Lesson):
            found.append(lesson)
    return sorted(found, key=lambda x: (x.number, x.name))


def get(name: str) -> Lesson:
    """The lesson called ``name``; :class:`UnknownLesson` names the known ones."""
    lessons = {x.name: x for x in all_lessons()}
    if name not in lessons:
        known = ", ".join(lessons)
        raise UnknownLesson(f"no lesson called {name!r}; known lessons: {known}")
    return lessons[name]
