"""How far a front moved: points sampled along the new front, geodesic distance to the old.

A party's front is the boundary of its area. Nearest points are found in a local conformal
projection (prepared, indexed outlines), then the distance is measured on the WGS 84
ellipsoid between the point and its nearest point on the old boundary.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.projection import GEOD, Array, LocalProjection

SAMPLE_M = 250.0  # spacing of the points sampled along a changed stretch of front
ON_FRONT_M = 1.0  # a sampled point this close to the new boundary lies on the new front
DEFAULT_EXTENT = (22.0, 44.0, 41.0, 53.0)  # Ukraine and the western Russian regions


def region_projection(
    bounds: tuple[float, float, float, float] = DEFAULT_EXTENT,
) -> LocalProjection:
    """A local conformal projection for maps within these lon/lat bounds (with a margin)."""
    west, south, east, north = bounds
    return LocalProjection(west - 1, south - 1, east + 1, north + 1)


def project(geometries: NDArray[np.object_], projection: LocalProjection) -> NDArray[np.object_]:
    """Geometries from lon/lat to the projection's metres."""

    def forward(coords: np.ndarray) -> np.ndarray:
        x, y = projection.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return np.asarray(shapely.transform(geometries, forward), dtype=object)


class Front:
    """The outline of one party's area on one date, projected and prepared for distance
    queries (call `warm_up` in the thread that built it before sharing it between threads:
    GEOS builds its distance index on first use)."""

    def __init__(self, area: BaseGeometry, projection: LocalProjection) -> None:
        self.projection = projection
        self.outline = project(np.array([shapely.boundary(area)], dtype=object), projection)[0]
        self.empty = bool(self.outline.is_empty)
        shapely.prepare(self.outline)

    def warm_up(self) -> None:
        """Build the lazy indexes now."""
        probe = shapely.points(np.zeros((1, 2)))
        shapely.dwithin(self.outline, probe, 1.0)
        shapely.shortest_line(self.outline, probe)

    def on_front(self, points: NDArray[np.object_]) -> NDArray[np.bool_]:
        """Whether each projected point lies on this front (within ON_FRONT_M)."""
        if self.empty or len(points) == 0:
            return np.zeros(len(points), dtype=bool)
        return np.asarray(shapely.dwithin(self.outline, points, ON_FRONT_M), dtype=bool)

    def geodesic_km(self, points: NDArray[np.object_]) -> Array:
        """Geodesic distance (km) from each projected point to its nearest point on this
        front (found in the projection, measured on the ellipsoid)."""
        if len(points) == 0 or self.empty:
            return np.full(len(points), np.inf if self.empty else 0.0)
        ends = shapely.get_coordinates(shapely.shortest_line(self.outline, points))
        ends = ends.reshape(-1, 2, 2)
        result = np.zeros(len(points))
        moved = np.hypot(*(ends[:, 1] - ends[:, 0]).T) > 0
        if moved.any():
            lon1, lat1 = self.projection.inverse(ends[moved, 0, 0], ends[moved, 0, 1])
            lon2, lat2 = self.projection.inverse(ends[moved, 1, 0], ends[moved, 1, 1])
            _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
            result[moved] = np.asarray(metres, dtype=np.float64) / 1000.0
        return result


def new_front_points(
    parts_xy: NDArray[np.object_], new: Front
) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Points every SAMPLE_M metres along the boundaries of changed parts (projected) that lie
    on the new front, with the index of the part of each."""
    if len(parts_xy) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.intp)
    outlines = shapely.segmentize(shapely.boundary(parts_xy), SAMPLE_M)
    xy, part_of = shapely.get_coordinates(outlines, return_index=True)
    points = shapely.points(xy)
    on_front = new.on_front(points)
    return points[on_front], part_of[on_front]


def movement_km(
    parts_xy: NDArray[np.object_], old: Front, new: Front
) -> tuple[Array, NDArray[np.intp]]:
    """For points sampled on the new front along each changed part: the geodesic distance (km)
    to the old front, and the part of each point."""
    points, part_of = new_front_points(parts_xy, new)
    if len(points) == 0 or old.empty:
        return np.zeros(len(points)), part_of
    return old.geodesic_km(points), part_of
