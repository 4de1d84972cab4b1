"""The lesson framework: a lesson is a small experiment with a question and a takeaway.

A lesson module defines one subclass of :class:`Lesson` and an instance of it
named ``LESSON``; :mod:`sandbox.lessons` finds it. The subclass states the
teaching text (title, goal, questions, takeaway, what to explore) as class
attributes and implements the four steps of :meth:`Lesson.experiment`:

1. :meth:`~Lesson.variants` runs the model for every variant and says what was run
   (a :class:`Runs`, which the lesson extends with what it ran);
2. :meth:`~Lesson.measure` turns the runs into numbers and tables (a :class:`Measured`,
   extended with what the next steps read);
3. :meth:`~Lesson.narrate` says what came out, in sentences built from the numbers;
4. :meth:`~Lesson.check` checks each claimed effect on the output;

and :meth:`~Lesson.figures` draws them. ``experiment`` assembles the
:class:`Outcome`; :meth:`Lesson.run` then writes the figures and the reports.

A lesson's ``knobs`` name the class attributes a student may change (its seed or
seeds, the variants it runs); :meth:`Lesson.with_knobs` returns a copy with some set.
Each lesson's notebook has one variable per knob in its ``parameters`` cell.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import pandas as pd

from sandbox.observe.run_dirs import new_run_dir
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.scenario.load import Scenario, load_scenario
from sandbox.scenario.paths import LESSON_MAPS

if TYPE_CHECKING:
    from matplotlib.figure import Figure


Number = float | int | None


@dataclass
class Outcome:
    """What one experiment produced, before anything is written.

    ``numbers`` are scalars computed from this run (the tests assert on them);
    ``ran`` says what was run, one line per run or variant; ``found`` says
    what came out, in sentences built from the numbers; ``checks`` maps each
    claimed effect to whether it held in this run.
    """

    numbers: dict[str, Number] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)


@dataclass(kw_only=True)
class Runs:
    """What :meth:`Lesson.variants` ran: one line per run or variant, and (in the
    lesson's subclass) the runs themselves."""

    ran: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Measured:
    """What :meth:`Lesson.measure` computed: ``numbers`` (scalars the tests assert on)
    and ``tables``; the lesson's subclass adds what ``narrate``, ``check`` and
    ``figures`` read."""

    numbers: dict[str, Number] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class LessonResult:
    """A lesson run as written to ``out_dir``."""

    lesson: str
    out_dir: Path
    days: int
    numbers: dict[str, Number]
    tables: dict[str, pd.DataFrame]
    figures: dict[str, Path]
    ran: list[str]
    found: list[str]
    checks: dict[str, bool]
    report_md: Path
    report_html: Path

    @property
    def all_checks_hold(self) -> bool:
        return all(self.checks.values())


class Lesson[RunsT: Runs, MeasuredT: Measured](ABC):
    """One lesson: teaching text as class attributes, the experiment in four steps."""

    name: ClassVar[str]  # command-line name, e.g. "bullwhip"
    number: ClassVar[int]  # its place in the course (issue 7 numbers them 1-6)
    title: ClassVar[str]  # one line
    goal: ClassVar[str]  # the learning goal
    questions: ClassVar[tuple[str, ...]]  # for students, before they look
    takeaway: ClassVar[str]  # the expected takeaway
    explore: ClassVar[tuple[str, ...]]  # what to change to explore further
    map_file: ClassVar[str]  # file name in maps/lessons/
    default_days: ClassVar[int | None] = None  # None: the map's own horizon
    seed: ClassVar[int] = DEFAULT_SEED  # the one default seed (``--seed``)
    #: attribute -> what it sets, with its unit: what a notebook's parameters cell offers
    knobs: ClassVar[dict[str, str]] = {"seed": "the model's random seed"}
    overrides: Mapping[str, Any] = {}  # dotted keys set on the lesson's map (``--set``)

    def run_seeds(self) -> tuple[int, ...]:
        """The seeds the lesson runs: its ``seeds`` knob (a lesson over several seeds),
        else its one ``seed``."""
        seeds = getattr(self, "seeds", None)
        return tuple(seeds) if seeds is not None else (self.seed,)

    def configured(
        self, seed: int | None = None, overrides: Mapping[str, Any] | None = None
    ) -> Self:
        """A copy of this lesson run from ``seed`` (a lesson over several seeds runs as
        many, from ``seed`` on) with ``overrides`` set on its map."""
        lesson = copy.copy(self)
        if seed is not None:
            n = len(self.run_seeds())
            several = "seeds" in self.knobs
            lesson = self.with_knobs(
                **({"seeds": tuple(range(seed, seed + n))} if several else {"seed": int(seed)})
            )
        if overrides:
            lesson.overrides = {**self.overrides, **overrides}
        return lesson

    def scenario(self) -> Scenario:
        """The lesson's map, with :attr:`overrides` (a bad key raises ``ScenarioError``)."""
        sc = load_scenario(LESSON_MAPS / self.map_file)
        return sc.with_overrides(dict(self.overrides)) if self.overrides else sc

    def horizon(self, days: int | None = None) -> int:
        if days is not None:
            if days < 1:
                raise ValueError(f"days must be at least 1, got {days}")
            return int(days)
        return int(self.default_days or self.scenario().days)

    def experiment(self, days: int) -> Outcome:
        """Run the model for ``days`` days (every variant) and return what came out."""
        runs = self.variants(days)
        measured = self.measure(runs, days)
        return Outcome(
            numbers=dict(measured.numbers),
            tables=dict(measured.tables),
            figures=self.figures(runs, measured, days),
            ran=list(runs.ran),
            found=self.narrate(measured, days),
            checks=self.check(measured, days),
        )

    @abstractmethod
    def variants(self, days: int) -> RunsT:
        """Run the model for ``days`` days, once per variant (and seed)."""

    @abstractmethod
    def measure(self, runs: RunsT, days: int) -> MeasuredT:
        """The numbers and tables of these runs."""

    @abstractmethod
    def narrate(self, m: MeasuredT, days: int) -> list[str]:
        """What came out, one sentence per finding, built from the numbers."""

    @abstractmethod
    def check(self, m: MeasuredT, days: int) -> dict[str, bool]:
        """Each claimed effect, and whether it held in these runs."""

    @abstractmethod
    def figures(self, runs: RunsT, m: MeasuredT, days: int) -> dict[str, Figure]:
        """The figures of these runs, by file name (without ``.png``)."""

    def run(
        self,
        out_dir: str | Path,
        days: int | None = None,
        *,
        seed: int | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> LessonResult:
        """Run the experiment; write its figures (PNG) and report (Markdown, HTML).

        ``seed`` (default :data:`~sandbox.scenario.defaults.DEFAULT_SEED`) and
        ``overrides`` (dotted keys set on the lesson's map) run a configured copy.
        """
        if seed is not None or overrides:
            return self.configured(seed, overrides).run(out_dir, days)
        from sandbox.lessons.report import save_figures, write_reports

        n_days = self.horizon(days)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        outcome = self.experiment(n_days)
        figures = save_figures(outcome.figures, out)
        result = LessonResult(
            lesson=self.name,
            out_dir=out,
            days=n_days,
            numbers=dict(outcome.numbers),
            tables=dict(outcome.tables),
            figures=figures,
            ran=self._settings() + list(outcome.ran),
            found=list(outcome.found),
            checks=dict(outcome.checks),
            report_md=out / "report.md",
            report_html=out / "report.html",
        )
        write_reports(self, result)
        return result

    def _settings(self) -> list[str]:
        """What ``--set`` changed on the lesson's map, as a line of "what was run"."""
        if not self.overrides:
            return []
        pairs = ", ".join(f"{k} = {v!r}" for k, v in self.overrides.items())
        return [f"every run on the lesson's map with {pairs}"]

    def with_knobs(self, **values: Any) -> Self:
        """A copy of this lesson with some of its knobs set (lists become tuples).

        >>> from sandbox import lessons
        >>> lessons.get("bottlenecks").with_knobs(additions_t=[50, 150]).additions_t
        (50, 150)
        """
        unknown = [k for k in values if k not in self.knobs]
        if unknown:
            raise ValueError(
                f"lesson {self.name!r} has no knob {unknown[0]!r}; "
                f"its knobs: {', '.join(self.knobs)}"
            )
        out = copy.copy(self)
        for name, value in values.items():
            setattr(out, name, _as_tuples(value))
        return out

    def knob_values(self) -> dict[str, Any]:
        """Each knob's current value."""
        return {name: getattr(self, name) for name in self.knobs}

    def describe(self) -> dict[str, Any]:
        """The teaching text as plain data (for the viz status panel and notebooks)."""
        return {
            "name": self.name,
            "number": self.number,
            "title": self.title,
            "goal": self.goal,
            "questions": list(self.questions),
            "takeaway": self.takeaway,
            "explore": list(self.explore),
            "map": str(LESSON_MAPS / self.map_file),
        }


def _as_tuples(value: Any) -> Any:
    """Lists (as papermill or JSON give them) as tuples, all the way down."""
    if isinstance(value, list | tuple):
        return tuple(_as_tuples(v) for v in value)
    return value


def default_out_dir(name: str, root: str | Path = "runs") -> Path:
    """``runs/lesson-NAME-<timestamp>``, never an existing folder."""
    return new_run_dir(f"lesson-{name}", root)


def fmt(x: Number, digits: int = 0, none: str = "never") -> str:
    """A number for a report: thousands separators, ``none`` for None."""
    if x is None:
        return none
    return f"{x:,.{digits}f}"
