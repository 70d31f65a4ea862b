"""Admin-1 units tiling each country's land, and geodesic areas of many polygons at once.

The bundled admin-1 polygons (geo.boundaries.admin_units, already clipped to land) come from
a different scale than the land polygons: along coasts and borders about 2,850 km2 of
Ukraine's land lies in no unit. Where a country's units cover (almost) all its land, each
such sliver is given to the nearest unit (split between units along equal-distance lines),
as the point lookup in geo.admin does for points, so that the units sum to the country.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.boundaries import admin_units, countries
from ceasefire.geo.projection import GEOD
from ceasefire.territory.maps import MAX_EDGE_DEG

COUNTRY_NAMES = {"UA": "Ukraine", "RU": "Russia (western regions)", "BY": "Belarus",
                 "MD": "Moldova"}  # fmt: skip
# a country whose units cover at least this share of its land gets its slivers filled
_COMPLETE = 0.99
# slivers farther than this (degrees) from every unit are left out
_NEAR_DEG = 0.05
_SAMPLE_DEG = 0.01
_POLYGON = 3  # shapely type id


def geodesic_areas_km2(geometries: NDArray[np.object_] | list[BaseGeometry]) -> NDArray[np.float64]:
    """Area on the WGS 84 ellipsoid of each geometry (its polygonal parts), in km2.

    Ring orientation does not matter: each exterior ring adds, each hole subtracts."""
    geoms = np.asarray(geometries, dtype=object)
    out = np.zeros(len(geoms))
    if len(geoms) == 0:
        return out
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    polygons = shapely.get_type_id(parts) == _POLYGON
    parts, part_of = parts[polygons], part_of[polygons]
    if len(parts) == 0:
        return out
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, ring_of[1:] != ring_of[:-1]]
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    bounds = np.searchsorted(coord_of, np.arange(len(rings) + 1))
    lon, lat = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    areas = np.empty(len(rings))
    for i in range(len(rings)):
        start, end = bounds[i], bounds[i + 1]
        areas[i] = abs(GEOD.polygon_area_perimeter(lon[start:end], lat[start:end])[0])
    areas[~exterior] *= -1
    np.add.at(out, part_of[ring_of], areas)
    return np.maximum(out, 0.0) / 1e6


@dataclass(frozen=True)
class Unit:
    """An admin-1 unit with its land geometry (lon/lat) and geodesic land area."""

    iso: str
    name: str
    country: str
    geometry: BaseGeometry
    area_km2: float


def _nearest_split(
    piece: BaseGeometry, unit_ids: NDArray[np.intp], geoms: list[BaseGeometry]
) -> dict[int, BaseGeometry]:
    """Split a sliver between nearby units: each point goes to the nearest unit boundary."""
    points, labels = [], []
    for u in unit_ids:
        boundary = shapely.segmentize(geoms[u].boundary, _SAMPLE_DEG)
        xy = shapely.get_coordinates(boundary)
        near = shapely.dwithin(shapely.points(xy), piece, _NEAR_DEG)
        points.append(xy[near])
        labels.append(np.full(int(near.sum()), u))
    xy, label = np.vstack(points), np.concatenate(labels)
    xy, first = np.unique(xy, axis=0, return_index=True)
    label = label[first]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=piece.buffer(1.0))
    )
    point_i, cell_i = shapely.STRtree(cells).query(shapely.points(xy), predicate="within")
    owner = np.full(len(cells), -1)
    owner[cell_i] = label[point_i]
    result = {}
    for u in unit_ids:
        mine = cells[owner == u]
        if len(mine):
            share = shapely.intersection(piece, shapely.union_all(mine))
            if not share.is_empty:
                result[int(u)] = share
    return result


def _fill_slivers(land: BaseGeometry, geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    """Units of one country grown by the land that lies in none of them."""
    gap = shapely.make_valid(land.difference(shapely.union_all(geoms)))
    pieces = [p for p in shapely.get_parts(gap) if p.geom_type == "Polygon"]
    extra: dict[int, list[BaseGeometry]] = {}
    tree = shapely.STRtree(geoms)
    for piece in pieces:
        near = tree.query(piece, predicate="dwithin", distance=_NEAR_DEG)
        if len(near) == 1:
            extra.setdefault(int(near[0]), []).append(piece)
        elif len(near) > 1:
            for u, share in _nearest_split(piece, near, geoms).items():
                extra.setdefault(u, []).append(share)
    grown = list(geoms)
    for u, add in extra.items():
        merged = shapely.make_valid(shapely.union_all([geoms[u], *add]))
        parts = [p for p in shapely.get_parts(merged) if p.geom_type == "Polygon"]
        grown[u] = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
    return grown


class TerritoryUnits:
    """The admin-1 units that areas are reported for, with a spatial index."""

    def __init__(self) -> None:
        raw = admin_units()
        land = countries()
        geoms = [u.geometry for u in raw]
        by_country: dict[str, list[int]] = {}
        for i, unit in enumerate(raw):
            by_country.setdefault(unit.country, []).append(i)
        for country, idx in by_country.items():
            covered = geodesic_areas_km2([shapely.union_all([geoms[i] for i in idx])])[0]
            if country in land and covered >= _COMPLETE * geodesic_areas_km2([land[country]])[0]:
                for i, grown in zip(
                    idx, _fill_slivers(land[country], [geoms[i] for i in idx]), strict=True
                ):
                    geoms[i] = grown
        geoms = list(shapely.segmentize(np.array(geoms, dtype=object), MAX_EDGE_DEG))
        areas = geodesic_areas_km2(geoms)
        self.units = tuple(
            Unit(u.iso, u.name, u.country, g, float(a))
            for u, g, a in zip(raw, geoms, areas, strict=True)
        )
        self.geoms = np.array(geoms, dtype=object)
        for g in self.geoms:
            shapely.prepare(g)
        self.area_km2 = areas
        self.iso = np.array([u.iso for u in self.units], dtype=object)
        self.country = np.array([u.country for u in self.units], dtype=object)
        self.tree = shapely.STRtree(self.geoms)
        self.country_area_km2 = {c: float(areas[i].sum()) for c, i in by_country.items()}
        self.by_country = {c: np.asarray(i) for c, i in by_country.items()}

    def index_of(self, iso: str) -> int:
        """Position of the unit with this ISO 3166-2 code."""
        hits = np.flatnonzero(self.iso == iso)
        if not len(hits):
            raise KeyError(iso)
        return int(hits[0])


@cache
def territory_units() -> TerritoryUnits:
    """The shared units (built once per process)."""
    return TerritoryUnits()
