"""Compiled per-point loops (Numba) for the nearest segment of a polyline and the distance
to it.

A point reads its grid cell's candidate segments (geo/segments.py) and keeps the nearest; a
point outside the grid, in a cell with no candidates, or with no grid at all, measures every
segment. One pass, no temporaries, the GIL released. The nearest segment uses the same
arithmetic as `segments.point_segment`, so it is the same to the bit (ties go to the first
candidate, as numpy's argmin does); distances use sqrt(dx² + dy²) where numpy used hypot
(equal to within 1e-12 m).
"""

from __future__ import annotations

import math

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


@njit(nogil=True, cache=True)
def _inverse_k(px: float, py: float, scale: Array, table: Array) -> float:
    """1/k at a projected point: `ScaleTable.inverse_k` for one point (scale: apex x, apex y,
    rho0, step)."""
    ex, ey = px - scale[0], py - scale[1]
    rho = math.sqrt(ex * ex + ey * ey)
    pos = (rho - scale[2]) * (1.0 / scale[3])
    if np.isnan(pos):
        pos = 0.0
    pos = min(max(pos, 0.0), table.shape[0] - 1.001)
    i = int(pos)
    frac = pos - i
    low: float = table[i]
    high: float = table[i + 1]
    result: float = low + (high - low) * frac
    return result


@njit(nogil=True, cache=True)
def _side_of(
    px: float,
    py: float,
    s: int,
    t: float,
    segments: tuple[Array, Array, Array, Array],
    prev_segment: IntArray,
    next_segment: IntArray,
) -> int:
    """+1 left, -1 right of the nearest segment s; at a vertex both segments meeting there
    decide (`ProjectedLine.side` for one point)."""
    ax, ay, dx, dy = segments
    cross = dx[s] * (py - ay[s]) - dy[s] * (px - ax[s])
    side = 1 if cross > 0 else -1
    if (t <= 0.0 and prev_segment[s] >= 0) or (t >= 1.0 and next_segment[s] >= 0):
        first = prev_segment[s] if t <= 0.0 else s
        second = next_segment[first]
        c1 = dx[first] * (py - ay[first]) - dy[first] * (px - ax[first])
        c2 = dx[second] * (py - ay[second]) - dy[second] * (px - ax[second])
        turn = dx[first] * dy[second] - dy[first] * dx[second]
        left = (c1 > 0 and c2 > 0) if turn > 0 else (c1 > 0 or c2 > 0)
        side = 1 if left else -1
    return side


@njit(nogil=True, cache=True)
def measure_points(
    x: Array,
    y: Array,
    grid: tuple[Array, NDArray[np.int32], NDArray[np.int64], NDArray[np.int32]],
    segments: tuple[Array, Array, Array, Array, Array],
    neighbours: tuple[IntArray, IntArray],
    scale: tuple[Array, Array],
    on_line_m: float,
) -> tuple[Array, NDArray[np.int8], Array, Array]:
    """Per point: distance to the line on the ellipsoid (km, Simpson's rule on 1/k along the
    projected segment to the nearest point), side (+1 left, -1 right, 0 on the line or
    unknown) and the nearest point; `ProjectedLine.measure_xy` less its far-point fix-up."""
    box, count, offset, flat = grid
    ax, ay, dx, dy, inv_len2 = segments
    seg, t, d2 = nearest_segments(x, y, box, count, offset, flat, ax, ay, dx, dy, inv_len2)
    params, table = scale
    n = x.shape[0]
    distance = np.empty(n)
    side = np.zeros(n, dtype=np.int8)
    near_x = np.empty(n)
    near_y = np.empty(n)
    for k in range(n):
        s, tk, px, py = seg[k], t[k], x[k], y[k]
        qx = ax[s] + tk * dx[s]
        qy = ay[s] + tk * dy[s]
        planar = math.sqrt(d2[k])
        mid = _inverse_k((px + qx) * 0.5, (py + qy) * 0.5, params, table)
        ends = _inverse_k(px, py, params, table) + 4.0 * mid + _inverse_k(qx, qy, params, table)
        km = math.sqrt((qx - px) ** 2 + (qy - py) ** 2) * (ends * (1.0 / 6.0)) / 1000.0
        distance[k] = planar / 1000.0 if planar < on_line_m else km
        near_x[k] = np.nan if np.isnan(d2[k]) else qx
        near_y[k] = qy
        if planar >= on_line_m:  # False for NaN
            side[k] = _side_of(px, py, s, tk, (ax, ay, dx, dy), *neighbours)
    return distance, side, near_x, near_y
