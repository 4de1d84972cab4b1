"""An animated GIF of a run's map over time: ``animate(results, "animation.gif")``.

Each frame is one day: nodes sized by their stock of one commodity and coloured by its days
of supply, links drawn as wide as the tonnes they carried that day (dashed when cut), and
each sector's front as a bar between the two sides' fronts, moved by the front position
(km, + = blue advanced). One frame every ``every`` days, so that a run has at most
:data:`MAX_FRAMES` frames (a year: every 4th day, 92 frames); the last day is always
shown. Written with matplotlib's ``PillowWriter`` (Pillow ships with matplotlib).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.animation import PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from sandbox.plots.basemap import draw_basemap
from sandbox.plots.style import (
    DOS_CMAP,
    DOS_MAX,
    KIND_MARKERS,
    SIDE_COLOURS,
    scale_bar,
    theatre_extent,
)
from sandbox.scenario.calendar import day_date, run_start_date

if TYPE_CHECKING:
    from sandbox.observe.results import Results

MAX_FRAMES = 120
KM_PER_DEG_LAT = 111.32
FRONT_HALF = 0.02  # half the length of a front's bar, as a share of the frame's height
FRONT_COLOURS = {0: "black", 1: SIDE_COLOURS["blue"], -1: SIDE_COLOURS["red"]}


def frame_days(
    days: Sequence[int], every: int | None = None, max_frames: int = MAX_FRAMES
) -> list[int]:
    """The days shown: every ``every``-th day from the first (by default the smallest step
    giving at most ``max_frames`` frames), and the last day."""
    days = list(days)
    if not days:
        return []
    step = every if every else max(1, math.ceil(len(days) / max_frames))
    if step < 1:
        raise ValueError(f"every must be at least 1, got {step}")
    shown = days[::step]
    return shown if shown[-1] == days[-1] else [*shown, days[-1]]


@dataclass
class _Frames:
    """Per shown day: node positions, stock and days of supply; link flows and states."""

    ids: list[str]
    kinds: list[str]
    sides: list[str]
    lon: pd.DataFrame  # day x node
    lat: pd.DataFrame
    stock: pd.DataFrame
    dos: pd.DataFrame
    links: pd.DataFrame  # day, source, target, flow_t, status


def _frames(res: Results, commodity: str, days: list[int]) -> _Frames:
    spec_nodes = res.scenario.get("nodes", [])
    ids = [str(n["id"]) for n in spec_nodes]
    nodes = res.nodes
    rows = nodes[(nodes["commodity"].astype(str) == commodity) & nodes["day"].isin(days)]

    def table(col: str) -> pd.DataFrame:
        wide = rows.pivot_table(index="day", columns="node", values=col, observed=True)
        wide.columns = wide.columns.astype(str)
        return wide.reindex(index=days, columns=ids)

    stock, forecast = table("stock"), table("forecast")
    dos = (stock / forecast.where(forecast > 0)).fillna(DOS_MAX).clip(upper=DOS_MAX)
    links = res.links[res.links["day"].isin(days)]
    return _Frames(
        ids, [str(n["kind"]) for n in spec_nodes], [str(n["side"]) for n in spec_nodes],
        table("lon"), table("lat"), stock.fillna(0.0), dos, links,
    )  # fmt: skip


def front_bar(sector: dict[str, Any], pos: dict[str, tuple[float, float]], front_km: float,
              half_deg: float) -> np.ndarray:  # fmt: skip
    """The bar of one sector's front: across the line from blue's front to red's, at its
    middle moved ``front_km`` towards red."""
    (bx, by), (rx, ry) = pos[str(sector["blue"])], pos[str(sector["red"])]
    cos = max(math.cos(math.radians((by + ry) / 2)), 0.1)
    dx, dy = (rx - bx) * cos, ry - by  # in km-proportional units
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    shift = front_km / KM_PER_DEG_LAT
    mx, my = (bx + rx) / 2 + ux * shift / cos, (by + ry) / 2 + uy * shift
    h = half_deg
    return np.array([[mx - uy * h / cos, my + ux * h], [mx + uy * h / cos, my - ux * h]])


class _Painter:
    """Draws one frame after another on a fixed map."""

    def __init__(self, res: Results, f: _Frames, commodity: str, fig: Figure) -> None:
        self.res, self.f, self.commodity = res, f, commodity
        ax = fig.add_subplot()
        self.ax = ax
        lon0, lat0 = f.lon.iloc[0].to_numpy(float), f.lat.iloc[0].to_numpy(float)
        self.extent = theatre_extent(lon0, lat0)
        x0, x1, y0, y1 = self.extent
        draw_basemap(ax, self.extent)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        scale_bar(ax, x0, x1, y0, y1)
        self.norm = Normalize(0, DOS_MAX)
        fig.colorbar(_mappable(self.norm), ax=ax, shrink=0.7, label=f"days of supply ({commodity})")
        self.biggest = max(float(np.nanmax(f.stock.to_numpy())) if f.stock.size else 0.0, 1.0)
        flows = f.links["flow_t"].to_numpy(float) if len(f.links) else np.zeros(1)
        self.max_flow = max(float(flows.max()), 1e-9)
        self.artists: list[Any] = []

    def clipped(self, day: int) -> dict[str, tuple[float, float]]:
        x0, x1, y0, y1 = self.extent
        lon = np.clip(self.f.lon.loc[day].to_numpy(float), x0, x1)
        lat = np.clip(self.f.lat.loc[day].to_numpy(float), y0, y1)
        return {n: (float(a), float(b)) for n, a, b in zip(self.f.ids, lon, lat, strict=True)}

    def draw(self, day: int, date: dt.date) -> None:
        for a in self.artists:
            a.remove()
        self.artists = []
        pos = self.clipped(day)
        self._links(day, pos)
        self._nodes(day, pos)
        self._fronts(day, pos)
        self.ax.set_title(f"Day {day} ({date.isoformat()}): size = {self.commodity} stock, "
                          "width = tonnes moved", fontsize=10)  # fmt: skip

    def _links(self, day: int, pos: dict[str, tuple[float, float]]) -> None:
        today = self.f.links[self.f.links["day"] == day]
        src, dst = today["source"].astype(str), today["target"].astype(str)
        for side in SIDE_COLOURS:
            side_of = {n: s for n, s in zip(self.f.ids, self.f.sides, strict=True)}
            mask = np.array([side_of.get(s) == side for s in src], dtype=bool)
            if not mask.any():
                continue
            segs = [[pos[a], pos[b]] for a, b in zip(src[mask], dst[mask], strict=True)]
            flow = today["flow_t"].to_numpy(float)[mask]
            cut = (today["status"].astype(str) == "cut").to_numpy()[mask]
            widths = 0.4 + 5.0 * np.sqrt(flow / self.max_flow)
            styles = ["dashed" if c else "solid" for c in cut]
            lc = LineCollection(segs, colors=SIDE_COLOURS[side], linewidths=widths,
                                linestyles=styles, alpha=0.6, zorder=1)  # fmt: skip
            self.artists.append(self.ax.add_collection(lc))

    def _nodes(self, day: int, pos: dict[str, tuple[float, float]]) -> None:
        stock = self.f.stock.loc[day].to_numpy(float)
        dos = self.f.dos.loc[day].to_numpy(float)
        cmap = _cmap()
        for kind, marker in KIND_MARKERS.items():
            rows = [i for i, k in enumerate(self.f.kinds) if k == kind]
            if not rows:
                continue
            xy = np.array([pos[self.f.ids[i]] for i in rows])
            sizes = 15 + 250 * np.sqrt(np.maximum(stock[rows], 0) / self.biggest)
            self.artists.append(self.ax.scatter(
                xy[:, 0], xy[:, 1], s=sizes, c=cmap(self.norm(dos[rows])), marker=marker,
                edgecolors=[SIDE_COLOURS[self.f.sides[i]] for i in rows], linewidths=1.2,
                zorder=2,
            ))  # fmt: skip

    def _fronts(self, day: int, pos: dict[str, tuple[float, float]]) -> None:
        sectors = self.res.sectors
        if sectors.empty:
            return
        rows = sectors[sectors["day"] == day]
        today = {
            str(k): (float(km), int(np.sign(c)))
            for k, km, c in zip(rows["sector"], rows["front_km"], rows["control"], strict=True)
        }
        for sector in self.res.scenario.get("sectors", []):
            sid = str(sector["id"])
            if sid not in today:
                continue
            km, control = today[sid]
            bar = front_bar(sector, pos, km, FRONT_HALF * (self.extent[3] - self.extent[2]))
            (line,) = self.ax.plot(bar[:, 0], bar[:, 1], color=FRONT_COLOURS[control], lw=3,
                                   solid_capstyle="butt", zorder=3)  # fmt: skip
            self.artists.append(line)


def _cmap() -> Any:
    from matplotlib import colormaps

    return colormaps[DOS_CMAP]


def _mappable(norm: Normalize) -> Any:
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=_cmap())


def animate(
    res: Results,
    path: str | Path,
    *,
    commodity: str = "ammunition",
    every: int | None = None,
    fps: int = 6,
    dpi: int = 80,
    max_frames: int = MAX_FRAMES,
) -> Path:
    """Write the run's map over time as an animated GIF; returns its path."""
    days = frame_days(sorted(int(d) for d in res.nodes["day"].unique()), every, max_frames)
    if not days:
        raise ValueError("no per-node records to animate (run with record='full')")
    start = run_start_date(res.scenario)
    fig = Figure(figsize=(8, 6))
    FigureCanvasAgg(fig)
    painter = _Painter(res, _frames(res, commodity, days), commodity, fig)
    fig.tight_layout()
    out = Path(path)
    writer = PillowWriter(fps=fps)
    with writer.saving(fig, str(out), dpi):
        for day in days:
            painter.draw(day, day_date(start, day))
            writer.grab_frame()
    return out
