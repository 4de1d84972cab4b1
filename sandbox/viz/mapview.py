"""The map at real coordinates, drawn from the model's state arrays.

Nodes: marker by kind (factory square, depot diamond, front triangle), edge by
side, face by days of supply of one commodity, size by its stock. Links: width
by today's flow (tonnes), colour by utilisation (flow / capacity). Cut links
(``state.link_up`` False) are dashed with a cross; struck nodes (strike log in
``state.strikes`` or stock destroyed today) get a star; sectors of
combat (``spec.sectors``, with each front_km daily column in ``model.totals``) are
drawn between their two fronts with the front position. Each of these is drawn
only when the model has it, so the map works before combat and strikes land.

Large maps stay readable: links are one ``LineCollection``, nodes one scatter
per kind and side; names are placed without overlaps, most important first
(:mod:`sandbox.plots.labels`), and nodes beyond the frame are shown by an arrowhead
at its edge (:mod:`sandbox.plots.offframe`), as on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sandbox.plots.basemap import draw_basemap
from sandbox.plots.labels import Label, place_labels, renderer_of, short_name
from sandbox.plots.offframe import draw_edge_markers, edge_markers, outside
from sandbox.plots.style import (
    DOS_CMAP,
    DOS_MAX,
    KIND_MARKERS,
    SIDE_COLOURS,
    scale_bar,
    theatre_extent,
)
from sandbox.state.columns import DAILY
from sandbox.state.supply import KINDS, SIDES, SupplyState

MAX_LABELS = 30


@dataclass
class Sector:
    id: str
    blue: int  # node rows of the two facing fronts
    red: int
    front_km: float


@dataclass
class MapData:
    """Everything the map draws, as arrays (one row per node or link)."""

    ids: list[str]
    kind: np.ndarray  # (N,) 0 factory, 1 depot, 2 front
    side: np.ndarray  # (N,) 0 blue, 1 red
    lon: np.ndarray
    lat: np.ndarray
    stock: np.ndarray  # (N,) units of the commodity shown
    dos: np.ndarray  # (N,) days of supply (inf: no demand)
    src: np.ndarray  # (E,)
    dst: np.ndarray  # (E,)
    flow_t: np.ndarray  # (E,) tonnes shipped today
    capacity_t: np.ndarray  # (E,)
    link_up: np.ndarray  # (E,) bool
    struck: np.ndarray  # (N,) bool
    commodity: str = "ammunition"
    sectors: list[Sector] = field(default_factory=list)
    title: str = ""

    @property
    def utilisation(self) -> np.ndarray:
        cap = np.where(self.capacity_t > 0, self.capacity_t, 1.0)
        return np.clip(self.flow_t / cap, 0.0, 1.0)


def shown_commodity(commodities: list[str]) -> str:
    return "ammunition" if "ammunition" in commodities else commodities[0]


def days_of_supply(stock: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    safe = np.where(forecast > 0, forecast, 1.0)
    return np.where(forecast > 0, stock / safe, np.inf)


def struck_nodes(s: SupplyState) -> np.ndarray:
    """(N,) bool: hit by a strike today, moved back after one, or lost stock today."""
    out = s.today.destroyed.sum(axis=1) > 0
    return out | (s.strikes.node_hits > 0) | s.strikes.displaced


def sectors_of(model: Any) -> list[Sector]:
    """The model's combat sectors with today's front position (none before combat)."""
    secs = getattr(model.spec.spec, "sectors", None) or []
    index = model.state.node_index
    totals = getattr(model, "totals", {}) or {}
    out = []
    for sec in secs:
        if sec.blue in index and sec.red in index:
            km = totals.get(DAILY.sector(sec.id, "front_km"), getattr(sec, "front_km", 0.0))
            out.append(Sector(sec.id, index[sec.blue], index[sec.red], float(km)))
    return out


def map_data(model: Any, commodity: str | None = None) -> MapData:
    """Today's map of a :class:`~sandbox.model.LogisticsModel`."""
    s: SupplyState = model.state
    c_name = commodity or shown_commodity(s.commodities)
    c = s.commodities.index(c_name)
    return MapData(
        ids=s.node_ids,
        kind=s.kind,
        side=s.side,
        lon=s.lon,
        lat=s.lat,
        stock=s.stock[:, c].copy(),
        dos=days_of_supply(s.stock[:, c], s.forecast[:, c]),
        src=s.src,
        dst=s.dst,
        flow_t=s.tonnes(s.today.shipped) if s.n_links else np.zeros(0),
        capacity_t=s.capacity_t,
        link_up=s.link_up.copy(),
        struck=struck_nodes(s),
        commodity=c_name,
        sectors=sectors_of(model),
        title=f"{model.spec.name}: day {s.day}",
    )


def draw_map(ax: Any, d: MapData, cbar_axes: tuple[Any, Any] | None = None) -> dict[str, int]:
    """Draw ``d`` on ``ax``; return counts of what was drawn (for tests)."""
    n = len(d.ids)
    x0, x1, y0, y1 = theatre_extent(d.lon, d.lat)
    draw_basemap(ax, (x0, x1, y0, y1))
    off = outside(d.lon, d.lat, (x0, x1, y0, y1))
    px, py = d.lon, d.lat  # true positions: links to far nodes leave the frame
    big = n > 200
    drawn = {"nodes": n, "links": len(d.src), "cut": 0, "struck": 0, "sectors": 0}
    util_norm = Normalize(0.0, 1.0)
    util_cmap = ListedColormap(colormaps["Purples"](np.linspace(0.3, 1.0, 256)), "use")
    dos_norm = Normalize(0.0, DOS_MAX)
    dos_cmap = colormaps[DOS_CMAP]
    xy = (px, py)
    drawn["cut"] = _draw_links(ax, d, xy, big, (util_norm, util_cmap))
    drawn["struck"] = _draw_nodes(ax, d, xy, off, big, (dos_norm, dos_cmap))
    drawn["sectors"], labels = _draw_sectors(ax, d, xy)
    obstacles = _frame(
        ax, d, (x0, x1, y0, y1), cbar_axes, (dos_norm, dos_cmap), (util_norm, util_cmap)
    )
    _draw_names(ax, d, labels, off, obstacles)
    return drawn


Points = tuple[np.ndarray, np.ndarray]  # x (longitude), y (latitude), clipped to the frame
Scale = tuple[Normalize, Any]  # a colour scale: norm and colormap


def _draw_links(ax: Any, d: MapData, xy: Points, big: bool, util: Scale) -> int:
    """The links, width by flow and colour by use; cut links dashed. Returns the cut."""
    px, py = xy
    util_norm, util_cmap = util
    cut_links = 0
    if len(d.src):
        segs = np.stack(
            [np.column_stack([px[d.src], py[d.src]]), np.column_stack([px[d.dst], py[d.dst]])],
            axis=1,
        )
        top = max(float(d.flow_t.max()), 1e-9)
        widths = (0.3 if big else 0.6) + (2.5 if big else 4.0) * np.sqrt(d.flow_t / top)
        colours = util_cmap(util_norm(d.utilisation))
        colours[:, 3] = np.where(d.flow_t > 0, 0.9, 0.35)
        up = d.link_up.astype(bool)
        ax.add_collection(LineCollection(segs[up], linewidths=widths[up], colors=colours[up]))
        if (~up).any():
            cut = segs[~up]
            ax.add_collection(
                LineCollection(cut, linewidths=1.5, colors="black", linestyles="dashed", zorder=3)
            )
            mid = cut.mean(axis=1)
            ax.scatter(mid[:, 0], mid[:, 1], marker="X", s=60, c="black", zorder=4)
            cut_links = int((~up).sum())
    return cut_links


def _draw_nodes(ax: Any, d: MapData, xy: Points, off: np.ndarray, big: bool, dos: Scale) -> int:
    """The nodes: size by stock, fill by days of supply, edge by side. Returns the struck."""
    px, py = xy
    dos_norm, dos_cmap = dos
    top_stock = max(float(d.stock.max()) if len(d.ids) else 0.0, 1.0)
    base, span = (8.0, 80.0) if big else (30.0, 250.0)
    sizes = base + span * np.sqrt(np.clip(d.stock, 0, None) / top_stock)
    faces = dos_cmap(dos_norm(np.minimum(d.dos, DOS_MAX)))
    for k, kind in enumerate(KINDS):
        for si, side in enumerate(SIDES):
            rows = np.flatnonzero((d.kind == k) & (d.side == si) & ~off)
            if not len(rows):
                continue
            ax.scatter(
                px[rows],
                py[rows],
                s=sizes[rows],
                c=faces[rows],
                marker=KIND_MARKERS[kind],
                edgecolors=SIDE_COLOURS[side],
                linewidths=0.8 if big else 1.5,
                zorder=5,
            )
    if d.struck.any():
        rows = np.flatnonzero(d.struck)
        shown = rows[~off[rows]]  # a struck node beyond the frame is counted, not drawn
        ax.scatter(px[shown], py[shown], marker="*", s=160, c="black", zorder=6)
        return len(rows)
    return 0


def _draw_sectors(ax: Any, d: MapData, xy: Points) -> tuple[int, list[Label]]:
    """Each sector's two fronts joined, a bar at the front position; returns the count and
    the sectors' names with their front positions, to place with the other names."""
    px, py = xy
    labels = []
    for rank, sec in enumerate(d.sectors):
        xb, yb, xr, yr = px[sec.blue], py[sec.blue], px[sec.red], py[sec.red]
        ax.plot([xb, xr], [yb, yr], color="dimgrey", lw=1, ls=":", zorder=4)
        km = 111.32 * np.hypot((xr - xb) * np.cos(np.radians((yb + yr) / 2)), yr - yb)
        share = 0.5 + (sec.front_km / km if km > 0 else 0.0)
        share = float(np.clip(share, 0.0, 1.0))
        fx, fy = xb + share * (xr - xb), yb + share * (yr - yb)
        ax.scatter([fx], [fy], marker="|", s=200, c="black", zorder=6)
        text = f"{sec.id} {sec.front_km:+.1f} km"
        labels.append(Label(fx, fy, text, rank, "black", 6.0, gap_pt=5.0, may_cover=True))
    return len(d.sectors), labels


def _draw_names(
    ax: Any, d: MapData, sectors: list[Label], off: np.ndarray, obstacles: list[Any]
) -> None:
    """Sector names, arrowheads towards the nodes beyond the frame with their names, and
    the fronts' names, placed without overlaps (those that do not fit are left out)."""
    extent = (*ax.get_xlim(), *ax.get_ylim())
    sides = [SIDES[int(s)] for s in d.side]
    names = [short_name(i, s) for i, s in zip(d.ids, sides, strict=True)]
    colours = [SIDE_COLOURS[s] for s in sides]
    labels = draw_edge_markers(ax, edge_markers(d.lon, d.lat, extent), names, colours)
    labels += sectors
    base = len(sectors)
    fronts = np.flatnonzero((d.kind == KINDS.index("front")) & ~off)
    for k in fronts.tolist():
        labels.append(Label(d.lon[k], d.lat[k], names[k], base + k, colours[k], 6.0, gap_pt=5.0))
    ax.apply_aspect()
    renderer = renderer_of(ax.get_figure(root=True))
    shown = np.column_stack([d.lon[~off], d.lat[~off]])
    boxes = [o.get_window_extent(renderer) for o in obstacles]
    place_labels(ax, labels, MAX_LABELS, boxes, shown)


def _frame(
    ax: Any,
    d: MapData,
    extent: tuple[float, float, float, float],
    cbar_axes: tuple[Any, Any] | None,
    dos: Scale,
    util: Scale,
) -> list[Any]:
    """Limits, labels, scale bar, legend, title and the two colour bars; returns the
    artists names must keep clear of (the scale bar, the legend)."""
    dos_norm, dos_cmap = dos
    util_norm, util_cmap = util
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.tick_params(labelsize=7)
    bar = scale_bar(ax, x0, x1, y0, y1)
    legend = ax.legend(handles=_legend_handles(d), loc="lower left", fontsize=6, framealpha=0.8)
    ax.set_title(d.title, fontsize=9)
    fig = ax.get_figure()
    if fig is not None and cbar_axes is not None:
        from matplotlib.cm import ScalarMappable

        fig.colorbar(ScalarMappable(dos_norm, dos_cmap), cax=cbar_axes[0]).set_label(
            f"days of supply ({d.commodity})", fontsize=7
        )
        fig.colorbar(ScalarMappable(util_norm, util_cmap), cax=cbar_axes[1]).set_label(
            "link use (flow / capacity)", fontsize=7
        )
        for cax in cbar_axes:
            cax.tick_params(labelsize=6)
    return [*bar, legend]


def _legend_handles(d: MapData) -> list[Line2D]:
    def marker(m: str, colour: str, label: str, **kw: Any) -> Line2D:
        kw.setdefault("markerfacecolor", "none")
        return Line2D([], [], ls="", marker=m, color=colour, label=label, **kw)

    out = [marker(KIND_MARKERS[k], "dimgrey", k) for k in KINDS]
    out += [Line2D([], [], color=SIDE_COLOURS[s], lw=2, label=f"{s} (edge)") for s in SIDES]
    out.append(Line2D([], [], color="dimgrey", lw=3, label="width = flow"))
    if not d.link_up.all():
        out.append(Line2D([], [], color="black", ls="--", marker="X", label="cut link"))
    if d.struck.any():
        out.append(marker("*", "black", "struck", markerfacecolor="black"))
    if d.sectors:
        out.append(Line2D([], [], color="black", ls="", marker="|", ms=10, label="front line"))
    out.append(marker(">", "dimgrey", "off the frame (direction)", markerfacecolor="dimgrey"))
    return out


def map_figure(
    model: Any, commodity: str | None = None, size: tuple[float, float] = (10.0, 6.6), dpi: int = 80
) -> Figure:
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_axes((0.06, 0.07, 0.80, 0.88))
    cbars = (fig.add_axes((0.885, 0.12, 0.015, 0.76)), fig.add_axes((0.945, 0.12, 0.015, 0.76)))
    draw_map(ax, map_data(model, commodity), cbars)
    return fig
