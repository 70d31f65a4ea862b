"""Explanations a person can read, confidence, and the output contract."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire.adjudicate import VIOLATION_COLUMNS, PreparedAgreement
from ceasefire.events import event_columns
from tests.adjudicate.conftest import DEADLINE, check, east_of, events, rules_of

CONTRACT = [
    "event_id",
    "source",
    "source_event_id",
    "date",
    "lon",
    "lat",
    "admin1",
    "side",
    "party",
    "rule_id",
    "article",
    "zone_id",
    "distance_km",
    "confidence",
    "explanation",
    "location_check",
    "time_check",
    "attribution",
]


def test_the_violation_columns_keep_the_contract() -> None:
    assert VIOLATION_COLUMNS[: len(CONTRACT)] == CONTRACT


def test_an_mlrs_violation_reads_with_its_values(paris: PreparedAgreement) -> None:
    coords = list(paris.agreement.lines[0].geometry.shape.coords)
    from tests.adjudicate.conftest import perpendicular

    lon, lat = perpendicular(coords[40], coords[41], 42.0)
    at = pd.Timestamp("2026-03-06T10:00:00+02:00")  # 3 days after the withdrawal deadline
    result = check(
        paris,
        {
            "lon": lon,
            "lat": lat,
            "category": "shelling",
            "weapon_class": "mlrs",
            "actor1": "Military Forces of Russia (2000-)",
            "at": at,
        },
    )
    found = rules_of(result, "acled:0")["mlrs-withdrawn"]
    text = found["explanation"]
    for part in (
        "MLRS",
        "42.0 km from the line",
        "on the RU side",
        "by RU",
        "70 km security zone",
        "(Art. 4)",
        "3 days after the deadline",
    ):
        assert part in text, (part, text)
    assert found["limit_km"] == 70.0 and found["days_after"] == 3
    assert found["line_distance_km"] == pytest.approx(42.0, abs=0.05)
    assert found["date"] == "2026-03-06"


def test_confidence_follows_precision_checks_and_grading(testland: PreparedAgreement) -> None:
    base = {"lon": 36.5, "lat": 48.3}
    result = check(
        testland,
        base,
        base | {"location_precision": "admin2", "location_radius_km": 5.0},
        base | {"time_precision": "week", "time_start": DEADLINE, "time_end": DEADLINE},
        base | {"source_confidence": 0.5},
        base
        | {
            "time_precision": "day",
            "time_start": DEADLINE - pd.Timedelta(days=20),
            "time_end": DEADLINE,
        },  # possibly before entry into force
    )
    conf = [rules_of(result, f"acled:{i}")["ceasefire"]["confidence"] for i in range(5)]
    assert conf[0] == 1.0
    assert conf[1] < 1.0 and conf[2] < 1.0
    assert conf[3] == 0.5
    assert conf[4] < conf[0] / 1.5


def test_enriched_events_keep_every_input_column_in_order(testland: PreparedAgreement) -> None:
    batch = events({"lon": 36.5, "lat": 48.3})
    result = check(testland, {"lon": 36.5, "lat": 48.3})
    assert list(result.events.columns[: len(batch.columns)]) == list(batch.columns)
    for column in (
        "party",
        "party_basis",
        "side",
        "distance_km",
        "in_force",
        "in_scope",
        "zones_inside",
        "zones_possible",
    ):
        assert column in result.events.columns
    assert set(event_columns()) <= set(result.events.columns)


def test_zones_inside_lists_the_certain_zones(testland: PreparedAgreement) -> None:
    lon, lat = east_of(37.0, 48.3, 5.0)
    result = check(testland, {"lon": lon, "lat": lat, "actor1": "Russian forces"})
    assert list(result.events["zones_inside"].iloc[0]) == ["buffer-10km", "artillery-50km"]


def test_an_empty_batch(testland: PreparedAgreement) -> None:
    result = check(testland)
    assert len(result.events) == 0
    assert list(result.violations.columns) == VIOLATION_COLUMNS
