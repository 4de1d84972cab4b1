"""Bad maps and bad ``--set`` values (issue 13): strict types, ids, ranges, small maps."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest

from sandbox.cli.main import main
from sandbox.errors import ScenarioError
from sandbox.scenario.law_spec import MAX_EXPONENT
from sandbox.scenario.load import from_dict, load_scenario
from sandbox.simulation import run
from tests.conftest import EXAMPLES
from tests.map_mutations import bounds, get, leaves, put

TWO_NODE = EXAMPLES / "two_node.toml"


def two_node() -> dict:
    return tomllib.loads(TWO_NODE.read_text())


def problems_of(raw: dict) -> tuple[str, ...]:
    with pytest.raises(ScenarioError) as err:
        from_dict(raw, source="m.toml")
    assert err.value.source == "m.toml"
    return err.value.problems


# -- strict types -----------------------------------------------------------------


def test_a_bool_is_not_a_number():
    raw = two_node()
    raw["units"][0]["guns"] = True
    assert problems_of(raw) == (
        "units[0] 'battery': field 'guns': Input should be a valid number, got True",
    )


def test_a_string_is_not_a_number():
    raw = two_node()
    raw["nodes"][0]["lon"] = "21"
    assert problems_of(raw) == (
        "nodes[0] 'plant': field 'lon': Input should be a valid number, got '21'",
    )


def test_a_float_is_not_an_integer_but_an_integer_is_a_float():
    raw = two_node()
    raw["links"][0]["transit_days"] = 3.0
    raw["links"][0]["capacity_t"] = 100  # an int where a float is asked: fine
    assert problems_of(raw) == (
        "links[plant->front]: field 'transit_days': Input should be a valid integer, got 3.0",
    )


def test_set_yes_is_not_a_bool():
    sc = load_scenario(EXAMPLES / "strikes.toml")
    with pytest.raises(ScenarioError) as err:
        sc.with_overrides({"strikes.enabled": "yes"})
    assert err.value.problems == (
        "strikes: field 'enabled': Input should be a valid boolean, got 'yes'",
    )
    assert sc.with_overrides({"strikes.enabled": False}).spec.strikes.enabled is False


def test_set_types_at_the_command_line(capsys):
    code = main(["validate", str(TWO_NODE), "--set", "units.battery.guns=true"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{TWO_NODE} (with overrides)" in err
    assert "units[0] 'battery': field 'guns': Input should be a valid number, got True" in err


# -- ids --------------------------------------------------------------------------


def test_a_dotted_id_is_refused():
    raw = two_node()
    raw["nodes"][0]["id"] = "p.lant"
    raw["links"][0]["source"] = "p.lant"
    assert problems_of(raw) == (
        "nodes[0] 'p.lant': field 'id': an id is letters, digits, _ and - only, got 'p.lant'",
        "links[p.lant->front]: field 'source': an id is letters, digits, _ and - only, "
        "got 'p.lant'",
    )


def _numbered_nodes() -> dict:
    """Two nodes whose ids are digits, in the opposite order of their positions."""
    raw = two_node()
    raw["nodes"][0]["id"], raw["nodes"][1]["id"] = "1", "0"
    raw["links"][0].update(source="1", target="0")
    raw["units"][0]["node"] = "0"
    return raw


def test_set_finds_ids_before_positions():
    sc = from_dict(_numbered_nodes())
    changed = sc.with_overrides({"nodes.1.capacity_t": 7.0}).spec.nodes
    assert [(n.id, n.capacity_t) for n in changed] == [("1", 7.0), ("0", None)]
    changed = sc.with_overrides({"nodes.0.capacity_t": 9.0}).spec.nodes
    assert [(n.id, n.capacity_t) for n in changed] == [("1", None), ("0", 9.0)]


def test_set_uses_a_position_when_no_id_matches():
    sc = load_scenario(TWO_NODE)  # ids "plant", "front"
    changed = sc.with_overrides({"nodes.1.capacity_t": 7.0}).spec.nodes
    assert [(n.id, n.capacity_t) for n in changed] == [("plant", None), ("front", 7.0)]


# -- ranges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "sectors.east.km_per_day",
            1e308,
            "sectors[0] 'east': field 'km_per_day': Input should be less than or equal to 1000",
        ),
        (
            "nodes.blue_plant.production.ammunition",
            1e308,
            "nodes[0] 'blue_plant': field 'production.ammunition': "
            "Input should be less than or equal to 1000000000",
        ),
        (
            "commodities.ammunition.tonnes_per_unit",
            1e-300,
            "commodities.ammunition: field 'tonnes_per_unit': "
            "Input should be greater than or equal to 0.000000001, got 1e-300",
        ),
        (
            "sectors.east.law",
            {"p": 50.0, "q": 0.0},
            "sectors[0] 'east': field 'law': Law.p must be a number in 0..10, got 50.0",
        ),
    ],
)
def test_extreme_values_are_refused_with_the_range(key, value, expected):
    sc = load_scenario(EXAMPLES / "sector.toml")
    with pytest.raises(ScenarioError) as err:
        sc.with_overrides({key: value})
    assert err.value.problems[0].startswith(expected)


def _at_bounds(path, which: int) -> dict:
    """The map with every number that has a declared range set to its lowest (0) or highest (1)."""
    raw = tomllib.loads(path.read_text())
    for loc in list(leaves(raw)):
        v = get(raw, loc)
        if isinstance(v, bool) or not isinstance(v, int | float) or loc[0] == "scenario":
            continue
        b = bounds(loc)
        assert b is not None, f"{path.name}: {loc} has no declared range"
        value = b[which]
        put(raw, loc, int(value) if isinstance(v, int) and float(value).is_integer() else value)
    for sector in raw.get("sectors", []):  # a law's exponents: 0..MAX_EXPONENT
        sector["law"] = {"p": which * MAX_EXPONENT, "q": which * MAX_EXPONENT}
    return raw


@pytest.mark.parametrize("which", [0, 1], ids=["lowest", "highest"])
@pytest.mark.parametrize("name", ["sector.toml", "strikes.toml", "cycle.toml"])
def test_every_output_is_finite_with_every_number_at_a_bound(name, which):
    res = run(from_dict(_at_bounds(EXAMPLES / name, which)), days=4)
    daily = res.daily.drop(columns=["date"])
    assert np.isfinite(daily.to_numpy(dtype=float)).all()
    for table in (res.nodes, res.links):
        numbers = table.select_dtypes("number").to_numpy(dtype=float)
        assert np.isfinite(numbers).all()
    assert all(math.isfinite(v) for v in res.summary.values() if isinstance(v, float))


def test_start_date_must_leave_room_for_the_horizon():
    raw = two_node()
    raw["scenario"]["start_date"] = tomllib.loads("d = 9999-12-20")["d"]
    assert problems_of(raw) == (
        "scenario: field 'start_date': start_date 9999-12-20 + 30 days passes the last "
        "calendar date 9999-12-31; start on or before 9999-12-02",
    )
    raw["scenario"]["start_date"] = tomllib.loads("d = 0001-01-01")["d"]
    assert problems_of(raw) == (
        "scenario: field 'start_date': start_date 0001-01-01: day 0 is the eve of the start "
        "date; start on or after 0001-01-02",
    )


# -- small maps: validate and run agree ---------------------------------------------


def _lonely(**extra) -> dict:
    raw = two_node()
    raw["nodes"] = [raw["nodes"][0] | extra]
    raw["links"], raw["units"] = [], []
    return raw


@pytest.mark.parametrize(
    "raw",
    [
        _lonely(),
        _lonely(kind="depot", production={}, stock={"ammunition": 40.0}),
        {**two_node(), "links": []},
    ],
    ids=["one factory", "one depot", "no links"],
)
def test_maps_without_links_validate_and_run(raw):
    sc = from_dict(raw)
    res = run(sc, days=3)
    stock0 = sum(n.stock.get("ammunition", 0.0) for n in sc.spec.nodes)
    made = 3 * sum(n.production.get("ammunition", 0.0) for n in sc.spec.nodes)
    got = res.nodes.query("day == 3 and commodity == 'ammunition'")["stock"].sum()
    used = res.nodes.query("commodity == 'ammunition'")["consumed"].sum()
    assert got == pytest.approx(stock0 + made - used)  # nothing moves, nothing is lost
    assert (res.links.empty, len(res.daily)) == (True, 3)
