"""The experiment spec: what to vary, how to sample it, which seeds.

Build one from command-line style inputs with :func:`spec_from_cli` or from an
experiment TOML file with :func:`load_spec`. Every mistake becomes one line of
a :class:`~sandbox.errors.ScenarioError` naming the entry and the field, and
all of them are reported together before any run starts.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sandbox.errors import ScenarioError, did_you_mean
from sandbox.experiments.checks import spec_problems
from sandbox.experiments.designs import (
    ParamSpec,
    Task,
    make_design,
    make_tasks,
)
from sandbox.experiments.limits import seed_count_problem
from sandbox.scenario.defaults import DEFAULT_SEED
from sandbox.values import parse_value

KeyValidator = Callable[[list[str]], list[str]]
EXPERIMENT_KEYS = (
    "name", "map", "days", "design", "samples", "seed", "seeds", "outcomes", "daily", "options",
)  # fmt: skip
RANGE_KEYS = {"lo", "hi", "n", "int", "values"}


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated description of a sweep (see :meth:`problems`)."""

    params: tuple[ParamSpec, ...]
    design: str = "grid"
    seeds: tuple[int, ...] = (0,)
    samples: int | None = None
    design_seed: int = 0
    options: Mapping[str, Any] = field(default_factory=dict)
    outcomes: tuple[str, ...] = ()
    name: str = "sweep"
    map: str | None = None
    days: int | None = None
    daily: bool = False
    source: str = field(default="<spec>", compare=False)

    # -- checks -----------------------------------------------------------
    def problems(self) -> list[str]:
        """Every mistake in the spec, one line each (empty when valid)."""
        return spec_problems(self)

    def validate(self, validate_keys: KeyValidator | None = None) -> None:
        """Raise :class:`ScenarioError` listing every problem, including unknown keys."""
        problems = self.problems()
        if validate_keys is not None and self.params:
            problems += validate_keys([p.name for p in self.params])
        if problems:
            raise ScenarioError(self.source, problems)

    # -- expansion --------------------------------------------------------
    def design_frame(self) -> pd.DataFrame:
        """The design's parameter rows (deterministic given ``design_seed``)."""
        return make_design(self.design, self.params, self.samples, self.design_seed, self.options)

    def tasks(self) -> Iterator[Task]:
        """Every run of the sweep: design rows × seeds."""
        return make_tasks(self.design_frame(), self.seeds)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (the TOML ``[experiment]`` and ``[parameters]`` tables)."""
        exp = {
            "name": self.name,
            "design": self.design,
            "samples": self.samples,
            "seed": self.design_seed,
            "seeds": list(self.seeds),
            "outcomes": list(self.outcomes),
            "map": self.map,
            "days": self.days,
            "daily": self.daily,
            "options": dict(self.options),
        }
        exp = {k: v for k, v in exp.items() if v is not None}
        return {"experiment": exp, "parameters": {p.name: p.to_dict() for p in self.params}}

    def fingerprint(self) -> str:
        """Hash of everything that decides the set of runs (not name or outcomes)."""
        d = self.to_dict()
        for key in ("name", "outcomes", "daily"):
            d["experiment"].pop(key, None)
        blob = json.dumps(d, sort_keys=True, default=repr)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# -- command-line inputs ------------------------------------------------------


def _number(text: str) -> int | float:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_range(text: str, name: str, where: str) -> ParamSpec:
    """Parse ``LO:HI:N`` / ``LO:HI`` (ranges) or ``V1,V2,...`` (lists) into a spec."""
    parts = text.split(":")
    if len(parts) in (2, 3) and all(parts):
        try:
            lo, hi = _number(parts[0]), _number(parts[1])
            n: Any = _number(parts[2]) if len(parts) == 3 else None
        except ValueError:
            raise ValueError(f"{where}: range must be LO:HI:N with numbers, got {text!r}") from None
        return ParamSpec(name, lo=lo, hi=hi, n=n, where=where)
    if ":" in text:
        raise ValueError(f"{where}: range must be LO:HI:N (or LO:HI), got {text!r}")
    values = [v for v in text.split(",") if v.strip()]
    if not values:
        raise ValueError(f"{where}: no values after '='")
    return ParamSpec(name, values=tuple(parse_value(v) for v in values), where=where)


def parse_vary(text: str) -> ParamSpec:
    """Parse one ``--vary KEY=V1,V2,...`` or ``--vary KEY=LO:HI:N``."""
    where = f"--vary {text!r}"
    key, eq, rest = text.partition("=")
    if not eq or not key.strip():
        raise ValueError(f"{where}: expected KEY=V1,V2,... or KEY=LO:HI:N")
    return parse_range(rest, key.strip(), where)


def parse_seeds(seeds: int | str | Sequence[int], where: str = "--seeds") -> tuple[int, ...]:
    """``N`` means seeds ``DEFAULT_SEED..DEFAULT_SEED+N-1`` (``1..N``); ``"3,5,8"``
    or a list is an explicit seed list."""
    if isinstance(seeds, str):
        text = seeds.strip()
        try:
            items = [int(s) for s in text.split(",") if s.strip()]
        except ValueError:
            raise ValueError(f"{where}: expected N or a list like 0,1,7; got {seeds!r}") from None
        if "," not in text and len(items) == 1:
            seeds = items[0]
        else:
            return tuple(items)
    if isinstance(seeds, bool) or not isinstance(seeds, int | list | tuple):
        raise ValueError(f"{where}: expected N or a list of seeds, got {seeds!r}")
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"{where}: the number of seeds must be >= 1, got {seeds}")
        too_many = seed_count_problem(where, seeds)
        if too_many:  # before the list is built: 10**11 seeds would not fit in memory
            raise ValueError(too_many)
        return tuple(range(DEFAULT_SEED, DEFAULT_SEED + seeds))
    return tuple(seeds)


def spec_from_cli(
    vary: Sequence[str],
    seeds: int | str | Sequence[int] = 1,
    design: str = "grid",
    samples: int | None = None,
    design_seed: int = 0,
    **extra: Any,
) -> ExperimentSpec:
    """Build and check a spec from ``--vary``/``--seeds``/``--design`` style inputs."""
    problems: list[str] = []
    params: list[ParamSpec] = []
    for text in vary:
        try:
            params.append(parse_vary(text))
        except ValueError as exc:
            problems.append(str(exc))
    try:
        seed_list = parse_seeds(seeds)
    except ValueError as exc:
        problems.append(str(exc))
        seed_list = (0,)
    spec = ExperimentSpec(
        tuple(params), design, seed_list, samples, design_seed, source="command line", **extra
    )
    problems += [p for p in spec.problems() if not (problems and "nothing to vary" in p)]
    if problems:
        raise ScenarioError("command line", problems)
    return spec


# -- TOML ---------------------------------------------------------------------


def load_spec(path: str | Path) -> ExperimentSpec:
    """Read an experiment TOML file (see the module docs of ``sandbox.experiments``)."""
    source = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(source, ["file not found"]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(source, [f"cannot read the file: {exc}"]) from None
    return spec_from_dict(raw, source)


def spec_from_dict(raw: Mapping[str, Any], source: str = "<experiment>.toml") -> ExperimentSpec:
    """Build and check a spec from the data of an experiment TOML file."""
    problems: list[str] = []
    for key in raw:
        if key not in ("experiment", "parameters"):
            hint = did_you_mean(key, ["experiment", "parameters"])
            problems.append(f"{key}: unknown table{hint}; expected [experiment] and [parameters]")
    exp = dict(raw.get("experiment", {}))
    for key in exp:
        if key not in EXPERIMENT_KEYS:
            problems.append(f"experiment.{key}: unknown key{did_you_mean(key, EXPERIMENT_KEYS)}")
    try:
        seeds = parse_seeds(exp.get("seeds", 1), "experiment.seeds")
    except ValueError as exc:
        problems.append(str(exc))
        seeds = (0,)
    params = _toml_params(raw.get("parameters", {}), "", problems)
    outcomes = exp.get("outcomes", [])
    spec = ExperimentSpec(
        params=tuple(params),
        design=str(exp.get("design", "grid")),
        seeds=seeds,
        samples=exp.get("samples"),
        design_seed=exp.get("seed", 0),
        options=dict(exp.get("options", {})),
        outcomes=tuple(outcomes) if isinstance(outcomes, list) else (str(outcomes),),
        name=str(exp.get("name", Path(source).stem)),
        map=exp.get("map"),
        days=exp.get("days"),
        daily=bool(exp.get("daily", False)),
        source=source,
    )
    problems += spec.problems()
    if problems:
        raise ScenarioError(source, problems)
    return spec


def _toml_params(table: Mapping[str, Any], prefix: str, problems: list[str]) -> list[ParamSpec]:
    """Entries are lists, ``"LO:HI:N"`` strings or ``{lo, hi, n, int}`` / ``{values}`` tables;
    other tables nest dotted keys (``[parameters.sides.red] quality = [...]``)."""
    out: list[ParamSpec] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        where = f"parameters.{json.dumps(name)}"
        if isinstance(value, list):
            out.append(ParamSpec(name, values=tuple(value), where=where))
        elif isinstance(value, str):
            try:
                out.append(parse_range(value, name, where))
            except ValueError as exc:
                problems.append(str(exc))
        elif isinstance(value, Mapping) and value and set(value) <= RANGE_KEYS:
            if "values" in value:
                vals = value["values"]
                out.append(ParamSpec(name, values=tuple(vals), where=where))
                continue
            lo, hi, n = value.get("lo"), value.get("hi"), value.get("n")
            out.append(ParamSpec(name, None, lo, hi, n, bool(value.get("int", False)), where))
        elif isinstance(value, Mapping) and value:
            out += _toml_params(value, f"{name}.", problems)
        else:
            problems.append(f"{where}: expected a list, 'LO:HI:N' or {{lo, hi, n}}, got {value!r}")
    return out
