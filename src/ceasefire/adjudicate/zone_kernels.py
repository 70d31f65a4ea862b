"""The compiled loop behind the engine's zone-list columns (Numba, imported on first use)."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(nogil=True, cache=True)
def members(statuses: NDArray[np.int8], level: int) -> tuple[NDArray[np.int32], NDArray[np.int16]]:
    """List offsets and values of, per event (column of `statuses`, zones x events), the
    zones whose status is at least `level`, in zone order."""
    zones, n = statuses.shape
    offsets = np.empty(n + 1, dtype=np.int32)
    offsets[0] = 0
    total = 0
    for i in range(n):
        for z in range(zones):
            if statuses[z, i] >= level:
                total += 1
        offsets[i + 1] = total
    values = np.empty(total, dtype=np.int16)
    k = 0
    for i in range(n):
        for z in range(zones):
            if statuses[z, i] >= level:
                values[k] = z
                k += 1
    return offsets, values
