"""The lesson notebooks (notebooks/*.ipynb): the generator's cells, a papermill
``parameters`` cell offering the lesson's knobs, committed outputs that show the
lesson, and outputs that are current (one notebook re-executed in a real kernel).

Regenerate them with ``make notebooks`` (``python -m sandbox.lessons.notebooks --execute``).
"""

from __future__ import annotations

import ast
import base64
import re

import pytest

from sandbox import lessons
from sandbox.lessons import notebooks

nbformat = pytest.importorskip("nbformat")

NAMES = [lesson.name for lesson in lessons.all_lessons()]
REGENERATE = "stale notebook; run: make notebooks"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def committed(name: str):
    path = notebooks.notebook_path(lessons.get(name))
    assert path.is_file(), REGENERATE
    return nbformat.read(path, as_version=4)


def cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def outputs(nb) -> list[list[dict]]:
    """Each code cell's outputs, without volatile parts: execution counts and metadata
    are dropped, and a PNG is kept as its size in bytes."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for o in cell.outputs:
            item = {"type": o.output_type, "name": o.get("name"), "text": o.get("text")}
            for mime, data in o.get("data", {}).items():
                item[mime] = len(base64.b64decode(data)) if mime == "image/png" else data
            shown.append(item)
        out.append(shown)
    return out


def pngs(nb) -> list[bytes]:
    return [
        base64.b64decode(o.data["image/png"])
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]


def markdown_shown(nb) -> list[str]:
    """Every Markdown output, in order."""
    return [
        o.data["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/markdown" in o.get("data", {})
    ]


# -- the committed files ----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_the_generated_cells(name):
    assert cells(committed(name)) == cells(notebooks.build(lessons.get(name))), REGENERATE


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_offers_days_and_every_knob(name):
    lesson = lessons.get(name)
    nb = committed(name)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert nb.cells.index(params) == 1  # right after the question, before any import
    values = {
        stmt.targets[0].id: ast.literal_eval(stmt.value)  # type: ignore[attr-defined]
        for stmt in ast.parse(params.source).body
    }
    knobs = {notebooks.variable(k): v for k, v in lesson.knob_values().items()}
    assert values == {"DAYS": None, **knobs}
    assert "SEED" in values or "SEEDS" in values
    assert not [c for c in nb.cells if "sys.path" in c.source]


@pytest.mark.parametrize("name", NAMES)
def test_committed_outputs_show_the_lesson(name):
    nb = committed(name)
    lesson = lessons.get(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [bool(c.outputs) for c in code] == [False, False] + [True] * (len(code) - 2)
    kinds = {o.output_type for c in code for o in c.outputs}
    assert kinds == {"display_data"}  # no error, no stderr, no stray print
    shown = markdown_shown(nb)
    assert shown[0].startswith(f"**What was run** ({lesson.horizon()} days):")
    assert not [s for s in shown if re.search(r"\{\w+\}", s)], "a template was shown unformatted"
    headings = [s for s in shown if s.startswith("**") and s.endswith("**")]
    assert "**The numbers the tests check**" in headings and len(headings) >= 2
    (checks,) = [s for s in shown if s.startswith("- **holds**")]
    assert "DOES NOT HOLD" not in checks
    images = pngs(nb)
    assert images and all(p.startswith(PNG_SIGNATURE) for p in images)
    assert all(20_000 < len(p) < 400_000 for p in images)  # 90 dpi figures, not 300


def test_the_notebooks_folder_stays_small():
    sizes = [notebooks.notebook_path(lessons.get(n)).stat().st_size for n in NAMES]
    assert sum(sizes) < 2_000_000


# -- the generator and its command -------------------------------------------------------


def test_knobs_are_checked_by_name():
    with pytest.raises(ValueError, match="no knob 'sead'; its knobs: seed, additions_t"):
        lessons.get("bottlenecks").with_knobs(sead=2)
    assert lessons.get("interdiction").with_knobs(seeds=[4, 5]).seeds == (4, 5)
    assert lessons.get("interdiction").seeds == (1, 2, 3)  # a copy: the lesson is unchanged


def test_the_command_writes_cells_and_refuses_an_unknown_lesson(tmp_path, capsys):
    assert notebooks.main([str(tmp_path), "--only", "bullwhip"]) == 0
    written = nbformat.read(tmp_path / "lesson_bullwhip.ipynb", as_version=4)
    assert cells(written) == cells(committed("bullwhip"))
    assert [c.get("outputs") for c in written.cells if c.cell_type == "code"] == [[]] * 7
    with pytest.raises(SystemExit) as exc:
        notebooks.main([str(tmp_path), "--only", "nope"])
    assert exc.value.code == 2
    assert "no lesson called 'nope'" in capsys.readouterr().err


# -- executed in a real kernel ---------------------------------------------------------------


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """bottlenecks as generated, and again with injected parameters (as papermill does:
    a cell after the parameters cell overrides them), executed one after the other in
    one kernel (a kernel takes seconds to start on a busy machine), then split apart."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from sandbox.lessons.notebook_kernel import execute_notebook

    lesson = lessons.get("bottlenecks")
    fresh, injected = notebooks.build(lesson), notebooks.build(lesson)
    injected.cells.insert(2, nbformat.v4.new_code_cell("DAYS = 30\nADDITIONS_T = [50.0]"))
    for cell in injected.cells:
        cell["id"] = f"injected-{cell['id']}"
    both = nbformat.v4.new_notebook(cells=fresh.cells + injected.cells)
    execute_notebook(both, tmp_path_factory.mktemp("notebooks"))
    n = len(fresh.cells)
    fresh.cells, injected.cells = both.cells[:n], both.cells[n:]
    return fresh, injected


@pytest.mark.slow
def test_committed_outputs_are_current(executed):
    """bottlenecks (about a second of model time) re-executed at its full horizon shows
    exactly the committed text and tables, and figures of the same size within 10%."""
    have, want = outputs(executed[0]), outputs(committed("bottlenecks"))
    for new, old in zip(have, want, strict=True):
        for a, b in zip(new, old, strict=True):
            if "image/png" in b:
                assert a["image/png"] == pytest.approx(b["image/png"], rel=0.1)
                a["image/png"] = b["image/png"]
    assert have == want, REGENERATE


@pytest.mark.slow
def test_injected_parameters_take_effect(executed):
    """The map's port->railhead_north carries 400 t/day and railhead_north->front 250."""
    assert markdown_shown(executed[1])[0] == (
        "**What was run** (30 days):\n\n"
        "- base: the map as it is\n"
        "- +50 t off the cut: links.port->railhead_north.capacity_t = 450.0\n"
        "- +50 t on the cut: links.railhead_north->front.capacity_t = 300.0"
    )
