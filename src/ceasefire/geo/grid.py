"""Point-in-polygon labels by a coarse lon/lat lookup table, exact near boundaries.

Cells (0.02 degrees by default) that no boundary passes through hold one label for every
point in them; their label is found by an exact test on one point per horizontal run of
such cells. Points in cells a boundary passes through (and in extra cells the caller marks)
get the exact test. The answer is the exact answer everywhere; most points just read a
table. (A caller whose exact answer also depends on distance, e.g. a coast tolerance, fills
the table with the pure polygon test and marks the cells where distance matters.)
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

Array = NDArray[np.float64]
Labels = NDArray[np.int32]
Table = NDArray[np.int16]  # labels must fit in int16
ExactFn = Callable[[Array, Array], Labels]
EXACT = -1  # table value: ask the exact function
# Lookup tables are built lazily, possibly from several worker threads: one at a time.
BUILD_LOCK = threading.RLock()


def dilated(mask: NDArray[np.bool_], reach: int) -> NDArray[np.bool_]:
    """Cells within `reach` cells (Chebyshev distance) of a True cell: the binary dilation by a
    3x3 square repeated `reach` times (scipy.ndimage.binary_dilation, without importing scipy)."""
    if reach <= 0:
        return mask.copy()
    out = mask.copy()
    for axis in (1, 0):
        source = out.copy()
        size = out.shape[axis]
        for step in range(1, min(reach, size - 1) + 1):
            if axis == 1:
                out[:, step:] |= source[:, :-step]
                out[:, :-step] |= source[:, step:]
            else:
                out[step:, :] |= source[:-step, :]
                out[:-step, :] |= source[step:, :]
    return out


class LabelGrid:
    """A lookup table of labels over a lon/lat box, backed by an exact labelling function."""

    def __init__(
        self,
        boundaries: Sequence[BaseGeometry],
        exact: ExactFn,
        bounds: tuple[float, float, float, float],
        cell_deg: float = 0.02,
        fill: ExactFn | None = None,
    ) -> None:
        self.exact = exact
        self._fill_fn = fill or exact
        west, south, east, north = bounds
        self.west, self.south, self.cell = west, south, cell_deg
        self.nx = max(1, math.ceil((east - west) / cell_deg))
        self.ny = max(1, math.ceil((north - south) / cell_deg))
        touched = self.rasterize(boundaries)
        self.table = self._fill(touched)

    def rasterize(self, geometries: Sequence[BaseGeometry], dilate: int = 0) -> NDArray[np.bool_]:
        """Cells (ny, nx) that the geometries' boundaries/lines pass through (and those within
        `dilate` cells of them). Lines are cut into pieces of at most half a cell, so a piece
        joins its end's cell to the same or a neighbouring one; a piece to a diagonal
        neighbour also marks the two cells beside the corner it may cross."""
        mask = np.zeros((self.ny, self.nx), dtype=bool)
        for geometry in geometries:
            if geometry.is_empty:
                continue
            line = (
                geometry.boundary if geometry.geom_type in ("Polygon", "MultiPolygon") else geometry
            )
            parts = shapely.get_parts(shapely.segmentize(line, self.cell / 2))
            coords, part = shapely.get_coordinates(parts, return_index=True)
            i = np.floor((coords[:, 0] - self.west) / self.cell).astype(np.int64)
            j = np.floor((coords[:, 1] - self.south) / self.cell).astype(np.int64)
            piece = np.flatnonzero(part[1:] == part[:-1])  # from vertex k to k + 1
            diagonal = piece[(i[piece] != i[piece + 1]) & (j[piece] != j[piece + 1])]
            i = np.concatenate([i, i[diagonal + 1], i[diagonal]])
            j = np.concatenate([j, j[diagonal], j[diagonal + 1]])
            ok = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
            mask[j[ok], i[ok]] = True
        return dilated(mask, dilate)

    def _fill(self, touched: NDArray[np.bool_]) -> Table:
        free = ~touched
        start = free.copy()
        start[:, 1:] &= touched[:, :-1]  # a run of free cells starts after a touched one
        first = np.flatnonzero(start)
        row, col = np.divmod(first, self.nx)
        lon = (self.west + (col + 0.5) * self.cell).astype(np.float64)
        lat = (self.south + (row + 0.5) * self.cell).astype(np.float64)
        labels = self._fill_fn(lon, lat).astype(np.int16) if len(first) else np.zeros(0, np.int16)
        run = np.cumsum(start.ravel(), dtype=np.int32) - 1
        table = np.full(touched.size, EXACT, dtype=np.int16)
        table[free.ravel()] = labels[run[free.ravel()]]
        return table.reshape(self.ny, self.nx)

    @classmethod
    def from_table(
        cls, table: Table, exact: ExactFn, west: float, south: float, cell_deg: float
    ) -> LabelGrid:
        """A grid whose table was built before (e.g. read from `save`)."""
        grid = cls.__new__(cls)
        grid.exact = grid._fill_fn = exact
        grid.west, grid.south, grid.cell = west, south, cell_deg
        grid.ny, grid.nx = table.shape
        grid.table = table
        return grid

    def save(self, path: Path) -> None:
        """Write the table and its placement (.npz, uncompressed), atomically."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as handle:
            np.savez(handle, table=self.table, box=np.array([self.west, self.south, self.cell]))
        os.replace(tmp, path)

    @staticmethod
    def load(path: Path) -> tuple[Table, float, float, float]:
        """A saved table and its west, south and cell size."""
        with np.load(path, allow_pickle=False) as saved:
            table: Table = saved["table"]
            west, south, cell = (float(v) for v in saved["box"])
        if table.dtype != np.int16 or table.ndim != 2:
            raise ValueError(f"{path}: not a label table")
        return table, west, south, cell

    def mark_exact(self, mask: NDArray[np.bool_]) -> None:
        """Send the points of these cells (ny, nx) to the exact function too."""
        self.table[mask] = EXACT

    def cells(self, lon: Array, lat: Array) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Row and column of each point's cell (-1 outside the box or for NaN)."""
        i = np.floor((lon - self.west) / self.cell)
        j = np.floor((lat - self.south) / self.cell)
        ok = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        return (np.where(ok, j, -1).astype(np.intp), np.where(ok, i, -1).astype(np.intp))

    def lookup(self, lon: Array, lat: Array) -> Labels:
        """The label of each point (exact function where the table cannot tell)."""
        j, i = self.cells(lon, lat)
        inside = j >= 0
        labels = np.where(inside, self.table[np.maximum(j, 0), np.maximum(i, 0)], EXACT)
        ask = np.flatnonzero((labels == EXACT) & np.isfinite(lon) & np.isfinite(lat))
        if len(ask):
            labels[ask] = self.exact(lon[ask], lat[ask])
        return labels.astype(np.int32)
