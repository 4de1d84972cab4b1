"""Where the shipped maps live: the default map, the lessons' maps, the example experiments.

In a checkout (or an editable install) they are the repository's top-level ``maps/`` and
``experiments/`` folders, the paths the README's commands use. An installed wheel carries
copies inside the package (``sandbox/_shipped/``, see setup.py), used when no checkout is found.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _shipped(folder: str) -> Path:
    checkout = _PACKAGE.parent / folder
    if (checkout / "README.md").is_file() or (folder == "experiments" and checkout.is_dir()):
        return checkout
    return _PACKAGE / "_shipped" / folder


MAPS_DIR = _shipped("maps")
EXPERIMENTS_DIR = _shipped("experiments")
DEFAULT_MAP = MAPS_DIR / "ukraine_2023.toml"
LESSON_MAPS = MAPS_DIR / "lessons"
