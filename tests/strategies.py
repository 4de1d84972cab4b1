"""Hypothesis strategies: random two-sided maps, as plain dicts ready for ``from_dict``."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

COMMODITIES = {
    "ammunition": {"unit": "round", "tonnes_per_unit": 0.05},
    "fuel": {"unit": "t", "tonnes_per_unit": 1.0},
    "spare_parts": {"unit": "kit", "tonnes_per_unit": 0.2},
}


@st.composite
def side_network(draw: st.DrawFn, side: str, lon0: float) -> dict[str, list[dict[str, Any]]]:
    """One side: factories, depots and fronts with random links (cycles allowed)."""
    n_fact = draw(st.integers(1, 2))
    n_dep = draw(st.integers(0, 4))
    n_front = draw(st.integers(1, 2))
    kinds = ["factory"] * n_fact + ["depot"] * n_dep + ["front"] * n_front
    nodes: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        node: dict[str, Any] = {
            "id": f"{side}_{kind}_{i}",
            "kind": kind,
            "side": side,
            "lon": lon0 + i * 0.3,
            "lat": 48.0 + (i % 3),
        }
        if draw(st.booleans()):
            node["capacity_t"] = draw(st.floats(50, 5000))
        stock = {c: draw(st.floats(0, 20000)) for c in COMMODITIES if draw(st.booleans())}
        if stock:
            node["stock"] = stock
        if kind == "factory":
            node["production"] = {c: draw(st.floats(0, 5000)) for c in COMMODITIES}
            if draw(st.booleans()):
                node["ramp"] = {
                    "ammunition": {
                        "target": draw(st.floats(0, 10000)),
                        "start_day": draw(st.integers(0, 10)),
                        "days": draw(st.integers(0, 20)),
                    }
                }
        nodes.append(node)
    ids = [n["id"] for n in nodes]
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, len(ids) - 1), st.integers(0, len(ids) - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            min_size=1,
            max_size=3 * len(ids),
        )
    )
    links = [
        {
            "source": ids[a],
            "target": ids[b],
            "mode": draw(st.sampled_from(["rail", "road", "sea", "air"])),
            "capacity_t": draw(st.floats(1, 2000)),
            "transit_days": draw(st.integers(1, 6)),
        }
        for a, b in sorted(pairs)
    ]
    units = [
        {
            "id": f"{side}_unit_{j}",
            "side": side,
            "node": n["id"],
            "guns": draw(st.floats(0, 300)),
            "rounds_per_gun_per_day": draw(st.floats(0, 60)),
            "fuel_t_per_day": draw(st.floats(0, 100)),
            "spare_parts_per_day": draw(st.floats(0, 5)),
            "spare_parts_per_1000_rounds": draw(st.floats(0, 3)),
        }
        for j, n in enumerate(nodes)
        if n["kind"] == "front"
    ]
    return {"nodes": nodes, "links": links, "units": units}


@st.composite
def random_maps(draw: st.DrawFn) -> dict[str, Any]:
    blue = draw(side_network("blue", 20.0))
    red = draw(side_network("red", 40.0))
    return {
        "scenario": {"name": "random", "days": 30},
        "commodities": COMMODITIES,
        "sides": {"blue": {"quality": 1.0}, "red": {"quality": 0.4}},
        "logistics": {
            "front_target_days": draw(st.floats(0, 15)),
            "depot_target_days": draw(st.floats(0, 20)),
            "forecast_days": draw(st.floats(1, 14)),
        },
        "nodes": blue["nodes"] + red["nodes"],
        "links": blue["links"] + red["links"],
        "units": blue["units"] + red["units"],
    }


@st.composite
def strike_side(draw: st.DrawFn) -> dict[str, Any]:
    """One side's strike asset, air defence and doctrine, striking every day."""
    return {
        "range_km": draw(st.floats(0, 3000)),
        "strikes_per_day": draw(st.integers(1, 6)),
        "p_hit": draw(st.floats(0, 1)),
        "policy": draw(st.sampled_from(["random", "largest_stock", "betweenness", "min_cut"])),
        "targets": draw(
            st.lists(
                st.sampled_from(["depot", "front", "factory", "link"]),
                min_size=1,
                max_size=4,
                unique=True,
            )
        ),
        "effects": {
            "stock_share": draw(st.floats(0, 1)),
            "link_repair_days": draw(st.integers(1, 10)),
            "factory_output_loss": draw(st.floats(0, 1)),
            "factory_repair_days": draw(st.integers(1, 10)),
        },
        "air_defence": draw(st.floats(0, 1)),
        "displace_when": draw(st.sampled_from(["struck", "in_range"])),
    }


@st.composite
def random_maps_with_strikes(draw: st.DrawFn) -> dict[str, Any]:
    """Random maps where both sides strike every day; depots may move back far away."""
    raw = draw(random_maps())
    for node in raw["nodes"]:
        if node["kind"] == "depot" and draw(st.booleans()):
            node["fallback"] = {
                "lon": node["lon"] + draw(st.floats(-8, 8)),
                "lat": node["lat"] + draw(st.floats(-5, 5)),
            }
    raw["strikes"] = {
        "enabled": True,
        "displacement": draw(st.booleans()),
        "blue": draw(strike_side()),
        "red": draw(strike_side()),
    }
    return raw


# Helmbold exponents: the named laws and {p, q} pairs up to strong extremes
LAWS = st.one_of(
    st.sampled_from(["square", "linear"]),
    st.fixed_dictionaries(
        {
            "p": st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0, 6.0]), st.floats(0, 6)),
            "q": st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0, 6.0]), st.floats(0, 6)),
        }
    ),
)


@st.composite
def combat_side(draw: st.DrawFn, quality: float) -> dict[str, Any]:
    """A side's combat keys, from harmless to extreme (huge kill rates, fast wear)."""
    side: dict[str, Any] = {
        "quality": quality,
        "quantity": draw(st.floats(0.1, 5)),
        "kills_per_round": draw(st.one_of(st.floats(0, 0.05), st.floats(0, 50))),
        "fuel_shortage_penalty": draw(st.floats(0, 1)),
    }
    if draw(st.booleans()):
        side["barrel_life_rounds"] = draw(st.floats(1, 5000))
    return side


@st.composite
def random_maps_with_sectors(draw: st.DrawFn, strikes: bool = False) -> dict[str, Any]:
    """Random maps whose blue and red fronts are paired in ``[[sectors]]``, random laws.

    Units get random (possibly tiny or zero) strengths; with ``strikes=True`` both
    sides also strike every day (:func:`random_maps_with_strikes`).
    """
    raw = draw(random_maps_with_strikes() if strikes else random_maps())
    raw["sides"] = {
        "blue": draw(combat_side(1.0)),
        "red": draw(combat_side(draw(st.floats(0.05, 2)))),
    }
    for unit in raw["units"]:
        if "barrel_life_rounds" in raw["sides"][unit["side"]]:
            unit["spare_parts_per_1000_rounds"] = 0.0  # barrel life drives part demand
        if draw(st.booleans()):
            unit["strength"] = draw(st.one_of(st.floats(0, 5000), st.floats(0, 1e-6)))
        if unit.get("guns", 0) * unit.get("rounds_per_gun_per_day", 0) > 0 and draw(st.booleans()):
            unit["demand_cv"] = draw(st.floats(0, 3))  # random daily demand
    fronts = {
        sd: [n["id"] for n in raw["nodes"] if n["kind"] == "front" and n["side"] == sd]
        for sd in ("blue", "red")
    }
    reds = draw(st.permutations(fronts["red"]))
    n = draw(st.integers(1, min(len(fronts["blue"]), len(reds))))
    raw["sectors"] = [
        {
            "id": f"s{i}",
            "blue": fronts["blue"][i],
            "red": reds[i],
            "law": draw(LAWS),
            "front_km": draw(st.floats(-50, 50)),
            "km_per_day": draw(st.floats(0, 10)),
            "fall_threshold": draw(st.floats(0, 1)),
            "frontage_km": draw(st.floats(0.1, 1000)),
            "reference_density_per_km": draw(st.floats(0.01, 1000)),
            "attack_ratio": draw(st.floats(1, 10)),
        }
        for i in range(n)
    ]
    return raw


@st.composite
def random_maps_with_timeline(draw: st.DrawFn) -> dict[str, Any]:
    """Random maps with sectors and strikes, plus aid pools, posture windows and events.

    Pools go to any node (storage-limited ones included); windows are laid end to end
    per sector; events pause and resume pools, change capacities, guns, postures.
    """
    raw = draw(random_maps_with_sectors(strikes=True))
    nodes = raw["nodes"]
    raw["aid"] = [
        {
            "name": f"aid{i}",
            "node": draw(st.sampled_from(nodes))["id"],
            "commodity": draw(st.sampled_from(sorted(COMMODITIES))),
            "pool": draw(st.floats(0, 50000)),
            "per_delivery": draw(st.floats(0.001, 20000)),
            "interval_days": draw(st.integers(1, 7)),
            "start_day": draw(st.integers(1, 10)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    ops: list[dict[str, Any]] = []
    for sec in raw["sectors"]:
        day = 1
        for _ in range(draw(st.integers(0, 3))):
            posture = draw(st.sampled_from(["offensive", "defensive", "quiet"]))
            end = day + draw(st.integers(0, 6))
            op = {"id": f"op{len(ops)}", "sector": sec["id"], "posture": posture}
            op |= {"start_day": day, "end_day": end}
            if posture == "offensive":
                op["attacker"] = draw(st.sampled_from(["blue", "red"]))
            ops.append(op)
            day = end + 1
    raw["operations"] = ops
    keys: list[tuple[str, st.SearchStrategy[Any]]] = [
        (f"aid.{a['name']}.paused", st.booleans()) for a in raw["aid"]
    ]
    keys += [
        (f"links.{lk['source']}->{lk['target']}.capacity_t", st.floats(1, 3000))
        for lk in raw["links"]
    ]
    keys += [(f"units.{u['id']}.guns", st.floats(0, 300)) for u in raw["units"]]
    keys += [
        (f"operations.{o['id']}.posture", st.just("quiet"))
        for o in ops
        if o["posture"] != "offensive"
    ]
    raw["events"] = []
    for _ in range(draw(st.integers(0, 6)) if keys else 0):
        key, values = draw(st.sampled_from(keys))
        raw["events"].append({"day": draw(st.integers(1, 15)), "set": {key: draw(values)}})
    return raw
