"""A real install: ``pip install .`` (not editable), then ``sandbox run`` in an empty folder.

The wheel is built from this checkout and installed into a fresh virtual environment with
``--no-deps``; the environment reaches the test runner's own dependencies through a ``.pth``
file, so the test needs no download beyond the build backend. What it checks is what a user
of an installed package needs: the default map, the lessons' maps and the basemap travel
inside the package, and the command finds them with no checkout around.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the sandbox installed from a wheel; returns its bin folder."""
    tmp = tmp_path_factory.mktemp("pkg")
    wheels = tmp / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wheels)],
        check=True,
        cwd=tmp,
        capture_output=True,
    )
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the runner's dependencies, visible after the venv's own packages
    Path(purelib, "zz_runner_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            purelib,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def test_the_wheel_carries_the_maps_and_runs_the_default_map(installed: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(installed / "python"), "-c", "import sandbox; print(sandbox.__file__)"],
        cwd=empty,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(ROOT) not in where, "the installed copy must be the one imported"
    out = subprocess.run(
        [str(installed / "python"), "-m", "sandbox", "run", "--days", "5", "--out", "r"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    summary = json.loads((empty / "r" / "summary.json").read_text())
    assert summary["days"] == 5
    manifest = json.loads((empty / "r" / "manifest.json").read_text())
    assert "_shipped/maps/ukraine_2023.toml" in json.dumps(manifest)


def test_the_installed_command_reports_the_projects_version(installed: Path, tmp_path: Path):
    """``sandbox --version`` reads the installed package's metadata: pyproject's version."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(installed / "python"), "-m", "sandbox", "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (out.returncode, out.stdout) == (0, f"sandbox {project['version']}\n"), out.stderr
