"""Time checks at their edges: entry into force, phase deadlines, imprecise dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ceasefire.adjudicate import PreparedAgreement
from ceasefire.adjudicate.table import local_dates
from tests.adjudicate.conftest import DEADLINE, EIF, check, east_of, rules_of

MINUTE = pd.Timedelta(minutes=1)
DAY = pd.Timedelta(days=1)


@pytest.mark.parametrize(("at", "expected"), [(EIF - MINUTE, None), (EIF, 2), (EIF + MINUTE, 2)])
def test_entry_into_force_to_the_minute(
    testland: PreparedAgreement, at: pd.Timestamp, expected: int | None
) -> None:
    result = check(testland, {"lon": 36.5, "lat": 48.3, "at": at})
    found = rules_of(result, "acled:0").get("ceasefire")
    assert (None if found is None else found["time_check"]) == expected
    assert bool(result.events["in_force"].iloc[0]) is (expected == 2)


def test_an_imprecise_date_across_entry_into_force_is_possible(
    testland: PreparedAgreement,
) -> None:
    week = {
        "time_start": EIF - 3 * DAY,
        "time_end": EIF + 4 * DAY - pd.Timedelta(microseconds=1),
        "time_precision": "week",
        "lon": 36.5,
        "lat": 48.3,
    }
    day_before = {
        "time_start": EIF - DAY,
        "time_end": EIF - pd.Timedelta(microseconds=1),
        "time_precision": "day",
        "lon": 36.5,
        "lat": 48.3,
    }
    first_day = {
        "time_start": EIF,
        "time_end": EIF + DAY - pd.Timedelta(microseconds=1),
        "time_precision": "day",
        "lon": 36.5,
        "lat": 48.3,
    }
    result = check(testland, week, day_before, first_day)
    assert rules_of(result, "acled:0")["ceasefire"]["time_check"] == 1
    assert "ceasefire" not in rules_of(result, "acled:1")
    assert rules_of(result, "acled:2")["ceasefire"]["time_check"] == 2


@pytest.mark.parametrize(("offset", "hit"), [(-DAY, False), (DAY, True)])
def test_a_weapon_in_its_zone_either_side_of_the_deadline(
    testland: PreparedAgreement, offset: pd.Timedelta, hit: bool
) -> None:
    lon, lat = east_of(37.0, 48.3, 30)
    result = check(
        testland,
        {
            "lon": lon,
            "lat": lat,
            "category": "weapons_deployment",
            "weapon_class": "artillery",
            "actor1": "Russian forces",
            "at": DEADLINE + offset,
        },
    )
    found = rules_of(result, "acled:0")
    assert ("artillery-withdrawn" in found) is hit
    if hit:
        assert found["artillery-withdrawn"]["days_after"] == 1
        assert "1 day after the deadline" in found["artillery-withdrawn"]["explanation"]


def test_an_agreement_that_ended_checks_nothing_after(tmp_path: object) -> None:
    from ceasefire.agreement import load_agreement

    prep = PreparedAgreement(load_agreement("minsk-ii-2015"))
    during = {"lon": 37.8, "lat": 48.0, "at": "2018-05-19T12:00:00+03:00"}
    after = {"lon": 37.8, "lat": 48.0, "at": "2022-02-22T12:00:00+02:00"}
    result = check(prep, during, after)
    assert "ceasefire" in rules_of(result, "acled:0")
    assert rules_of(result, "acled:1") == {}
    assert list(result.events["in_force"]) == [True, False]


@pytest.mark.parametrize("timezone", ["Europe/Kyiv", "Asia/Kolkata", "America/St_Johns", "UTC"])
def test_local_dates_match_pandas_across_daylight_saving_changes(timezone: str) -> None:
    rng = np.random.default_rng(3)
    low, high = pd.Timestamp("2025-01-01").value // 1000, pd.Timestamp("2027-01-01").value // 1000
    edges = pd.to_datetime(
        ["2026-03-29T00:59:59.999999Z", "2026-03-29T01:00:00Z", "2026-10-24T20:59:59Z",
         "2026-10-24T21:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z"],
        format="ISO8601",
    ).as_unit("us").asi8  # fmt: skip
    us = np.concatenate([rng.integers(low, high, 20_000), edges])
    expected = pd.to_datetime(us, unit="us", utc=True).tz_convert(timezone).strftime("%Y-%m-%d")
    assert local_dates(us, timezone).to_pylist() == list(expected)
