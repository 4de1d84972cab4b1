"""Golden baselines of the shipped maps' summaries.

Regenerate only on purpose, after a change that is meant to move the numbers:

    make golden            # = python -m tests.golden --regenerate

and say why in the commit message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import sandbox

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = 1


def shipped_maps() -> list[Path]:
    maps = ROOT / "maps"
    return sorted(p for p in maps.rglob("*.toml") if "generated" not in p.relative_to(maps).parts)


def golden_path(map_path: Path) -> Path:
    rel = map_path.relative_to(ROOT / "maps").with_suffix("")
    return GOLDEN / ("__".join(rel.parts) + ".json")


def compute(map_path: Path) -> dict[str, Any]:
    res = sandbox.run(sandbox.load_scenario(map_path), seed=SEED, record="daily")
    return json.loads(json.dumps(res.summary))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regenerate", action="store_true", required=True)
    parser.parse_args(argv)
    GOLDEN.mkdir(exist_ok=True)
    for path in shipped_maps():
        out = golden_path(path)
        out.write_text(json.dumps(compute(path), indent=1, sort_keys=True) + "\n")
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
