"""The dashboard's map of a run: the network at real coordinates on the basemap.

Colour = days of supply on the last day, size = stock, edge = side; links one
``LineCollection`` per side, drawn to the true position of every node (those beyond the
frame leave it on their way); nodes beyond the frame are not drawn but pointed at by an
arrowhead at the edge (:mod:`sandbox.plots.offframe`); names are placed so that they do not
overlap, most important first (:mod:`sandbox.plots.labels`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import ScaledTranslation

from sandbox.plots.basemap import draw_basemap
from sandbox.plots.labels import Label, place_labels, renderer_of, short_name
from sandbox.plots.offframe import draw_edge_markers, edge_markers, outside
from sandbox.plots.style import (
    DOS_CMAP,
    DOS_MAX,
    KIND_MARKERS,
    SIDE_COLOURS,
    map_aspect,
    scale_bar,
    theatre_extent,
)

if TYPE_CHECKING:
    from sandbox.observe.results import Results

MAX_MAP_LABELS = 40
KIND_RANK = {"front": 0.0, "depot": 1.0, "factory": 2.0}  # fronts, then depots by stock
TITLE = "Supply network: colour = days of supply, size = stock, arrows = off the map"
LEGEND_DROP_PT = 16.0  # the marker legend's top under the frame: ticks and their labels


def days_of_supply(res: Results, commodity: str = "ammunition") -> pd.Series:
    """Days of supply per node on the last day: stock / forecast demand."""
    last = _last_day(res, commodity)
    if last.empty:
        return pd.Series(dtype=float)
    fc = last["forecast"].to_numpy()
    dos = np.where(fc > 0, last["stock"].to_numpy() / np.where(fc > 0, fc, 1.0), np.inf)
    return pd.Series(dos, index=last["node"].astype(str).to_numpy())


def last_stock(res: Results, commodity: str) -> pd.Series:
    """Stock per node on the last day (empty without per-node records)."""
    last = _last_day(res, commodity)
    if last.empty:
        return pd.Series(dtype=float)
    return pd.Series(last["stock"].to_numpy(), index=last["node"].astype(str).to_numpy())


def _last_day(res: Results, commodity: str) -> pd.DataFrame:
    """The per-node rows of the last day for ``commodity`` (none without per-node records);
    read alone from a large run's stored records."""
    last = res.last_day("nodes")
    if last is None:
        return pd.DataFrame()
    return res.rows("nodes", [("day", "==", last), ("commodity", "==", commodity)])


def draw_network(
    ax: Any, res: Results, commodity: str = "ammunition", cax: Any = None
) -> list[Any]:
    """Draw the map on ``ax`` (colour bar on ``cax``, or beside ``ax``); return the names drawn.

    Call it once the figure's layout is fixed: names are placed on the final pixels.
    """
    nodes = res.scenario.get("nodes", [])
    if not nodes:
        return []
    ids = [str(n["id"]) for n in nodes]
    lon = np.array([n["lon"] for n in nodes], dtype=float)
    lat = np.array([n["lat"] for n in nodes], dtype=float)
    extent = theatre_extent(lon, lat)
    shown = ~outside(lon, lat, extent)
    draw_basemap(ax, extent)
    _draw_links(ax, res, nodes, (lon, lat))
    pos = {i: (lon[k], lat[k]) for k, i in enumerate(ids)}
    _mark_strikes(ax, res, pos, {i for k, i in enumerate(ids) if shown[k]})
    stock = last_stock(res, commodity).reindex(ids).fillna(0.0).to_numpy()
    dos = days_of_supply(res, commodity).reindex(ids).fillna(np.inf).to_numpy()
    norm, cmap = Normalize(0, DOS_MAX), colormaps[DOS_CMAP]
    _scatter_nodes(ax, nodes, (lon, lat), shown, (stock, np.minimum(dos, DOS_MAX)), (norm, cmap))
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    fig = ax.get_figure(root=True)
    bar = fig.colorbar(mappable, cax=cax) if cax is not None else fig.colorbar(mappable, ax=ax)
    bar.set_label(f"days of supply ({commodity}, last day)")
    _frame(ax, extent)
    obstacles = scale_bar(ax, *extent)
    _legend(ax)
    sides = [str(n["side"]) for n in nodes]
    names = [short_name(i, s) for i, s in zip(ids, sides, strict=True)]
    colours = [SIDE_COLOURS.get(s, "dimgrey") for s in sides]
    labels = draw_edge_markers(ax, edge_markers(lon, lat, extent), names, colours)
    labels += node_labels(nodes, (lon, lat), shown, stock, (names, colours))
    ax.apply_aspect()
    renderer = renderer_of(ax.get_figure(root=True))
    if ax.title.get_window_extent(renderer).width > ax.get_window_extent(renderer).width:
        ax.set_title(TITLE.replace(", size", ",\nsize"), fontsize=10)  # a narrow map
    biggest = max(float(stock.max()), 1.0)
    half_pt = np.sqrt(marker_area(stock[shown], biggest, len(nodes) > 200)) / 2
    return place_labels(
        ax,
        labels,
        MAX_MAP_LABELS,
        [o.get_window_extent(renderer) for o in obstacles],
        np.column_stack([lon[shown], lat[shown]]),
        half_pt,
    )


def node_labels(
    nodes: list[dict[str, Any]],
    xy: tuple[np.ndarray, np.ndarray],
    shown: np.ndarray,
    stock: np.ndarray,
    text: tuple[list[str], list[str]],
) -> list[Label]:
    """Candidate names of the nodes in the frame: fronts, then depots and factories by stock.

    Facing fronts share their sector's name: it is written once (black), beside the first.
    Linear in the nodes shown (names counted once; each marker's radius in one array).
    """
    lon, lat = xy
    names, colours = text
    biggest = max(float(stock.max()) if len(stock) else 0.0, 1.0)
    gaps = (np.sqrt(marker_area(stock, biggest)) / 2 + 1.5).tolist()  # half a marker + 1.5 pt
    rows = np.flatnonzero(shown).tolist()
    named = Counter(names[i] for i in rows)
    out = []
    fronts: set[str] = set()
    for k in rows:
        kind = str(nodes[k]["kind"])
        gap = gaps[k]
        if kind == "front":
            if names[k] in fronts:
                continue
            fronts.add(names[k])
            paired = named[names[k]] > 1
            colour = "black" if paired else colours[k]
            out.append(
                Label(
                    lon[k], lat[k], names[k], len(fronts), colour, 8.0, gap_pt=gap, may_cover=True
                )
            )
            continue
        rank = 100.0 * KIND_RANK.get(kind, 3.0) + (1.0 - float(stock[k]) / biggest)
        out.append(Label(lon[k], lat[k], names[k], rank, colours[k], 6.5, gap_pt=gap))
    return out


def marker_area(stock: np.ndarray, biggest: float, big: bool = False) -> np.ndarray:
    """Scatter size (points squared) by stock: 30 to 280, a third of that on big maps."""
    area = 30 + 250 * np.sqrt(np.clip(stock, 0.0, None) / biggest)
    return area * (0.3 if big else 1.0)


def _draw_links(
    ax: Any, res: Results, nodes: list[dict[str, Any]], xy: tuple[np.ndarray, np.ndarray]
) -> None:
    lon, lat = xy
    index = {n["id"]: i for i, n in enumerate(nodes)}
    links = res.scenario.get("links", [])
    if not links:
        return
    src = np.array([index[link["source"]] for link in links])
    dst = np.array([index[link["target"]] for link in links])
    segs = np.stack(
        [np.column_stack([lon[src], lat[src]]), np.column_stack([lon[dst], lat[dst]])], axis=1
    )
    side = np.array([str(nodes[i]["side"]) for i in src])
    for name, colour in SIDE_COLOURS.items():  # one collection per side: fast on 10k-node maps
        rows = side == name
        if rows.any():
            ax.add_collection(
                LineCollection(segs[rows], colors=colour, alpha=0.35, linewidths=1, zorder=1)
            )


def _scatter_nodes(
    ax: Any,
    nodes: list[dict[str, Any]],
    xy: tuple[np.ndarray, np.ndarray],
    shown: np.ndarray,
    values: tuple[np.ndarray, np.ndarray],
    scale: tuple[Normalize, Any],
) -> None:
    """One scatter per kind (nodes in the frame): colour = days of supply, size = stock."""
    lon, lat = xy
    stock, dos = values
    norm, cmap = scale
    kinds = np.array([str(n["kind"]) for n in nodes])
    edges = np.array([SIDE_COLOURS.get(str(n["side"]), "dimgrey") for n in nodes])
    biggest = max(float(stock.max()) if len(stock) else 0.0, 1.0)
    big = len(nodes) > 200
    sizes = marker_area(stock, biggest, big)
    for kind, marker in KIND_MARKERS.items():
        rows = np.flatnonzero(shown & (kinds == kind))
        if not len(rows):
            continue
        ax.scatter(
            lon[rows],
            lat[rows],
            s=sizes[rows],
            c=cmap(norm(dos[rows])),
            marker=marker,
            edgecolors=edges[rows],
            linewidths=0.8 if big else 1.5,
            zorder=2,
            label=kind,
        )


def _frame(ax: Any, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(map_aspect(extent))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°E"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°N"))
    ax.tick_params(labelsize=7)
    ax.set_title(TITLE, fontsize=10)


def _legend(ax: Any) -> Any:
    handles = [
        Line2D([], [], ls="", marker=m, color="dimgrey", markerfacecolor="none", label=k)
        for k, m in KIND_MARKERS.items()
    ]
    if any(c.get_label() == "struck" for c in ax.collections):
        handles.append(Line2D([], [], ls="", marker="x", color="black", label="struck"))
    handles.append(
        Line2D([], [], ls="", marker=">", color="dimgrey", label="off the map (direction)")
    )
    under = ScaledTranslation(0.0, -LEGEND_DROP_PT / 72.0, ax.get_figure(root=True).dpi_scale_trans)
    return ax.legend(  # below the frame, in one row: it hides no node and no name
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),  # under the frame's tick labels, whatever its height
        bbox_transform=ax.transAxes + under,
        borderaxespad=0.0,
        ncol=len(handles),
        fontsize=7,
        frameon=False,
    )


def _mark_strikes(
    ax: Any, res: Results, pos: dict[str, tuple[float, float]], shown: set[str]
) -> None:
    """Links cut on any day: dashed black; nodes hit (in the frame): a black cross."""
    cut = res.rows("links", [("status", "==", "cut")], ["source", "target"])
    if not cut.empty:
        cut = cut.drop_duplicates()
        segs = [
            (pos[a], pos[b])
            for a, b in zip(cut["source"].astype(str), cut["target"].astype(str), strict=True)
        ]
        ax.add_collection(
            LineCollection(segs, colors="black", linestyles="--", linewidths=1.2, zorder=1.5)
        )
    hits = res.rows("nodes", [("hits", ">", 0)], ["node"])
    if not hits.empty:
        hit = [n for n in hits["node"].astype(str).unique() if n in shown]
        if hit:
            xs, ys = zip(*(pos[n] for n in hit), strict=True)
            ax.scatter(xs, ys, marker="x", c="black", s=90, zorder=3, label="struck")
