"""The fast geometry gives the exact answers: nearest segments, ellipsoidal distances, lookup
tables for admin units and sides, and the places where a side changes."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.geo.admin import admin_index
from ceasefire.geo.lines import ON_LINE_M, ProjectedLine
from ceasefire.geo.projection import GEOD
from tests.adjudicate.conftest import GEOD as GEOD2


def _points(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(28.0, 42.0, n), rng.uniform(44.0, 53.0, n)


def _reference_sides(
    line: ProjectedLine,
    seg: np.ndarray,
    t: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    planar: np.ndarray,
) -> np.ndarray:
    """The side rule in NumPy, independently of the compiled kernel: +1 left, -1 right, 0 on
    the line; at a vertex both segments meeting there decide."""
    ax, ay, dx, dy, _ = line._columns
    side = np.where(dx[seg] * (y - ay[seg]) - dy[seg] * (x - ax[seg]) > 0, 1, -1).astype(np.int8)
    vertex = np.flatnonzero(
        ((t <= 0.0) & (line.prev_segment[seg] >= 0)) | ((t >= 1.0) & (line.next_segment[seg] >= 0))
    )
    s, tv = seg[vertex], t[vertex]
    first = np.where(tv <= 0.0, line.prev_segment[s], s)
    second = line.next_segment[first]
    px, py = x[vertex], y[vertex]
    c1 = dx[first] * (py - ay[first]) - dy[first] * (px - ax[first])
    c2 = dx[second] * (py - ay[second]) - dy[second] * (px - ax[second])
    turn = dx[first] * dy[second] - dy[first] * dx[second]
    left = np.where(turn > 0, (c1 > 0) & (c2 > 0), (c1 > 0) | (c2 > 0))
    side[vertex] = np.where(left, 1, -1)
    side[(planar < ON_LINE_M) | ~np.isfinite(planar)] = 0
    return side


def test_ellipsoidal_distance_matches_geod(paris: PreparedAgreement) -> None:
    rng = np.random.default_rng(3)
    lon, lat = _points(20_000)
    lon2, lat2, _ = GEOD.fwd(
        lon, lat, rng.uniform(0, 360, len(lon)), rng.uniform(0, 150e3, len(lon))
    )
    projection = paris.projection
    x1, y1 = projection.forward(lon, lat)
    x2, y2 = projection.forward(np.asarray(lon2), np.asarray(lat2))
    _, _, metres = GEOD2.inv(lon, lat, lon2, lat2)
    error_m = np.abs(projection.ellipsoidal_km(x1, y1, x2, y2) * 1000.0 - metres)
    assert error_m.max() < 0.05


def test_small_batches_scan_every_segment_exactly(paris: PreparedAgreement) -> None:
    line = paris.lines["loc-2026"].projected
    lon, lat = _points(2_000)
    x, y = paris.projection.forward(lon, lat)
    _, _, d2 = line.nearest(x, y)
    exact = shapely.distance(shapely.points(x, y), line.shape)
    assert np.allclose(np.sqrt(d2), exact, rtol=0, atol=1e-6)


@pytest.mark.heavy
def test_the_segment_grid_agrees_with_the_full_scan(paris: PreparedAgreement) -> None:
    line = paris.lines["loc-2026"].projected
    lon, lat = _points(60_000, seed=5)
    x, y = paris.projection.forward(lon, lat)
    seg, t, d2 = line.nearest(x, y)  # large: through the grid
    exact = shapely.distance(shapely.points(x, y), line.shape)
    assert np.allclose(np.sqrt(d2), exact, rtol=0, atol=1e-6)
    sides = _reference_sides(line, seg, t, x, y, np.sqrt(d2))
    small = np.concatenate(
        [
            line.measure_xy(x[i : i + 10_000], y[i : i + 10_000]).side
            for i in range(0, len(x), 10_000)
        ]
    )
    assert (sides == small).all()


@pytest.mark.heavy
def test_the_admin_table_agrees_with_the_polygons() -> None:
    index = admin_index()
    lon, lat = _points(100_000, seed=7)
    assert (index.grid.lookup(lon, lat) == index.exact_labels(lon, lat)).all()


@pytest.mark.heavy
def test_the_side_table_agrees_with_the_polygons(paris: PreparedAgreement) -> None:
    rule = paris.lines["loc-2026"].sides
    lon, lat = _points(100_000, seed=9)
    assert (rule.regime(lon, lat) == rule.exact_regime(lon, lat)).all()


@pytest.mark.heavy
@pytest.mark.parametrize("line_id", ["loc-2026"])
def test_a_side_changes_only_near_the_line_or_a_known_change(
    paris: PreparedAgreement, line_id: str
) -> None:
    line = paris.lines[line_id]
    rng = np.random.default_rng(11)
    lon, lat = _points(40_000, seed=13)
    lon2, lat2, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360, len(lon)), np.full(len(lon), 20e3))
    lon2, lat2 = np.asarray(lon2), np.asarray(lat2)
    a, b = line.sides.side_of(lon, lat), line.sides.side_of(lon2, lat2)
    x, y = paris.projection.forward(lon, lat)
    near = line.projected.measure_xy(x, y).distance_km
    reach = np.full(len(lon), 20.0)
    clear = line.sides.clear_of_changes(lon, lat, x, y, reach, np.ones(len(lon), bool))
    differ = a != b
    # a side change within 20 km must be explained by the line or a known change
    assert ((near[differ] <= 20.0 + 1e-6) | ~clear[differ]).all()


def test_clear_of_changes_agrees_with_the_nearest_piece(paris: PreparedAgreement) -> None:
    """The raster and k-d tree shortcuts give the exact answer, also for reaches within a
    few metres of the true distance (where the sampled points cannot decide)."""
    rule = paris.lines["loc-2026"].sides
    lon, lat = _points(30_000, seed=21)
    x, y = paris.projection.forward(lon, lat)
    (which, _), gap = rule.tree.query_nearest(
        shapely.points(x, y), return_distance=True, all_matches=False
    )
    exact_km = np.empty(len(lon))
    exact_km[which] = gap * paris.projection.scale.inverse_k(x[which], y[which]) * 0.999 / 1000
    rng = np.random.default_rng(5)
    offsets = rng.choice([-0.05, -0.001, -1e-6, 1e-6, 0.001, 0.05, 3.0, -3.0], len(lon))
    reach = np.maximum(exact_km + offsets, 0.01)
    clear = rule.clear_of_changes(lon, lat, x, y, reach, np.ones(len(lon), bool))
    assert np.array_equal(clear, exact_km > reach)
    assert clear.any() and (~clear).any()
