"""``sandbox viz`` (issue 13): bad input before the server starts; the server ends with us.

The kill tests run :func:`sandbox.cli.viz.serve` (what ``sandbox viz`` runs) in a
child Python whose own child stands in for the Solara server: a process that
ignores SIGTERM and sleeps, the worst case. No browser, no Solara.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox.cli.main import main
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux")


def test_a_malformed_map_exits_2_before_the_server(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text((EXAMPLES / "two_node.toml").read_text().replace("guns = 10", "guns = true"))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("server started"))
    assert main(["viz", str(bad), "--port", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "units[0] 'battery': field 'guns': Input should be a valid number, got True" in err


def test_a_busy_port_exits_2_before_serving_on(capsys, monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("server started"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["viz", str(EXAMPLES / "two_node.toml"), "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert "serving on" not in out
    assert err.startswith(f"error: --port {port}: cannot listen on 127.0.0.1:{port}")


STUBBORN_SERVER = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(120)
"""

PARENT = """
import os, sys
from sandbox.cli.viz import serve
sys.exit(serve([sys.executable, "-c", sys.argv[1], sys.argv[2]], dict(os.environ)))
"""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_the_server_ends_with_the_parent(tmp_path, sig):
    pid_file = tmp_path / "server.pid"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, STUBBORN_SERVER, str(pid_file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the server never started"
            time.sleep(0.05)
        server = int(pid_file.read_text())
        assert _alive(server)
        parent.send_signal(sig)
        gone_by = time.monotonic() + 5
        while _alive(server) and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert not _alive(server), f"server {server} alive 5 s after {sig.name} to its parent"
        expected = -signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGKILL
        assert parent.wait(timeout=5) == expected  # SIGTERM: the server was killed after 2 s
    finally:
        parent.kill()
        parent.wait()
