"""The lesson template: ``experiment()`` = variants -> measure -> narrate, check, figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from sandbox.lessons.base import Lesson, Measured, Runs


@dataclass(kw_only=True)
class SquareRuns(Runs):
    squares: dict[int, int] = field(default_factory=dict)


@dataclass(kw_only=True)
class SquareMeasured(Measured):
    total: int = 0


class Squares(Lesson[SquareRuns, SquareMeasured]):
    """A lesson without a model: its "runs" square the days, so every step is checkable."""

    name = "squares"
    number = 99
    title = goal = takeaway = "squares"
    questions = explore = ("?",)
    map_file = "none.toml"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def variants(self, days: int) -> SquareRuns:
        self.calls.append("variants")
        runs = SquareRuns(squares={d: d * d for d in range(1, days + 1)})
        runs.ran = [f"day {d}" for d in runs.squares]
        return runs

    def measure(self, runs: SquareRuns, days: int) -> SquareMeasured:
        self.calls.append("measure")
        total = sum(runs.squares.values())
        return SquareMeasured(numbers={"total": total}, total=total)

    def narrate(self, m: SquareMeasured, days: int) -> list[str]:
        self.calls.append("narrate")
        return [f"{days} squares sum to {m.total}"]

    def check(self, m: SquareMeasured, days: int) -> dict[str, bool]:
        self.calls.append("check")
        return {
            "sum of squares is n(n+1)(2n+1)/6": m.total == days * (days + 1) * (2 * days + 1) // 6
        }

    def figures(self, runs: SquareRuns, m: SquareMeasured, days: int) -> dict[str, object]:
        self.calls.append("figures")
        return {}


def test_experiment_runs_the_four_steps_once_each_and_assembles_the_outcome():
    lesson = Squares()
    out = lesson.experiment(4)
    assert lesson.calls == ["variants", "measure", "figures", "narrate", "check"]
    assert out.ran == ["day 1", "day 2", "day 3", "day 4"]
    assert out.numbers == {"total": 30}  # 1 + 4 + 9 + 16
    assert out.found == ["4 squares sum to 30"]
    assert out.checks == {"sum of squares is n(n+1)(2n+1)/6": True}
    assert out.tables == {} and out.figures == {}


def test_a_lesson_missing_a_step_cannot_be_built():
    namespace = {k: v for k, v in vars(Squares).items() if k != "measure"}
    no_measure = type("NoMeasure", (Lesson,), namespace)
    with pytest.raises(TypeError, match="abstract method 'measure'"):
        no_measure()
