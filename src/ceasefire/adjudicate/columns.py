"""A batch of normalized events as NumPy arrays: coordinates, times and integer codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from ceasefire.adjudicate.firing import fire_reach
from ceasefire.adjudicate.prepared import (
    CATEGORIES,
    LOCATION_PRECISIONS,
    TARGETS,
    TIME_PRECISIONS,
    WEAPONS,
    PreparedAgreement,
)
from ceasefire.arrow_text import arrow_text
from ceasefire.geo.admin import admin_index
from ceasefire.geo.projection import Array

Codes = NDArray[np.int16]

# The event columns `adjudicate` reads (docs/events.md); a reader of a large store need read
# no others. source_confidence (from grading) and located/observer/bearing columns (field
# reports) are optional.
INPUT_COLUMNS = (
    "event_id",
    "source",
    "source_event_id",
    "time_start",
    "time_end",
    "time_precision",
    "lon",
    "lat",
    "location_precision",
    "location_radius_km",
    "country",
    "admin1",
    "actor1",
    "actor2",
    "actor1_party",
    "actor2_party",
    "actor1_is_initiator",
    "category",
    "weapon_class",
    "target_category",
    "located",
    "observer_lon",
    "observer_lat",
    "bearing_deg",
    "bearing_spread_deg",
    "distance_min_km",
    "distance_max_km",
    "source_confidence",
)
# Of those, the columns with few distinct values, which `adjudicate` reads by their codes: a
# reader may give them as dictionaries (Arrow) or categoricals (pandas), e.g.
# `pq.ParquetFile(path, read_dictionary=DICTIONARY_COLUMNS)`; the results are the same.
DICTIONARY_COLUMNS = (
    "source",
    "time_precision",
    "location_precision",
    "country",
    "admin1",
    "actor1",
    "actor2",
    "actor1_party",
    "actor2_party",
    "category",
    "weapon_class",
    "target_category",
    "located",
)


def codes(series: pd.Series | pa.Array, vocabulary: list[str]) -> Codes:
    """Position of each value in the vocabulary; len(vocabulary) for anything else. A
    dictionary-encoded column is looked up once per distinct value."""
    if isinstance(series, pa.Array):
        values = series
    else:
        values = arrow_text(series, large=True, dictionary=True)
    if pa.types.is_dictionary(values.type):
        table = codes(values.dictionary, vocabulary)
        index = np.asarray(values.indices.fill_null(-1), dtype=np.int64)
        found = np.where(index >= 0, table[np.maximum(index, 0)], len(vocabulary))
        return found.astype(np.int16)
    position = pc.index_in(values, value_set=pa.array(vocabulary, values.type))
    return np.asarray(position.fill_null(len(vocabulary)), dtype=np.int16)


def floats(batch: pd.DataFrame, column: str, default: float = np.nan) -> Array:
    """A float column (NaN where missing; default when the column is absent)."""
    if column not in batch:
        return np.full(len(batch), default)
    return pd.to_numeric(batch[column], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def epoch_us(series: pd.Series) -> NDArray[np.int64]:
    """Timestamps as microseconds since the epoch (UTC)."""
    values = series
    if not isinstance(values.dtype, pd.DatetimeTZDtype) or values.dt.unit != "us":
        values = pd.to_datetime(values, utc=True).dt.as_unit("us")
    return np.asarray(values.array.asi8 if len(values) else np.zeros(0), dtype=np.int64)


@dataclass
class Columns:
    """What the checks read from a batch."""

    n: int
    lon: Array
    lat: Array
    x: Array
    y: Array
    radius: Array
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    category: Codes
    weapon: Codes
    target: Codes
    location_precision: Codes
    time_precision: Codes
    origin: NDArray[np.bool_]
    grading: Array
    admin1: pa.Array
    country: pa.Array
    unit: NDArray[np.int32]  # admin unit of an admin1-precision event, -1 otherwise
    reach: Array  # fire located where it landed: its weapon's range (km); else 0


def extract(prep: PreparedAgreement, batch: pd.DataFrame) -> Columns:
    """Read the columns the checks need, computing admin-1 and country where missing."""
    lon, lat = floats(batch, "lon"), floats(batch, "lat")
    valid = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = np.where(valid, lon, np.nan), np.where(valid, lat, np.nan)
    x, y = prep.projection.forward(lon, lat)
    index = admin_index()
    admin1, country = arrow_text(batch["admin1"]), arrow_text(batch["country"])
    missing = valid & (np.asarray(admin1.is_null()) | np.asarray(country.is_null()))
    if missing.any():
        labels = np.full(len(batch), -1, dtype=np.int32)
        labels[missing] = index.labels(lon[missing], lat[missing])
        found = pa.array(np.where(labels >= 0, labels, len(index.label_iso)))
        iso = pa.array([*index.label_iso, None], pa.string()).take(found)
        land = pa.array([*index.label_country, None], pa.string()).take(found)
        admin1 = pc.coalesce(admin1.cast(pa.string()), iso)
        country = pc.coalesce(country.cast(pa.string()), land)
    location_precision = codes(batch["location_precision"], LOCATION_PRECISIONS)
    unit = np.full(len(batch), -1, dtype=np.int32)
    by_unit = np.flatnonzero(location_precision == LOCATION_PRECISIONS.index("admin1"))
    if len(by_unit):
        known = codes(admin1.take(pa.array(by_unit)), list(index.iso))
        unit[by_unit] = np.where(known < len(index.iso), known, -1)
    located = batch["located"] if "located" in batch else pd.Series([None] * len(batch))
    category, weapon = codes(batch["category"], CATEGORIES), codes(batch["weapon_class"], WEAPONS)
    origin = codes(located, ["origin"]) == 0
    grading = np.clip(floats(batch, "source_confidence", 1.0), 0.0, 1.0)
    return Columns(
        n=len(batch),
        lon=lon,
        lat=lat,
        x=x,
        y=y,
        radius=np.maximum(np.nan_to_num(floats(batch, "location_radius_km"), nan=0.0), 0.0),
        start=epoch_us(batch["time_start"]),
        end=epoch_us(batch["time_end"]),
        category=category,
        weapon=weapon,
        target=codes(batch["target_category"], TARGETS),
        location_precision=location_precision,
        time_precision=codes(batch["time_precision"], TIME_PRECISIONS),
        origin=origin,
        grading=np.where(np.isnan(grading), 1.0, grading),
        admin1=admin1,
        country=country,
        unit=unit,
        reach=fire_reach(category, weapon, origin),
    )
