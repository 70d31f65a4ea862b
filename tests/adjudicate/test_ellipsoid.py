"""The compiled projection and geodesic (geo/ellipsoid.py) against PROJ and GeographicLib."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

from ceasefire.geo.ellipsoid import vincenty_km, vincenty_m
from ceasefire.geo.lines import ProjectedLine
from ceasefire.geo.projection import GEOD, LocalProjection

# the engine's projection for the Paris draft's region, and a southern-hemisphere one
REGIONS = [(19.0, 41.0, 43.0, 56.0), (-75.0, -40.0, -50.0, -20.0)]


@pytest.mark.parametrize("bounds", REGIONS)
def test_projection_matches_proj_both_ways(bounds: tuple[float, float, float, float]) -> None:
    projection = LocalProjection(*bounds)
    proj = pyproj.Transformer.from_crs("EPSG:4326", projection.crs, always_xy=True)
    rng = np.random.default_rng(3)
    west, south, east, north = bounds
    lon = rng.uniform(west - 20, east + 20, 50_000)
    lat = rng.uniform(max(south - 20, -85), min(north + 20, 85), 50_000)
    x, y = projection.forward(lon, lat)
    px, py = proj.transform(lon, lat)
    assert np.abs(x - px).max() < 1e-6 and np.abs(y - py).max() < 1e-6
    back_lon, back_lat = projection.inverse(px, py)
    want_lon, want_lat = proj.transform(px, py, direction="INVERSE")
    assert np.abs(back_lon - want_lon).max() < 1e-10
    assert np.abs(back_lat - want_lat).max() < 1e-9  # 0.1 mm


def test_projection_keeps_shape_and_missing_values() -> None:
    projection = LocalProjection(19.0, 41.0, 43.0, 56.0)
    lon = np.array([[30.0, np.nan], [37.5, 38.0]])
    lat = np.array([[48.0, 48.0], [np.nan, 47.0]])
    x, y = projection.forward(lon, lat)
    assert x.shape == (2, 2) and y.shape == (2, 2)
    assert np.isnan(x[0, 1]) and np.isnan(y[1, 0]) and np.isfinite(x[1, 1])
    lon_back, lat_back = projection.inverse(x, y)
    assert lon_back[1, 1] == pytest.approx(38.0, abs=1e-12)
    assert lat_back[1, 1] == pytest.approx(47.0, abs=1e-9)


def test_geodesic_matches_geographiclib_to_a_millimetre() -> None:
    rng = np.random.default_rng(5)
    n = 100_000
    lon1, lat1 = rng.uniform(20, 60, n), rng.uniform(40, 70, n)
    lon2, lat2 = rng.uniform(-180, 180, n), rng.uniform(-89, 89, n)
    # nearly antipodal pairs (Vincenty does not settle) and identical pairs
    lon2[:20], lat2[:20] = lon1[:20] - 179.9, -lat1[:20]
    lon2[20:40], lat2[20:40] = lon1[20:40], lat1[20:40]
    want = GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0
    got = vincenty_km(lon1, lat1, lon2, lat2)
    assert np.abs(got - want).max() < 1e-6  # km
    assert np.isnan(vincenty_m(lon1[:20], lat1[:20], lon2[:20], lat2[:20])).any()
    assert np.all(got[20:40] == 0.0)
    assert np.isnan(
        vincenty_km(np.array([np.nan]), np.array([1.0]), np.array([2.0]), np.array([3.0]))
    )[0]


def test_nearest_on_a_buffer_edge_agrees_with_geos() -> None:
    """The buffer edge as a segment grid answers `dwithin` as GEOS does."""
    projection = LocalProjection(19.0, 41.0, 43.0, 56.0)
    line = ProjectedLine(shapely.LineString([(36.0, 46.8), (37.5, 47.6), (38.2, 49.4)]), projection)
    polygon = shapely.buffer(line.shape, 30_000.0, quad_segs=32)
    edge = ProjectedLine(
        polygon.boundary, projection, projected=True, grid_margin_m=2000.0, grid_cell_m=8000.0
    )
    rng = np.random.default_rng(9)
    west, south, east, north = polygon.bounds
    x, y = rng.uniform(west, east, 60_000), rng.uniform(south, north, 60_000)
    inside = shapely.intersects_xy(polygon, x, y)
    x, y = x[inside], y[inside]
    reach = rng.uniform(0.0, 25_000.0, len(x))
    _, _, d2 = edge.nearest(x, y)
    boundary = polygon.boundary
    assert np.array_equal(d2 <= reach**2, shapely.dwithin(boundary, shapely.points(x, y), reach))
    assert np.allclose(np.sqrt(d2), shapely.distance(boundary, shapely.points(x, y)), atol=1e-6)
