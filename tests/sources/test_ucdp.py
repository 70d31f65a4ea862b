"""UCDP GED on the real sample, and the candidate (monthly) release format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ceasefire.geocode import admin1_code
from ceasefire.sources import read_events
from tests.sources.conftest import events


def test_admin1_agrees_with_ucdp_adm_1_on_the_whole_sample(ucdp_sample: Path) -> None:
    raw = pd.read_csv(ucdp_sample, dtype=str)
    got = events(read_events(ucdp_sample))
    assert len(got) == len(raw) == 42
    ours = got["admin1"].reindex(raw["id"].str.replace(".0", "", regex=False)).to_numpy()
    theirs = [admin1_code(name) if isinstance(name, str) else None for name in raw["adm_1"]]
    assert None not in [t for t, n in zip(theirs, raw["adm_1"], strict=True) if isinstance(n, str)]
    disagree = [
        (i, o, t)
        for i, o, t in zip(raw["id"], ours, theirs, strict=True)
        if (o if isinstance(o, str) else None) != t
    ]
    assert disagree == []


def test_north_caucasus_outside_the_boundaries_takes_the_source_name(ucdp_sample: Path) -> None:
    got = events(read_events(ucdp_sample))
    assert got.loc["217406", "admin1"] == "RU-CE"  # Grozny: Chechnya republic
    assert got.loc["189359", "admin1"] == "RU-DA"  # Makhachkala: Dagestan republic
    assert got.loc["275674", "admin1"] == "RU-STA"  # Stavropol krai
    assert got.loc["149225", "admin1"] == "RU-KB"  # Kabardino-Balkaria republic
    assert got.loc["189217", "admin1"] == "RU-IN"  # Ingushetia republic


def test_country_level_events_get_no_admin1_from_their_centroid(ucdp_sample: Path) -> None:
    got = events(read_events(ucdp_sample))
    for event in ("448225", "448050", "452607"):  # where_prec 5-6, no adm_1 given
        assert got.loc[event, "location_precision"] == "country"
        assert pd.isna(got.loc[event, "admin1"])
    assert got.loc["433740", "admin1"] == "UA-14"  # where_prec 5 but adm_1 Donetsk oblast


def test_candidate_monthly_release(fixtures: Path) -> None:
    result = read_events(fixtures / "ucdp_candidate_2024_01.csv")
    got = events(result)
    assert result.report.source == "ucdp" and result.report.skipped == []
    assert got.loc["1500001", "time_start"] == pd.Timestamp("2024-01-04 22:00", tz="UTC")
    assert got.loc["1500001", "time_end"] == pd.Timestamp("2024-01-05 21:59:59.999999", tz="UTC")
    assert got.loc["1500002", ["admin1", "country"]].tolist() == ["RU-BEL", "RU"]
    assert pd.isna(got.loc["1500003", "admin1"])
