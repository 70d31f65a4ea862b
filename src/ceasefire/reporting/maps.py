"""The static map of a report (matplotlib, PNG): land and oblast boundaries, the agreement's
lines, zones and controlled area, incidents coloured by party and shaped by status, with a
legend, a scale bar and a north arrow. Drawn in the agreement's own conformal projection."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.geo.boundaries import admin_units, countries
from ceasefire.geo.zones import zone_shapes
from ceasefire.reporting.style import DPI, STATUS_MARKERS, drawing, party_style, png
from ceasefire.reporting.tables import UNATTRIBUTED

SIZE_IN = (7.2, 5.4)
MAP_BOX = (0.01, 0.02, 0.64, 0.96)  # left, bottom, width, height (figure fraction)
ZONE_STYLES = ((0, (6, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (10, 3)))
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@dataclass(frozen=True)
class MapImage:
    """The PNG and how lon/lat map to its pixels (for tests and image maps)."""

    png: bytes
    width: int
    height: int
    extent: tuple[float, float, float, float]  # x0, x1, y0, y1 in projected metres
    prep: PreparedAgreement

    def pixel(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Column and row (from the top) of lon/lat points in the image."""
        x, y = self.prep.projection.forward(np.asarray(lon, float), np.asarray(lat, float))
        x0, x1, y0, y1 = self.extent
        left, bottom, width, height = MAP_BOX
        col = (left + width * (x - x0) / (x1 - x0)) * self.width
        row = (1 - (bottom + height * (y - y0) / (y1 - y0))) * self.height
        return col, row


def _label(text: str) -> str:
    return textwrap.fill(text, 36, max_lines=2, placeholder="...")


def _project(prep: PreparedAgreement, geometry: BaseGeometry) -> BaseGeometry:
    def forward(coords: np.ndarray) -> np.ndarray:
        x, y = prep.projection.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, forward)


def _path(geometry: BaseGeometry) -> MplPath:
    """A (multi)polygon as one compound path (holes included)."""
    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            vertices.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    if not vertices:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _segments(geometry: BaseGeometry) -> list[np.ndarray]:
    boundary = (
        shapely.boundary(geometry)
        if geometry.geom_type in ("Polygon", "MultiPolygon")
        else geometry
    )
    return [np.asarray(part.coords) for part in shapely.get_parts(boundary) if not part.is_empty]


def _extent(
    prep: PreparedAgreement, x: np.ndarray, y: np.ndarray
) -> tuple[float, float, float, float]:
    """Lines and incidents with a margin, in metres, at the map box's aspect ratio."""
    shapes = [_project(prep, line.geometry.shape) for line in prep.agreement.lines]
    boxes = [s.bounds for s in shapes]
    if len(x):
        boxes.append((float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))))
    if not boxes:
        boxes.append(_project(prep, countries()["UA"]).bounds)
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = max(x1 - x0, y1 - y0, 100_000.0) * 0.12
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    aspect = (MAP_BOX[2] * SIZE_IN[0]) / (MAP_BOX[3] * SIZE_IN[1])
    if (x1 - x0) / (y1 - y0) < aspect:
        grow = (y1 - y0) * aspect - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) / aspect - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    return x0, x1, y0, y1


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    target = (x1 - x0) / 5 / 1000
    km = max(k for k in NICE_KM if k <= max(target, 1))
    left, base, height = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05, (y1 - y0) * 0.012
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * km * 250, base),
                km * 250,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                lw=0.6,
                zorder=9,
            )
        )
    for value in (0, km / 2, km):
        ax.text(
            left + value * 1000,
            base + height * 1.6,
            f"{value:g}",
            ha="center",
            va="bottom",
            fontsize=6.5,
            zorder=9,
        )
    ax.text(
        left + km * 1000 + (x1 - x0) * 0.01,
        base + height / 2,
        "km",
        va="center",
        fontsize=6.5,
        zorder=9,
    )
    nx, ny = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.1
    ax.annotate(
        "N",
        xy=(nx, ny + (y1 - y0) * 0.06),
        xytext=(nx, ny),
        ha="center",
        va="top",
        fontsize=8,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1},
        zorder=9,
    )


def _base(ax: Axes, prep: PreparedAgreement, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    window = shapely.box(x0, y0, x1, y1)
    for geometry in countries().values():
        land = shapely.intersection(_project(prep, geometry), window)
        ax.add_patch(
            PathPatch(_path(land), facecolor="#f4f4f4", edgecolor="#555555", lw=0.8, zorder=1)
        )
    segments: list[np.ndarray] = []
    for unit in admin_units():
        shape = shapely.intersection(_project(prep, unit.geometry), window)
        if shape.is_empty:
            continue
        segments.extend(_segments(shape))
        if shape.area > (x1 - x0) * (y1 - y0) * 0.01:
            point = shape.representative_point()
            ax.text(
                point.x,
                point.y,
                unit.name.replace(" Oblast", ""),
                fontsize=5.5,
                color="#777777",
                ha="center",
                va="center",
                style="italic",
                zorder=2,
                clip_on=True,
            )
    ax.add_collection(LineCollection(segments, colors="#9a9a9a", linewidths=0.4, zorder=2))


def _agreement_layers(ax: Axes, prep: PreparedAgreement) -> list[object]:
    handles: list[object] = []
    agreement = prep.agreement
    for line in agreement.lines[:1]:
        if line.controlled_area is not None:
            area = _project(prep, line.controlled_area.geometry.shape)
            ax.add_patch(
                PathPatch(
                    _path(area),
                    facecolor="none",
                    edgecolor="#777777",
                    hatch="////",
                    lw=0,
                    zorder=2.5,
                )
            )
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor="#777777",
                    hatch="////",
                    label=f"held by {line.controlled_area.party}"
                    + (f" ({line.as_of})" if line.as_of else ""),
                )
            )
    land = _project(prep, shapely.union_all(list(countries().values())))
    for index, zone in enumerate(agreement.zones):
        style = ZONE_STYLES[index % len(ZONE_STYLES)]
        for shape in zone_shapes(prep, zone):
            projected = shapely.intersection(_project(prep, shape.geometry), land)
            filled = zone.kind not in ("security_zone", "buffer")
            ax.add_patch(
                PathPatch(
                    _path(projected),
                    facecolor="#bbbbbb" if filled else "none",
                    alpha=0.9,
                    edgecolor="#444444",
                    lw=0.7,
                    linestyle=style,
                    hatch="xxx" if filled else None,
                    zorder=3,
                )
            )
        handles.append(
            Patch(
                facecolor="#bbbbbb" if zone.kind not in ("security_zone", "buffer") else "none",
                edgecolor="#444444",
                linestyle=style,
                hatch="xxx" if zone.kind not in ("security_zone", "buffer") else None,
                label=_label(zone.name),
            )
        )
    for index, line in enumerate(agreement.lines):
        shape = _project(prep, line.geometry.shape)
        main = index == 0
        ax.add_collection(
            LineCollection(
                _segments(shape),
                colors="#000000" if main else "#555555",
                linewidths=2.2 if main else 1.1,
                linestyles="solid" if main else (0, (4, 2)),
                zorder=5,
            )
        )
        handles.insert(
            index,
            Line2D(
                [],
                [],
                color="#000000" if main else "#555555",
                lw=2.2 if main else 1.1,
                linestyle="-" if main else (0, (4, 2)),
                label=_label(line.name),
            ),
        )
    return handles


def render_map(prep: PreparedAgreement, violations: object, party_keys: list[str]) -> MapImage:
    """The map of a period's incidents (a DataFrame of enriched violations)."""
    import pandas as pd

    frame = violations if isinstance(violations, pd.DataFrame) else pd.DataFrame()
    if len(frame):
        frame = frame.drop_duplicates("incident_id")
    lon = frame["lon"].to_numpy(dtype=float) if len(frame) else np.array([])
    lat = frame["lat"].to_numpy(dtype=float) if len(frame) else np.array([])
    ok = np.isfinite(lon) & np.isfinite(lat)
    x, y = prep.projection.forward(lon[ok], lat[ok]) if ok.any() else (np.array([]), np.array([]))
    extent = _extent(prep, x, y)
    with drawing():
        figure = Figure(figsize=SIZE_IN, dpi=DPI)
        ax = figure.add_axes(MAP_BOX)
        ax.set_facecolor("#ffffff")
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        _base(ax, prep, extent)
        handles = _agreement_layers(ax, prep)
        styles = party_style(party_keys)
        parties = (
            frame["party"].replace("", UNATTRIBUTED).to_numpy()[ok] if len(frame) else np.array([])
        )
        statuses = frame["status"].to_numpy()[ok] if len(frame) else np.array([])
        size = 28 if len(x) < 300 else 10 if len(x) < 5000 else 3
        for key in party_keys:
            for status, marker in STATUS_MARKERS.items():
                mask = (parties == key) & (statuses == status)
                if mask.any():
                    ax.scatter(
                        x[mask],
                        y[mask],
                        s=size,
                        marker=marker,
                        facecolor=styles[key][0],
                        edgecolor="#000000",
                        linewidths=0.5 if size > 5 else 0.2,
                        zorder=7,
                    )
        shown_parties = [k for k in party_keys if (parties == k).any()]
        shown_status = [s for s in STATUS_MARKERS if (statuses == s).any()]
        handles += [
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                markerfacecolor=styles[k][0],
                markeredgecolor="black",
                label=f"by {k}" if k != UNATTRIBUTED else k,
            )
            for k in shown_parties
        ]
        handles += [
            Line2D(
                [],
                [],
                marker=STATUS_MARKERS[s],
                ls="",
                markerfacecolor="#dddddd",
                markeredgecolor="black",
                label=s,
            )
            for s in shown_status
        ]
        if not len(x):
            ax.text(
                (extent[0] + extent[1]) / 2,
                extent[3] - (extent[3] - extent[2]) * 0.05,
                "no located incidents in this period",
                ha="center",
                va="top",
                fontsize=8,
                zorder=9,
            )
        _scale_bar(ax, extent)
        figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.66, 0.98),
            fontsize=6.5,
            frameon=False,
            title="Legend",
            title_fontsize=7.5,
            alignment="left",
        )
        image = png(figure)
    width, height = round(SIZE_IN[0] * DPI), round(SIZE_IN[1] * DPI)
    return MapImage(image, width, height, extent, prep)
