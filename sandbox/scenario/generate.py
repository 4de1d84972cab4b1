"""Synthetic two-sided maps of any size, for benchmarks and tests.

Each side gets a few factories, a tree-like layer of hubs (every hub hangs
off an earlier one, so the hub layer is a random recursive tree a few levels
deep) with some cross-links between hubs, and many fronts at the leaves,
each with one unit. Factories feed the top hubs directly (see the note in
maps/ukraine_2023.toml: small nodes upstream of a large hub hold stock back).
All randomness comes from one ``numpy.random.Generator`` seeded by ``seed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sandbox.scenario.schema import SIDES

COMMODITIES = {
    "ammunition": {"unit": "round", "tonnes_per_unit": 0.05},
    "fuel": {"unit": "t", "tonnes_per_unit": 1.0},
    "spare_parts": {"unit": "kit", "tonnes_per_unit": 2.0},
}


def _side_layout(n: int) -> tuple[int, int, int]:
    """Factories, hubs and fronts for a side of ``n`` nodes (each at least 1)."""
    n_fac = max(1, min(20, n // 500 + 1))
    n_front = max(1, round(0.6 * n))
    n_hub = max(1, n - n_fac - n_front)
    n_front = n - n_fac - n_hub
    if n_front < 1:
        raise ValueError(f"a side needs at least 3 nodes, got {n}")
    return n_fac, n_hub, n_front


def generate_map(nodes: int, seed: int = 0, days: int = 365) -> dict[str, Any]:
    """Return the raw dict of a valid map of ``nodes`` nodes (both sides together).

    The dict is what :func:`sandbox.scenario.load.from_dict` takes and what
    ``tomli_w`` writes as a map file.
    """
    if nodes < 6:
        raise ValueError(f"a generated map needs at least 6 nodes, got {nodes}")
    rng = np.random.default_rng(seed)
    raw_nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    half = [nodes // 2, nodes - nodes // 2]
    for si, side in enumerate(SIDES):
        n_fac, n_hub, n_front = _side_layout(half[si])
        sign = -1.0 if si == 0 else 1.0  # blue to the west, red to the east
        p = side[0]
        raw_nodes += _factories(rng, side, sign, n_fac, n_front)
        hubs, parent, depth = _hubs(rng, side, sign, n_hub)
        raw_nodes += hubs
        links += _hub_links(rng, p, n_fac, parent, depth)
        fronts, front_links, front_units = _fronts(rng, side, sign, n_front, depth)
        raw_nodes += fronts
        links += front_links
        units += front_units
    return {
        "scenario": {"name": f"Generated {nodes} nodes (seed {seed})", "days": days},
        "commodities": {k: dict(v) for k, v in COMMODITIES.items()},
        "logistics": {"front_target_days": 10.0, "depot_target_days": 15.0, "forecast_days": 7.0},
        "nodes": raw_nodes,
        "links": links,
        "units": units,
    }


def _factories(
    rng: np.random.Generator, side: str, sign: float, n_fac: int, n_front: int
) -> list[dict[str, Any]]:
    """Factories far behind the line, producing in proportion to the fronts they feed."""
    p = side[0]
    out = []
    fac_lon = 30.0 + sign * rng.uniform(15.0, 25.0, n_fac)
    fac_lat = rng.uniform(40.0, 58.0, n_fac)
    for i in range(n_fac):
        out.append(
            {
                "id": f"{p}_factory_{i}",
                "kind": "factory",
                "side": side,
                "lon": round(float(fac_lon[i]), 4),
                "lat": round(float(fac_lat[i]), 4),
                "production": {
                    "ammunition": round(float(rng.uniform(3000, 9000)) * n_front / n_fac, 1),
                    "fuel": round(float(rng.uniform(40, 120)) * n_front / n_fac, 1),
                    "spare_parts": round(float(rng.uniform(0.5, 1.5)) * n_front / n_fac, 2),
                },
            }
        )
    return out


def _hubs(
    rng: np.random.Generator, side: str, sign: float, n_hub: int
) -> tuple[list[dict[str, Any]], np.ndarray, np.ndarray]:
    """Depots in a random recursive tree (the parent of hub h is an earlier hub);
    returns the nodes, each hub's parent and its depth."""
    p = side[0]
    out = []
    parent = (rng.random(n_hub) * np.arange(n_hub)).astype(np.int64)
    depth = np.zeros(n_hub, dtype=np.int64)
    for h in range(1, n_hub):
        depth[h] = depth[parent[h]] + 1
    hub_lon = 30.0 + sign * (12.0 / (1.0 + depth) + rng.uniform(0.5, 2.0, n_hub))
    hub_lat = rng.uniform(44.0, 54.0, n_hub)
    hub_stock = rng.uniform(0.5, 1.5, n_hub)
    for h in range(n_hub):
        out.append(
            {
                "id": f"{p}_hub_{h}",
                "kind": "depot",
                "side": side,
                "lon": round(float(hub_lon[h]), 4),
                "lat": round(float(hub_lat[h]), 4),
                "stock": {
                    "ammunition": round(float(hub_stock[h]) * 40000, 1),
                    "fuel": round(float(hub_stock[h]) * 600, 1),
                    "spare_parts": round(float(hub_stock[h]) * 8, 2),
                },
            }
        )
    return out, parent, depth


def _hub_links(
    rng: np.random.Generator, p: str, n_fac: int, parent: np.ndarray, depth: np.ndarray
) -> list[dict[str, Any]]:
    """Factories to the top hubs, the tree's links, and a few cross-links."""
    n_hub = len(parent)
    links = []
    tops = np.flatnonzero(depth <= 1)
    for f in range(n_fac):
        for h in rng.choice(tops, size=min(3, len(tops)), replace=False).tolist():
            links.append(_link(f"{p}_factory_{f}", f"{p}_hub_{h}", "rail", rng, 40000, 2))
    for h in range(1, n_hub):
        links.append(_link(f"{p}_hub_{parent[h]}", f"{p}_hub_{h}", "rail", rng, 8000, 2))
    # cross-links: about one hub in ten gets a second supplier at its parent's depth
    n_cross = n_hub // 10
    if n_hub > 2 and n_cross:
        a = rng.integers(1, n_hub, n_cross)
        b = rng.integers(0, n_hub, n_cross)
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            if x != y and y != parent[x]:
                links.append(_link(f"{p}_hub_{y}", f"{p}_hub_{x}", "rail", rng, 4000, 3))
    return links


def _fronts(
    rng: np.random.Generator, side: str, sign: float, n_front: int, depth: np.ndarray
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Fronts: leaves hung off random hubs (deeper hubs preferred), one unit each;
    returns the nodes, their links and their units."""
    p = side[0]
    n_hub = len(depth)
    nodes, links, units = [], [], []
    weight = (1.0 + depth) / (1.0 + depth).sum()
    feeder = rng.choice(n_hub, size=n_front, p=weight)
    second = rng.random(n_front) < 0.15
    front_lon = 30.0 + sign * rng.uniform(0.05, 0.5, n_front)
    front_lat = rng.uniform(46.0, 52.0, n_front)
    guns = rng.integers(12, 72, n_front)
    for i in range(n_front):
        fid = f"{p}_front_{i}"
        nodes.append(
            {
                "id": fid,
                "kind": "front",
                "side": side,
                "lon": round(float(front_lon[i]), 4),
                "lat": round(float(front_lat[i]), 4),
                "stock": {"ammunition": 20000.0, "fuel": 200.0, "spare_parts": 4.0},
            }
        )
        links.append(_link(f"{p}_hub_{feeder[i]}", fid, "road", rng, 1500, 1))
        if second[i] and n_hub > 1:
            other = int(rng.integers(0, n_hub))
            if other != feeder[i]:
                links.append(_link(f"{p}_hub_{other}", fid, "road", rng, 800, 2))
        units.append(
            {
                "id": f"{p}_unit_{i}",
                "side": side,
                "node": fid,
                "guns": int(guns[i]),
                "rounds_per_gun_per_day": 60.0,
                "fuel_t_per_day": 20.0,
                "spare_parts_per_1000_rounds": 0.4,
            }
        )
    return nodes, links, units


def _link(
    src: str, dst: str, mode: str, rng: np.random.Generator, cap_t: float, days: int
) -> dict[str, Any]:
    return {
        "source": src,
        "target": dst,
        "mode": mode,
        "capacity_t": round(float(rng.uniform(0.5, 1.5)) * cap_t, 1),
        "transit_days": days,
    }


FORMATS = (".toml", ".json")  # write_map's formats, by the file's suffix


def write_map(raw: dict[str, Any], out: str | Path) -> Path:
    """Write a generated map as TOML (``.toml``) or JSON (``.json``), creating folders."""
    import json

    import tomli_w

    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: expected a file name ending {' or '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(json.dumps(raw, indent=1) + "\n")
        return path
    header = "# Generated by `sandbox generate`: a synthetic map for benchmarks and tests.\n\n"
    path.write_text(header + tomli_w.dumps(raw))
    return path
