"""What every reader shares: row checks, dates to UTC intervals, admin-1 and country per event,
and the final Arrow table. Everything is per column or per distinct value, never per row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ceasefire.resources import data_path
from ceasefire.sources.columns import factorize
from ceasefire.sources.report import IngestReport

DEFAULT_DATE_TIMEZONE = "Europe/Kyiv"
_COARSER_THAN_ADMIN1 = "country"


@dataclass(frozen=True)
class Coded:
    """A column given as integer codes into labels (-1: empty; see `from_codes`), built by
    `build_events` alongside the other columns; `places_of` reads it without Python objects
    per row."""

    codes: np.ndarray
    labels: list[Any]


def prepare(*loaders: Callable[[], object]) -> None:
    """Import and load what normalizing needs (admin-1 index, boundaries, the event schema)
    and call `loaders` (cached vocabularies)."""
    from ceasefire.events.schema import event_schema
    from ceasefire.geo.admin import admin_index
    from ceasefire.geocode.admin1 import admin1_names

    admin_index()
    admin1_names()
    _bounds()
    event_schema()
    for load in loaders:
        load()


def prepare_later(*loaders: Callable[[], object]) -> Future[None]:
    """`prepare` on a thread, while the file is parsed (the parser releases the GIL); wait
    for it before normalizing, so nothing is loaded twice."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(prepare, *loaders)
    pool.shutdown(wait=False)
    return future


@cache
def mapping(name: str) -> dict[str, Any]:
    """A source vocabulary mapping from data/mappings/NAME.yaml."""
    text = data_path("mappings", f"{name}.yaml").read_text(encoding="utf-8")
    import yaml  # here: imported on the thread that loads the vocabularies, not before the parse

    from ceasefire.sources.vocab import SAFE_LOADER

    loaded: dict[str, Any] = yaml.load(text, Loader=SAFE_LOADER)
    return loaded


def day_interval(
    start: pd.Series, end: pd.Series, timezone: str = DEFAULT_DATE_TIMEZONE
) -> tuple[pd.Series, pd.Series]:
    """Local calendar dates -> UTC [first instant of start day, last instant of end day]."""
    first = pd.to_datetime(start, errors="coerce", format="mixed").dt.normalize()
    last = pd.to_datetime(end, errors="coerce", format="mixed").dt.normalize()
    first = first.dt.tz_localize(timezone, nonexistent="shift_forward", ambiguous="NaT")
    last = (last + pd.Timedelta(days=1)).dt.tz_localize(
        timezone, nonexistent="shift_forward", ambiguous="NaT"
    ) - pd.Timedelta(microseconds=1)
    return first.dt.tz_convert("UTC"), last.dt.tz_convert("UTC")


def flag(
    report: IngestReport,
    bad: np.ndarray,
    reason: str,
    column: str | None,
    values: Iterable[Any] | None,
    skip: np.ndarray,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Record a reason for every newly bad row; return the updated skip mask. `rows` gives the
    1-based data row of each position (default: position + 1)."""
    new = np.flatnonzero(bad & ~skip)
    if len(new):
        if values is None:
            shown: list[Any] = [None] * len(new)
        elif isinstance(values, pa.Array | pa.ChunkedArray):
            shown = values.take(pa.array(new)).to_pylist()
        else:
            shown = list(np.asarray(values, dtype=object)[new])
        for index, value in zip(new, shown, strict=True):
            row = int(rows[index]) if rows is not None else int(index) + 1
            report.skip(row, reason, column, value)
    updated: np.ndarray = skip | bad
    return updated


def _pairs(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.array([f"{a}, {b}" for a, b in zip(lon, lat, strict=True)], dtype=object)


def check_coordinates(
    report: IngestReport,
    lon: np.ndarray,
    lat: np.ndarray,
    skip: np.ndarray,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Missing, out-of-range and swapped coordinates are skipped with their reason."""
    missing = ~np.isfinite(lon) | ~np.isfinite(lat)
    skip = flag(
        report,
        missing,
        "missing or unparseable coordinates",
        "latitude/longitude",
        None,
        skip,
        rows,
    )
    with np.errstate(invalid="ignore"):
        outside = ((np.abs(lat) > 90) | (np.abs(lon) > 180)) & ~missing
    if outside.any():
        shown = np.full(len(lon), None, dtype=object)
        shown[outside] = _pairs(lon[outside], lat[outside])
        skip = flag(
            report,
            outside,
            "coordinates outside the world (lon -180..180, lat -90..90)",
            "longitude, latitude",
            shown,
            skip,
            rows,
        )
    return skip


def swapped_coordinates(
    report: IngestReport,
    lon: np.ndarray,
    lat: np.ndarray,
    skip: np.ndarray,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Points outside the bundled countries' bounding box that would be inside one of the
    countries if lon and lat were swapped (one look-up per distinct suspect pair)."""
    west, south, east, north = _bounds()
    with np.errstate(invalid="ignore"):
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        flipped_inside = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
    suspect = np.flatnonzero(~skip & ~inside & flipped_inside)
    if len(suspect) == 0:
        return skip
    from ceasefire.geo.admin import admin_index

    codes, uniques = pd.factorize(lon[suspect] + 1j * lat[suspect])
    hit = pd.notna(admin_index().countries_of(uniques.imag.copy(), uniques.real.copy()))
    swapped = np.zeros(len(lon), dtype=bool)
    swapped[suspect] = hit[codes]
    if not swapped.any():
        return skip
    shown = np.full(len(lon), None, dtype=object)
    shown[swapped] = _pairs(lon[swapped], lat[swapped])
    return flag(
        report,
        swapped,
        "coordinates appear swapped (latitude given as longitude)",
        "longitude, latitude",
        shown,
        skip,
        rows,
    )


@cache
def _bounds() -> tuple[float, float, float, float]:
    from ceasefire.geo.boundaries import countries

    bounds = np.array([g.bounds for g in countries().values()])
    return (
        float(bounds[:, 0].min()),
        float(bounds[:, 1].min()),
        float(bounds[:, 2].max()),
        float(bounds[:, 3].max()),
    )


def distinct_points(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code per point into the distinct (lon, lat) pairs, and their lon and lat: one hash of
    both coordinates' bits (checked; a collision falls back to hashing the pairs)."""
    lon = np.ascontiguousarray(lon, dtype=np.float64)
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    key = lon.view(np.int64) * np.int64(-7046029254386353131) ^ lat.view(np.int64)
    codes, first = _first_codes(key)
    if not (np.array_equal(lon[first][codes], lon) and np.array_equal(lat[first][codes], lat)):
        codes, pairs = pd.factorize(lon + 1j * lat)
        return codes, pairs.real.copy(), pairs.imag.copy()
    return codes, lon[first], lat[first]


def _first_codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a key column and one row holding each code (the caller checks the rows)."""
    codes, uniques = pd.factorize(key)
    row = np.zeros(len(uniques), dtype=np.int64)
    row[codes] = np.arange(len(codes))
    return codes, row


def places_of(
    lon: np.ndarray,
    lat: np.ndarray,
    precision: np.ndarray | Coded,
    admin1_source: pd.Series | pa.Array | pa.ChunkedArray | None = None,
    country_source: np.ndarray | Coded | None = None,
) -> tuple[pa.Array, pa.Array]:
    """ISO 3166-2 admin-1 and ISO alpha-2 country per event (Arrow string columns).

    Admin-1 comes from the coordinates (land-clipped boundaries) when the event is located to
    an admin-1 unit or better; an event located only to a country or a wider area gets no
    admin-1 from its coordinates (its point is a centroid). Where the coordinates give none
    (outside the bundled boundaries, e.g. the North Caucasus) or may not be used, the source's
    own admin-1 name is read through the crosswalk. One look-up per distinct value."""
    from ceasefire.geo.admin import admin_index
    from ceasefire.geocode.admin1 import admin1_code

    n = len(lon)
    valid = np.isfinite(lon) & np.isfinite(lat)
    pair = np.full(n, -1, dtype=np.int32)
    pair[valid], pair_lon, pair_lat = distinct_points(lon[valid], lat[valid])
    unit_iso, unit_country = admin_index().lookup(pair_lon, pair_lat)
    labels: list[str] = sorted({str(v) for v in [*unit_iso, *unit_country] if isinstance(v, str)})
    position = {v: i for i, v in enumerate(labels)}

    def coded(values: np.ndarray) -> np.ndarray:
        return np.array(
            [position.get(v, -1) if isinstance(v, str) else -1 for v in values] + [-1],
            dtype=np.int32,
        )

    iso = coded(unit_iso)[pair]
    country = coded(unit_country)[pair]
    if isinstance(country_source, Coded):
        codes, uniques = country_source.codes, list(country_source.labels)
    elif country_source is not None:
        codes, distinct = pd.factorize(np.asarray(country_source, dtype=object))
        uniques = list(distinct)
    if country_source is not None:
        per_unique = np.array(
            [position.setdefault(str(v), len(position)) if v is not None else -1 for v in uniques]
            + [-1],
            dtype=np.int64,
        )
        labels = list(position)
        country = np.where(country < 0, per_unique[codes], country)
    if isinstance(precision, Coded):
        coarse = [label == _COARSER_THAN_ADMIN1 for label in precision.labels]
        iso[np.array([*coarse, False])[precision.codes]] = -1
    else:
        iso[np.asarray(precision, dtype=object) == _COARSER_THAN_ADMIN1] = -1
    if admin1_source is not None:
        if isinstance(admin1_source, pd.Series):
            admin1_source = pa.array(
                admin1_source.to_numpy(dtype=object), pa.string(), from_pandas=True
            )
        need = (iso < 0) & admin1_source.is_valid().to_numpy(zero_copy_only=False)
        if need.any():
            names = admin1_source.filter(pa.array(need))
            rows = np.flatnonzero(need)
            name_codes, name_values = factorize(names)
            pair_codes, pairs = pd.factorize(
                name_codes.astype(np.int64) * (len(labels) + 1) + country[need] + 1
            )
            found: list[str | None] = []
            for key in pairs:
                name_i, hint_i = divmod(int(key), len(labels) + 1)
                name = name_values[name_i] if name_i >= 0 and key >= 0 else None
                hint = labels[hint_i - 1] if hint_i > 0 else ""
                found.append(None if name is None else admin1_code(name, hint) or admin1_code(name))
            for code in found:
                if code is not None:
                    position.setdefault(code, len(position))
                    position.setdefault(code.split("-")[0], len(position))
            labels = list(position)
            iso_u = np.array([position[c] if c else -1 for c in found] + [-1], dtype=np.int64)
            country_u = np.array(
                [position[c.split("-")[0]] if c else -1 for c in found] + [-1], dtype=np.int64
            )
            iso[rows] = iso_u[pair_codes]
            country[rows] = np.where(country[rows] < 0, country_u[pair_codes], country[rows])
    return from_codes(iso, labels), from_codes(country, labels)


def repeat(value: Any, n: int, kind: pa.DataType = pa.string()) -> pa.Array | pa.ChunkedArray:
    """A column holding one value. A string column is one piece of about 1 MB (laid out
    directly: pa.repeat copies value by value) repeated: the same buffers in every chunk, so
    a constant column (the file's SHA-256, 64 MB for a million rows) costs no memory."""
    if isinstance(value, str) and kind == pa.string() and n > 0:
        data = value.encode("utf-8")
        rows = max(1, min(n, _PIECE_BYTES // max(len(data), 1)))
        if len(data) <= _PIECE_BYTES:  # longer values: one value per chunk would be no gain
            offsets = np.arange(rows + 1, dtype=np.int32) * np.int32(len(data))
            piece = pa.Array.from_buffers(
                kind, rows, [None, pa.py_buffer(offsets), pa.py_buffer(data * rows)]
            )
            full, rest = divmod(n, rows)
            chunks = [piece] * full + ([piece.slice(0, rest)] if rest else [])
            return pa.chunked_array(chunks, type=kind)
    return pa.repeat(pa.scalar(value, kind), n)


_PIECE_BYTES = 1 << 20


def from_codes(codes: np.ndarray, labels: list[Any], kind: pa.DataType = pa.string()) -> pa.Array:
    """A column from integer codes into labels (-1 or a None label: empty)."""
    labels = list(labels)
    mask = codes < 0
    safe = np.where(mask, 0, codes).astype(np.int32)
    dictionary = pa.array(labels if labels else [None], kind)
    # a take straight from the labels: the same values as decoding a DictionaryArray, cheaper
    taken: pa.Array = dictionary.take(pa.array(safe, mask=mask if mask.any() else None))
    return taken


def _arrow(values: Any, kind: pa.DataType, n: int) -> pa.Array | pa.ChunkedArray:
    if values is None:
        return pa.nulls(n, type=kind)
    if isinstance(values, Coded):
        return from_codes(values.codes, values.labels, kind)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.cast(kind)
    if isinstance(values, str | bool | int | float) and not isinstance(values, np.ndarray):
        return repeat(values, n, kind)
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    array = np.asarray(values)
    if pa.types.is_integer(kind) and array.dtype.kind == "f":
        missing = ~np.isfinite(array)
        return pa.array(np.where(missing, 0, array).astype(np.int64), type=kind, mask=missing)
    if pa.types.is_timestamp(kind):
        if array.dtype.kind == "M":
            return pa.array(array.astype("datetime64[us]", copy=False)).cast(kind)
        series = pd.Series(values)
        if series.dt.tz is None:
            series = series.dt.tz_localize("UTC")
        return pa.Array.from_pandas(
            series.dt.tz_convert("UTC").astype("datetime64[us, UTC]"), type=kind
        )
    if array.dtype == object and pa.types.is_string(kind):
        codes, uniques = pd.factorize(array, use_na_sentinel=True)
        return from_codes(codes, list(uniques), kind)
    return pa.array(array, type=kind, from_pandas=True)


def build_events(columns: dict[str, Any], n: int, path: Path, report: IngestReport) -> pa.Table:
    """The normalized event table from columns (arrays, Series, Arrow arrays or scalars);
    fills event_id and provenance. Columns not given are empty."""
    source = _arrow(columns["source"], pa.string(), n)
    ids = _arrow(columns["source_event_id"], pa.string(), n)
    columns = {**columns, "source": source, "source_event_id": ids}
    columns["event_id"] = pc.binary_join_element_wise(source, ids, ":")
    columns["provenance_file"] = path.name
    columns["provenance_sha256"] = report.sha256
    from ceasefire.events.schema import event_schema

    schema = event_schema()
    empty = {
        kind: pa.nulls(n, kind) for kind in {f.type for f in schema if columns.get(f.name) is None}
    }

    def build(field: pa.Field) -> pa.Array | pa.ChunkedArray:
        values = columns.get(field.name)
        return empty[field.type] if values is None else _arrow(values, field.type, n)

    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow casts release the GIL
        arrays = list(pool.map(build, list(schema)))
    return pa.Table.from_arrays(arrays, schema=schema)


def to_event_table(frame: pd.DataFrame, path: Path, report: IngestReport) -> pa.Table:
    """Fill admin-1 and country and cast a pandas frame of normalized columns."""
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    country_source = frame["country"].to_numpy(dtype=object) if "country" in frame else None
    iso, country = places_of(
        lon,
        lat,
        frame["location_precision"].to_numpy(dtype=object),
        frame.get("admin1_source"),
        country_source,
    )
    columns: dict[str, Any] = {c: frame[c] for c in frame.columns}
    columns["admin1"] = iso
    columns["country"] = country
    return build_events(columns, len(frame), path, report)
