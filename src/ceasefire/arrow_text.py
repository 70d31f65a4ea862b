"""A pandas column as an Arrow string array, without copying what Arrow already holds."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _is_text(kind: pa.DataType) -> bool:
    """Arrow string or large string."""
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def arrow_text(series: pd.Series, large: bool = False, dictionary: bool = False) -> pa.Array:
    """The column's strings (zero-copy for Arrow-backed strings; `large` keeps 64-bit offsets
    when the column has them; `dictionary` keeps a categorical column's dictionary encoding);
    anything else is cast to strings."""
    array = pa.array(series, from_pandas=True) if len(series) else pa.array([], pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    if pa.types.is_string(array.type) or (large and pa.types.is_large_string(array.type)):
        return array
    if pa.types.is_dictionary(array.type):
        if dictionary and _is_text(array.dictionary.type):
            return array
        array = array.dictionary_decode()
    return pc.cast(array, pa.string())
