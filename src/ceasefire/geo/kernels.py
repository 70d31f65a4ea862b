"""Compiled per-point loops (Numba) for the nearest segment of a polyline.

A point reads its grid cell's candidate segments (geo/segments.py) and keeps the nearest; a
point outside the grid, in a cell with no candidates, or with no grid at all, measures every
segment. One pass, no temporaries, the GIL released: the same arithmetic as
`segments.point_segment`, so the answer is the same to the bit (ties go to the first
candidate, as numpy's argmin does).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]


@njit(nogil=True, cache=True)
def _nearest_of(
    px: float,
    py: float,
    segments: NDArray[np.int32],
    first: int,
    stop: int,
    ax: Array,
    ay: Array,
    dx: Array,
    dy: Array,
    inv_len2: Array,
) -> tuple[int, float, float]:
    best_d2, best_t, best = np.inf, 0.0, -1
    for q in range(first, stop):
        s = segments[q] if segments.shape[0] > 0 else q
        t = ((px - ax[s]) * dx[s] + (py - ay[s]) * dy[s]) * inv_len2[s]
        t = min(max(t, 0.0), 1.0)
        ex = ax[s] + t * dx[s] - px
        ey = ay[s] + t * dy[s] - py
        d2 = ex * ex + ey * ey
        if d2 < best_d2 or best < 0:
            best_d2, best_t, best = d2, t, s
    return best, best_t, best_d2


@njit(nogil=True, cache=True)
def nearest_segments(
    x: Array,
    y: Array,
    grid_box: Array,
    count: NDArray[np.int32],
    offset: NDArray[np.int64],
    flat: NDArray[np.int32],
    ax: Array,
    ay: Array,
    dx: Array,
    dy: Array,
    inv_len2: Array,
) -> tuple[IntArray, Array, Array]:
    """Nearest segment, its parameter t and the squared distance, per point (NaN distance
    for a missing coordinate). grid_box: x0, y0, cell size, nx, ny (empty: no grid)."""
    n = x.shape[0]
    seg = np.zeros(n, dtype=np.intp)
    t = np.zeros(n)
    d2 = np.full(n, np.nan)
    everything = np.zeros(0, dtype=np.int32)
    nseg = ax.shape[0]
    has_grid = grid_box.shape[0] == 5
    for k in range(n):
        px, py = x[k], y[k]
        if not (np.isfinite(px) and np.isfinite(py)):
            continue
        cell = -1
        if has_grid:
            i = np.floor((px - grid_box[0]) / grid_box[2])
            j = np.floor((py - grid_box[1]) / grid_box[2])
            if 0 <= i < grid_box[3] and 0 <= j < grid_box[4]:
                cell = int(i) * int(grid_box[4]) + int(j)
        if cell >= 0 and count[cell] > 0:
            first = offset[cell]
            found = _nearest_of(px, py, flat, first, first + count[cell], ax, ay, dx, dy, inv_len2)
        else:
            found = _nearest_of(px, py, everything, 0, nseg, ax, ay, dx, dy, inv_len2)
        seg[k], t[k], d2[k] = found
    return seg, t, d2
