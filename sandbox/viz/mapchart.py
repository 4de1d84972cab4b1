"""The app's interactive map: a Vega-Lite chart (Altair) drawn as SVG in the browser.

Hover a node: a tooltip with its stock of every commodity, days of supply and orders.
Click a node: the app's detail panel (:func:`node_detail`) shows it in full. Drag to pan,
scroll to zoom (scales bound to the view). The same state arrays as the static map
(:func:`sandbox.viz.mapview.map_data`) feed it: node fill by days of supply of the
commodity shown, size by its stock, outline by side, shape by kind; link width by today's
flow, colour by use; cut links dashed; nodes outside the theatre hollow at its edge.

Coastlines and borders come from the shipped Natural Earth basemap, thinned to points at
least :data:`BASEMAP_STEP_DEG` apart so the chart the browser redraws every day stays small.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from sandbox.plots.basemap import lines_in_frame
from sandbox.plots.style import DOS_MAX, SIDE_COLOURS, theatre_extent
from sandbox.state.supply import KINDS, SIDES
from sandbox.viz.mapview import MapData, map_data, shown_commodity
from sandbox.viz.plotcharts import EMBED_OPTIONS, browser_spec

MAP_WIDTH_PX = 620
BASEMAP_STEP_DEG = 0.08  # thinning of the coastlines and borders drawn in the app
SHAPES = {"factory": "square", "depot": "diamond", "front": "triangle-up"}
MAP_DAILY = ("nodes", "links")  # the datasets that change every day
# above this many nodes the browser draws the map on a canvas (sharp: vega scales it by the
# device pixel ratio) without ARIA labels: thousands of SVG paths redraw too slowly
SVG_MAX_NODES = 300
MAX_NAMED = 8  # fronts named on the map when there are at most this many (else: hover)
Extent = tuple[float, float, float, float]


def dos_text(days: float) -> str:
    """Days of supply as the tooltip says it: ``12.3`` or ``no demand``."""
    return f"{days:.1f}" if math.isfinite(days) else "no demand"


Columns = dict[str, list[Any]]


def rows_of(columns: Columns) -> list[dict[str, Any]]:
    """Columns (equal-length lists) as the rows Vega takes."""
    keys = list(columns)
    return [dict(zip(keys, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]


NODE_INFO = ("node", "kind", "side", "lon", "lat", "outside")  # fixed while nodes stay put
LINK_INFO = ("link", "lon", "lat", "lon2", "lat2", "capacity_t")


def node_columns(model: Any, d: MapData, extent: Extent) -> tuple[Columns, Columns]:
    """(fixed, daily) columns per node, joined on ``i`` (the node's row) in the browser:
    where it is drawn, and what the tooltip says today."""
    s = model.state
    x0, x1, y0, y1 = extent
    outside = (d.lon < x0) | (d.lon > x1) | (d.lat < y0) | (d.lat > y1)
    ordered = np.zeros_like(s.stock)  # units each node asked of its in-links today
    if s.n_links:
        np.add.at(ordered, s.dst, s.today.requested)
    c = s.commodities.index(d.commodity)
    rows = list(range(len(d.ids)))
    info: Columns = {
        "i": rows,
        "node": list(d.ids),
        "kind": [KINDS[int(k)] for k in d.kind],
        "side": [SIDES[int(k)] for k in d.side],
        "lon": np.clip(d.lon, x0, x1).round(4).tolist(),
        "lat": np.clip(d.lat, y0, y1).round(4).tolist(),
        "outside": outside.tolist(),
    }
    daily: Columns = {
        "i": rows,
        "days_of_supply": [dos_text(x) for x in d.dos.tolist()],
        "dos_colour": np.minimum(np.where(np.isfinite(d.dos), d.dos, DOS_MAX), DOS_MAX)
        .round(2)
        .tolist(),
        "size_stock": np.clip(d.stock, 0.0, None).round(1).tolist(),
        "orders_in": np.round(s.orders_in[:, c], 1).tolist(),
        "ordered": np.round(ordered[:, c], 1).tolist(),
    }
    for k, name in enumerate(s.commodities):
        daily[f"stock_{name}"] = np.round(s.stock[:, k], 1).tolist()
    return info, daily


def link_columns(d: MapData, info: Columns) -> tuple[Columns, Columns]:
    """(fixed, daily) columns per link, joined on ``i`` in the browser."""
    lon, lat = np.asarray(info["lon"]), np.asarray(info["lat"])
    rows = list(range(len(d.src)))
    fixed: Columns = {
        "i": rows,
        "link": [f"{d.ids[i]} → {d.ids[j]}" for i, j in zip(d.src, d.dst, strict=True)],
        "lon": lon[d.src].tolist(),
        "lat": lat[d.src].tolist(),
        "lon2": lon[d.dst].tolist(),
        "lat2": lat[d.dst].tolist(),
        "capacity_t": np.round(d.capacity_t, 1).tolist(),
    }
    daily: Columns = {
        "i": rows,
        "flow_t": np.round(d.flow_t, 1).tolist(),
        "use": np.round(d.utilisation, 3).tolist(),
        "up": d.link_up.astype(bool).tolist(),
    }
    return fixed, daily


def _joined(data: str, info: str, fields: tuple[str, ...]) -> alt.Chart:
    """A chart of the daily rows ``data`` with the fixed ``fields`` looked up by ``i``."""
    return alt.Chart(alt.NamedData(data)).transform_lookup(
        lookup="i", from_=alt.LookupData(data=alt.NamedData(info), key="i", fields=list(fields))
    )


@cache
def basemap_rows(extent: Extent, step_deg: float = BASEMAP_STEP_DEG) -> pd.DataFrame:
    """Coastlines and borders in the frame (a margin of ``step_deg`` around it), thinned to
    points at least ``step_deg`` apart: one row per kept point, pieces cut at the frame."""
    x0, x1, y0, y1 = extent
    _, coast, borders = lines_in_frame(extent)
    out: list[tuple[str, int, float, float, str]] = []
    for kind, lines in (("coast", coast), ("border", borders)):
        for n, line in enumerate(lines):
            inside = (
                (line[:, 0] >= x0 - step_deg) & (line[:, 0] <= x1 + step_deg)
                & (line[:, 1] >= y0 - step_deg) & (line[:, 1] <= y1 + step_deg)
            )  # fmt: skip
            piece = np.cumsum(~inside)  # a new piece after every point outside
            for p in np.unique(piece[inside]).tolist():
                keep = _thin(line[inside & (piece == p)], step_deg)
                name = f"{kind}{n}.{p}"
                out += [(name, k, float(x), float(y), kind) for k, (x, y) in enumerate(keep)]
    return pd.DataFrame(out, columns=["line", "k", "lon", "lat", "kind"])


def _thin(line: np.ndarray, step_deg: float) -> np.ndarray:
    """The points of a line at least ``step_deg`` from the last kept one (ends kept)."""
    kept = [0]
    for k in range(1, len(line) - 1):
        if np.abs(line[k] - line[kept[-1]]).max() >= step_deg:
            kept.append(k)
    if len(line) > 1:
        kept.append(len(line) - 1)
    return np.round(line[kept], 3)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[return-value]


@lru_cache(maxsize=16)
def _basemap_records(extent: Extent) -> list[dict[str, Any]]:
    return _records(basemap_rows(extent))


def _scales(extent: Extent) -> tuple[alt.Scale, alt.Scale]:
    x0, x1, y0, y1 = extent
    return alt.Scale(domain=[x0, x1], zero=False), alt.Scale(domain=[y0, y1], zero=False)


def map_height_px(extent: Extent, width_px: int = MAP_WIDTH_PX) -> int:
    """Height that keeps a km north as long as a km east at the frame's middle latitude."""
    x0, x1, y0, y1 = extent
    ratio = (y1 - y0) / ((x1 - x0) * math.cos(math.radians((y0 + y1) / 2)))
    return round(width_px * min(max(ratio, 0.3), 1.6))


def _layers(commodities: tuple[str, ...], extent: Extent, dos_title: str, named: bool) -> Any:
    """The chart's grammar, on named datasets (``nodes``, ``links``, ``basemap``) that
    :func:`map_spec` fills every day: Altair builds the layers once per map."""
    xs, ys = _scales(extent)
    x = alt.X("lon:Q", scale=xs, title="longitude")
    y = alt.Y("lat:Q", scale=ys, title="latitude")
    sides = alt.Scale(domain=list(SIDES), range=[SIDE_COLOURS[s] for s in SIDES])
    coast = alt.Chart(alt.NamedData("basemap")).mark_line(clip=True, strokeWidth=0.7).encode(
        x=x, y=y, detail="line:N", order="k:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["coast", "border"],
                        range=["#8a9bb0", "#c4c4c4"]), legend=None),
    )  # fmt: skip
    links = _joined("links", "link_info", LINK_INFO).mark_rule(clip=True).encode(
        x=x, y=y, x2="lon2:Q", y2="lat2:Q",
        strokeWidth=alt.StrokeWidth("flow_t:Q", scale=alt.Scale(range=[0.6, 5]), legend=None),
        color=alt.Color("use:Q", scale=alt.Scale(domain=[0, 1], scheme="purples"),
                        title="link use"),
        strokeDash=alt.condition("datum.up", alt.value([1, 0]), alt.value([4, 3])),
        tooltip=["link:N", "flow_t:Q", "capacity_t:Q", "use:Q", "up:N"],
    )  # fmt: skip
    tip = [alt.Tooltip("node:N", title="node"), "kind:N", "side:N"]
    tip += [alt.Tooltip(f"stock_{c}:Q", title=f"stock {c}", format=",.1f") for c in commodities]
    tip += [
        alt.Tooltip("days_of_supply:N", title=f"days of supply ({dos_title})"),
        alt.Tooltip("orders_in:Q", title="orders in (yesterday)", format=",.1f"),
        alt.Tooltip("ordered:Q", title="ordered today", format=",.1f"),
    ]
    nodes = _joined("nodes", "node_info", NODE_INFO).mark_point(
        filled=True, strokeWidth=1.6, opacity=1, cursor="pointer"
    ).encode(
        x=x, y=y,
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=list(SHAPES),
                        range=list(SHAPES.values())), title="kind"),
        fill=alt.condition("datum.outside", alt.value("white"), alt.Fill(
            "dos_colour:Q", scale=alt.Scale(domain=[0, DOS_MAX], scheme="redyellowgreen"),
            title=f"days of supply ({dos_title})")),
        stroke=alt.Stroke("side:N", scale=sides, title="side (edge)"),
        size=alt.Size("size_stock:Q", scale=alt.Scale(range=[40, 360]), legend=None),
        tooltip=tip,
    )  # fmt: skip
    layers = [coast, links, nodes]
    if named:
        layers.append(
            alt.Chart(alt.NamedData("node_info")).transform_filter("datum.kind == 'front'")
            .mark_text(align="left", dx=6, dy=8, fontSize=10)
            .encode(x=x, y=y, text="node:N", color=alt.Color("side:N", legend=None, scale=sides))
        )  # fmt: skip
    return layers


@lru_cache(maxsize=16)
def _skeleton(
    commodities: tuple[str, ...], extent: Extent, dos_title: str, named: bool
) -> dict[str, Any]:
    chart = (
        alt.layer(*_layers(commodities, extent, dos_title, named))
        .properties(width=MAP_WIDTH_PX, height=map_height_px(extent))
        .add_params(alt.selection_interval(bind="scales", name="zoom"))
        .resolve_scale(color="independent")
        .configure_view(stroke="#999")
    )
    return chart.to_dict()  # type: ignore[no-any-return]


def map_spec(model: Any, commodity: str | None = None) -> dict[str, Any]:
    """The Vega-Lite spec of today's map (a dict the browser's vega-embed draws)."""
    d = map_data(model, commodity)
    x0, x1, y0, y1 = (float(v) for v in theatre_extent(d.lon, d.lat))
    extent = (x0, x1, y0, y1)
    node_info, nodes = node_columns(model, d, extent)
    link_info, links = link_columns(d, node_info)
    named = int((d.kind == KINDS.index("front")).sum()) <= MAX_NAMED
    spec = dict(_skeleton(tuple(model.state.commodities), extent, d.commodity, named))
    spec["title"] = model.spec.name  # the day is in the status panel: the grammar stays
    spec["datasets"] = {
        "nodes": rows_of(nodes),
        "links": rows_of(links),
        "node_info": rows_of(node_info),
        "link_info": rows_of(link_info),
        "basemap": _basemap_records(extent),
    }
    spec = browser_spec(spec)
    if len(d.ids) > SVG_MAX_NODES:
        spec["usermeta"] = {"embedOptions": {**EMBED_OPTIONS, "renderer": "canvas"}}
        spec["config"] = {**spec["config"], "aria": False}
    return spec


def node_detail(model: Any, node: str) -> list[tuple[str, str]]:
    """The detail panel of one node: (label, value) rows, read from the model's state."""
    s = model.state
    i = s.node_index[node]
    c = s.commodities.index(shown_commodity(s.commodities))
    out = [
        ("node", node),
        ("kind", KINDS[int(s.kind[i])]),
        ("side", SIDES[int(s.side[i])]),
        ("position", f"{s.lon[i]:.2f}° E, {s.lat[i]:.2f}° N"),
    ]
    for k, name in enumerate(s.commodities):
        fc = float(s.forecast[i, k])
        dos = f"{s.stock[i, k] / fc:.1f} days" if fc > 0 else "no demand"
        out.append((f"{name} stock", f"{s.stock[i, k]:,.1f} ({dos})"))
        out.append((f"{name} orders in (yesterday)", f"{s.orders_in[i, k]:,.1f}"))
    ins = np.flatnonzero(s.dst == i)
    outs = np.flatnonzero(s.src == i)
    for label, rows, other in (("from", ins, s.src), ("to", outs, s.dst)):
        for e in rows.tolist():
            up = "" if s.link_up[e] else " (cut)"
            out.append((
                f"link {label} {s.node_ids[int(other[e])]}",
                f"{s.tonnes(s.today.shipped)[e]:,.1f} t today of {s.capacity_t[e]:,.0f} t/day"
                f"; in transit {s.in_transit[e, c]:,.1f}{up}",
            ))  # fmt: skip
    units = [s.unit_ids[u] for u in np.flatnonzero(s.unit_node == i).tolist()]
    if units:
        out.append(("units here", ", ".join(units)))
    return out
