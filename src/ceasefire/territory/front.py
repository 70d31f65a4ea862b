"""How far a front moved: points sampled along the new front, geodesic distance to the old.

A party's front is the boundary of its area. Nearest points are found in a local conformal
projection (nearest-segment search in an STRtree), then the distance is measured on the WGS 84
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
    """The boundary of one party's area on one date, projected and indexed by segment."""

    def __init__(self, area: BaseGeometry, projection: LocalProjection) -> None:
        self.projection = projection
        rings = shapely.get_rings(shapely.get_parts(area))
        coords, ring_of = shapely.get_coordinates(rings, return_index=True)
        x, y = projection.forward(coords[:, 0], coords[:, 1])
        same_ring = ring_of[1:] == ring_of[:-1]
        start = np.column_stack([x[:-1], y[:-1]])[same_ring]
        end = np.column_stack([x[1:], y[1:]])[same_ring]
        self.segments = shapely.linestrings(np.stack([start, end], axis=1))
        self.tree = shapely.STRtree(self.segments)
        self.empty = len(self.segments) == 0

    def distance_m(self, points: NDArray[np.object_]) -> tuple[Array, NDArray[np.intp]]:
        """Planar distance (projection metres) of each point to this front, and the nearest
        segment of each."""
        if self.empty or len(points) == 0:
            return np.full(len(points), np.inf), np.full(len(points), -1, dtype=np.intp)
        (point_i, seg_i), dist = self.tree.query_nearest(
            points, return_distance=True, all_matches=False
        )
        result = np.full(len(points), np.inf)
        nearest = np.full(len(points), -1, dtype=np.intp)
        result[point_i], nearest[point_i] = dist, seg_i
        return result, nearest

    def geodesic_km(self, points: NDArray[np.object_], segment: NDArray[np.intp]) -> Array:
        """Geodesic distance (km) from each projected point to its nearest point on the
        given segment of this front."""
        if len(points) == 0:
            return np.zeros(0)
        lines = shapely.shortest_line(points, self.segments[segment])
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        lon1, lat1 = self.projection.inverse(ends[:, 0, 0], ends[:, 0, 1])
        lon2, lat2 = self.projection.inverse(ends[:, 1, 0], ends[:, 1, 1])
        _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
        return np.asarray(metres, dtype=np.float64) / 1000.0


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
    distance, _ = new.distance_m(points)
    on_front = distance <= ON_FRONT_M
    return points[on_front], part_of[on_front]


def movement_km(
    parts_xy: NDArray[np.object_], old: Front, new: Front
) -> tuple[Array, NDArray[np.intp]]:
    """For points sampled on the new front along each changed part: the geodesic distance (km)
    to the old front, and the part of each point."""
    points, part_of = new_front_points(parts_xy, new)
    if len(points) == 0 or old.empty:
        return np.zeros(len(points)), part_of
    planar, segment = old.distance_m(points)
    km = np.zeros(len(points))
    moved = planar > 0
    km[moved] = old.geodesic_km(points[moved], segment[moved])
    return km, part_of
