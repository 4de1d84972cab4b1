"""What the app shows for each lesson: its levers, its plots, its text and takeaway.

``sandbox viz --lesson NAME`` passes the lesson's name (``SANDBOX_VIZ_LESSON_NAME``); the
app then shows only the levers and plots declared here for it, and keeps the lesson's
takeaway behind a button until the first step. Without a lesson the app shows every lever
but the law and every plot the map has data for. ``tests/test_viz_components.py`` checks
that every lesson in :mod:`sandbox.lessons` is declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# plot names: the figures of sandbox.viz.plotcharts (PLOTS there)
STOCK, FIRE, PRODUCTION, FRONT, STRENGTH = "stock", "fire", "production", "front", "strength"
SECTOR_PLOTS = (STRENGTH, FRONT)  # drawn only on maps with sectors


@dataclass(frozen=True)
class AppSetup:
    levers: tuple[str, ...]
    plots: tuple[str, ...]


DEFAULT = AppSetup(
    levers=("blue_production", "red_quantity", "red_quality", "strike_intensity", "blue_supply"),
    plots=(STOCK, STRENGTH, FIRE, PRODUCTION, FRONT),
)
LESSONS: dict[str, AppSetup] = {
    "production_gap": AppSetup(("blue_production", "red_quantity"), (STOCK, PRODUCTION, FIRE)),
    "bottlenecks": AppSetup(("blue_supply", "blue_production"), (STOCK, PRODUCTION)),
    "interdiction": AppSetup(("strike_intensity", "blue_supply", "red_supply"), (STOCK, FIRE)),
    "quality_quantity": AppSetup(
        ("red_quality", "red_quantity", "attrition_law", "red_supply"), (STRENGTH, FIRE, FRONT)
    ),
    "bullwhip": AppSetup(("blue_production", "blue_supply"), (STOCK, PRODUCTION)),
    "logistics_chief": AppSetup(
        ("blue_production", "blue_supply", "strike_intensity"), (STOCK, PRODUCTION, FIRE)
    ),
    "race_2023": AppSetup(
        ("blue_production", "red_quantity", "red_quality", "strike_intensity", "blue_supply"),
        (STOCK, STRENGTH, FIRE, PRODUCTION, FRONT),
    ),
}


def setup_for(lesson: str) -> AppSetup:
    """The lesson's levers and plots (the default set without a lesson)."""
    return LESSONS.get(lesson, DEFAULT)


def plots_for(setup: AppSetup, has_sectors: bool) -> tuple[str, ...]:
    """The plots drawn: a map with sectors always gets the strength plot."""
    plots = tuple(p for p in setup.plots if has_sectors or p not in SECTOR_PLOTS)
    if has_sectors and STRENGTH not in plots:
        plots = (STRENGTH, *plots)
    return plots


@dataclass(frozen=True)
class LessonText:
    """A lesson's text split so the takeaway can wait behind a button."""

    body: str  # title, goal and questions (Markdown)
    takeaway: str = ""


def lesson_text(name: str) -> LessonText:
    """The lesson's body and takeaway (``Lesson.describe()``); empty for no lesson."""
    if not name:
        return LessonText("")
    from sandbox import lessons

    desc: dict[str, Any] = lessons.get(name).describe()
    questions = [str(q) for q in desc.get("questions") or []]
    lines = [f"### Lesson {desc['number']}: {desc['title']}", "", f"**Goal.** {desc['goal']}", ""]
    lines += ["**Questions**", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(questions, 1)]
    return LessonText("\n".join(lines), str(desc["takeaway"]))
