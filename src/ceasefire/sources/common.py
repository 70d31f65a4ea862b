"""What every reader shares: row checks, dates to UTC intervals, admin-1 and country per event,
and the final Arrow table. Everything is per column or per distinct value, never per row."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from ceasefire.events.schema import event_fields, event_schema
from ceasefire.geo.admin import admin_index
from ceasefire.geocode.admin1 import admin1_code
from ceasefire.resources import data_path
from ceasefire.sources.report import IngestReport

DEFAULT_DATE_TIMEZONE = "Europe/Kyiv"
_COARSER_THAN_ADMIN1 = "country"


@cache
def mapping(name: str) -> dict[str, Any]:
    """A source vocabulary mapping from data/mappings/NAME.yaml."""
    text = data_path("mappings", f"{name}.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
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
        shown = None if values is None else np.asarray(values, dtype=object)
        for index in new:
            row = int(rows[index]) if rows is not None else int(index) + 1
            report.skip(row, reason, column, None if shown is None else shown[index])
    return skip | bad


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
        skip = flag(report, outside, "coordinates outside the world (lon -180..180, lat -90..90)",
                    "longitude, latitude", shown, skip, rows)  # fmt: skip
    return skip


def swapped_coordinates(
    report: IngestReport,
    lon: np.ndarray,
    lat: np.ndarray,
    skip: np.ndarray,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Points in none of the bundled countries that would be in one if lon and lat were
    swapped (one look-up per distinct coordinate pair)."""
    idx = np.flatnonzero(~skip)
    if len(idx) == 0:
        return skip
    pairs, inverse = np.unique(lon[idx] + 1j * lat[idx], return_inverse=True)
    index = admin_index()
    none = pd.isna(index.countries_of(pairs.real, pairs.imag))
    flip = np.zeros(len(pairs), dtype=bool)
    if none.any():
        flip[none] = pd.notna(index.countries_of(pairs.imag[none], pairs.real[none]))
    swapped = np.zeros(len(lon), dtype=bool)
    swapped[idx] = flip[inverse.ravel()]
    if not swapped.any():
        return skip
    shown = np.full(len(lon), None, dtype=object)
    shown[swapped] = _pairs(lon[swapped], lat[swapped])
    return flag(report, swapped, "coordinates appear swapped (latitude given as longitude)",
                "longitude, latitude", shown, skip, rows)  # fmt: skip


def places_of(
    lon: np.ndarray,
    lat: np.ndarray,
    precision: np.ndarray,
    admin1_source: pd.Series | None = None,
    country_source: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """ISO 3166-2 admin-1 and ISO alpha-2 country per event.

    Admin-1 comes from the coordinates (land-clipped boundaries) when the event is located to
    an admin-1 unit or better; an event located only to a country or a wider area gets no
    admin-1 from its coordinates (its point is a centroid). Where the coordinates give none
    (outside the bundled boundaries, e.g. the North Caucasus) or may not be used, the source's
    own admin-1 name is read through the crosswalk. One look-up per distinct value."""
    n = len(lon)
    iso = np.full(n, None, dtype=object)
    country = np.full(n, None, dtype=object)
    valid = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if len(valid):
        pairs, inverse = np.unique(lon[valid] + 1j * lat[valid], return_inverse=True)
        unique_iso, unique_country = admin_index().lookup(pairs.real.copy(), pairs.imag.copy())
        iso[valid] = unique_iso[inverse.ravel()]
        country[valid] = unique_country[inverse.ravel()]
    if country_source is not None:
        country = np.where(pd.isna(country), country_source, country)
    iso[np.asarray(precision, dtype=object) == _COARSER_THAN_ADMIN1] = None
    if admin1_source is not None:
        need = pd.isna(iso) & pd.notna(admin1_source.to_numpy(dtype=object))
        if need.any():
            names = pd.Series(admin1_source.to_numpy(dtype=object)[need])
            hint = pd.Series(country[need]).fillna("")
            codes, uniques = pd.factorize(names + "\x00" + hint)
            found = np.array(
                [admin1_code(*u.split("\x00")) or admin1_code(u.split("\x00")[0]) for u in uniques],
                dtype=object,
            )
            iso[need] = found[codes]
            missing_country = need & pd.isna(country)
            country[missing_country] = [
                c.split("-")[0] if c else None for c in iso[missing_country]
            ]
    return iso, country


def _arrow(values: Any, kind: pa.DataType, n: int) -> pa.Array:
    if values is None:
        return pa.nulls(n, type=kind)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.cast(kind)
    if np.isscalar(values):
        return pa.array(np.full(n, values, dtype=object), type=kind, from_pandas=True)
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    if pa.types.is_integer(kind) and np.asarray(values).dtype.kind == "f":
        floats = np.asarray(values, dtype=np.float64)
        missing = ~np.isfinite(floats)
        return pa.array(np.where(missing, 0, floats).astype(np.int64), type=kind, mask=missing)
    if pa.types.is_timestamp(kind):
        series = pd.Series(values)
        if series.dt.tz is None:
            series = series.dt.tz_localize("UTC")
        return pa.Array.from_pandas(
            series.dt.tz_convert("UTC").astype("datetime64[us, UTC]"), type=kind
        )
    return pa.array(values, type=kind, from_pandas=True)


def build_events(columns: dict[str, Any], n: int, path: Path, report: IngestReport) -> pa.Table:
    """The normalized event table from columns (arrays, Series, Arrow arrays or scalars);
    fills event_id and provenance. Columns not given are empty."""
    source = columns["source"]
    ids = _arrow(columns["source_event_id"], pa.string(), n)
    columns = {**columns, "source_event_id": ids}
    columns["event_id"] = pa.compute.binary_join_element_wise(
        _arrow(source, pa.string(), n), ids, ":"
    )
    columns["provenance_file"] = path.name
    columns["provenance_sha256"] = report.sha256
    arrays = [
        _arrow(columns.get(f.name), event_schema().field(f.name).type, n) for f in event_fields()
    ]
    return pa.Table.from_arrays(arrays, schema=event_schema())


def to_event_table(frame: pd.DataFrame, path: Path, report: IngestReport) -> pa.Table:
    """Fill admin-1 and country and cast a pandas frame of normalized columns."""
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    country_source = frame["country"].to_numpy(dtype=object) if "country" in frame else None
    iso, country = places_of(lon, lat, frame["location_precision"].to_numpy(dtype=object),
                             frame.get("admin1_source"), country_source)  # fmt: skip
    columns: dict[str, Any] = {c: frame[c] for c in frame.columns}
    columns["admin1"] = iso
    columns["country"] = country
    return build_events(columns, len(frame), path, report)
