"""Any CSV through a YAML column mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import CeasefireError, InputError
from ceasefire.sources import read_events
from tests.sources.conftest import events, reasons


def test_strike_log_through_its_mapping(fixtures: Path) -> None:
    mapping = fixtures / "mapped" / "strikes_log.yaml"
    result = read_events(fixtures / "mapped" / "strikes_log.csv", f"csv:{mapping}")
    assert result.report.source == "csv:strikes-log" and result.report.rows_read == 8
    got = events(result)
    assert got.loc[
        "SL-0001", ["category", "weapon_class", "admin1", "location_precision"]
    ].tolist() == ["shelling", "artillery", "UA-63", "exact"]
    lyman = got.loc["SL-0002"]  # no coordinates: geocoded with the stated oblast
    assert (lyman.lon, lyman.lat, lyman.admin1, lyman.location_precision) == (
        37.80843,
        48.99012,
        "UA-14",
        "near",
    )
    assert got.loc["SL-0003", "admin1"] == "UA-23"  # Kamianske in Zaporizka oblast: decided
    assert got.loc["SL-0005", ["category", "weapon_class", "target_category"]].tolist() == [
        "missile_strike",
        "long_range",
        "critical_infrastructure",
    ]
    assert got.loc["SL-0001", "event_id"] == "csv:strikes-log:SL-0001"
    skipped = reasons(result)
    assert skipped[4].startswith("place not geocoded: 5 places called 'Kamianske'")
    assert skipped[6] == "unparseable date (expected %d/%m/%Y)"
    assert skipped[7] == "unknown event type (not in the mapping's `types`)"
    assert skipped[8] == "missing id (Incident ID)"


def _mapping(tmp_path: Path, text: str) -> str:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return f"csv:{path}"


def test_mapping_errors_name_the_key(tmp_path: Path, fixtures: Path) -> None:
    csv = fixtures / "mapped" / "strikes_log.csv"
    columns = "columns: {id: Incident ID, date: Date, lat: Lat, lon: Lon}\n"
    bad_category = columns + "default_type: {category: shellng}\n"
    with pytest.raises(InputError) as caught:
        read_events(csv, _mapping(tmp_path, bad_category))
    assert "default_type.category" in str(caught.value) and "did you mean 'shelling'" in str(
        caught.value
    )
    unknown_key = columns.replace("}", ", dat: X}") + "default_type: {category: shelling}\n"
    with pytest.raises(InputError, match=r"columns\.dat.*unknown key"):
        read_events(csv, _mapping(tmp_path, unknown_key))
    missing_column = (
        columns.replace("Incident ID", "Incident") + "default_type: {category: shelling}\n"
    )
    with pytest.raises(CeasefireError, match="lacks: Incident; did you mean 'Incident ID'"):
        read_events(csv, _mapping(tmp_path, missing_column))
    with pytest.raises(CeasefireError, match="no such mapping"):
        read_events(csv, "csv:no-such-mapping")
