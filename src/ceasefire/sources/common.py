"""What every reader shares: row checks, dates to UTC intervals, and the final Arrow table."""

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
from ceasefire.resources import data_path
from ceasefire.sources.report import IngestReport

DEFAULT_DATE_TIMEZONE = "Europe/Kyiv"


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
    first = pd.to_datetime(start, errors="coerce", format="mixed")
    last = pd.to_datetime(end, errors="coerce", format="mixed")
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
) -> np.ndarray:
    """Record a reason for every newly bad row; return the updated skip mask."""
    new = bad & ~skip
    shown = list(values) if values is not None else None
    for index in np.flatnonzero(new):
        report.skip(int(index) + 1, reason, column, None if shown is None else shown[index])
    return skip | bad


def check_coordinates(
    report: IngestReport, lon: np.ndarray, lat: np.ndarray, skip: np.ndarray
) -> np.ndarray:
    """Missing, out-of-range and swapped coordinates are skipped with their reason."""
    missing = ~np.isfinite(lon) | ~np.isfinite(lat)
    skip = flag(report, missing, "missing or unparseable coordinates", "latitude/longitude", None, skip)
    with np.errstate(invalid="ignore"):
        outside = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    pairs = [f"{a}, {b}" for a, b in zip(lon, lat, strict=True)]
    skip = flag(report, outside & ~missing, "coordinates outside the world (lon -180..180, lat -90..90)",
                "longitude, latitude", pairs, skip)
    return skip


def swapped_coordinates(
    report: IngestReport, lon: np.ndarray, lat: np.ndarray, skip: np.ndarray
) -> np.ndarray:
    """Points in none of the bundled countries that would be in one if lon and lat were
    swapped."""
    idx = np.flatnonzero(~skip)
    if len(idx) == 0:
        return skip
    index = admin_index()
    none = idx[pd.isna(index.countries_of(lon[idx], lat[idx]))]
    if len(none) == 0:
        return skip
    swapped = np.zeros(len(lon), dtype=bool)
    swapped[none[pd.notna(index.countries_of(lat[none], lon[none]))]] = True
    pairs = [f"{a}, {b}" for a, b in zip(lon, lat, strict=True)]
    return flag(report, swapped, "coordinates appear swapped (latitude given as longitude)",
                "longitude, latitude", pairs, skip)


def to_event_table(frame: pd.DataFrame, path: Path, report: IngestReport) -> pa.Table:
    """Fill provenance, admin-1 and country from coordinates, and cast to the event schema."""
    frame = frame.copy()
    frame["event_id"] = frame["source"] + ":" + frame["source_event_id"].astype(str)
    frame["provenance_file"] = path.name
    frame["provenance_sha256"] = report.sha256
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)
    iso, country = admin_index().lookup(lon, lat)
    frame["admin1"] = iso
    if "country" in frame:
        frame["country"] = np.where(pd.isna(country), frame["country"], country)
    else:
        frame["country"] = country
    columns = {}
    for field in event_fields():
        values = frame[field.name] if field.name in frame else pd.Series([None] * len(frame))
        columns[field.name] = values.astype(object).where(values.notna(), None).tolist()
    return pa.Table.from_pydict(columns, schema=event_schema())
