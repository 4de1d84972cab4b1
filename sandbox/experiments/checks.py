"""The rules an experiment spec must satisfy, one message per mistake.

Messages name the entry and the field (``--vary 'x=1:0:3': empty range ...``,
``experiment.seeds: ...``) so a whole spec is reported at once.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sandbox.errors import did_you_mean
from sandbox.experiments.design_names import DESIGN_OPTIONS, DESIGNS
from sandbox.experiments.designs import ParamSpec
from sandbox.experiments.limits import MAX_SEED, design_rows, seed_count_problem, size_problems

if TYPE_CHECKING:
    from sandbox.experiments.spec import ExperimentSpec

#: Result columns the engine writes itself; parameters and outcomes may not use them.
RESERVED = ("run_id", "row", "seed", "status", "error", "wall_s")


def spec_problems(spec: ExperimentSpec) -> list[str]:
    """Every mistake in ``spec`` (empty when valid)."""
    out: list[str] = []
    exp = "--" if spec.source == "command line" else "experiment."
    if spec.design not in DESIGNS:
        out.append(
            f"{exp}design: unknown design {spec.design!r}{did_you_mean(spec.design, DESIGNS)};"
            f" expected one of {', '.join(DESIGNS)}"
        )
    else:
        for key in spec.options:
            if key not in DESIGN_OPTIONS[spec.design]:
                known = list(DESIGN_OPTIONS[spec.design]) or ["(none)"]
                out.append(
                    f"{exp}options: unknown option {key!r} for design {spec.design!r};"
                    f" known: {', '.join(known)}"
                )
        if spec.design != "grid" and not (isinstance(spec.samples, int) and spec.samples >= 1):
            out.append(
                f"{exp}samples: design {spec.design!r} needs samples >= 1, got {spec.samples}"
            )
        n = spec.samples if isinstance(spec.samples, int) else 0
        if spec.design == "sobol" and n >= 1 and n & (n - 1):
            p2 = 1 << max(0, n.bit_length() - 1)
            out.append(f"{exp}samples: sobol needs a power of 2, got {n} (try {p2} or {2 * p2})")
        levels = spec.options.get("levels", 4)
        bad_levels = not isinstance(levels, int) or levels < 2 or levels % 2
        if spec.design == "morris" and bad_levels:
            out.append(f"{exp}options.levels: morris needs an even number >= 2, got {levels!r}")
    out += _seed_problems(spec, exp)
    if spec.days is not None and (not isinstance(spec.days, int) or spec.days < 1):
        out.append(f"{exp}days: must be an integer >= 1, got {spec.days!r}")
    if not spec.params:
        where = "--vary" if exp == "--" else "parameters"
        out.append(f"{where}: nothing to vary; give at least one parameter")
    seen: set[str] = set()
    for p in spec.params:
        out += param_problems(p, spec.design)
        if p.name in seen:
            out.append(f"{p.where}: parameter {p.name!r} is given twice")
        seen.add(p.name)
    for o in spec.outcomes:
        if o in RESERVED or o in seen:
            out.append(f"{exp}outcomes: {o!r} clashes with a parameter or a reserved column")
    if not out:  # sizes only make sense for an otherwise valid spec
        rows = design_rows(spec.design, len(spec.params), [_n_levels(p) for p in spec.params],
                           spec.samples, dict(spec.options))  # fmt: skip
        rows_at = f"{exp}samples"
        if spec.design == "grid":
            rows_at = "--vary" if exp == "--" else "parameters"
        out += size_problems(exp, rows_at, rows, len(spec.params), len(spec.seeds), spec.days)
    return out


def _n_levels(p: ParamSpec) -> int:
    return len(p.values) if p.values is not None else int(p.n or 1)


def _seed_problems(spec: ExperimentSpec, exp: str) -> list[str]:
    out: list[str] = []
    seeds_at = f"{exp}seeds"
    top = 2**32 - 1 if spec.design == "morris" else MAX_SEED  # SALib's morris: np.random.seed
    ds = spec.design_seed
    if not isinstance(ds, int) or isinstance(ds, bool) or not 0 <= ds <= top:
        at = "--design-seed" if exp == "--" else "experiment.seed"
        out.append(f"{at}: the design seed must be an integer from 0 to {top}, got {ds!r}")
    if not spec.seeds:
        out.append(f"{seeds_at}: need at least one seed")
    too_many = seed_count_problem(seeds_at, len(spec.seeds))
    if too_many:
        return [*out, too_many]
    ints = [s for s in spec.seeds if isinstance(s, int) and not isinstance(s, bool)]
    bad = [s for s in spec.seeds if not isinstance(s, int) or isinstance(s, bool) or s < 0]
    if bad:
        out.append(f"{seeds_at}: seeds must be integers >= 0, got {bad[:10]}")
    big = [s for s in ints if s > MAX_SEED]
    if big:
        out.append(f"{seeds_at}: seeds must fit in int64 (at most {MAX_SEED}), got {big[:10]}")
    twice = [s for s, k in Counter(map(repr, spec.seeds)).items() if k > 1]
    if twice:
        out.append(f"{seeds_at}: repeated seeds {', '.join(twice[:10])} in {list(spec.seeds)[:20]}")
    return out


def param_problems(p: ParamSpec, design: str) -> list[str]:
    at = p.where or f"parameter {p.name!r}"
    if not p.name or p.name in RESERVED:
        return [f"{at}: {p.name!r} is not a usable parameter name"]
    if p.values is not None:
        if not p.values:
            return [f"{at}: field 'values': empty list"]
        if design in ("sobol", "morris"):
            return [f"{at}: design {design!r} needs a range LO:HI, not a list of values"]
        kinds = {type(v) for v in p.values}
        if not kinds <= {int, float, str, bool} or (str in kinds and len(kinds) > 1):
            return [f"{at}: field 'values': mix numbers, or give only strings, got {p.values}"]
        return []
    out: list[str] = []
    for fld in ("lo", "hi"):
        v = getattr(p, fld)
        if not isinstance(v, int | float) or isinstance(v, bool) or v != v:
            out.append(f"{at}: field {fld!r}: expected a number, got {v!r}")
    if out:
        return out
    assert p.lo is not None and p.hi is not None
    if p.lo > p.hi:
        out.append(f"{at}: empty range: lo ({p.lo}) > hi ({p.hi})")
    if p.n is not None and (not isinstance(p.n, int) or isinstance(p.n, bool) or p.n < 1):
        out.append(f"{at}: field 'n': must be an integer >= 1, got {p.n!r}")
    elif design == "grid" and p.n is None:
        out.append(f"{at}: field 'n': a grid needs the number of levels (LO:HI:N)")
    elif p.lo == p.hi and (design != "grid" or (p.n or 1) > 1):
        out.append(f"{at}: empty range: lo == hi ({p.lo}); give lo < hi or a single value")
    return out
