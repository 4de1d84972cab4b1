"""The command line: files written by run, exit 2 and a named field for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from sandbox.cli.main import main
from tests.conftest import EXAMPLES, ROOT

RUN_FILES = [
    "scenario.toml",
    "daily.parquet",
    "daily.csv",
    "nodes.parquet",
    "links.parquet",
    "summary.json",
    "manifest.json",
    "dashboard.png",
]


def test_run_writes_every_file(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(
        [
            "run",
            str(EXAMPLES / "diamond.toml"),
            "--days",
            "20",
            "--seed",
            "3",
            "--out",
            str(out),
            "--set",
            "units.corps.guns=20",
            "--no-progress",
        ]
    )
    assert code == 0
    for name in RUN_FILES:
        assert (out / name).stat().st_size > 0, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["days"] == 20
    assert "units.corps.guns=20" in manifest["command"] or manifest["versions"]["mesa"]
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 20
    assert (out / "scenario.toml").read_text().count("guns = 20") == 1
    printed = capsys.readouterr().out
    assert "blue front ammunition" in printed and "first_short" in printed


def test_run_refuses_to_overwrite(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    assert main(["run", str(EXAMPLES / "two_node.toml"), "--out", str(out)]) == 2
    assert (out / "keep.txt").read_text() == "precious"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[scenario\nname='x'", "TOML syntax error"),
        (
            "[scenario]\nname='x'\n[commodities.a]\nunit='r'\ntonnes_per_unit=1\n"
            "[[nodes]]\nid='n'\nkind='depot'\nside='blue'\nlon=1\nlat=1\ncolour='x'\n",
            "nodes[0] 'n': unknown key 'colour'",
        ),
    ],
)
def test_validate_exits_2_and_names_the_field(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and fragment in err
    assert "Traceback" not in err


def test_run_with_bad_set_writes_nothing(tmp_path, capsys):
    out = tmp_path / "never"
    code = main(
        ["run", str(EXAMPLES / "two_node.toml"), "--out", str(out), "--set", "sides.red.qualty=2"]
    )
    assert code == 2
    assert not out.exists()
    assert "did you mean 'quality'" in capsys.readouterr().err


def test_console_script_exits_2_without_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[scenario]\nname = 'x'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sandbox", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "missing required field 'commodities'" in proc.stderr
    assert "Traceback" not in proc.stderr
