"""Shared helpers: the Testland and Paris agreements, and events built row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from ceasefire.adjudicate import Adjudication, PreparedAgreement, adjudicate
from ceasefire.agreement import load_agreement
from ceasefire.events import event_columns

HERE = Path(__file__).parent
GEOD = Geod(ellps="WGS84")
EIF = pd.Timestamp("2026-02-01T00:00:00+02:00")
DEADLINE = pd.Timestamp("2026-02-15T00:00:00+02:00")

DEFAULTS: dict[str, Any] = {
    "source": "acled",
    "time_precision": "exact",
    "location_precision": "exact",
    "location_radius_km": 0.0,
    "country": "UA",
    "actor1_is_initiator": True,
    "category": "shelling",
    "weapon_class": "unknown",
    "target_category": "unknown",
    "provenance_file": "test.csv",
    "provenance_sha256": "0" * 64,
}


def events(*rows: dict[str, Any]) -> pd.DataFrame:
    """Normalized events from partial rows (time: `at`, or time_start/time_end)."""
    records = []
    for i, row in enumerate(rows):
        row = dict(row)
        at = pd.Timestamp(row.pop("at", EIF + pd.Timedelta(days=30)))
        record = {c: None for c in event_columns()} | DEFAULTS | {"time_start": at, "time_end": at}
        record |= row
        record.setdefault("source_event_id", str(i))
        record["source_event_id"] = record["source_event_id"] or str(i)
        record["event_id"] = record["event_id"] or f"{record['source']}:{record['source_event_id']}"
        record["provenance_row"] = i + 1
        records.append(record)
    names = list(dict.fromkeys([*event_columns(), *(k for r in records for k in r)]))
    frame = pd.DataFrame.from_records(records, columns=names)
    for column in ("time_start", "time_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.as_unit("us")
    for column in (
        "lon",
        "lat",
        "location_radius_km",
        "observer_lon",
        "observer_lat",
        "bearing_deg",
        "bearing_spread_deg",
        "distance_min_km",
        "distance_max_km",
    ):
        frame[column] = frame[column].astype("float64")
    return frame


def east_of(lon: float, lat: float, km: float) -> tuple[float, float]:
    """The point km east (azimuth 90, geodesic) of lon/lat; west for negative km."""
    x, y, _ = GEOD.fwd(lon, lat, 90.0 if km >= 0 else 270.0, abs(km) * 1000.0)
    return float(x), float(y)


def perpendicular(a: tuple[float, float], b: tuple[float, float], km: float) -> tuple[float, float]:
    """The point km from the middle of segment a-b, perpendicular to it (left if km > 0)."""
    mid_lon, mid_lat, _ = GEOD.fwd(*a, GEOD.inv(*a, *b)[0], GEOD.inv(*a, *b)[2] / 2)
    azimuth = GEOD.inv(mid_lon, mid_lat, *b)[0]
    x, y, _ = GEOD.fwd(mid_lon, mid_lat, azimuth + (-90.0 if km > 0 else 90.0), abs(km) * 1000.0)
    return float(x), float(y)


def rules_of(result: Adjudication, event_id: str) -> dict[str, pd.Series]:
    """The violations of one event, by rule id."""
    rows = result.violations[result.violations["event_id"] == event_id]
    return {str(r["rule_id"]): r for _, r in rows.iterrows()}


@pytest.fixture(scope="session")
def testland() -> PreparedAgreement:
    """Straight lines along meridians: distances and sides are known exactly."""
    return PreparedAgreement(load_agreement(HERE / "testland.yaml"))


@pytest.fixture(scope="session")
def paris() -> PreparedAgreement:
    """The bundled Paris draft."""
    return PreparedAgreement(load_agreement("paris-2026-draft"))


def check(prep: PreparedAgreement, *rows: dict[str, Any]) -> Adjudication:
    """Adjudicate rows given as dicts."""
    return adjudicate(prep, events(*rows))


def as_float(values: Any) -> np.ndarray:
    """A column as float64."""
    return np.asarray(values, dtype=np.float64)
