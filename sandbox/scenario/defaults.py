"""The defaults every face shares: one seed for ``sandbox run``, ``sweep``, ``lesson``,
``play``, ``viz``, :func:`sandbox.run` and the app's Seed control.

A run without a seed is the same run wherever it starts; change it here, nowhere else.
Imports nothing, so the command line can read it at parse time.
"""

from __future__ import annotations

DEFAULT_SEED = 1  # seed of a run when none is given (sweeps: --seeds N means DEFAULT_SEED..+N-1)
