"""The compiled loop behind `phrases.PhraseBook.write` (Numba, imported on first use)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic
from numpy.typing import NDArray


@intrinsic
def _copy(typing: Any, out: Any, at: Any, data: Any, first: Any, size: Any) -> Any:
    """out[at : at + size] = data[first : first + size] as one LLVM memcpy (byte arrays)."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        target = context.make_array(signature.args[0])(context, builder, args[0])
        source = context.make_array(signature.args[2])(context, builder, args[2])
        to = builder.gep(target.data, [args[1]])
        start = builder.gep(source.data, [args[3]])
        cgutils.raw_memcpy(builder, to, start, args[4], 1)  # type: ignore[no-untyped-call]
        return context.get_dummy_value()

    return types.void(out, at, data, first, size), codegen


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
        at = np.int64(out_offsets[i])
        for k in range(parts):
            c = codes[i, k]
            size = offsets[c + 1] - offsets[c]
            _copy(out, at, data, offsets[c], size)  # type: ignore[call-arg]
            at += size
    return out_offsets, out
