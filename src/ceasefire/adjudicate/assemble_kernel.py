"""The compiled loop behind `phrases.PhraseBook.write` (Numba, imported on first use)."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(nogil=True, cache=True)
def concat_rows(
    offsets: NDArray[np.int64], data: NDArray[np.uint8], codes: NDArray[np.int64]
) -> tuple[NDArray[np.int32], NDArray[np.uint8]]:
    """Arrow string buffers (offsets, bytes) of rows made of phrases: row i is phrase
    codes[i, 0], then codes[i, 1], ... of the stacked table (offsets, data)."""
    n, parts = codes.shape
    out_offsets = np.empty(n + 1, dtype=np.int32)
    total = 0
    out_offsets[0] = 0
    for i in range(n):
        for k in range(parts):
            c = codes[i, k]
            total += offsets[c + 1] - offsets[c]
        out_offsets[i + 1] = total
    out = np.empty(total, dtype=np.uint8)
    for i in range(n):
        at = out_offsets[i]
        for k in range(parts):
            c = codes[i, k]
            first, stop = offsets[c], offsets[c + 1]
            out[at : at + stop - first] = data[first:stop]
            at += stop - first
    return out_offsets, out
