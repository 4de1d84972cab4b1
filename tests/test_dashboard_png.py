"""The dashboard's PNG: written with zlib's fastest level, the same pixels as the default."""

from __future__ import annotations

import zlib

import numpy as np
from matplotlib.image import imread

from sandbox.plots.dashboard import DPI, dashboard, dashboard_figure
from sandbox.scenario.load import load_scenario
from sandbox.simulation import run
from tests.conftest import EXAMPLES


def _idat(path) -> bytes:
    """The concatenated IDAT payload (the zlib stream) of a PNG file."""
    data, pos, out = path.read_bytes(), 8, b""
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            out += data[pos + 8 : pos + 8 + size]
        pos += 12 + size
    return out


def test_the_fast_png_has_the_pixels_of_the_default_one(tmp_path):
    res = run(load_scenario(EXAMPLES / "strikes.toml"), seed=1, days=30, progress=False)
    fast = dashboard(res, tmp_path / "fast.png")
    default = tmp_path / "default.png"
    dashboard_figure(res).savefig(default, dpi=DPI)
    assert fast.read_bytes() != default.read_bytes()  # encoded differently...
    assert np.array_equal(imread(fast), imread(default))  # ...the same pixels
    header = _idat(fast)[:2]  # zlib's header: FLEVEL (bits 6-7 of byte 2) 0 = fastest
    assert header[0] & 0x0F == 8 and header[1] >> 6 == 0
    assert zlib.decompress(_idat(fast)) == zlib.decompress(_idat(default))
