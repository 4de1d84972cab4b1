"""The package's layout: imports point down the layers, no cycles, no private names across modules.

The import graph is read from the source (``ast``), counting every ``import`` that
runs (at module level or inside a function) and skipping those under
``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sandbox"

# Lowest first. A module may import its own layer and any layer below it.
LAYERS: list[tuple[str, ...]] = [
    ("sandbox.errors", "sandbox.values", "sandbox.data"),
    ("sandbox.scenario",),
    ("sandbox.state",),
    ("sandbox.rules",),
    ("sandbox.observe",),
    ("sandbox.space", "sandbox.agents", "sandbox.model"),
    ("sandbox.simulation",),
    ("sandbox.play",),
    ("sandbox.plots",),
    ("sandbox.experiments",),
    ("sandbox.lessons", "sandbox.viz"),
    ("sandbox.cli", "sandbox.__main__", "sandbox"),
]
# The experiment engine runs any fn(params, seed): it must not depend on the model.
ENGINE_MAY_NOT_IMPORT = ("sandbox.model", "sandbox.rules", "sandbox.state", "sandbox.agents")


def _probe(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter from the repository root (its output as text)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every import that runs."""
    out: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.extend((a.name, []) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _graph() -> tuple[nx.DiGraph, dict[str, list[tuple[str, list[str]]]]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    raw: dict[str, list[tuple[str, list[str]]]] = {}
    for name, path in modules.items():
        imports = _imports(ast.parse(path.read_text(encoding="utf-8")))
        raw[name] = imports
        for target, names in imports:
            if not target.startswith("sandbox"):
                continue
            # "from pkg import mod" imports the submodule pkg.mod when there is one
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            for t in subs or [target]:
                if t in modules and t != name:
                    g.add_edge(name, t)
    return g, raw


def _layer(module: str) -> int:
    best, rank = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, rank = len(p), i
    assert rank >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def test_no_import_cycles():
    g, _ = _graph()
    # a package's __init__ importing its own submodules is not a cycle of the design
    cycles = [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_imports_point_down_the_layers():
    g, _ = _graph()
    up = [
        f"{a} ({_layer(a)}) -> {b} ({_layer(b)})"
        for a, b in g.edges
        if a != "sandbox" and _layer(b) > _layer(a)
    ]
    assert not up, "imports that point up a layer:\n" + "\n".join(sorted(up))


def test_the_experiment_engine_never_imports_the_model():
    g, _ = _graph()
    bad = [
        (a, b)
        for a, b in g.edges
        if a.startswith("sandbox.experiments")
        and a != "sandbox.experiments.model_task"  # the one binding to the model, lazily
        and b.startswith(ENGINE_MAY_NOT_IMPORT)
    ]
    assert not bad


def test_no_private_names_imported_across_modules():
    _, raw = _graph()
    bad = [
        f"{mod} imports {target}.{n}"
        for mod, imports in raw.items()
        for target, names in imports
        if target.startswith("sandbox")
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert not bad, "\n".join(bad)


def test_the_layer_test_itself_catches_an_upward_import(tmp_path):
    """The checker is not vacuous: a rule importing the model is flagged."""
    tree = ast.parse("from sandbox.model import LogisticsModel\n")
    ((target, _),) = _imports(tree)
    assert _layer(target) > _layer("sandbox.rules.logistics.routing")
    guarded = ast.parse("if TYPE_CHECKING:\n    from sandbox.model import LogisticsModel\n")
    assert _imports(guarded) == []


@pytest.mark.parametrize(
    "code",
    [
        "import sandbox.cli.main",
        "import sandbox.scenario.load",
        "import sandbox; sandbox.load_scenario('maps/examples/two_node.toml')",
    ],
)
def test_light_faces_do_not_import_mesa_or_pandas(code):
    """``sandbox --help`` and ``sandbox validate`` import neither Mesa nor pandas."""
    probe = f"{code}; import sys; print(sorted(m for m in ('mesa', 'pandas') if m in sys.modules))"
    out = _probe(probe)
    assert out.stdout.strip() == "[]"


HEAVY_AT_PARSE_TIME = ("mesa", "pandas", "pydantic", "networkx", "numpy", "matplotlib")


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["sweep", "--help"]])
def test_help_imports_only_argparse_level_modules(args):
    """``python -m sandbox --help`` (and a subcommand's) parses without the scenario layer:
    no pydantic schema, no networkx, no Mesa, pandas, numpy or matplotlib."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['sandbox', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('sandbox', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        f"print(code, sorted(m for m in {HEAVY_AT_PARSE_TIME!r} if m in sys.modules))\n"
    )
    out = _probe(probe)
    lines = out.stdout.strip().splitlines()
    assert "usage: sandbox" in out.stdout
    assert lines[-1] == "0 []"


def test_the_parse_time_probe_sees_a_heavy_import():
    """The probe above is not vacuous: a module that loads the schema shows up."""
    probe = (
        "import sys; import sandbox.scenario.load; "
        f"print(sorted(m for m in {HEAVY_AT_PARSE_TIME!r} if m in sys.modules))"
    )
    out = _probe(probe)
    assert "pydantic" in out.stdout and "networkx" in out.stdout


def test_validate_imports_neither_mesa_nor_pandas():
    probe = (
        "import sys; from sandbox.cli.main import main; "
        "rc = main(['validate', 'maps/examples/sector.toml']); "
        "print(rc, sorted(m for m in ('mesa', 'pandas') if m in sys.modules))"
    )
    out = _probe(probe)
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_rules_and_state_import_neither_mesa_nor_the_model():
    """Agents live in sandbox/agents.py; rules get what they need passed in."""
    _, raw = _graph()
    bad = [
        f"{mod} imports {target}"
        for mod, imports in raw.items()
        if mod.startswith(("sandbox.rules", "sandbox.state"))
        for target, _names in imports
        if target.split(".")[0] == "mesa" or target.startswith(("sandbox.model", "sandbox.agents"))
    ]
    assert not bad, "\n".join(bad)


# -- size: no module over 400 lines, no function over 60, unless a marker says why ------

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SIZE_MARKER = re.compile(r"#\s*size:\s*\S")  # "# size: <reason>"
DOCSTRING_MARKER = re.compile(r"^\s*size:\s*\S", re.IGNORECASE | re.MULTILINE)


def _module_excused(text: str, tree: ast.Module) -> bool:
    """A ``# size: <reason>`` comment in the first lines, or a ``size: <reason>`` line
    in the module docstring."""
    if any(SIZE_MARKER.match(line) for line in text.splitlines()[:5]):
        return True
    doc = ast.get_docstring(tree) or ""
    return bool(DOCSTRING_MARKER.search(doc))


def _size_violations(text: str, name: str) -> list[str]:
    tree = ast.parse(text)
    lines = text.splitlines()
    out = []
    if len(lines) > MAX_MODULE_LINES and not _module_excused(text, tree):
        out.append(f"{name}: {len(lines)} lines (max {MAX_MODULE_LINES})")
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assert node.end_lineno is not None
        n = node.end_lineno - node.lineno + 1
        if n > MAX_FUNCTION_LINES and not SIZE_MARKER.search(lines[node.lineno - 1]):
            out.append(f"{name}:{node.lineno} {node.name}(): {n} lines (max {MAX_FUNCTION_LINES})")
    return out


def test_no_module_or_function_too_long_unless_a_comment_says_why():
    bad = [
        v
        for path in sorted(PACKAGE.rglob("*.py"))
        for v in _size_violations(path.read_text(encoding="utf-8"), _module_name(path))
    ]
    assert not bad, "split these, or say why on the def line / in the docstring:\n" + "\n".join(bad)


def test_the_size_rule_counts_and_honours_its_marker():
    body = "".join(f"    x{i} = {i}\n" for i in range(60))  # def line + 60 = 61 lines
    assert _size_violations(f"def f():\n{body}", "m") == ["m:1 f(): 61 lines (max 60)"]
    assert _size_violations(f"def f():  # size: a table of cases\n{body}", "m") == []
    assert _size_violations(f"def f():\n{body[:-11]}", "m") == []  # 60 lines: allowed
    long_module = "x = 1\n" * 401
    assert _size_violations(long_module, "m") == ["m: 401 lines (max 400)"]
    assert _size_violations("# size: being split\n" + long_module[:-6], "m") == []
    assert _size_violations('"""Doc.\n\nSize: generated tables.\n"""\n' + long_module, "m") == []


# -- tonnes: one compiled sum (kernels.row_tonnes), never numpy's matrix product ------------

WEIGHTS = re.compile(r"(tonnes_per_unit|\btpu)\b")  # the (C,) tonnes a unit, by any name


def _blas_tonnes(text: str, name: str) -> list[str]:
    """``x @ weights`` or ``np.dot``/``np.matmul``/``np.inner``/``.dot`` with the tonnes a
    unit: OpenBLAS sums those in an order (and with FMA) that depends on the CPU."""
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            operands = [node.left, node.right]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in ("dot", "matmul", "inner", "vdot", "einsum", "tensordot"):
                continue
            operands = [*node.args, node.func.value]
        else:
            continue
        if any(WEIGHTS.search(ast.unparse(o)) for o in operands):
            out.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    return out


def test_no_matrix_product_with_the_tonnes_per_unit():
    bad = [
        v
        for path in sorted(PACKAGE.rglob("*.py"))
        for v in _blas_tonnes(path.read_text(encoding="utf-8"), _module_name(path))
    ]
    assert not bad, "weigh units with kernels.tonnes / SupplyState.tonnes:\n" + "\n".join(bad)


def test_the_tonnes_rule_catches_each_form_of_the_product():
    forms = ["x @ s.tonnes_per_unit", "x[1] @ tpu", "np.dot(x, self.tonnes_per_unit)"]
    forms += ["tpu.dot(x)", "np.matmul(flows, tpu)"]
    for form in forms:
        assert _blas_tonnes(form, "m") == [f"m:1 {form}"]
    assert _blas_tonnes("a @ b\ns.tonnes(x)\nx * tpu_scale", "m") == []
