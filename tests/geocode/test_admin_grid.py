"""The admin-1 lookup table (built, or read back from the cache) gives the polygons' answer:
on random points, on points next to every boundary and coast, and on the UCDP sample."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import ndimage

from ceasefire.geo import admin
from ceasefire.geo.grid import EXACT, LabelGrid, dilated
from ceasefire.resources import data_path


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the tests' own."""
    folder = tmp_path_factory.mktemp("cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("CEASEFIRE_CACHE_DIR", str(folder))
    admin.grid_cache_path.cache_clear()
    yield folder
    patch.undo()
    admin.grid_cache_path.cache_clear()


@pytest.fixture(scope="module")
def built(cache_dir: Path) -> admin.AdminIndex:
    """An index whose table was built (and written to the cache)."""
    index = admin.AdminIndex()
    assert index._cached_grid() is None
    assert index.grid.table.size
    return index


@pytest.fixture(scope="module")
def cached(built: admin.AdminIndex) -> admin.AdminIndex:
    """An index whose table was read back from the cache."""
    index = admin.AdminIndex()
    grid = index._cached_grid()
    assert grid is not None
    index._grid = grid
    return index


def _near_boundaries(index: admin.AdminIndex, rng: np.random.Generator, n: int) -> np.ndarray:
    """Points within about 0.05 degrees of the units' and countries' edges (both sides)."""
    edges = [shapely.boundary(g) for g in [*index.geometries, *index.country_geometries]]
    xy = np.concatenate([shapely.get_coordinates(shapely.segmentize(e, 0.02)) for e in edges])
    picked = xy[rng.integers(0, len(xy), n)]
    scale = rng.choice([1e-6, 1e-4, 1e-3, 1e-2, 5e-2], size=(n, 1))
    jittered: np.ndarray = picked + rng.normal(size=(n, 2)) * scale
    return jittered


def test_table_equals_polygons_on_random_and_border_points(
    built: admin.AdminIndex, cached: admin.AdminIndex
) -> None:
    rng = np.random.default_rng(3)
    west, south, east, north = shapely.union_all(built.country_geometries).bounds
    box = np.column_stack(
        [rng.uniform(west - 1, east + 1, 150_000), rng.uniform(south - 1, north + 1, 150_000)]
    )
    points = np.concatenate([box, _near_boundaries(built, rng, 150_000)])
    lon, lat = points[:, 0].copy(), points[:, 1].copy()
    exact = built.exact_labels(lon, lat)
    assert (exact == built.none_label).any() and (exact < len(built.iso)).any()
    assert np.array_equal(built.grid.lookup(lon, lat), exact)
    assert np.array_equal(cached.grid.lookup(lon, lat), exact)
    assert np.array_equal(cached.labels(lon, lat), exact)  # the public path, large batch


def test_cached_table_is_the_built_table(built: admin.AdminIndex, cached: admin.AdminIndex) -> None:
    assert np.array_equal(cached.grid.table, built.grid.table)
    assert (cached.grid.west, cached.grid.south, cached.grid.cell) == (
        built.grid.west,
        built.grid.south,
        built.grid.cell,
    )
    assert (cached.grid.table == EXACT).any()  # cells at boundaries are left to the polygons


def test_table_equals_polygons_on_the_ucdp_sample(cached: admin.AdminIndex) -> None:
    sample = pd.read_csv(data_path("events", "ucdp_ged_2023_sample_ua_ru.csv"))
    lon = sample["longitude"].to_numpy(dtype=float)
    lat = sample["latitude"].to_numpy(dtype=float)
    assert np.array_equal(cached.grid.lookup(lon, lat), cached.exact_labels(lon, lat))


def test_a_damaged_or_foreign_cache_file_is_rebuilt(cache_dir: Path) -> None:
    path = admin.grid_cache_path()
    assert path is not None and path.parent == cache_dir
    index = admin.AdminIndex()
    saved = path.read_bytes()
    try:
        path.write_bytes(b"not a table")
        assert index._cached_grid() is None
        LabelGrid.from_table(np.full((2, 2), 999, np.int16), index.exact_labels, 0, 0, 1).save(path)
        assert index._cached_grid() is None  # labels the index does not have
    finally:
        path.write_bytes(saved)


def test_cache_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEASEFIRE_CACHE_DIR", "off")
    admin.grid_cache_path.cache_clear()
    try:
        assert admin.grid_cache_path() is None
    finally:
        monkeypatch.undo()
        admin.grid_cache_path.cache_clear()


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (40, 70)])
@pytest.mark.parametrize("density", [0.002, 0.05, 0.3])
def test_dilation_equals_scipy(shape: tuple[int, int], density: float) -> None:
    mask = np.random.default_rng(int(density * 1000)).random(shape) < density
    for reach in (1, 2, 5, 11):
        expected = ndimage.binary_dilation(mask, np.ones((3, 3), bool), iterations=reach)
        assert np.array_equal(dilated(mask, reach), expected)
    assert np.array_equal(dilated(mask, 0), mask)


def test_reading_acled_imports_neither_scipy_nor_pyproj() -> None:
    code = (
        "import sys, ceasefire.sources.acled, ceasefire.sources.vocab, ceasefire.geo.admin, "
        "ceasefire.geocode.admin1, ceasefire.sources.common; "
        "print(sorted(m for m in ('scipy', 'pyproj', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rasterized_cells_hold_every_point_of_the_lines() -> None:
    """Every cell a line passes through is marked, also where it cuts a cell's corner
    between two vertices (no dilation hides a miss)."""
    rng = np.random.default_rng(17)
    grid = LabelGrid([], lambda lon, lat: np.zeros(len(lon), np.int32), (0.0, 0.0, 10.0, 10.0), 0.1)
    lines = [shapely.LineString(rng.uniform(0.5, 9.5, (6, 2))) for _ in range(5)] + [
        shapely.LineString([(0.05, 0.05), (9.95, 9.95)]),
        shapely.LineString([(0.1, 9.9), (9.9, 0.1)]),
    ]
    mask = grid.rasterize(lines)
    points = shapely.line_interpolate_point(
        np.repeat(lines, 20_000),
        np.tile(np.linspace(0.0, 1.0, 20_000), len(lines)),
        normalized=True,
    )
    xy = shapely.get_coordinates(points)
    j, i = grid.cells(xy[:, 0], xy[:, 1])
    assert mask[j, i].all()
    assert mask.mean() < 0.5  # and not everything
