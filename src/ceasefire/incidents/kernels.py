"""Compiled loops (Numba) for deduplication's hot paths: the shared weight of two sparse word
vectors, per pair of reports; the candidate pairs of reports near in time and space.

Imported lazily (the first call compiles, or loads from Numba's cache); each loop releases
the GIL, so the slabs' threads run it in parallel. Results equal the SciPy expressions they
replace (the same float32 products, summed in float64).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(nogil=True, cache=True)
def row_dots(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    data: NDArray[np.float32],
    ra: NDArray[np.int64],
    rb: NDArray[np.int64],
) -> NDArray[np.float64]:  # pragma: no cover - compiled
    """Per pair k: the dot product of CSR rows ra[k] and rb[k] (column indices sorted in each
    row), by merging the two rows' indices."""
    out = np.zeros(len(ra), dtype=np.float64)
    for k in range(len(ra)):
        i, i_end = indptr[ra[k]], indptr[ra[k] + 1]
        j, j_end = indptr[rb[k]], indptr[rb[k] + 1]
        total = 0.0
        while i < i_end and j < j_end:
            ci, cj = indices[i], indices[j]
            if ci == cj:
                total += float(data[i] * data[j])  # the float32 product
                i += 1
                j += 1
            elif ci < cj:
                i += 1
            else:
                j += 1
        out[k] = total
    return out


@njit(nogil=True, cache=True)
def _grow(values: NDArray[np.int64], size: int) -> NDArray[np.int64]:  # pragma: no cover
    bigger = np.empty(max(2 * len(values), size), dtype=np.int64)
    bigger[: len(values)] = values
    return bigger


@njit(nogil=True, cache=True)
def near_pairs(
    cells_a: NDArray[np.int64],
    rows_a: NDArray[np.float64],
    cells_b: NDArray[np.int64],
    rows_b: NDArray[np.float64],
    half: float,
    stride: int,
    same: bool,
    max_gap_s: float,
    max_distance_km: float,
    earth_radius_km: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:  # pragma: no cover - compiled
    """Candidate pairs (i, j) of rows_a and rows_b (columns x, y, z, t, start, end, radius,
    original index), both sorted by (cell, t): intervals at most max_gap_s apart and chord at
    most that of max(max_distance_km, radius_i, radius_j) (as `exact_filter`). The search:
    cells (their keys given: (cx * stride + cy) * stride + cz, cells at least `half` wide) so
    that a partner lies in one of the 27 cells around i's, and within `half` of its t (t is
    scaled so that `half` spans the time limit); per cell of a, each neighbour cell is swept
    once in t.
    With `same` (a set against itself) only pairs with index j > i are kept. Returns original
    indices."""
    out_i = np.empty(max(len(rows_a), 16), dtype=np.int64)
    out_j = np.empty(max(len(rows_a), 16), dtype=np.int64)
    found = 0
    lo = np.empty(27, dtype=np.int64)
    hi = np.empty(27, dtype=np.int64)
    g = 0
    while g < len(cells_a):
        g_end = g
        while g_end < len(cells_a) and cells_a[g_end] == cells_a[g]:
            g_end += 1
        count = 0
        for dx in range(-1, 2):
            for dy in range(-1, 2):
                for dz in range(-1, 2):
                    key = cells_a[g] + (dx * stride + dy) * stride + dz
                    u = np.searchsorted(cells_b, key)
                    if u < len(cells_b) and cells_b[u] == key:
                        v = np.searchsorted(cells_b, key, side="right")
                        lo[count], hi[count] = u, v
                        count += 1
        for i in range(g, g_end):
            t = rows_a[i, 3]
            for k in range(count):
                while lo[k] < hi[k] and rows_b[lo[k], 3] < t - half:
                    lo[k] += 1
                for r in range(lo[k], hi[k]):
                    if rows_b[r, 3] > t + half:
                        break
                    index_i, index_j = rows_a[i, 7], rows_b[r, 7]
                    if same and index_j <= index_i:
                        continue
                    gap = max(rows_b[r, 4] - rows_a[i, 5], rows_a[i, 4] - rows_b[r, 5])
                    if gap > max_gap_s:
                        continue
                    reach = max(max_distance_km, max(rows_a[i, 6], rows_b[r, 6]))
                    limit = (
                        2 * earth_radius_km * np.sin(min(reach / (2 * earth_radius_km), np.pi / 2))
                    )
                    dx_ = rows_a[i, 0] - rows_b[r, 0]
                    dy_ = rows_a[i, 1] - rows_b[r, 1]
                    dz_ = rows_a[i, 2] - rows_b[r, 2]
                    if dx_ * dx_ + dy_ * dy_ + dz_ * dz_ > limit * limit * (1 + 1e-12):
                        continue
                    if found == len(out_i):
                        out_i, out_j = _grow(out_i, found + 1), _grow(out_j, found + 1)
                    out_i[found], out_j[found] = int(index_i), int(index_j)
                    found += 1
        g = g_end
    return out_i[:found], out_j[:found]
