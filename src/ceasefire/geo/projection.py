"""A local conformal projection for a region, and geodesic helpers (WGS 84).

Distances are measured on the ellipsoid. For many short point-to-line distances the engine
integrates the projection's scale factor along the projected segment (Simpson's rule): in a
conformal projection that is the ellipsoidal length of the segment, within 2 cm of the
geodesic up to 150 km and 1 m up to 400 km (tests/adjudicate/test_geometry.py). Farther
pairs, and pairs that decide a threshold, are measured with `Geod.inv` itself.
"""

from __future__ import annotations

import numpy as np
import pyproj
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.grid import BUILD_LOCK

GEOD = pyproj.Geod(ellps="WGS84")
Array = NDArray[np.float64]

# Beyond this many km the Simpson estimate is replaced by Geod.inv.
SIMPSON_MAX_KM = 400.0


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
        self.lon_0 = lon_0
        self.bounds = (west, south, east, north)
        self.crs = pyproj.CRS.from_proj4(
            f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={lat_0:.4f} "
            f"+lon_0={lon_0:.4f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        )
        self._forward = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self._inverse = pyproj.Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        self._scale: ScaleTable | None = None

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

    @property
    def scale(self) -> ScaleTable:
        """The scale factor of the projection as a function of x/y (built once)."""
        if self._scale is None:
            with BUILD_LOCK:
                if self._scale is None:
                    self._scale = ScaleTable(self)
        return self._scale

    def ellipsoidal_km(self, x1: Array, y1: Array, x2: Array, y2: Array) -> Array:
        """Length on the ellipsoid (km) of projected segments, by Simpson's rule on 1/k."""
        inv_k = self.scale.inverse_k
        planar = np.hypot(x2 - x1, y2 - y1)
        mid = inv_k((x1 + x2) * 0.5, (y1 + y2) * 0.5)
        factor = (inv_k(x1, y1) + 4.0 * mid + inv_k(x2, y2)) * (1.0 / 6.0)
        return planar * factor / 1000.0


class ScaleTable:
    """1/k of a Lambert conformal conic as a function of the distance from the cone's apex,
    tabulated finely along the central meridian (k depends on latitude only)."""

    def __init__(self, projection: LocalProjection, step_m: float = 500.0) -> None:
        lat = np.linspace(5.0, 85.0, 16001)
        lon = np.full_like(lat, projection.lon_0)
        x, y = projection.forward(lon, lat)
        apex_x, apex_y = projection.forward(np.array([projection.lon_0]), np.array([90.0]))
        self.apex = (float(apex_x[0]), float(apex_y[0]))
        factors = pyproj.Proj(projection.crs).get_factors(lon, lat)
        k = np.asarray(factors.meridional_scale, dtype=np.float64)
        rho = np.hypot(x - self.apex[0], y - self.apex[1])
        order = np.argsort(rho)
        self.rho0 = float(rho[order][0])
        n = int((rho[order][-1] - self.rho0) // step_m) + 2
        grid = self.rho0 + np.arange(n) * step_m
        self.step = step_m
        self.table = 1.0 / np.interp(grid, rho[order], k[order])

    def inverse_k(self, x: Array, y: Array) -> Array:
        """1/k at projected points (linear interpolation in the table)."""
        rho = np.hypot(x - self.apex[0], y - self.apex[1])
        pos = np.nan_to_num((rho - self.rho0) * (1.0 / self.step), nan=0.0)
        np.clip(pos, 0.0, len(self.table) - 1.001, out=pos)
        i = pos.astype(np.intp)
        frac = pos - i
        lo = self.table[i]
        result: Array = lo + (self.table[i + 1] - lo) * frac
        return result


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
