"""Column helpers for readers: factorize Arrow strings, parse numbers and dates once per
distinct value, and turn local dates with a precision into UTC intervals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ceasefire.sources.vocab import DatePrecision

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y", "%d.%m.%Y",
                "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S")  # fmt: skip


def as_array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous Arrow array."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column


def factorize(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
    """Integer code per row (-1 for null or blank) and the distinct stripped values."""
    array = pc.utf8_trim_whitespace(as_array(column))
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    codes = np.where(pd.isna(codes), -1, codes).astype(np.int64)
    uniques = encoded.dictionary.to_pylist()
    blank = np.array([not u for u in uniques] + [True], dtype=bool)
    codes = np.where(blank[codes], -1, codes)
    return codes, uniques


def to_float(column: pa.ChunkedArray | pa.Array | None, n: int) -> np.ndarray:
    """Numbers from strings; NaN for null or unparseable values."""
    if column is None:
        return np.full(n, np.nan)
    array = as_array(column)
    try:
        return (
            pc.cast(pc.utf8_trim_whitespace(array), pa.float64())
            .to_numpy(zero_copy_only=False)
            .astype(np.float64)
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = pd.Series(array.to_numpy(zero_copy_only=False), dtype=object)
        return pd.to_numeric(values.str.strip(), errors="coerce").to_numpy(dtype=np.float64)


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


def local_interval(
    day: date, precision: DatePrecision, timezone: str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """UTC [start, end] covering a local date read with a precision: the day, days before and
    after it, or its whole calendar month or year."""
    kind = precision.precision.value
    if kind == "month":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif kind == "year":
        first, last = day.replace(month=1, day=1), day.replace(month=12, day=31)
    else:
        first = day - timedelta(days=precision.days_before)
        last = day + timedelta(days=precision.days_after)
    zone = ZoneInfo(timezone)
    start = pd.Timestamp(datetime(first.year, first.month, first.day), tz=zone)
    stop = pd.Timestamp(datetime(last.year, last.month, last.day), tz=zone) + pd.Timedelta(days=1)
    # a day without midnight (DST change at 00:00) starts at its first valid instant
    return start.tz_convert("UTC"), (stop - pd.Timedelta(microseconds=1)).tz_convert("UTC")


def intervals(
    date_codes: np.ndarray,
    date_values: list[str],
    precision_codes: np.ndarray,
    precisions: list[DatePrecision | None],
    timezone: str,
    formats: Sequence[str] = DATE_FORMATS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: UTC start and end (datetime64[us]), whether the date parsed, and whether the
    precision code is known. One computation per distinct (date, precision) pair."""
    n = len(date_codes)
    days = [parse_date(v, formats) for v in date_values]
    key = np.where(
        (date_codes >= 0) & (precision_codes >= 0),
        date_codes * (len(precisions) + 1) + precision_codes,
        -1,
    )
    uniq, inverse = np.unique(key, return_inverse=True)
    start_u = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[us]")
    end_u = start_u.copy()
    for i, k in enumerate(uniq):
        if k < 0:
            continue
        day, prec = days[k // (len(precisions) + 1)], precisions[k % (len(precisions) + 1)]
        if day is None or prec is None:
            continue
        start, end = local_interval(day, prec, timezone)
        start_u[i] = np.datetime64(start.tz_localize(None), "us")
        end_u[i] = np.datetime64(end.tz_localize(None), "us")
    inverse = inverse.ravel()
    parsed_date = np.array([d is not None for d in days] + [False], dtype=bool)[date_codes]
    known_precision = np.array([p is not None for p in precisions] + [False], dtype=bool)[
        precision_codes
    ]
    return (
        start_u[inverse],
        end_u[inverse],
        parsed_date & (date_codes >= 0),
        known_precision & (precision_codes >= 0),
    )
