"""A local conformal projection for a region, and geodesic helpers (WGS 84).

Distances are measured on the ellipsoid. For many short point-to-line distances the engine
integrates the projection's scale factor along the projected segment (Simpson's rule): in a
conformal projection that is the ellipsoidal length of the segment, within 2 cm of the
geodesic up to 150 km and 1 m up to 400 km (tests/adjudicate/test_geometry.py). Farther
pairs, and pairs that decide a threshold, are measured on the geodesic (Vincenty's method,
geo/ellipsoid.py, with `Geod.inv` where it does not settle). The projection itself is
computed by the compiled loops of geo/ellipsoid.py (PROJ's formulas, its results to well
under a micrometre); `crs` describes it for other tools.
"""

from __future__ import annotations

import math

import numpy as np
import pyproj
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.grid import BUILD_LOCK

GEOD = pyproj.Geod(ellps="WGS84")
Array = NDArray[np.float64]

# WGS 84, and the series from conformal to geodetic latitude (Snyder 1987, eq. 3-5)
A = 6378137.0  # WGS 84 semi-major axis (m)
F = 1.0 / 298.257223563  # WGS 84 flattening
E2 = F * (2.0 - F)
E = math.sqrt(E2)
B = A * (1.0 - F)
K2 = E2 / 2 + 5 * E2**2 / 24 + E2**3 / 12 + 13 * E2**4 / 360
K4 = 7 * E2**2 / 48 + 29 * E2**3 / 240 + 811 * E2**4 / 11520
K6 = 7 * E2**3 / 120 + 81 * E2**4 / 1120
K8 = 4279 * E2**4 / 161280


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1.0 - E2 * math.sin(phi) ** 2)


def _t(phi: float) -> float:
    s = math.sin(phi)
    return float(math.tan(math.pi / 4 - phi / 2) / ((1.0 - E * s) / (1.0 + E * s)) ** (E / 2))


def lcc_constants(lat_1: float, lat_2: float, lat_0: float, lon_0: float) -> Array:
    """n, a*F, rho0 and lon_0 (radians) of a two-parallel Lambert conformal conic."""
    p1, p2, p0 = (math.radians(v) for v in (lat_1, lat_2, lat_0))
    if abs(p1 - p2) > 1e-10:
        n = (math.log(_m(p1)) - math.log(_m(p2))) / (math.log(_t(p1)) - math.log(_t(p2)))
    else:
        n = math.sin(p1)
    af = A * _m(p1) / (n * _t(p1) ** n)
    return np.array([n, af, af * _t(p0) ** n, math.radians(lon_0)], dtype=np.float64)


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
        lat_1, lat_2, lat_0, lon_0 = (float(f"{v:.4f}") for v in (lat_1, lat_2, lat_0, lon_0))
        self.crs = pyproj.CRS.from_proj4(
            f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={lat_0:.4f} "
            f"+lon_0={lon_0:.4f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        )
        self._constants = lcc_constants(lat_1, lat_2, lat_0, lon_0)
        self._scale: ScaleTable | None = None

    @classmethod
    def around(cls, geometry: BaseGeometry, margin_deg: float = 3.0) -> LocalProjection:
        """A projection for a geometry and its surroundings."""
        west, south, east, north = geometry.bounds
        return cls(west - margin_deg, south - margin_deg, east + margin_deg, north + margin_deg)

    def forward(self, lon: Array, lat: Array) -> tuple[Array, Array]:
        """lon/lat degrees -> x/y metres (the same as PROJ's to well under a micrometre)."""
        from ceasefire.geo.ellipsoid import lcc_forward  # Numba loads on first use

        x, y = lcc_forward(_floats(lon), _floats(lat), self._constants)
        return x.reshape(np.shape(lon)), y.reshape(np.shape(lon))

    def inverse(self, x: Array, y: Array) -> tuple[Array, Array]:
        """x/y metres -> lon/lat degrees."""
        from ceasefire.geo.ellipsoid import lcc_inverse  # Numba loads on first use

        lon, lat = lcc_inverse(_floats(x), _floats(y), self._constants)
        return lon.reshape(np.shape(x)), lat.reshape(np.shape(x))

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


def _floats(values: Array) -> Array:
    """A contiguous 1-D float64 copy-free view where possible (what the kernels take)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64).reshape(-1))


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
