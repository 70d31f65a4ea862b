"""Distance to a line and side of a line for many points at once.

The line is densified in lon/lat (pieces of at most 10 km, so it follows the straight lon/lat
edges that GeoJSON and the controlled-area polygons use to within about 2 m) and projected
once. A grid of candidate segments gives each point its exact nearest segment (a compiled
loop over its cell's candidates, geo/kernels.py); the distance from the point to that nearest
point is then measured on the ellipsoid. No Python loop per point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.grid import BUILD_LOCK
from ceasefire.geo.projection import SIMPSON_MAX_KM, Array, LocalProjection
from ceasefire.geo.segments import IntArray, SegmentGrid

_MAX_PIECE_M = 10_000.0
ON_LINE_M = 1.0  # a point within this of the line is on it (the line is known to km)
_GRID_MARGIN_M = 600_000.0
GRID_FROM = 20_000  # smaller batches measure every segment
# the candidate grid for the kernels: x0, y0, cell, nx, ny; count, offset, flat
Cells = tuple[Array, NDArray[np.int32], NDArray[np.int64], NDArray[np.int32]]
_NO_CELLS = (np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int32))


@dataclass(frozen=True)
class Nearest:
    """For each point: the distance to the line (km, on the ellipsoid), the side (+1 left,
    -1 right, 0 on the line or unknown) walking along the line from its first point, and the
    nearest point (projected metres)."""

    distance_km: Array
    side: NDArray[np.int8]
    near_x: Array
    near_y: Array


def _parts(geometry: BaseGeometry) -> list[np.ndarray]:
    if geometry.geom_type in ("LineString", "LinearRing"):
        return [np.asarray(geometry.coords)[:, :2]]
    return [np.asarray(g.coords)[:, :2] for g in geometry.geoms]


class ProjectedLine:
    """A line prepared for fast distance and side queries."""

    def __init__(
        self,
        geometry: BaseGeometry,
        projection: LocalProjection,
        *,
        projected: bool = False,
        grid_margin_m: float = _GRID_MARGIN_M,
        grid_cell_m: float = 2000.0,
    ) -> None:
        """`geometry` in lon/lat (densified, then projected), or already in the projection's
        metres (`projected`, taken as it is). The candidate grid covers the line's bounds
        and `grid_margin_m` around them; points beyond measure every segment."""
        self.projection = projection
        self.grid_margin_m, self.grid_cell_m = grid_margin_m, grid_cell_m
        starts, ends, pieces = [], [], []
        for coords in _parts(geometry):
            if projected:
                xy = np.ascontiguousarray(coords, dtype=np.float64)
            else:
                lonlat = self._densify(coords, projection)
                x, y = projection.forward(lonlat[:, 0], lonlat[:, 1])
                xy = np.column_stack([x, y])
            starts.append(xy[:-1])
            ends.append(xy[1:])
            pieces.append(xy)
        self.a = np.concatenate(starts)
        self.b = np.concatenate(ends)
        self.d = self.b - self.a
        self.inv_len2 = 1.0 / np.maximum((self.d**2).sum(1), 1e-12)
        self._columns = (
            self.a[:, 0].copy(),
            self.a[:, 1].copy(),
            self.d[:, 0].copy(),
            self.d[:, 1].copy(),
            self.inv_len2,
        )
        lengths = np.array([len(s) for s in starts])
        last = np.cumsum(lengths) - 1
        self.next_segment = np.arange(1, len(self.a) + 1)
        self.next_segment[last] = -1
        self.prev_segment = np.arange(-1, len(self.a) - 1)
        self.prev_segment[last[:-1] + 1] = -1
        self.shape = shapely.MultiLineString(pieces)
        shapely.prepare(self.shape)
        self._grid: SegmentGrid | None = None

    @property
    def grid(self) -> SegmentGrid:
        """The candidate-segment grid (built on first use by a large batch, about a second)."""
        if self._grid is None:
            with BUILD_LOCK:
                if self._grid is None:
                    west, south, east, north = self.shape.bounds
                    m = self.grid_margin_m
                    extent = (west - m, south - m, east + m, north + m)
                    self._grid = SegmentGrid(self.a, self.b, extent, self.grid_cell_m)
        return self._grid

    @staticmethod
    def _densify(lonlat: np.ndarray, projection: LocalProjection) -> np.ndarray:
        x, y = projection.forward(lonlat[:, 0], lonlat[:, 1])
        steps = np.maximum(1, np.ceil(np.hypot(np.diff(x), np.diff(y)) / _MAX_PIECE_M)).astype(int)
        out = [lonlat[:1]]
        for p, q, n in zip(lonlat[:-1], lonlat[1:], steps, strict=True):
            out.append(p + (q - p) * (np.arange(1, n + 1)[:, None] / n))
        return np.vstack(out)

    def _cells(self, n: int) -> Cells:
        """The candidate grid as arrays for the kernels (none for a small batch)."""
        if n >= GRID_FROM or self._grid is not None:
            grid = self.grid
            box = np.array([grid.x0, grid.y0, grid.cell, grid.nx, grid.ny], dtype=np.float64)
            return box, grid.count, grid.offset, grid.flat
        return (np.zeros(0), *_NO_CELLS)

    def nearest(self, x: Array, y: Array) -> tuple[IntArray, Array, Array]:
        """Nearest segment, its parameter t and the squared planar distance, per point (a
        compiled loop: geo/kernels.py)."""
        from ceasefire.geo.kernels import nearest_segments  # Numba loads on first use

        x = np.ascontiguousarray(x, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        result: tuple[IntArray, Array, Array] = nearest_segments(
            x, y, *self._cells(len(x)), *self._columns
        )
        return result

    def measure_xy(self, x: Array, y: Array) -> Nearest:
        """Distance (km, ellipsoid) and side of projected points (one compiled pass,
        geo/kernels.py; the geodesic beyond SIMPSON_MAX_KM)."""
        from ceasefire.geo.kernels import measure_points  # Numba loads on first use

        x = np.ascontiguousarray(x, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        scale = self.projection.scale
        params = np.array([*scale.apex, scale.rho0, scale.step], dtype=np.float64)
        distance, side, near_x, near_y = measure_points(
            x,
            y,
            self._cells(len(x)),
            self._columns,
            (self.prev_segment, self.next_segment),
            (params, scale.table),
            ON_LINE_M,
        )
        far = np.flatnonzero(distance > SIMPSON_MAX_KM)
        if len(far):
            distance[far] = self.exact_km(x[far], y[far], near_x[far], near_y[far])
        return Nearest(distance, side, near_x, near_y)

    def exact_km(self, x: Array, y: Array, near_x: Array, near_y: Array) -> Array:
        """Geodesic distance (km) between projected points and their nearest points."""
        lon, lat = self.projection.inverse(x, y)
        nlon, nlat = self.projection.inverse(near_x, near_y)
        from ceasefire.geo.ellipsoid import vincenty_km  # Numba loads on first use

        return vincenty_km(lon, lat, nlon, nlat)

    def measure(self, lon: Array, lat: Array) -> Nearest:
        """Geodesic distance (km) to the line and side, for each lon/lat."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        x, y = self.projection.forward(lon, lat)
        return self.measure_xy(x, y)
