"""A local conformal projection for a region, and geodesic helpers (WGS 84)."""

from __future__ import annotations

import numpy as np
import pyproj
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

GEOD = pyproj.Geod(ellps="WGS84")
Array = NDArray[np.float64]


class LocalProjection:
    """Lambert conformal conic fitted to a bounding box: scale error under 0.1% across ~6
    degrees of latitude. Used to find nearest points; distances are then measured on the
    ellipsoid."""

    def __init__(self, west: float, south: float, east: float, north: float) -> None:
        span = max(north - south, 1.0)
        lat_1 = south + span / 6
        lat_2 = north - span / 6
        lon_0 = (west + east) / 2
        lat_0 = (south + north) / 2
        self.crs = pyproj.CRS.from_proj4(
            f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={lat_0:.4f} "
            f"+lon_0={lon_0:.4f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        )
        self._forward = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self._inverse = pyproj.Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    @classmethod
    def around(cls, geometry: BaseGeometry, margin_deg: float = 3.0) -> LocalProjection:
        """A projection for a geometry and its surroundings."""
        west, south, east, north = geometry.bounds
        return cls(west - margin_deg, south - margin_deg, east + margin_deg, north + margin_deg)

    def forward(self, lon: Array, lat: Array) -> tuple[Array, Array]:
        """lon/lat degrees -> x/y metres."""
        x, y = self._forward.transform(lon, lat)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def inverse(self, x: Array, y: Array) -> tuple[Array, Array]:
        """x/y metres -> lon/lat degrees."""
        lon, lat = self._inverse.transform(x, y)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def geodesic_km(lon1: Array, lat1: Array, lon2: Array, lat2: Array) -> Array:
    """Distance on the WGS 84 ellipsoid, in km, element-wise."""
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(metres, dtype=np.float64) / 1000.0


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length of a (multi)line on the ellipsoid, in km."""
    return float(GEOD.geometry_length(geometry)) / 1000.0


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area of a (multi)polygon on the ellipsoid, in km2 (orientation-independent)."""
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(float(area)) / 1e6
