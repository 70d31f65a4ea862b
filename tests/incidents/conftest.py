"""Small hand-made reports for the incident tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from ceasefire.events.schema import event_fields, event_schema
from ceasefire.incidents import IncidentsConfig, load_incidents_config
from ceasefire.store import EventStore

BASE: dict[str, Any] = {
    "source": "acled",
    "time_start": "2026-03-01T10:00:00Z",
    "time_end": "2026-03-01T10:00:00Z",
    "time_precision": "exact",
    "lon": 37.80,
    "lat": 48.10,
    "location_precision": "exact",
    "location_radius_km": 0.0,
    "location_name": "Kurakhove",
    "actor1": "Military Forces of Russia (2000-)",
    "actor2": "Civilians (Ukraine)",
    "actor1_party": "RU",
    "actor2_party": None,
    "actor1_is_initiator": True,
    "category": "shelling",
    "weapon_class": "artillery",
    "target_category": "civilian",
    "fatalities_best": 2.0,
    "source_name": "Ukrinform",
    "text": "Russian artillery shelled Kurakhove, hitting a school; two civilians were killed",
    "provenance_sha256": "0" * 64,
}


def report(event_id: str, **changes: Any) -> dict[str, Any]:
    """One report: the base shelling with changes; source taken from the event id."""
    row = {**BASE, "event_id": event_id, "source": event_id.split(":")[0], **changes}
    row["source_event_id"] = event_id.split(":", 1)[1]
    return row


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Reports as the DataFrame deduplication reads."""
    data = pd.DataFrame(list(rows))
    for column in ("time_start", "time_end"):
        data[column] = pd.to_datetime(data[column], utc=True)
    return data


@pytest.fixture
def config() -> IncidentsConfig:
    """The packaged configuration."""
    return load_incidents_config()


def store_with(path: Path, *rows: dict[str, Any]) -> EventStore:
    """A store holding the reports (the caller closes it)."""
    data = frame(*rows)
    data["time_precision"] = data.get("time_precision", "exact")
    data["provenance_file"] = "test.csv"
    data["provenance_row"] = range(1, len(data) + 1)
    for field in event_fields():
        if field.name not in data:
            data[field.name] = None
    table = pa.Table.from_pandas(data[[f.name for f in event_fields()]], preserve_index=False)
    store = EventStore(path)
    store.load(table.cast(event_schema()), file="test.csv", sha256="0" * 64, source="test",
               rows_read=len(data), rows_skipped=0)  # fmt: skip
    return store
