"""Which side of a line a point is on, and how far it is from any place where that changes.

Inside the country that holds a line's controlled area the polygon decides; in a country
that a party declares its territory, that party's side; elsewhere the line's orientation.
The side of an area (a disk, an admin unit, a sector) is certain only when the area reaches
neither the line nor any other place where the side changes (the controlled area's edge
inside the country, borders where two of the rules disagree, the line's extension beyond
its ends). Those other places are found once per line by testing both sides of every short
piece of the candidate boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy import ndimage
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.boundaries import countries
from ceasefire.geo.grid import BUILD_LOCK, LabelGrid
from ceasefire.geo.lines import ProjectedLine
from ceasefire.geo.projection import Array, LocalProjection

Codes = NDArray[np.int8]
# regimes: orientation decides, in the area, elsewhere in its country, in a party's territory
ORIENTATION, OWN, OTHER, TERRITORY_LEFT, TERRITORY_RIGHT = 0, 1, 2, 3, 4
LEFT, RIGHT, BOTH = 1, 2, 3  # side codes and masks (0: none / on the line)
GRID_FROM = 20_000  # batches at least this large read lookup tables
_PIECE_DEG = 0.01
_PROBE_DEG = 0.003
_RAY_M = 1_500_000.0
_GRID_MARGIN_DEG = 3.0  # the regime table covers this much round the country (or the line)
_BOUND_FROM = 2_000  # this many points ask the raster of lower bounds first
ON_LINE_KM = 0.1  # changes this close to the line are the line (see measure.py)
_REGIME_CELL_DEG = 0.005  # regime table: most points near the line read it (0.12 s build)
_SAMPLE_M = 200.0  # spacing of the points along the changes in their k-d tree


def _nothing(lon: Array, lat: Array) -> NDArray[np.int32]:
    return np.zeros(len(lon), dtype=np.int32)


def country_holding(area: BaseGeometry) -> BaseGeometry | None:
    """The land polygon of the country where most of the controlled area lies."""
    best, best_overlap = None, 0.0
    for geometry in countries().values():
        overlap = geometry.intersection(area).area
        if overlap > best_overlap:
            best, best_overlap = geometry, overlap
    return best


class SideRule:
    """The side function of one line (orientation, polygon inside its country) and the
    distance to the places other than the line where the side changes."""

    def __init__(
        self,
        projected: ProjectedLine,
        projection: LocalProjection,
        area: BaseGeometry | None,
        area_is_left: bool,
        territories: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.projected = projected
        self.projection = projection
        self.area = area
        self.own = LEFT if area_is_left else RIGHT
        self.country = country_holding(area) if area is not None else None
        if area is not None:
            shapely.prepare(area)
        if self.country is not None:
            shapely.prepare(self.country)
        land = countries()
        # (polygon, side code) of each party territory other than the area's country
        self.territories = [
            (land[iso], side) for iso, side in territories if land[iso] is not self.country
        ]
        for polygon, _ in self.territories:
            shapely.prepare(polygon)
        self._decides = self.territories or (area is not None and self.country is not None)
        self._grid: LabelGrid | None = None
        self.changes = self._changes()
        self.changes_xy = shapely.transform(self.changes, self._forward)
        shapely.prepare(self.changes_xy)
        self.tree = shapely.STRtree(shapely.get_parts(self.changes_xy))
        self._bound: tuple[LabelGrid, NDArray[np.float64]] | None = None
        self._points: cKDTree | None = None

    def _forward(self, coords: np.ndarray) -> np.ndarray:
        x, y = self.projection.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def exact_regime(self, lon: Array, lat: Array) -> NDArray[np.int32]:
        """OWN in the controlled area, OTHER elsewhere in its country, TERRITORY_LEFT/RIGHT
        in a party's territory, ORIENTATION anywhere else."""
        regime = np.zeros(len(lon), dtype=np.int32)
        if self.area is not None and self.country is not None:
            in_country = shapely.intersects_xy(self.country, lon, lat)
            in_area = shapely.intersects_xy(self.area, lon, lat)
            regime[in_country] = np.where(in_area[in_country], OWN, OTHER)
        for polygon, side in self.territories:
            left = regime == ORIENTATION
            hit = np.flatnonzero(left)[shapely.intersects_xy(polygon, lon[left], lat[left])]
            regime[hit] = TERRITORY_LEFT if side == LEFT else TERRITORY_RIGHT
        return regime

    def regime(self, lon: Array, lat: Array) -> NDArray[np.int32]:
        """The regime of each point, by lookup table for large batches."""
        if not self._decides:
            return np.zeros(len(lon), dtype=np.int32)
        if len(lon) < GRID_FROM and self._grid is None:
            regime = np.full(len(lon), ORIENTATION, dtype=np.int32)
            ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
            regime[ok] = self.exact_regime(lon[ok], lat[ok])
            return regime
        if self._grid is None:
            with BUILD_LOCK:
                if self._grid is None:
                    around = self.country if self.country is not None else self.projected_lonlat()
                    west, south, east, north = around.bounds
                    m = _GRID_MARGIN_DEG
                    polygons = [p for p, _ in self.territories]
                    if self.area is not None and self.country is not None:
                        polygons += [self.area, self.country]
                    self._grid = LabelGrid(
                        polygons,
                        self.exact_regime,
                        (west - m, south - m, east + m, north + m),
                        cell_deg=_REGIME_CELL_DEG,
                    )
        return np.maximum(self._grid.lookup(lon, lat), 0)

    def sides(self, lon: Array, lat: Array, orientation: Codes) -> Codes:
        """Side code (1 left, 2 right, 0 on the line or unknown) from the orientation side
        (+1/-1/0) and the controlled area."""
        side = np.where(orientation > 0, LEFT, np.where(orientation < 0, RIGHT, 0)).astype(np.int8)
        if not self._decides:
            return side
        regime = self.regime(lon, lat)
        other = RIGHT if self.own == LEFT else LEFT
        decided = np.array([0, self.own, other, LEFT, RIGHT], dtype=np.int8)[regime]
        return np.where((regime != ORIENTATION) & (side != 0), decided, side).astype(np.int8)

    def projected_lonlat(self) -> BaseGeometry:
        """The line in lon/lat (its projected shape brought back)."""
        return shapely.transform(self.projected.shape, self._inverse)

    def _inverse(self, coords: np.ndarray) -> np.ndarray:
        lon, lat = self.projection.inverse(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    def side_of(self, lon: Array, lat: Array) -> Codes:
        """Side code of lon/lat points (one full measurement)."""
        near = self.projected.measure(lon, lat)
        return self.sides(lon, lat, near.side)

    def _rays(self) -> list[np.ndarray]:
        rays = []
        for part in shapely.get_parts(self.projected.shape):
            xy = shapely.get_coordinates(part)
            for end, before in ((xy[0], xy[1]), (xy[-1], xy[-2])):
                direction = (end - before) / max(float(np.hypot(*(end - before))), 1e-9)
                far = end + direction * _RAY_M
                steps = np.linspace(0.0, 1.0, 301)[:, None]
                lon, lat = self.projection.inverse(*(end + (far - end) * steps).T)
                rays.append(np.column_stack([lon, lat]))
        return rays

    def _changes(self) -> BaseGeometry:
        """Pieces of the candidate boundaries across which the side changes (lon/lat)."""
        lines = [shapely.LineString(r) for r in self._rays()]
        if self.area is not None and self.country is not None:
            lines += [self.area.boundary, self.country.boundary]
        lines += [polygon.boundary for polygon, _ in self.territories]
        pieces = []
        for line in lines:
            for part in shapely.get_parts(shapely.segmentize(line, _PIECE_DEG)):
                xy = shapely.get_coordinates(part)
                if len(xy) >= 2:
                    pieces.append(np.stack([xy[:-1], xy[1:]], axis=1))
        seg = np.concatenate(pieces)
        mid = seg.mean(axis=1)
        d = seg[:, 1] - seg[:, 0]
        scale = np.cos(np.radians(mid[:, 1]))
        normal = np.column_stack([-d[:, 1], d[:, 0] * scale**2])
        normal /= np.maximum(np.hypot(normal[:, 0] * scale, normal[:, 1])[:, None], 1e-12)
        plus, minus = mid + normal * _PROBE_DEG, mid - normal * _PROBE_DEG
        a = self.side_of(plus[:, 0], plus[:, 1])
        b = self.side_of(minus[:, 0], minus[:, 1])
        flip = (a != b) | (a == 0) | (b == 0)
        flip |= np.r_[flip[1:], False] | np.r_[False, flip[:-1]]  # and their neighbours
        # pieces along the line itself are covered by the distance to the line
        x, y = self.projection.forward(mid[:, 0], mid[:, 1])
        flip &= self.projected.measure_xy(x, y).distance_km > ON_LINE_KM
        return (
            shapely.MultiLineString(list(seg[flip])) if flip.any() else shapely.MultiLineString([])
        )

    def _lower_bound(self, lon: Array, lat: Array) -> Array:
        """A lower bound (km) of the distance to the changes, from a raster of them."""
        if self._bound is None:
            with BUILD_LOCK:
                if self._bound is None:
                    west, south, east, north = self.changes.bounds
                    extent = (west - 2, max(south - 2, -89.0), east + 2, min(north + 2, 89.0))
                    grid = LabelGrid([], _nothing, extent)
                    mask = grid.rasterize([self.changes], dilate=0)
                    km_lat = grid.cell * 110.5
                    km_lon = grid.cell * 111.3 * np.cos(np.radians(extent[3]))
                    dist = ndimage.distance_transform_edt(~mask, sampling=(km_lat, km_lon))
                    bound = np.maximum(dist - 2.0 * np.hypot(km_lat, grid.cell * 111.3), 0.0)
                    self._bound = (grid, bound)
        grid, bound = self._bound
        j, i = grid.cells(lon, lat)
        return np.where(j >= 0, bound[np.maximum(j, 0), np.maximum(i, 0)], 0.0)

    def _nearby(self) -> cKDTree:
        """A k-d tree of points along the changes (projected, at most _SAMPLE_M apart): the
        distance to the nearest of them is at most _SAMPLE_M / 2 more than to the changes."""
        if self._points is None:
            with BUILD_LOCK:
                if self._points is None:
                    dense = shapely.segmentize(self.changes_xy, _SAMPLE_M)
                    # sliding-midpoint splits: points along lines make median splits slow
                    # to search (measured 9x slower)
                    self._points = cKDTree(
                        shapely.get_coordinates(dense),
                        leafsize=32,
                        balanced_tree=False,
                        compact_nodes=False,
                    )
        return self._points

    def clear_of_changes(
        self, lon: Array, lat: Array, x: Array, y: Array, reach: Array, need: NDArray[np.bool_]
    ) -> NDArray[np.bool_]:
        """For events in `need`: does no change of side lie within `reach` km (measured with
        the projection's scale taken 0.1% against the event)? True elsewhere.

        The raster's lower bound clears most events; the k-d tree of points along the
        changes decides all but those within _SAMPLE_M / 2 of the reach; those few ask
        the exact nearest piece."""
        clear = np.ones(len(lon), dtype=bool)
        if self.changes.is_empty:
            return clear
        ok = np.flatnonzero(need & np.isfinite(lon) & np.isfinite(lat) & (reach > 0))
        if len(ok) == 0:
            return clear
        use_raster = self._bound is not None or len(ok) >= _BOUND_FROM
        bound = self._lower_bound(lon[ok], lat[ok]) if use_raster else np.zeros(len(ok))
        ask = ok[reach[ok] >= bound]
        if len(ask) == 0:
            return clear
        # planar metres that correspond to the reach: gap * inv_k * 0.999 / 1000 > reach
        inv_k = self.projection.scale.inverse_k(x[ask], y[ask])
        limit = reach[ask] * 1000.0 / (inv_k * 0.999)
        sampled, _ = self._nearby().query(np.column_stack([x[ask], y[ask]]))
        clear[ask] = sampled - _SAMPLE_M / 2 > limit  # the changes are at least this far
        unsure = np.flatnonzero((sampled > limit) & (sampled - _SAMPLE_M / 2 <= limit))
        if len(unsure):
            points = shapely.points(x[ask[unsure]], y[ask[unsure]])
            (which, _), gap = self.tree.query_nearest(
                points, return_distance=True, all_matches=False
            )
            clear[ask[unsure[which]]] = gap > limit[unsure[which]]
        return clear
