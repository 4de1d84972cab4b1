"""Module-level (picklable) run functions for the experiment-engine tests."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

CALL_LOG_ENV = "EXPERIMENTS_CALL_LOG"
SLEEP_ENV = "EXPERIMENTS_SLEEP"


def noisy(params: dict[str, Any], seed: int) -> dict[str, float]:
    """A seeded stochastic computation of the parameters (transcendental maths on purpose)."""
    rng = np.random.default_rng(seed)
    x, y = float(params["x"]), float(params["y"])
    draws = rng.normal(loc=x, scale=1.0 + y, size=64)
    return {
        "mean": float(np.mean(np.sin(draws) * np.exp(-y) + x * y)),
        "spread": float(np.std(draws)),
        "tail": float(np.quantile(draws, 0.9)),
    }


def flaky(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Like :func:`noisy`, but raises for ``x == 2``."""
    if params["x"] == 2:
        raise ValueError(f"x={params['x']} breaks the model (seed {seed})")
    return noisy(params, seed)


def counting(params: dict[str, Any], seed: int) -> dict[str, float]:
    """:func:`noisy` that appends one line per call to the file named by $EXPERIMENTS_CALL_LOG
    (a side channel to count executions) and sleeps $EXPERIMENTS_SLEEP seconds."""
    log = os.environ.get(CALL_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{params['x']!r} {params['y']!r} {seed}\n")
    time.sleep(float(os.environ.get(SLEEP_ENV, "0")))
    return noisy(params, seed)


def ishigami(params: dict[str, Any], seed: int, a: float = 7.0, b: float = 0.1) -> dict[str, float]:
    """The Ishigami function (deterministic: the seed is ignored)."""
    x1, x2, x3 = float(params["x1"]), float(params["x2"]), float(params["x3"])
    return {"y": float(np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1))}


def with_daily(params: dict[str, Any], seed: int) -> tuple[dict[str, float], dict[str, list]]:
    """Outcomes plus a short daily series."""
    out = noisy(params, seed)
    return out, {"level": [float(params["x"]) * d + seed for d in range(3)]}


PID_LOG_ENV = "EXPERIMENTS_PID_LOG"


def pid_logging(params: dict[str, Any], seed: int) -> dict[str, float]:
    """:func:`noisy` that appends this process's pid to $EXPERIMENTS_PID_LOG before sleeping
    $EXPERIMENTS_SLEEP seconds (so a test can find the workers and kill their parent)."""
    with open(os.environ[PID_LOG_ENV], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    time.sleep(float(os.environ.get(SLEEP_ENV, "0")))
    return noisy(params, seed)


def last_bit(params: dict[str, Any], seed: int) -> dict[str, float]:
    """``level`` is 490 moved by ``x`` ulps (489.99999999999994, 490.0, 490.00000000000006
    for x = -1, 0, 1): equal but for the last bit; ``y`` varies for real."""
    level = 490.0
    for _ in range(abs(int(params["x"]))):
        level = float(np.nextafter(level, np.inf if params["x"] > 0 else -np.inf))
    return {"level": level, "y": float(params["x"]) + seed}
