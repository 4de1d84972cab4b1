"""Maps in, clear errors out: each kind of bad input names the entry and the field."""

from __future__ import annotations

import copy
import tomllib

import pydantic
import pytest

import sandbox
from sandbox.errors import ScenarioError
from tests.conftest import EXAMPLES

BASE = tomllib.loads((EXAMPLES / "diamond.toml").read_text())


def bad(mutate) -> str:
    raw = copy.deepcopy(BASE)
    mutate(raw)
    with pytest.raises(ScenarioError) as info:
        sandbox.from_dict(raw, source="bad.toml")
    return str(info.value)


def test_loads_and_freezes(examples):
    sc = sandbox.load_scenario(examples / "diamond.toml")
    assert sc.name == "Diamond example"
    assert sc.commodities == ["ammunition", "fuel"]
    with pytest.raises(pydantic.ValidationError):
        sc.spec.nodes[0].lon = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda r: r["nodes"][0].update(capcity_t=5),
            ["nodes[0] 'plant_west'", "unknown key 'capcity_t'", "did you mean 'capacity_t'"],
        ),
        (
            lambda r: r["nodes"][1].pop("kind"),
            ["nodes[1] 'plant_south'", "missing required field 'kind'"],
        ),
        (
            lambda r: r["nodes"][2].update(lat="north"),
            ["nodes[2] 'hub_north'", "'lat'", "valid number"],
        ),
        (
            lambda r: r["links"][0].update(capacity_t=-5),
            ["links[plant_west->hub_north]", "'capacity_t'", "greater than 0"],
        ),
        (
            lambda r: r["links"][1].update(transit_days=0),
            ["links[plant_south->hub_south]", "'transit_days'", "greater than or equal to 1"],
        ),
        (
            lambda r: r["nodes"][3].update(id="hub_north"),
            ["nodes[3] 'hub_north'", "duplicate id", "nodes[2]"],
        ),
        (
            lambda r: r["links"][2].update(target="frnt"),
            ["links[hub_north->frnt]", "'target'", "unknown node 'frnt'", "did you mean 'front'"],
        ),
        (
            lambda r: r["units"][0].update(node="nowhere"),
            ["units[0] 'corps'", "'node'", "unknown node 'nowhere'"],
        ),
        (
            lambda r: r["nodes"][0]["production"].update(amunition=5),
            [
                "nodes[0] 'plant_west'",
                "production.amunition",
                "unknown commodity",
                "did you mean 'ammunition'",
            ],
        ),
        (
            lambda r: r["nodes"][4]["stock"].update(water=5),
            ["nodes[4] 'front'", "stock.water", "unknown commodity"],
        ),
        (
            lambda r: r["nodes"][4].update(side="red"),
            ["links[hub_north->front]", "within one side"],
        ),
        (
            lambda r: r["nodes"][2].update(kind="warehouse"),
            ["nodes[2] 'hub_north'", "'kind'", "'factory', 'depot' or 'front'"],
        ),
        (lambda r: r["scenario"].update(days=0), ["scenario", "'days'"]),
        (
            lambda r: r.update(comodities={}),
            ["unknown key 'comodities'", "did you mean 'commodities'"],
        ),
        (
            lambda r: r["commodities"]["fuel"].update(tonnes_per_unit=0),
            ["commodities.fuel", "'tonnes_per_unit'"],
        ),
    ],
)
def test_bad_input_names_entry_and_field(mutate, expected):
    message = bad(mutate)
    assert message.startswith("bad.toml:")
    for fragment in expected:
        assert fragment in message


def test_all_problems_reported_at_once():
    def two_mistakes(r):
        r["links"][0]["capacity_t"] = 0
        r["nodes"][0]["lat"] = 100

    message = bad(two_mistakes)
    assert "2 problem(s)" in message


def test_toml_syntax_error_gives_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[scenario]\nname = "x"\ndays = = 3\n')
    with pytest.raises(ScenarioError) as info:
        sandbox.load_scenario(path)
    assert str(path) in str(info.value)
    assert "line 3" in str(info.value)


def test_front_without_supply_is_a_warning_not_an_error():
    raw = copy.deepcopy(BASE)
    raw["nodes"][4]["stock"] = {}
    raw["links"] = [lk for lk in raw["links"] if lk["target"] != "front"]
    sc = sandbox.from_dict(raw)
    assert any("'front'" in w and "no path" in w for w in sc.warnings)


def test_overrides_set_values_and_validate(examples):
    sc = sandbox.load_scenario(examples / "diamond.toml")
    sc2 = sc.with_overrides(
        {
            "sides.blue.quality": 0.5,
            "nodes.plant_west.production.ammunition": 10.0,
            "links.hub_north->front.capacity_t": 99.0,
            "units.corps.guns": 7,
        }
    )
    assert sc2.spec.sides["blue"].quality == 0.5
    assert sc2.spec.nodes[0].production["ammunition"] == 10.0
    assert sc2.spec.links[2].capacity_t == 99.0
    assert sc2.spec.units[0].guns == 7
    assert sc.spec.links[2].capacity_t == 150  # the original is untouched


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("sides.blue.qualty", 1.0, "did you mean 'quality'"),
        ("nodes.plant_wst.capacity_t", 1.0, "no entry 'plant_wst'"),
        ("links.a->b.capacity_t", 1.0, "no entry 'a->b'"),
        ("links.hub_north->front.capacity_t", -1.0, "greater than 0"),
        ("scenario.nme", "x", "did you mean 'name'"),
    ],
)
def test_overrides_reject_unknown_keys_and_bad_values(examples, key, value, fragment):
    sc = sandbox.load_scenario(examples / "diamond.toml")
    with pytest.raises(ScenarioError) as info:
        sc.with_overrides({key: value})
    assert fragment in str(info.value)
