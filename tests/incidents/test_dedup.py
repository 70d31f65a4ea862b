"""Merges and non-merges at the edges of time, distance and precision."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ceasefire.incidents import IncidentsConfig, deduplicate
from ceasefire.incidents.reports import EARTH_RADIUS_KM

from .conftest import frame, report

KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180
URL_3_KILLED = "https://www.ukrinform.ua/news/1-missile-hits-kurakhove-3-killed.html"


def north(km: float) -> float:
    """Latitude of a point `km` north of the base report."""
    return 48.10 + km / KM_PER_DEG_LAT


def same_incident(config: IncidentsConfig, *rows: dict[str, object]) -> bool:
    result = deduplicate(frame(*rows), config)
    return bool(len(set(result.labels)) == 1)


def at(hour: float) -> str:
    stamp = pd.Timestamp("2026-03-01T00:00:00Z") + pd.Timedelta(hours=hour)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_two_sources_on_one_shelling_are_one_incident_with_reasons(config: IncidentsConfig) -> None:
    gdelt = report(
        "gdelt:7", source_name="ukrinform.ua", text="Russian shelling hits Kurakhove school, 2 dead"
    )
    result = deduplicate(frame(report("acled:1"), gdelt), config)
    assert result.incidents == 1
    assert len(set(result.incident_ids)) == 1
    assert result.links.score[0] >= config.threshold
    assert result.merged.tolist() == [True]
    assert result.links.feature_values["distance"][0] == 0
    assert result.links.feature_values["time"][0] == 0


@pytest.mark.parametrize(
    ("gap_h", "compared"), [(0.0, True), (23.9, True), (24.0, True), (24.01, False)]
)
def test_time_gap_edge(config: IncidentsConfig, gap_h: float, compared: bool) -> None:
    later = report("field_report:2", time_start=at(gap_h), time_end=at(gap_h))
    assert config.candidates.max_time_gap_h == 24
    result = deduplicate(frame(report("acled:1", time_start=at(0), time_end=at(0)), later), config)
    assert result.candidates == int(compared)
    if gap_h == 0:
        assert result.incidents == 1


@pytest.mark.parametrize(("km", "merged"), [(0.0, True), (14.9, True), (15.1, False)])
def test_distance_edge_between_points(config: IncidentsConfig, km: float, merged: bool) -> None:
    assert config.candidates.max_distance_km == 15
    assert same_incident(config, report("acled:1"), report("gdelt:2", lat=north(km))) is merged


@pytest.mark.parametrize(
    ("radius_a", "radius_b", "km", "merged"),
    [(20, 10, 19.9, True), (20, 10, 20.1, False), (0, 25, 24.9, True), (25, 0, 25.1, False),
     (5, 5, 14.9, True), (5, 5, 15.1, False)],
)  # fmt: skip
def test_distance_edge_respects_each_reports_radius(
    config: IncidentsConfig, radius_a: float, radius_b: float, km: float, merged: bool
) -> None:
    # candidates while one point is in the other's area, or within max_distance_km (15)
    a = report("ucdp:1", location_precision="near", location_radius_km=radius_a)
    b = report("gdelt:2", lat=north(km), location_precision="near", location_radius_km=radius_b)
    assert same_incident(config, a, b) is merged


def test_a_day_precise_report_meets_an_exact_one_inside_its_day(config: IncidentsConfig) -> None:
    day = report(
        "ucdp:1",
        time_start="2026-02-28T22:00:00Z",
        time_end="2026-03-01T21:59:59Z",
        time_precision="day",
    )
    inside = report("field_report:2", time_start=at(20), time_end=at(20))
    two_days_later = report(
        "field_report:3", time_start="2026-03-03T12:00:00Z", time_end="2026-03-03T12:00:00Z"
    )
    result = deduplicate(frame(day, inside, two_days_later), config)
    assert result.labels.tolist() == [0, 0, 1]


def test_reports_too_imprecise_are_not_merged_automatically(config: IncidentsConfig) -> None:
    oblast = report("ucdp:1", location_precision="admin1", location_radius_km=150.0)
    month = report("ucdp:2", time_start="2026-03-01T00:00:00Z", time_end="2026-03-31T00:00:00Z")
    nowhere = report("gdelt:3", lon=None, lat=None)
    result = deduplicate(frame(report("field_report:9"), oblast, month, nowhere), config)
    assert result.incidents == 4
    assert result.mergeable.too_wide.tolist() == [False, True, False, False]
    assert result.mergeable.too_long.tolist() == [False, False, True, False]
    assert result.mergeable.no_place.tolist() == [False, False, False, True]


def test_same_place_and_time_but_a_different_occurrence_is_not_merged(
    config: IncidentsConfig,
) -> None:
    drone = report(
        "gdelt:2", category="drone_strike", weapon_class="drone", target_category="military",
        actor1_party="UA", fatalities_best=0.0, text="Ukrainian drone destroys Russian tank column",
    )  # fmt: skip
    result = deduplicate(frame(report("acled:1"), drone), config)
    assert result.incidents == 2
    assert result.candidates == 1  # compared, and scored below the threshold


def test_two_rows_of_a_curated_source_are_never_merged_automatically(
    config: IncidentsConfig,
) -> None:
    gdelt = report("gdelt:5", source_name="ukrinform.ua")
    result = deduplicate(frame(report("acled:1"), report("acled:2"), gdelt), config)
    assert result.labels[0] != result.labels[1]
    assert "same curated source" in " ".join(result.blocked.values())
    # the GDELT row joins one of them, not both
    assert result.labels[2] in (result.labels[0], result.labels[1])


def test_incident_ids_are_stable_and_follow_previous_anchors(config: IncidentsConfig) -> None:
    rows = [report("gdelt:2"), report("gdelt:1", source_name="kyivpost.com")]
    first = deduplicate(frame(*rows), config)
    again = deduplicate(frame(*rows), config)
    assert first.incident_ids.tolist() == again.incident_ids.tolist()
    anchor = first.reports.event_id[first.anchors][0]
    assert anchor == "gdelt:1"  # the smallest event id
    # a new report with a smaller id joins: the incident keeps its id through its anchor
    grown = deduplicate(frame(*rows, report("acled:0")), config, previous_anchors=[anchor])
    assert set(grown.incident_ids) == {first.incident_ids[0]}


def test_candidates_never_compare_far_apart_reports(config: IncidentsConfig) -> None:
    rng = np.random.default_rng(1)
    rows = [
        report(f"gdelt:{i}", lon=30 + rng.uniform(0, 10), lat=45 + rng.uniform(0, 5),
               time_start=f"2026-0{1 + i % 9}-1{i % 10}T10:00:00Z",
               time_end=f"2026-0{1 + i % 9}-1{i % 10}T10:00:00Z")
        for i in range(300)
    ]  # fmt: skip
    result = deduplicate(frame(*rows), config)
    # 44,850 pairs exist; only those within a day and 15 km are even compared
    assert result.candidates < 300


def test_every_feature_explains_a_pair_in_words(config: IncidentsConfig) -> None:
    from ceasefire.incidents import FEATURES, Pairs
    from ceasefire.incidents.features import feature_params

    other = report("gdelt:2", category="missile_strike", weapon_class="long_range",
                   fatalities_best=3.0, text=None, lat=north(4),
                   source_name=URL_3_KILLED)  # fmt: skip
    result = deduplicate(frame(report("acled:1"), other), config)
    pairs = Pairs(result.reports, np.array([0]), np.array([1]))
    a, b = result.reports.row(0), result.reports.row(1)
    reasons = {}
    for name, feature in FEATURES.items():
        score, value = feature.score(pairs, feature_params(config, name))
        reasons[name] = feature.reason(a, b, float(value[0]), float(score[0]))
    assert reasons["time"] == "times overlap (windows of 0 h and 0 h)"
    assert reasons["distance"].startswith("4.0 km apart")
    assert reasons["category"] == "related category: shelling and missile_strike"
    assert reasons["weapon"] == "different weapon class: artillery and long_range"
    assert reasons["casualties"] == "deaths 2 and 3"  # '3 killed' read from the web address
    assert reasons["text"].endswith("% similar")
    assert reasons["article"] == "no web address for one of them"
    assert reasons["point"] == "points 4.0 km apart"
    # words both texts hold, the place name aside ('kurakhove' is in both, and not listed)
    assert reasons["words"].endswith("in common: killed (place names aside)")


def test_links_never_chain_reports_of_different_days_into_one_incident(
    config: IncidentsConfig,
) -> None:
    # each report is within 24 h of the next, but the first and last are 46 h apart
    rows = [report(f"gdelt:{k}", time_start=at(hour), time_end=at(hour))
            for k, hour in enumerate((0, 23, 46))]  # fmt: skip
    result = deduplicate(frame(*rows), config)
    assert result.candidates == 2
    assert result.incidents == 2
    assert "more than 24 h apart in time" in " ".join(result.blocked.values())
