"""Compiled loops (Numba) for deduplication's hot paths: the shared weight of two sparse word
vectors, per pair of reports.

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
