"""Column helpers for readers: factorize Arrow strings, parse numbers and dates once per
distinct value, and turn local dates with a precision into UTC intervals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # the vocabularies (pydantic) load on a thread while a file is parsed
    from ceasefire.sources.vocab import DatePrecision

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
)


def as_array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous Arrow array."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column


def runs(keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop of each run of True in a mask."""
    bound = np.zeros(1, dtype=np.int8)  # int8 throughout: a Python 0 would make it int64
    edges = np.flatnonzero(np.diff(np.concatenate([bound, keep.view(np.int8), bound])))
    return edges[::2], edges[1::2]


def kept_rows(
    column: pa.ChunkedArray, keep: pa.Array, spans: tuple[np.ndarray, np.ndarray]
) -> pa.ChunkedArray:
    """The rows of a column where `keep` is true (`spans`: its `runs`): zero-copy slices when
    only a few rows are dropped (runs of 1,000 rows or more on average), else a filtered copy."""
    starts, stops = spans
    if len(starts) > max(64, len(column) // 1024):
        return column.filter(keep)
    pieces = [c for a, b in zip(starts, stops, strict=True) for c in column.slice(a, b - a).chunks]
    return pa.chunked_array(pieces, type=column.type)


def factorize(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
    """Integer code per row (int32; -1 for null or blank) and the distinct values, stripped."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return np.zeros(0, dtype=np.int32), []
        encoded = encoded.unify_dictionaries()
        chunks = encoded.chunks
    else:
        chunks = [encoded]
    dictionary = pc.utf8_trim_whitespace(chunks[0].dictionary)
    regroup, uniques = pd.factorize(dictionary.to_numpy(zero_copy_only=False))
    blank = pc.utf8_length(dictionary).to_numpy(zero_copy_only=False) == 0
    table = np.append(np.where(blank, -1, regroup), -1).astype(np.int32)
    codes = np.empty(len(column), dtype=np.int32)
    start = 0
    for chunk in chunks:  # straight from the index buffers: no per-row temporaries
        indices = chunk.indices
        size = len(indices)
        if size == 0:
            continue
        raw = np.frombuffer(indices.buffers()[1], dtype=indices.type.to_pandas_dtype())
        part = raw[indices.offset : indices.offset + size]
        out = codes[start : start + size]
        if indices.null_count:
            valid = indices.is_valid().to_numpy(zero_copy_only=False)
            np.take(table, np.where(valid, part, -1), out=out)
        else:
            np.take(table, part, out=out)
        start += size
    return codes, [str(u) for u in uniques] if len(uniques) < 100_000 else list(uniques)


def duplicated(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Rows whose (stripped) value appeared in an earlier row; blanks are never duplicates."""
    n = len(column)
    if n < 2 or column.null_count >= n - 1:
        return np.zeros(n, dtype=bool)
    # no two equal values (blanks aside): sorting is cheaper than hashing long columns
    ordered = as_array(column).take(pc.array_sort_indices(column, null_placement="at_end"))
    same = pc.equal(ordered.slice(1), ordered.slice(0, n - 1))
    if not pc.any(same).as_py():
        return np.zeros(n, dtype=bool)
    codes, _ = factorize(column)
    return pd.Series(codes).duplicated(keep="first").to_numpy() & (codes >= 0)


def to_float(column: pa.ChunkedArray | pa.Array | None, n: int) -> np.ndarray:
    """Numbers from strings; NaN for null or unparseable values."""
    if column is None:
        return np.full(n, np.nan)
    array = as_array(column)
    try:
        try:  # most files: no spaces around numbers, nothing to trim
            cast = pc.cast(array, pa.float64())
        except pa.ArrowInvalid:
            cast = pc.cast(pc.utf8_trim_whitespace(array), pa.float64())
        result = np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = pd.Series(array.to_numpy(zero_copy_only=False), dtype=object)
        result = pd.to_numeric(values.str.strip(), errors="coerce").to_numpy(dtype=np.float64)
    numbers: np.ndarray = result
    return numbers


def parse_date(text: str, formats: Sequence[str] = DATE_FORMATS) -> date | None:
    """A calendar date in one of the formats, or None."""
    cleaned = text.strip()
    for fmt in formats:
        if fmt == "%Y%m%d" and not (len(cleaned) == 8 and cleaned.isdigit()):
            continue
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def intervals(
    date_codes: np.ndarray,
    date_values: list[str],
    precision_codes: np.ndarray,
    precisions: Sequence[DatePrecision | None],
    timezone: str,
    formats: Sequence[str] = DATE_FORMATS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: UTC start and end (datetime64[us]), whether the date parsed, and whether the
    precision code is known. One computation per distinct (date, precision) pair."""
    days = [parse_date(v, formats) for v in date_values]
    width = len(precisions) + 1
    key = np.where(
        (date_codes >= 0) & (precision_codes >= 0),
        date_codes.astype(np.int64) * width + precision_codes,
        -1,
    )
    codes, uniq = pd.factorize(key)
    firsts: list[date | None] = []
    lasts: list[date | None] = []
    for k in uniq:
        day = days[k // width] if k >= 0 else None
        prec = precisions[k % width] if k >= 0 else None
        if day is None or prec is None:
            firsts.append(None)
            lasts.append(None)
        else:
            first, last = local_days(day, prec)
            firsts.append(first)
            lasts.append(last)
    start_u = _utc(pd.to_datetime(pd.Series(firsts, dtype=object)), timezone)
    end_u = _utc(
        pd.to_datetime(pd.Series(lasts, dtype=object)) + pd.Timedelta(days=1), timezone
    ) - np.timedelta64(1, "us")
    parsed_date = np.array([d is not None for d in days] + [False], dtype=bool)[date_codes]
    known_precision = np.array([p is not None for p in precisions] + [False], dtype=bool)[
        precision_codes
    ]
    return (
        start_u[codes],
        end_u[codes],
        parsed_date & (date_codes >= 0),
        known_precision & (precision_codes >= 0),
    )


def local_days(day: date, precision: DatePrecision) -> tuple[date, date]:
    """First and last local calendar day covered by a date read with a precision."""
    kind = precision.precision.value
    if kind == "month":
        first = day.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if kind == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    return day - timedelta(days=precision.days_before), day + timedelta(days=precision.days_after)


def _utc(local_midnights: pd.Series, timezone: str) -> np.ndarray:
    """Local midnights (naive) -> UTC instants as datetime64[us]; NaT stays NaT."""
    zoned = local_midnights.dt.tz_localize(timezone, nonexistent="shift_forward", ambiguous="NaT")
    result: np.ndarray = (
        zoned.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    )
    return result
