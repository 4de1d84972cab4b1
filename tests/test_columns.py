"""The registry of output keys (sandbox/state/columns.py): it builds every daily column and
summary entry, checks the names it is asked for, and nobody else types the dotted format."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sandbox
from sandbox.observe import metrics
from sandbox.rules.combat import columns as combat_columns
from sandbox.state.columns import DAILY, KINDS, RULES, SUMMARY, Family, Keys

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sandbox"
EXAMPLES = ROOT / "maps" / "examples"

# fmt: off
# The daily columns of a map with ammunition and fuel and no sector, written out by hand.
TWO_COMMODITIES = [
    "blue.ammunition.produced", "blue.ammunition.shipped", "blue.ammunition.delivered",
    "blue.ammunition.demand", "blue.ammunition.consumed", "blue.ammunition.shortfall",
    "blue.ammunition.stock", "blue.ammunition.front_stock", "blue.ammunition.in_transit",
    "blue.ammunition.destroyed",
    "blue.fuel.produced", "blue.fuel.shipped", "blue.fuel.delivered", "blue.fuel.demand",
    "blue.fuel.consumed", "blue.fuel.shortfall", "blue.fuel.stock", "blue.fuel.front_stock",
    "blue.fuel.in_transit", "blue.fuel.destroyed",
    "red.ammunition.produced", "red.ammunition.shipped", "red.ammunition.delivered",
    "red.ammunition.demand", "red.ammunition.consumed", "red.ammunition.shortfall",
    "red.ammunition.stock", "red.ammunition.front_stock", "red.ammunition.in_transit",
    "red.ammunition.destroyed",
    "red.fuel.produced", "red.fuel.shipped", "red.fuel.delivered", "red.fuel.demand",
    "red.fuel.consumed", "red.fuel.shortfall", "red.fuel.stock", "red.fuel.front_stock",
    "red.fuel.in_transit", "red.fuel.destroyed",
    "blue.rounds_fired", "blue.rounds_demanded", "blue.shipped_t", "blue.in_transit_t",
    "red.rounds_fired", "red.rounds_demanded", "red.shipped_t", "red.in_transit_t",
    "blue.strikes", "blue.hits", "blue.intercepted", "blue.links_down", "blue.destroyed_t",
    "blue.depots_moved",
    "red.strikes", "red.hits", "red.intercepted", "red.links_down", "red.destroyed_t",
    "red.depots_moved",
    "blue.strength", "blue.losses", "blue.guns_in_action", "blue.guns_worn",
    "blue.guns_repaired", "blue.fire",
    "red.strength", "red.losses", "red.guns_in_action", "red.guns_worn",
    "red.guns_repaired", "red.fire",
    # no ratio column: red:blue is drawn from the rounds, never stored (it could be NaN)
]
# ... and what one sector adds at the end
SECTOR_EAST = [
    "sector.east.front_km", "sector.east.control",
    "sector.east.blue.rounds", "sector.east.blue.strength",
    "sector.east.red.rounds", "sector.east.red.strength",
]
# fmt: on


def test_the_column_list_of_a_two_commodity_map_is_the_hand_written_one():
    assert DAILY.names(["ammunition", "fuel"]) == TWO_COMMODITIES
    assert metrics.column_names(["ammunition", "fuel"], ["east"]) == TWO_COMMODITIES + SECTOR_EAST
    assert combat_columns.column_names(["east"]) == TWO_COMMODITIES[-12:] + SECTOR_EAST
    res = sandbox.run(sandbox.load_scenario(EXAMPLES / "diamond.toml"), seed=0, days=2)
    assert list(res.daily.columns) == ["date", *TWO_COMMODITIES]


@pytest.mark.parametrize(
    ("ask", "named"),
    [
        (lambda: DAILY.side("blue", "rounds_fird"), ["'rounds_fird'", "rounds_fired", "strikes"]),
        (lambda: DAILY.commodity("red", "fuel", "stok"), ["'stok'", "stock", "in_transit"]),
        (lambda: SUMMARY.overall("fire_ratio"), ["'fire_ratio'", "fire_ratio_red_blue_first_30"]),
        (lambda: DAILY.sector("east", "rounds"), ["'rounds'", "front_km, control"]),
        (lambda: DAILY.sector("east", "front_km", side="blue"), ["'front_km'", "rounds"]),
        (lambda: SUMMARY.sector("east", "holdr"), ["'holdr'", "holder, fell_on_day"]),
        (lambda: SUMMARY.commodity("blue", "fuel", "stock"), ["'stock'", "stock_end"]),
        (lambda: SUMMARY.tally("sector_won", "red"), ["'sector_won'", "sectors_won"]),
        (lambda: DAILY.side("green", "hits"), ["'green'", "blue, red"]),
        (lambda: SUMMARY.commodity("Blue", "fuel", "stock_end"), ["'Blue'", "blue, red"]),
    ],
)
def test_an_unknown_metric_or_side_is_a_key_error_naming_the_known_ones(ask, named):
    with pytest.raises(KeyError) as err:
        ask()
    for text in named:
        assert text in str(err.value)


def test_each_kind_builds_its_documented_key():
    assert DAILY.commodity("blue", "ammunition", "stock") == "blue.ammunition.stock"
    assert DAILY.side("red", "rounds_fired") == "red.rounds_fired"
    assert SUMMARY.overall("days") == "days"
    with pytest.raises(KeyError):  # the daily table has no one-for-both-sides column
        DAILY.overall("fire_ratio_red_blue")
    assert DAILY.sector("east", "front_km") == "sector.east.front_km"
    assert DAILY.sector("east", "rounds", side="red") == "sector.east.red.rounds"
    assert SUMMARY.commodity("blue", "ammunition", "first_short_day") == (
        "blue.ammunition.first_short_day"
    )
    assert SUMMARY.tally("sectors_won", "blue") == "sectors_won.blue"


def test_a_metric_declared_twice_is_refused():
    with pytest.raises(ValueError, match="side metrics declared twice: hits"):
        Keys("daily column", [Family(side=("hits", "x")), Family(side=("hits",))])


def test_sector_ids_are_read_back_in_order_even_with_dots():
    ids = ["west", "a.b", "east"]
    assert DAILY.sector_ids(DAILY.names(["fuel"], ids)) == ids
    assert SUMMARY.sector_ids(SUMMARY.names(["fuel"], ids)) == ids
    assert DAILY.sector_ids(["sector.front_km", "blue.fuel.stock"]) == []


def test_sector_ids_can_be_read_back_from_another_sector_metric():
    """A numeric summary has no text ``holder`` entries: read the ids from ``front_km_end``."""
    keys = ["sector.a.b.front_km_end", "sector.east.fell_on_day", "sector.west.front_km_end"]
    assert SUMMARY.sector_ids(keys, "front_km_end") == ["a.b", "west"]
    assert SUMMARY.sector_ids(keys, "fell_on_day") == ["east"]
    assert SUMMARY.sector_ids(keys) == []  # no holder among them
    with pytest.raises(KeyError, match=r"'front_km'.*holder, fell_on_day, front_km_end"):
        SUMMARY.sector_ids(keys, "front_km")


def _strikes_and_sectors_map():
    """ukraine_2023: both sides strike, several sectors fight."""
    return sandbox.load_scenario(ROOT / "maps" / "ukraine_2023.toml")


def test_a_run_reports_exactly_the_declared_keys():
    sc = _strikes_and_sectors_map()
    res = sandbox.run(sc, seed=1, days=4, record="daily")
    ids = [sec.id for sec in sc.spec.sectors]
    assert len(ids) >= 2
    assert list(res.daily.columns)[1:] == DAILY.names(sc.commodities, ids)
    declared = SUMMARY.names(sc.commodities, ids)
    assert "first_side_short_of_ammunition" in declared and "sectors_won.red" in declared
    assert set(res.summary) == set(declared) and len(res.summary) == len(declared)


def test_a_dotted_sector_id_is_refused_and_a_dashed_one_gets_its_table_and_summary():
    """Ids are letters, digits, _ and - (issue 13: a dot would split a --set key and a
    column name); the table is looked up by the combat state's ids."""
    raw = tomllib.loads((EXAMPLES / "sector.toml").read_text())
    raw["sectors"][0]["id"] = "east.1"
    with pytest.raises(sandbox.ScenarioError, match="field 'id': an id is letters, digits"):
        sandbox.from_dict(raw)
    raw["sectors"][0]["id"] = "east-1"
    res = sandbox.run(sandbox.from_dict(raw), seed=2, days=6)
    t = res.sectors
    assert t["sector"].tolist() == ["east-1"] * 6
    assert np.array_equal(t["front_km"], res.daily["sector.east-1.front_km"])
    assert np.array_equal(t["red_strength"], res.daily["sector.east-1.red.strength"])
    assert res.summary["sector.east-1.holder"] in ("blue", "red", "contested")


def test_an_older_run_folder_without_sectors_parquet_gets_the_same_table(tmp_path):
    """The table is rebuilt from the daily columns of the sectors its scenario.toml ran."""
    res = sandbox.run(_strikes_and_sectors_map(), seed=1, days=3)
    assert res.sectors["sector"].nunique() >= 2
    res.save(tmp_path / "run")
    (tmp_path / "run" / "sectors.parquet").unlink()
    back = sandbox.Results.load(tmp_path / "run")
    pd.testing.assert_frame_equal(back.sectors, res.sectors)


def test_every_rule_declares_only_known_kinds():
    for rule in RULES:
        assert set(vars(rule.daily)) == set(vars(rule.summary)) == set(KINDS)


# -- nobody else re-types the dotted format -----------------------------------------

# Where the dotted format may be typed: the registry itself, nowhere else (the lessons
# ask DAILY and SUMMARY too, since issue 11 item 3). Never grow this list.
ALLOWED = ("state/columns.py",)

_METRICS = sorted(
    {n for keys in (DAILY, SUMMARY) for names in keys.known.values() for n in names},
    key=len,
    reverse=True,
)
_M = "|".join(re.escape(m) for m in _METRICS)
_WHO = r"(\{\}|blue|red)"  # a side, typed or formatted in
_TALLY = "|".join(re.escape(m) for m in SUMMARY.known["tally"])
RETYPED = [
    re.compile(rf"^{_WHO}\.(.+\.)?({_M})$"),  # side.metric, side.commodity.metric
    re.compile(rf"^({_TALLY})\.{_WHO}$"),  # tally.side
    re.compile(rf"^\.({_M})$"),  # a key's tail: ".rounds_fired"
    re.compile(r"^sector\."),  # anything per sector
    re.compile(r"^\{\}\.\{\}\.\{\}$"),  # the side.commodity.metric shape
]


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def retyped_keys(source: str) -> list[tuple[int, str]]:
    """(line, template) of string literals and f-strings shaped like an output key; an
    f-string's fields read ``{}``."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                "{}" if isinstance(v, ast.FormattedValue) else str(getattr(v, "value", ""))
                for v in node.values
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skip:
                continue
            text = node.value
        else:
            continue
        if any(p.search(text) for p in RETYPED):
            found.append((node.lineno, text))
    return found


@pytest.mark.parametrize(
    "code",
    [
        'x = daily[f"{side}.{commodity}.stock"]',
        'x = f"{k}.{m}.{n}"',
        'x = out["blue.rounds_fired"]',
        'x = "red.strength" in daily',
        'x = key + ".rounds_fired"',
        'x = f"sector.{k}.front_km"',
        'x = f"{s}.ammunition.first_short_day"',
        'x = f"sectors_won.{side}"',
    ],
)
def test_the_guard_catches_a_retyped_key(code):
    assert retyped_keys(code)


@pytest.mark.parametrize(
    "code",
    [
        'x = f"{name}.png"',
        'x = f"{__name__}.{module}"',
        'x = f"sides.{side}.kills_per_round"',
        'x = f"{side}: {n} rounds"',
        'def f():\n    """``blue.ammunition.stock``"""',
    ],
)
def test_the_guard_lets_other_strings_be(code):
    assert retyped_keys(code) == []


def test_no_module_outside_the_registry_retypes_an_output_key():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(ALLOWED):
            continue
        found += [f"sandbox/{rel}:{n}: {t!r}" for n, t in retyped_keys(path.read_text())]
    assert not found, "ask sandbox.state.columns (DAILY, SUMMARY) instead:\n" + "\n".join(found)
