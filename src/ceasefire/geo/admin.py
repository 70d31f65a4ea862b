"""Assign admin-1 units and countries to many points at once."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import shapely

from ceasefire.geo.boundaries import admin_units, countries
from ceasefire.geo.projection import Array

# A point on the coast or just at sea is given the nearest unit within this distance (degrees).
_COAST_TOLERANCE_DEG = 0.1


class AdminIndex:
    """Point-in-polygon lookup of admin-1 units (land-clipped) with a spatial index."""

    def __init__(self) -> None:
        units = admin_units()
        self.iso = np.array([u.iso for u in units], dtype=object)
        self.country = np.array([u.country for u in units], dtype=object)
        self.names = {u.iso: u.name for u in units}
        geoms = [u.geometry for u in units]
        for geom in geoms:
            shapely.prepare(geom)
        self.tree = shapely.STRtree(geoms)
        land = countries()
        self.country_codes = np.array(list(land), dtype=object)
        self.country_tree = shapely.STRtree(list(land.values()))

    def countries_of(self, lon: Array, lat: Array) -> np.ndarray:
        """Country code (UA, RU west of 60 E, BY, MD) per point, None elsewhere."""
        result = np.full(len(lon), None, dtype=object)
        valid = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        if len(valid):
            point_i, country_i = self.country_tree.query(
                shapely.points(lon[valid], lat[valid]), predicate="intersects"
            )
            result[valid[point_i]] = self.country_codes[country_i]
        return result

    def lookup(self, lon: Array, lat: Array) -> tuple[np.ndarray, np.ndarray]:
        """ISO 3166-2 code and country code per point (None where no unit is near)."""
        n = len(lon)
        iso = np.full(n, None, dtype=object)
        country = np.full(n, None, dtype=object)
        valid = np.isfinite(lon) & np.isfinite(lat)
        idx = np.flatnonzero(valid)
        if len(idx) == 0:
            return iso, country
        points = shapely.points(lon[idx], lat[idx])
        point_i, unit_i = self.tree.query(points, predicate="intersects")
        # first unit per point (a point exactly on a shared border takes the first one)
        order = np.argsort(point_i, kind="stable")
        point_i, unit_i = point_i[order], unit_i[order]
        first = np.r_[True, point_i[1:] != point_i[:-1]] if len(point_i) else np.zeros(0, bool)
        found = idx[point_i[first]]
        iso[found] = self.iso[unit_i[first]]
        country[found] = self.country[unit_i[first]]
        missing = idx[~np.isin(idx, found)]
        if len(missing):
            near_p, near_u = self.tree.query_nearest(
                shapely.points(lon[missing], lat[missing]), max_distance=_COAST_TOLERANCE_DEG
            )
            iso[missing[near_p]] = self.iso[near_u]
            country[missing[near_p]] = self.country[near_u]
        unknown = idx[pd.isna(country[idx])]
        if len(unknown):
            country[unknown] = self.countries_of(lon[unknown], lat[unknown])
        return iso, country


@cache
def admin_index() -> AdminIndex:
    """The shared admin index (built once per process)."""
    return AdminIndex()
