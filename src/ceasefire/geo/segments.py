"""Nearest segment of a polyline for many points: a grid of candidate segments per cell.

Built once per line by refining a quadtree of cells: a cell keeps the segments that can be
nearest to some point in it (those whose distance to the cell is at most the smallest
farthest-distance of any segment to the cell). A point then only measures its cell's few
candidates; points in cells with too many candidates, or outside the grid, measure every
segment (in chunks). The answer is exact either way.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
_CHUNK_PAIRS = 2_000_000
IntArray = NDArray[np.intp]
Ints = NDArray[np.integer[Any]]


def point_segment(
    px: Array, py: Array, ax: Array, ay: Array, dx: Array, dy: Array, inv_len2: Array
) -> tuple[Array, Array]:
    """Squared distance and parameter t (0..1) of the nearest point of each segment."""
    t = ((px - ax) * dx + (py - ay) * dy) * inv_len2
    np.clip(t, 0.0, 1.0, out=t)
    ex = ax + t * dx - px
    ey = ay + t * dy - py
    return ex * ex + ey * ey, t


def _box_segment_bounds(
    x0: Array, y0: Array, size: float, ax: Array, ay: Array, bx: Array, by: Array
) -> tuple[Array, Array]:
    """Smallest and largest distance from boxes [x0, x0+size] x [y0, y0+size] to segments."""
    dx, dy = bx - ax, by - ay
    inv = 1.0 / np.maximum(dx * dx + dy * dy, 1e-12)
    corners = [(x0, y0), (x0 + size, y0), (x0, y0 + size), (x0 + size, y0 + size)]
    d2 = [point_segment(cx, cy, ax, ay, dx, dy, inv)[0] for cx, cy in corners]
    far = np.sqrt(np.maximum(np.maximum(d2[0], d2[1]), np.maximum(d2[2], d2[3])))
    near = np.minimum(np.minimum(d2[0], d2[1]), np.minimum(d2[2], d2[3]))
    for ex, ey in ((ax, ay), (bx, by)):  # segment ends to the box
        gx = np.maximum(np.maximum(x0 - ex, ex - (x0 + size)), 0.0)
        gy = np.maximum(np.maximum(y0 - ey, ey - (y0 + size)), 0.0)
        near = np.minimum(near, gx * gx + gy * gy)
    # Liang-Barsky: does the segment cross the box?
    t0, t1 = np.zeros_like(dx), np.ones_like(dx)
    ok = np.ones(dx.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, ax - x0), (dx, x0 + size - ax), (-dy, ay - y0), (dy, y0 + size - ay)):
            ratio = q / p
            ok &= ~((p == 0) & (q < 0))
            t0 = np.where(p < 0, np.maximum(t0, ratio), t0)
            t1 = np.where(p > 0, np.minimum(t1, ratio), t1)
    near = np.where(ok & (t0 <= t1), 0.0, near)
    return np.sqrt(near), far


class SegmentGrid:
    """Candidate segments per grid cell (projected metres)."""

    def __init__(
        self,
        a: Array,
        b: Array,
        extent: tuple[float, float, float, float],
        cell_m: float = 2000.0,
        max_candidates: int = 48,
    ) -> None:
        west, south, east, north = extent
        self.x0, self.y0, self.cell = west, south, cell_m
        self.nx = max(1, math.ceil((east - west) / cell_m))
        self.ny = max(1, math.ceil((north - south) / cell_m))
        cell_id, seg = self._refine(a, b, max_candidates)
        ncell = self.nx * self.ny
        self.count = np.bincount(cell_id, minlength=ncell).astype(np.int32)
        self.offset = np.concatenate([[0], np.cumsum(self.count)[:-1]]).astype(np.int64)
        order = np.argsort(cell_id, kind="stable")
        self.flat = seg[order].astype(np.int32)

    def _prune(
        self, a: Array, b: Array, ci: Ints, cj: Ints, seg: Ints, size: float, ny: int
    ) -> tuple[Ints, Ints, Ints, Ints]:
        """Keep the pairs (cell, segment) whose segment can be nearest to a point of the cell;
        also return each kept pair's number of candidates in its cell."""
        near, far = _box_segment_bounds(
            (self.x0 + ci * size).astype(np.float64),
            (self.y0 + cj * size).astype(np.float64),
            size,
            a[seg, 0],
            a[seg, 1],
            b[seg, 0],
            b[seg, 1],
        )
        key = ci.astype(np.int64) * (ny + 1) + cj
        order = np.lexsort((seg, key))
        ci, cj, seg, near, far, key = (
            ci[order],
            cj[order],
            seg[order],
            near[order],
            far[order],
            key[order],
        )
        first = np.r_[True, key[1:] != key[:-1]]
        group = np.cumsum(first) - 1
        bound = np.minimum.reduceat(far, np.flatnonzero(first))
        keep = near <= bound[group] + 1e-6
        counts = np.bincount(group[keep], minlength=len(bound))
        return ci[keep], cj[keep], seg[keep], counts[group[keep]]

    def _refine(self, a: Array, b: Array, cap: int) -> tuple[Ints, Ints]:
        levels = max(0, math.ceil(math.log2(max(self.nx, self.ny) / 16)))
        size = self.cell * 2**levels
        nx, ny = math.ceil(self.nx / 2**levels), math.ceil(self.ny / 2**levels)
        ii, jj = np.meshgrid(
            np.arange(nx, dtype=np.int32), np.arange(ny, dtype=np.int32), indexing="ij"
        )
        nseg = len(a)
        ci: Ints = np.repeat(ii.ravel(), nseg)
        cj: Ints = np.repeat(jj.ravel(), nseg)
        seg: Ints = np.tile(np.arange(nseg, dtype=np.int32), nx * ny)
        level = levels
        ci, cj, seg, _ = self._prune(a, b, ci, cj, seg, size, ny)
        while level > 0:
            level -= 1
            size /= 2
            nx, ny = (
                min(nx * 2, math.ceil(self.nx / 2**level)),
                min(ny * 2, math.ceil(self.ny / 2**level)),
            )
            # children of one parent only take that parent's pairs: refine in chunks of
            # whole parents so that memory stays small
            parent = ci.astype(np.int64) * (ny + 1) + cj
            cuts = np.flatnonzero(parent[1:] != parent[:-1]) + 1
            step = max(1, _CHUNK_PAIRS // 4)
            bounds = [0, *cuts[np.searchsorted(cuts, np.arange(step, len(ci), step))], len(ci)]
            parts = []
            for lo, hi in itertools.pairwise(bounds):
                if hi <= lo:
                    continue
                cci = (ci[lo:hi, None] * 2 + np.array([0, 0, 1, 1], np.int32)).ravel()
                ccj = (cj[lo:hi, None] * 2 + np.array([0, 1, 0, 1], np.int32)).ravel()
                cseg = np.repeat(seg[lo:hi], 4)
                inside = (cci < nx) & (ccj < ny)
                kept = self._prune(a, b, cci[inside], ccj[inside], cseg[inside], size, ny)
                if level == 0:  # more candidates than the cap: answered by the full scan
                    small = kept[3] <= cap
                    kept = (kept[0][small], kept[1][small], kept[2][small], kept[3][small])
                parts.append(kept[:3])
            ci = np.concatenate([p[0] for p in parts])
            cj = np.concatenate([p[1] for p in parts])
            seg = np.concatenate([p[2] for p in parts])
        cell_id = ci.astype(np.int64) * self.ny + cj
        return cell_id, seg.astype(np.intp)

    def cells(self, x: Array, y: Array) -> IntArray:
        """Cell index of each point, -1 outside the grid."""
        i = np.floor((x - self.x0) / self.cell)
        j = np.floor((y - self.y0) / self.cell)
        inside = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        cell = np.where(inside, i * self.ny + j, -1)
        return np.nan_to_num(cell, nan=-1).astype(np.intp)

    def candidates(self, cell: IntArray, width: int) -> IntArray:
        """The first `width` candidates of each cell (repeating the last one)."""
        count = self.count[cell]
        pick = np.minimum(np.arange(width)[None, :], (count - 1)[:, None])
        found: IntArray = self.flat[self.offset[cell][:, None] + pick].astype(np.intp)
        return found
