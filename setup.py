"""Ship the top-level maps/ and experiments/ folders inside the package.

Everything else is in pyproject.toml. The README's commands name ``maps/...`` and
``experiments/...`` at the repository's top; an installed package (``pip install .``)
carries copies as ``sandbox/_shipped/maps`` and ``sandbox/_shipped/experiments``, where
:mod:`sandbox.scenario.paths` finds them when there is no checkout around.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("maps", "experiments")
PATTERNS = ("*.toml", "*.md")


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for folder in SHIPPED:
            for pattern in PATTERNS:
                for src in sorted((root / folder).rglob(pattern)):
                    rel = src.relative_to(root)
                    if "generated" in rel.parts:
                        continue  # maps/generated/ holds a user's own synthetic maps
                    dest = Path(self.build_lib) / "sandbox" / "_shipped" / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": BuildWithShippedData})
