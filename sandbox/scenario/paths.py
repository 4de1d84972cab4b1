"""Where the shipped maps live: the default map and the lessons' maps."""

from __future__ import annotations

from pathlib import Path

MAPS_DIR = Path(__file__).resolve().parents[2] / "maps"
DEFAULT_MAP = MAPS_DIR / "ukraine_2023.toml"
LESSON_MAPS = MAPS_DIR / "lessons"
