"""GDELT 2.0 events: 61 columns, CAMEO codes, ActionGeo precision, bad rows, GDELT 1.0."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ceasefire.sources import read_events
from tests.sources.conftest import events, reasons


def test_cameo_codes_and_places(fixtures: Path) -> None:
    result = read_events(fixtures / "gdelt_20220301.export.CSV.zip")
    assert result.report.source == "gdelt" and result.report.rows_read == 6
    got = events(result)
    expected = {
        "1030152345": ("shelling", "artillery", "UA-63", "near"),  # 194 artillery and tanks
        "1030152346": ("air_strike", "aircraft", "UA-14", "near"),  # 195 aerial weapons
        "1030152347": ("drone_strike", "drone", "RU-BEL", "near"),  # 1952 remotely piloted
        "1030152348": ("armed_clash", "unknown", None, "country"),  # 190, located to Ukraine only
        "1030152349": ("non_violent", "unknown", "RU-MOW", "near"),  # 042 consult
        "1030152350": ("armed_clash", "unknown", "UA-14", "near"),  # 196 violate ceasefire
    }
    for event, (category, weapon, admin1, precision) in expected.items():
        row = got.loc[event]
        admin = row.admin1 if isinstance(row.admin1, str) else None
        assert (row.category, row.weapon_class, admin, row.location_precision) == (
            category,
            weapon,
            admin1,
            precision,
        )
    first = got.loc["1030152345"]
    assert first.actor1 == "RUSMIL" and bool(first.actor1_is_initiator)
    assert first.time_start == pd.Timestamp("2022-03-01", tz="UTC")
    assert first.number_of_sources == 3 and first.source_category == "CAMEO 194"
    assert first.admin1_source == "UP07" and first.country == "UA"
    assert got.loc["1030152348", "location_radius_km"] == 1000


def test_bad_rows(fixtures: Path) -> None:
    result = read_events(fixtures / "gdelt_bad_rows.export.CSV", "gdelt")
    assert reasons(result) == {
        1: "missing or unparseable coordinates",
        2: "unparseable Day (expected YYYYMMDD)",
        3: "unknown event type (CAMEO EventCode not in mappings/cameo.yaml)",
        4: "coordinates appear swapped (latitude given as longitude)",
    }
    assert list(events(result).index) == ["1030160005"]


def test_gdelt_1_layout_with_58_columns(tmp_path: Path, fixtures: Path) -> None:
    from ceasefire.sources.gdelt import COLUMNS_V1, COLUMNS_V2

    lines = (fixtures / "gdelt_20220301.export.CSV").read_text().splitlines()
    keep = [COLUMNS_V2.index(c) for c in COLUMNS_V1]
    path = tmp_path / "20150218.export.CSV"
    path.write_text(
        "\n".join("\t".join(line.split("\t")[i] for i in keep) for line in lines) + "\n"
    )
    got = events(read_events(path))
    assert len(got) == 6 and got.loc["1030152347", "category"] == "drone_strike"
