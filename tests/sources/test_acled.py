"""ACLED exports: current and older column names, vocabulary, precision, bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ceasefire.sources import read_events
from tests.sources.conftest import events, reasons

EXPECTED = {
    # id: (category, weapon_class, target_category, actor1_is_initiator, admin1)
    "UKR146001": ("shelling", "mlrs", "unknown", True, "UA-63"),
    "UKR146002": ("drone_strike", "drone", "energy_infrastructure", True, "UA-51"),
    "UKR146003": ("air_strike", "aircraft", "unknown", True, "UA-23"),
    "UKR146004": ("missile_strike", "long_range", "unknown", True, "UA-12"),
    "UKR146005": ("armed_clash", "light_artillery", "military", False, "UA-23"),
    "UKR146006": ("drone_strike", "drone", "civilian", True, "UA-65"),
    "UKR146007": ("missile_strike", "long_range", "unknown", False, "UA-40"),
    "UKR146008": ("offensive_movement", "unknown", "military", True, "UA-63"),
    "UKR146009": ("non_violent", "unknown", "civilian", True, "UA-30"),
    "UKR146010": ("attack_on_civilians", "unknown", "civilian", True, "UA-14"),
    "RUS080001": ("shelling", "mlrs", "energy_infrastructure", True, "RU-BEL"),
    "UKR146012": ("shelling", "unknown", "unknown", True, "UA-14"),
}


@pytest.fixture
def current(fixtures: Path) -> pd.DataFrame:
    result = read_events(fixtures / "acled_ukraine_2024.csv")
    assert result.report.source == "acled"
    assert result.report.rows_read == 12 and result.report.skipped == []
    return events(result)


@pytest.mark.parametrize("event_id", sorted(EXPECTED))
def test_current_export_maps_type_weapon_target_and_admin1(
    current: pd.DataFrame, event_id: str
) -> None:
    row = current.loc[event_id]
    got = (
        row.category,
        row.weapon_class,
        row.target_category,
        bool(row.actor1_is_initiator),
        row.admin1,
    )
    assert got == EXPECTED[event_id]


def test_identity_and_provenance(current: pd.DataFrame) -> None:
    row = current.loc["UKR146001"]
    assert row.event_id == "acled:UKR146001"
    assert row.provenance_file == "acled_ukraine_2024.csv" and row.provenance_row == 1
    assert row.number_of_sources == 2  # "Ukrinform; Kharkiv Regional Military Administration"
    assert row.source_category == "Shelling/artillery/missile attack"
    assert row.actor1 == "Military Forces of Russia (2000-)"
    assert "122mm" in row.text


def test_time_precision_keeps_the_interval(current: pd.DataFrame) -> None:
    day = current.loc["UKR146001"]  # 1: that day, Kyiv time
    assert day.time_precision == "day"
    assert day.time_start == pd.Timestamp("2024-02-09 22:00", tz="UTC")
    assert day.time_end == pd.Timestamp("2024-02-10 21:59:59.999999", tz="UTC")
    week = current.loc["UKR146004"]  # 2: the week around 13 February
    assert week.time_precision == "week"
    assert week.time_start == pd.Timestamp("2024-02-09 22:00", tz="UTC")
    assert week.time_end == pd.Timestamp("2024-02-19 21:59:59.999999", tz="UTC")
    month = current.loc["UKR146010"]  # 3: the whole month
    assert month.time_precision == "month"
    assert month.time_start == pd.Timestamp("2024-01-31 22:00", tz="UTC")
    assert month.time_end == pd.Timestamp("2024-02-29 21:59:59.999999", tz="UTC")


def test_geo_precision_is_never_sharpened(current: pd.DataFrame) -> None:
    assert (
        current.loc["UKR146001", ["location_precision", "location_radius_km"]] == ["exact", 0.0]
    ).all()
    assert (
        current.loc["UKR146005", ["location_precision", "location_radius_km"]] == ["near", 25.0]
    ).all()
    assert current.loc["RUS080001", "country"] == "RU"


def test_older_column_names_and_event_types(fixtures: Path) -> None:
    result = read_events(fixtures / "acled_2018_old_columns.csv")
    got = events(result)
    assert result.report.skipped == []
    assert got.loc["UKR101", "category"] == "shelling"  # Remote violence + 120mm mortars
    assert got.loc["UKR101", "weapon_class"] == "light_artillery"
    assert got.loc["UKR101", "time_start"] == pd.Timestamp(
        "2018-01-14 22:00", tz="UTC"
    )  # 15/01/2018
    assert got.loc["UKR102", ["category", "weapon_class"]].tolist() == ["armed_clash", "small_arms"]
    assert got.loc["UKR104", "category"] == "weapons_deployment"
    assert got.loc["UKR103", "time_precision"] == "week"


def test_each_bad_row_is_skipped_with_its_reason(fixtures: Path) -> None:
    result = read_events(fixtures / "acled_bad_rows.csv", "acled")
    assert result.report.rows_read == 11
    assert result.table.num_rows == 1
    assert reasons(result) == {
        2: "missing id (event_id_cnty)",
        3: "unparseable event_date (expected e.g. 2024-01-15 or 15 January 2024)",
        4: "coordinates outside the world (lon -180..180, lat -90..90)",
        5: "coordinates appear swapped (latitude given as longitude)",
        6: "unknown event type (sub_event_type/event_type not in mappings/acled.yaml)",
        7: "duplicate id in the file (first occurrence kept)",
        8: "unknown geo_precision (expected 1, 2 or 3)",
        9: "unknown time_precision (expected 1, 2 or 3)",
        10: "row has 10 fields; expected 31",
        11: "missing or unparseable coordinates",
    }
    values = {i.row: i.value for i in result.report.skipped}
    assert values[3] == "2024-02-30" and values[6] == "Cyber attack"
    assert result.report.to_dict()["rows_skipped"] == 10


def test_dates_as_acled_writes_them(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "acled_ukraine_2024.csv").read_text(encoding="utf-8")
    path = tmp_path / "acled_long_dates.csv"
    path.write_text(
        text.replace("2024-02-10,", "10 February 2024,").replace(
            "2024-02-11,", "11-February-2024,"
        ),
        encoding="utf-8",
    )
    got = events(read_events(path))
    assert got.loc["UKR146001", "time_start"] == pd.Timestamp("2024-02-09 22:00", tz="UTC")
    assert got.loc["UKR146002", "time_start"] == pd.Timestamp("2024-02-10 22:00", tz="UTC")
