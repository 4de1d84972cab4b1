"""Execute a notebook in a Jupyter kernel of this very interpreter.

The kernel runs ``sys.executable`` with this checkout's ``sandbox`` first on its
path, whatever kernels Jupyter has installed, so a notebook executed here shows
what this code computes. ``nbclient`` and ``ipykernel`` come with the ``test`` and
``notebook`` extras.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KERNEL_NAME = "sandbox-lessons"
#: the kernelspec a notebook names: the usual one, whatever kernel executed it
PYTHON3 = {"name": "python3", "display_name": "Python 3", "language": "python"}
PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent  # the folder holding sandbox/


@contextmanager
def kernel_spec() -> Iterator[str]:
    """A temporary kernelspec for this interpreter, found through ``JUPYTER_PATH``."""
    with tempfile.TemporaryDirectory(prefix="sandbox-kernel-") as root:
        spec = Path(root) / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        path = os.pathsep.join(p for p in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")) if p)
        spec.joinpath("kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "sandbox lessons",
                    "language": "python",
                    "env": {"PYTHONPATH": path, "MPLBACKEND": "Agg"},
                }
            )
        )
        before = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (root, before) if p)
        try:
            yield KERNEL_NAME
        finally:
            if before is None:
                del os.environ["JUPYTER_PATH"]
            else:
                os.environ["JUPYTER_PATH"] = before


def execute_notebook(nb: Any, cwd: Path, timeout_s: int = 900) -> Any:
    """Run every cell of ``nb`` in place (working folder ``cwd``); return it.

    Execution counts run 1, 2, ... and no timing is recorded, so executing the same
    cells twice gives the same file. A cell that raises stops the run with
    ``nbclient``'s ``CellExecutionError``.
    """
    import nbclient

    with kernel_spec() as name:
        client = nbclient.NotebookClient(
            nb,
            kernel_name=name,
            timeout=timeout_s,
            record_timing=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        client.execute()
    nb.metadata["kernelspec"] = dict(PYTHON3)
    return nb
