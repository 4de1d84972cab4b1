"""Shared fixtures: paths to the shipped maps and a helper to build maps from dicts."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAPS = ROOT / "maps"
EXAMPLES = MAPS / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
