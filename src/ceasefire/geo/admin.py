"""Assign admin-1 units and countries to many points at once.

Small batches ask a spatial index of the land-clipped polygons; large batches read a 0.01
degree lookup table first (built on first need, or read from the user's cache, where it is
kept per boundaries and code) and ask the index only for points in cells that a boundary
touches. Both give the same answer.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.geo import grid as grid_module
from ceasefire.geo.boundaries import admin_units, countries
from ceasefire.geo.grid import BUILD_LOCK, EXACT, Array, LabelGrid, dilated
from ceasefire.resources import data_path

# A point at sea (in no country) is given the nearest unit within this distance (degrees).
_COAST_TOLERANCE_DEG = 0.1
_CELL_DEG = 0.005  # ~500 m: 2.3% of the benchmark's points fall in cells tested exactly
# From this many points on, a batch reads the lookup table.
GRID_FROM = 20_000
_BOUNDARY_FILES = (
    "countries_ua_ru_by_md.geojson",
    "admin1_ukraine.geojson",
    "admin1_russia_west.geojson",
)


class AdminIndex:
    """Point-in-polygon lookup of admin-1 units (land-clipped) with a spatial index."""

    def __init__(self) -> None:
        units = admin_units()
        self.iso = np.array([u.iso for u in units], dtype=object)
        self.country = np.array([u.country for u in units], dtype=object)
        self.names = {u.iso: u.name for u in units}
        self.geometries = [u.geometry for u in units]
        for geom in self.geometries:
            shapely.prepare(geom)
        self.tree = shapely.STRtree(self.geometries)
        # the units' edges, piece by piece, for the nearest unit to a point at sea
        pieces, owner = [], []
        for k, geometry in enumerate(self.geometries):
            for ring in shapely.get_parts(shapely.boundary(geometry)):
                xy = shapely.get_coordinates(ring)
                pieces.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
                owner.append(np.full(len(xy) - 1, k))
        self.coast_tree = shapely.STRtree(np.concatenate(pieces))
        self.coast_unit = np.concatenate(owner)
        land = countries()
        self.country_codes = np.array(list(land), dtype=object)
        self.country_geometries = list(land.values())
        for geom in self.country_geometries:
            shapely.prepare(geom)
        self.country_tree = shapely.STRtree(self.country_geometries)
        # label k < U: unit k; U + c: only country c; U + C: nothing
        self.none_label = len(self.iso) + len(self.country_codes)
        self.label_iso = np.concatenate([self.iso, np.full(len(self.country_codes) + 1, None)])
        self.label_country = np.concatenate(
            [self.country, self.country_codes, np.array([None], dtype=object)]
        )
        self._grid: LabelGrid | None = None

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

    @staticmethod
    def _first_hit(
        tree: shapely.STRtree, geometries: list[BaseGeometry], lon: Array, lat: Array
    ) -> NDArray[np.int64]:
        """Index of the first geometry holding each point (-1 for none); each prepared
        geometry tests its bounding-box candidates at once."""
        found = np.full(len(lon), -1, dtype=np.int64)
        point_i, geom_i = tree.query(shapely.points(lon, lat))
        for g in np.unique(geom_i)[::-1]:  # the first geometry wins: it is written last
            pts = point_i[geom_i == g]
            hit = shapely.intersects_xy(geometries[g], lon[pts], lat[pts])
            found[pts[hit]] = g
        return found

    def polygon_labels(self, lon: Array, lat: Array) -> NDArray[np.int32]:
        """Unit, else country-only, else nothing, by the polygons alone."""
        n_units = len(self.iso)
        labels = np.full(len(lon), self.none_label, dtype=np.int32)
        if len(lon) == 0:
            return labels
        unit = self._first_hit(self.tree, self.geometries, lon, lat)
        labels[unit >= 0] = unit[unit >= 0]
        rest = np.flatnonzero(unit < 0)
        if len(rest):
            country = self._first_hit(
                self.country_tree, self.country_geometries, lon[rest], lat[rest]
            )
            labels[rest[country >= 0]] = n_units + country[country >= 0]
        return labels

    def exact_labels(self, lon: Array, lat: Array) -> NDArray[np.int32]:
        """The label of each (valid) point: polygons, then the coast tolerance at sea."""
        labels = self.polygon_labels(lon, lat)
        sea = np.flatnonzero(labels == self.none_label)
        if len(sea):
            (which, piece), gap = self.coast_tree.query_nearest(
                shapely.points(lon[sea], lat[sea]),
                max_distance=_COAST_TOLERANCE_DEG,
                return_distance=True,
                all_matches=True,
            )
            unit = self.coast_unit[piece]
            order = np.lexsort((unit, gap, which))  # nearest; on a tie the first unit
            which, unit = which[order], unit[order]
            first = np.r_[True, which[1:] != which[:-1]] if len(which) else np.zeros(0, bool)
            labels[sea[which[first]]] = unit[first]
        return labels

    @property
    def grid(self) -> LabelGrid:
        """The lookup table: read from the cache (`grid_cache_path`) when it holds one for
        these boundaries and this code, else built (about a second) and cached."""
        if self._grid is None:
            with BUILD_LOCK:
                if self._grid is None:
                    self._grid = self._cached_grid() or self._build_grid()
        return self._grid

    def _build_grid(self) -> LabelGrid:
        bounds = shapely.union_all(self.country_geometries).bounds
        grid = LabelGrid(
            [*self.geometries, *self.country_geometries],
            self.exact_labels,
            bounds,
            cell_deg=_CELL_DEG,
            fill=self.polygon_labels,
        )
        # cells at sea near land: the coast tolerance needs the exact nearest unit
        sea = grid.table == self.none_label
        reach = int(np.ceil(_COAST_TOLERANCE_DEG / grid.cell)) + 1
        self._settle_coast(grid, sea & dilated(~sea, reach))
        path = grid_cache_path()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                grid.save(path)
            except OSError:
                pass  # a cache that cannot be written is only slower
        return grid

    def _cached_grid(self) -> LabelGrid | None:
        path = grid_cache_path()
        if path is None or not path.is_file():
            return None
        try:
            table, west, south, cell = LabelGrid.load(path)
        except (OSError, ValueError, KeyError):
            return None
        if table.max(initial=0) > self.none_label:
            return None
        return LabelGrid.from_table(table, self.exact_labels, west, south, cell)

    def _settle_coast(self, grid: LabelGrid, cells: NDArray[np.bool_]) -> None:
        """Cells at sea near land: the whole cell takes one unit when every point of it is
        within the tolerance of that unit and nearer to it than to any other; none when no
        point of it is within the tolerance; otherwise its points are tested exactly."""
        row, col = np.nonzero(cells)
        lon = grid.west + (col + 0.5) * grid.cell
        lat = grid.south + (row + 0.5) * grid.cell
        half = grid.cell * np.sqrt(0.5)
        tol = _COAST_TOLERANCE_DEG
        points = shapely.points(lon, lat)
        (which, piece), gap = self.coast_tree.query_nearest(
            points, max_distance=tol + half, return_distance=True, all_matches=False
        )  # farther cells are at sea beyond the tolerance: left unmatched
        nearest = np.full(len(lon), np.inf)
        unit = np.full(len(lon), -1)
        nearest[which], unit[which] = gap, self.coast_unit[piece]
        label = np.full(len(lon), EXACT, dtype=np.int32)
        label[nearest - half > tol] = self.none_label
        close = np.flatnonzero(nearest + half <= tol)
        if len(close):
            p, q = self.coast_tree.query(
                points[close], predicate="dwithin", distance=nearest[close] + 2 * half
            )
            others = self.coast_unit[q] != unit[close][p]
            rival = np.bincount(p[others], minlength=len(close)) > 0
            label[close[~rival]] = unit[close[~rival]]
        grid.table[row, col] = label

    def labels(self, lon: Array, lat: Array) -> NDArray[np.int32]:
        """Label per point (-1 for a missing coordinate)."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        if len(lon) >= GRID_FROM or self._grid is not None:
            return self.grid.lookup(lon, lat)
        labels = np.full(len(lon), -1, dtype=np.int32)
        valid = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
        labels[valid] = self.exact_labels(lon[valid], lat[valid])
        return labels

    def lookup(self, lon: Array, lat: Array) -> tuple[np.ndarray, np.ndarray]:
        """ISO 3166-2 code and country code per point (None where no unit is near)."""
        labels = self.labels(lon, lat)
        iso = np.full(len(labels), None, dtype=object)
        country = np.full(len(labels), None, dtype=object)
        ok = labels >= 0
        iso[ok] = self.label_iso[labels[ok]]
        country[ok] = self.label_country[labels[ok]]
        return iso, country


@cache
def grid_cache_path() -> Path | None:
    """Where the admin-1 lookup table is cached: $CEASEFIRE_CACHE_DIR, else
    $XDG_CACHE_HOME/ceasefire or ~/.cache/ceasefire (CEASEFIRE_CACHE_DIR=off: no cache). The
    file name holds a hash of the bundled boundaries, of this module and grid.py, and of the
    GEOS version, so a table is only read back for the inputs and code that built it."""
    setting = os.environ.get("CEASEFIRE_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none"):
        return None
    if setting:
        folder = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "ceasefire"
    digest = hashlib.sha256()
    for name in _BOUNDARY_FILES:
        digest.update(data_path("geo", name).read_bytes())
    for module in (__file__, grid_module.__file__ or ""):
        digest.update(Path(module).read_bytes())
    digest.update(f"{shapely.geos_version_string}|{_CELL_DEG}|{_COAST_TOLERANCE_DEG}".encode())
    return folder / f"admin1_grid_{digest.hexdigest()[:24]}.npz"


@cache
def admin_index() -> AdminIndex:
    """The shared admin index (built once per process)."""
    return AdminIndex()


def unknown(values: np.ndarray) -> np.ndarray:
    """Which values are missing (None, NaN, pd.NA)."""
    return np.asarray(pd.isna(values), dtype=bool)
