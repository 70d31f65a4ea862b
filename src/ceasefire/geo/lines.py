"""Distance to a line and side of a line for many points at once.

Project once, find candidate segments with a KD-tree over densified segment midpoints,
compute exact point-to-segment distances for the candidates, then measure the distance to
the nearest point on the ellipsoid. No Python loop per point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.projection import Array, LocalProjection, geodesic_km

_MAX_SEGMENT_M = 2_000.0
_CANDIDATES = 8


@dataclass(frozen=True)
class Nearest:
    """For each point: the distance to the line (km, geodesic) and the side (+1 left, -1 right,
    0 on the line), walking along the line from its first point."""

    distance_km: Array
    side: NDArrayInt


NDArrayInt = np.ndarray


def _parts(geometry: BaseGeometry) -> list[np.ndarray]:
    if geometry.geom_type == "LineString":
        return [np.asarray(geometry.coords)[:, :2]]
    return [np.asarray(g.coords)[:, :2] for g in geometry.geoms]


class ProjectedLine:
    """A line prepared for fast distance and side queries."""

    def __init__(self, geometry: BaseGeometry, projection: LocalProjection) -> None:
        self.projection = projection
        starts, ends = [], []
        for coords in _parts(geometry):
            x, y = projection.forward(coords[:, 0], coords[:, 1])
            xy = self._densify(np.column_stack([x, y]))
            starts.append(xy[:-1])
            ends.append(xy[1:])
        self.a = np.concatenate(starts)
        self.b = np.concatenate(ends)
        # next segment of the same part, for the side test at vertices (-1 at a part's end)
        lengths = [len(s) for s in starts]
        nxt = np.arange(1, len(self.a) + 1)
        nxt[np.cumsum(lengths) - 1] = -1
        self.next_segment = nxt
        self.tree = cKDTree((self.a + self.b) / 2)
        self.half_max = float(np.max(np.hypot(*(self.b - self.a).T))) / 2
        self.shape = shapely.MultiLineString([np.vstack([s, e[-1:]]) for s, e in zip(starts, ends, strict=True)])
        shapely.prepare(self.shape)

    @staticmethod
    def _densify(xy: np.ndarray) -> np.ndarray:
        out = [xy[:1]]
        for p, q in zip(xy[:-1], xy[1:], strict=True):
            n = max(1, int(np.ceil(np.hypot(*(q - p)) / _MAX_SEGMENT_M)))
            t = np.arange(1, n + 1)[:, None] / n
            out.append(p + (q - p) * t)
        return np.vstack(out)

    def _project_on(self, seg: np.ndarray, x: Array, y: Array) -> tuple[Array, Array, Array]:
        a, b = self.a[seg], self.b[seg]
        d = b - a
        px = x[..., None] if seg.ndim > x.ndim else x
        py = y[..., None] if seg.ndim > y.ndim else y
        denom = np.maximum((d**2).sum(-1), 1e-12)
        t = np.clip(((px - a[..., 0]) * d[..., 0] + (py - a[..., 1]) * d[..., 1]) / denom, 0, 1)
        nx = a[..., 0] + t * d[..., 0]
        ny = a[..., 1] + t * d[..., 1]
        return np.hypot(px - nx, py - ny), t, np.stack([nx, ny], -1)

    def nearest_segment(self, x: Array, y: Array) -> tuple[np.ndarray, Array, np.ndarray]:
        """Index of the nearest segment, planar distance and nearest point, per point."""
        k = min(_CANDIDATES, len(self.a))
        mid_dist, cand = self.tree.query(np.column_stack([x, y]), k=k)
        cand = cand.reshape(len(x), k)
        mid_dist = mid_dist.reshape(len(x), k)
        dist, _, near = self._project_on(cand, x, y)
        best = np.argmin(dist, axis=1)
        rows = np.arange(len(x))
        seg = cand[rows, best]
        planar = dist[rows, best]
        point = near[rows, best]
        # exact when the k-th midpoint is farther than any point of a closer segment could be
        unsure = mid_dist[:, -1] < planar + self.half_max
        if k < len(self.a) and unsure.any():
            seg, planar, point = self._exact(seg, planar, point, unsure, x, y)
        return seg, planar, point

    def _exact(
        self, seg: np.ndarray, planar: Array, point: np.ndarray, which: np.ndarray, x: Array, y: Array
    ) -> tuple[np.ndarray, Array, np.ndarray]:
        idx = np.flatnonzero(which)
        pts = shapely.points(x[idx], y[idx])
        along = shapely.line_locate_point(self.shape, pts)
        near = shapely.line_interpolate_point(self.shape, along)
        nx, ny = shapely.get_x(near), shapely.get_y(near)
        # the segment holding the nearest point: search among midpoints near it
        _, cand = self.tree.query(np.column_stack([nx, ny]), k=min(4, len(self.a)))
        cand = cand.reshape(len(idx), -1)
        dist, _, nearp = self._project_on(cand, x[idx], y[idx])
        best = np.argmin(dist, axis=1)
        rows = np.arange(len(idx))
        seg, planar, point = seg.copy(), planar.copy(), point.copy()
        seg[idx] = cand[rows, best]
        planar[idx] = dist[rows, best]
        point[idx] = nearp[rows, best]
        return seg, planar, point

    def side(self, seg: np.ndarray, x: Array, y: Array, point: np.ndarray) -> np.ndarray:
        """+1 left, -1 right, 0 on the line, using the adjacent segment at vertices."""
        d1 = self.b[seg] - self.a[seg]
        c1 = d1[:, 0] * (y - self.a[seg, 1]) - d1[:, 1] * (x - self.a[seg, 0])
        nxt = self.next_segment[seg]
        at_end = np.isclose(point, self.b[seg]).all(axis=1) & (nxt >= 0)
        safe = np.where(nxt >= 0, nxt, seg)
        d2 = self.b[safe] - self.a[safe]
        c2 = d2[:, 0] * (y - self.a[safe, 1]) - d2[:, 1] * (x - self.a[safe, 0])
        turn = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
        left_at_vertex = np.where(turn > 0, (c1 > 0) & (c2 > 0), (c1 > 0) | (c2 > 0))
        left = np.where(at_end, left_at_vertex, c1 > 0)
        on_line = np.hypot(x - point[:, 0], y - point[:, 1]) < 1e-6
        return np.where(on_line, 0, np.where(left, 1, -1))

    def measure(self, lon: Array, lat: Array) -> Nearest:
        """Geodesic distance (km) to the line and side, for each lon/lat."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        if len(lon) == 0:
            return Nearest(np.zeros(0), np.zeros(0, dtype=np.int8))
        x, y = self.projection.forward(lon, lat)
        seg, _, point = self.nearest_segment(x, y)
        nlon, nlat = self.projection.inverse(point[:, 0], point[:, 1])
        distance = geodesic_km(lon, lat, nlon, nlat)
        return Nearest(distance, self.side(seg, x, y, point).astype(np.int8))
