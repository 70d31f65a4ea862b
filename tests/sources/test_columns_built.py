"""Columns the readers build: constant columns and columns from codes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from ceasefire.sources.common import from_codes, repeat


@pytest.mark.parametrize("value", ["", "acled", "0123456789abcdef" * 4, "Kharkiv Oblast ü"])
@pytest.mark.parametrize("n", [1, 2, 16_383, 16_384, 16_385, 100_001])
def test_a_constant_column_holds_its_value_in_every_row(value: str, n: int) -> None:
    column = repeat(value, n)
    assert len(column) == n and column.null_count == 0
    assert column.equals(pa.chunked_array([pa.array([value] * n, pa.string())]))
    column.validate(full=True)


def test_a_constant_column_shares_one_piece() -> None:
    """A million SHA-256 digests cost about 1 MB, not 64 MB."""
    column = repeat("f" * 64, 1_000_000)
    assert isinstance(column, pa.ChunkedArray)
    distinct = {b.address for chunk in column.chunks for b in chunk.buffers() if b is not None}
    assert len(distinct) <= 2
    assert column.chunk(0).buffers()[2].size <= 1 << 20


def test_other_constants_and_long_values() -> None:
    assert repeat(5, 3, pa.int64()).to_pylist() == [5, 5, 5]
    assert repeat("x", 0).to_pylist() == []
    long = "y" * ((1 << 20) + 1)
    assert repeat(long, 2).to_pylist() == [long, long]


def test_a_column_from_codes_leaves_minus_one_empty() -> None:
    codes = np.array([0, 2, -1, 1, 1, -1])
    column = from_codes(codes, ["UA-14", None, "RU-BEL"])
    assert column.to_pylist() == ["UA-14", "RU-BEL", None, None, None, None]
    assert from_codes(np.array([-1, -1]), []).to_pylist() == [None, None]
