"""Sentences assembled from phrase tables, written once.

A sentence is a sequence of parts; each part is a small table of phrases and, per row, the
code of its phrase (a `Phrase`). `assemble_grouped` writes each row's phrases one after the
other in a compiled loop (Numba, `assemble_kernel.concat_rows`): every byte of the result
is copied once, with no intermediate string columns. Results come in pieces of at most
PIECE_ROWS rows (a chunked column), small enough for the allocator to reuse their memory
batch after batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

Codes = NDArray[np.int64]
Phrase = tuple[pa.Array, Codes]  # (table of phrases, code per row)
PIECE_ROWS = 32_768


def phrase(table: Sequence[str] | pa.Array, codes: NDArray[np.integer]) -> Phrase:
    """A part: its phrase table (strings) and each row's code into it."""
    strings = table if isinstance(table, pa.Array) else pa.array(list(table), pa.string())
    return strings, np.asarray(codes, dtype=np.int64)


class PhraseBook:
    """Several phrase tables stacked into one (offsets and bytes), for the kernel."""

    def __init__(self, tables: Sequence[pa.Array]) -> None:
        stacked = pa.concat_arrays([t.cast(pa.string()) for t in tables])
        self.bases = np.cumsum([0, *(len(t) for t in tables)])[:-1]
        buffers = stacked.buffers()
        self.offsets = np.frombuffer(buffers[1], dtype=np.int32)[: len(stacked) + 1].astype(
            np.int64
        )
        data = buffers[2]
        self.data = (
            np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
        )

    def write(self, codes: NDArray[np.int64]) -> pa.Array:
        """One string per row of `codes` (rows x parts, codes already offset by `bases`)."""
        from ceasefire.adjudicate.assemble_kernel import concat_rows  # Numba on first use

        offsets, data = concat_rows(self.offsets, self.data, np.ascontiguousarray(codes))
        return pa.Array.from_buffers(
            pa.string(), len(codes), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )


def assemble_grouped(
    shared: Sequence[Phrase], owner: NDArray[np.intp], groups: Sequence[Phrase]
) -> pa.ChunkedArray:
    """Sentences made of shared parts (coded per owner, e.g. per event) followed by one part
    per group of consecutive rows (e.g. per rule): row i of the result takes the shared
    phrases of owner[i] and the phrase of its group. Groups cover the rows in order."""
    book = PhraseBook([table for table, _ in shared] + [table for table, _ in groups])
    head = np.column_stack(
        [c + base for (_, c), base in zip(shared, book.bases[: len(shared)], strict=True)]
    )
    pieces = []
    start = 0
    for (_, codes), base in zip(groups, book.bases[len(shared) :], strict=True):
        for first in range(0, len(codes), PIECE_ROWS):
            stop = min(first + PIECE_ROWS, len(codes))
            rows = np.column_stack(
                [head[owner[start + first : start + stop]], codes[first:stop] + base]
            )
            pieces.append(book.write(rows))
        start += len(codes)
    return pa.chunked_array(pieces, pa.string())
