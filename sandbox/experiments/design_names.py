"""The sampling designs a sweep may use and their options: light, for the command line."""

from __future__ import annotations

from typing import Any

DESIGNS = ("grid", "lhs", "sobol", "morris")
#: Design options accepted per design (name -> default).
DESIGN_OPTIONS: dict[str, dict[str, Any]] = {
    "grid": {},
    "lhs": {"optimization": None},
    "sobol": {"second_order": False},
    "morris": {"levels": 4},
}
