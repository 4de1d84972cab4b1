"""``OUT/manifest.json`` of a sweep: what it runs (the spec), versions, sessions.

Reading checks the file's shape, so a damaged or foreign manifest stops a
resume or a report with a :class:`~sandbox.errors.ScenarioError` naming the
file and what is wrong, never a traceback. A ``sandbox run`` folder also has a
``manifest.json``, without ``spec``: it is named as such.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.errors import ScenarioError
from sandbox.experiments.durable import write_text_atomically

if TYPE_CHECKING:
    from sandbox.experiments.spec import ExperimentSpec

MANIFEST = "manifest.json"
PACKAGES = (
    "logistics-race-sandbox", "numpy", "pandas", "pyarrow", "scipy", "SALib", "dask",
    "distributed", "mesa", "networkx", "matplotlib",
)  # fmt: skip
#: Entries a sweep's manifest must have, with their JSON types.
REQUIRED = {"spec": dict, "fingerprint": str, "sessions": list}
#: Entries it may have, with their JSON types.
OPTIONAL = {"n_tasks": int, "outcomes": list, "command": list, "complete": bool}
_JSON_TYPE = {dict: "an object", str: "a string", list: "a list", int: "an integer",
              bool: "true or false"}  # fmt: skip
NOT_A_SWEEP = (
    "has no 'spec': not a sweep's manifest (a `sandbox run` folder has a manifest.json"
    " without one); give a folder written by `sandbox sweep`"
)


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape the results."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_manifest(spec_dict: Mapping[str, Any], fingerprint: str, **info: Any) -> dict[str, Any]:
    """The manifest of a new sweep: spec, versions, command line, start time."""
    return {
        "spec": dict(spec_dict),
        "fingerprint": fingerprint,
        "command": list(sys.argv),
        "started": now(),
        "versions": package_versions(),
        "sessions": [],
        **info,
    }


def manifest_problems(data: Any) -> list[str]:
    """What is wrong with the shape of a sweep's manifest (empty when fine)."""
    if not isinstance(data, dict):
        return [f"expected a JSON object, got {type(data).__name__}"]
    if "spec" not in data:
        return [NOT_A_SWEEP]
    out: list[str] = []
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        value = data.get(key)
        if key not in data:
            if key in REQUIRED:
                out.append(f"{key}: missing")
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            out.append(f"{key}: expected {_JSON_TYPE[kind]}, got {json.dumps(value)[:60]}")
    if isinstance(data.get("outcomes"), list) and not all(
        isinstance(o, str) for o in data["outcomes"]
    ):
        out.append("outcomes: expected a list of column names (strings)")
    spec = data.get("spec")
    if isinstance(spec, dict):
        for table in ("experiment", "parameters"):
            if not isinstance(spec.get(table), dict):
                out.append(f"spec.{table}: expected an object, got {json.dumps(spec.get(table))}")
    return out


def read_manifest(out_dir: str | Path) -> dict[str, Any] | None:
    """The manifest of ``out_dir`` (``None`` when there is none); a damaged one raises
    :class:`ScenarioError` naming the file."""
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ScenarioError(str(path), [f"not valid JSON ({exc.msg} at {where})"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [f"cannot read the file: {exc}"]) from None
    problems = manifest_problems(data)
    if problems:
        raise ScenarioError(str(path), problems)
    result: dict[str, Any] = data
    return result


def manifest_spec(out_dir: str | Path) -> tuple[dict[str, Any], ExperimentSpec]:
    """The manifest of a sweep folder and the spec it records; :class:`ScenarioError`
    (naming the folder or the file) when there is none or it is damaged."""
    from sandbox.experiments.spec import spec_from_dict

    manifest = read_manifest(out_dir)
    if manifest is None:
        raise ScenarioError(str(out_dir), ["not a sweep folder (no manifest.json)"])
    path = str(Path(out_dir) / MANIFEST)
    try:
        spec = spec_from_dict(manifest["spec"], path)
    except ScenarioError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        msg = f"spec: not a valid experiment ({type(exc).__name__}: {exc})"
        raise ScenarioError(path, [msg]) from None
    return manifest, spec


def write_manifest(out_dir: str | Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest.json`` atomically."""
    path = Path(out_dir) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, json.dumps(manifest, indent=2, default=str) + "\n")
