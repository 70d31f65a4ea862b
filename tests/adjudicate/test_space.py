"""Place checks at their edges: on the line, either side of a distance, sides, areas."""

from __future__ import annotations

import math

import pytest

from ceasefire.adjudicate import PreparedAgreement
from tests.adjudicate.conftest import DEADLINE, check, east_of, perpendicular, rules_of

AFTER = DEADLINE + __import__("pandas").Timedelta(days=3)
RU_ARTILLERY = {
    "category": "weapons_deployment",
    "weapon_class": "artillery",
    "actor1": "Military Forces of Russia (2000-)",
    "at": AFTER,
}


def test_an_event_exactly_on_the_line(testland: PreparedAgreement) -> None:
    result = check(
        testland,
        {"lon": 37.0, "lat": 48.0, **RU_ARTILLERY},
        {"lon": 37.0, "lat": 48.5, "category": "drone_strike", "actor1": "Russian forces"},
    )
    ev = result.events.set_index("source_event_id")
    assert ev.loc["0", "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert ev.loc["0", "side"] == ""
    found = rules_of(result, "acled:0")
    # on the line: certainly in the buffer, possibly in the RU artillery zone
    assert found["buffer-empty"]["location_check"] == 2
    assert found["artillery-withdrawn"]["location_check"] == 1
    assert rules_of(result, "acled:1")["cross-line"]["location_check"] == 1


@pytest.mark.parametrize(("km", "inside"), [(49.9, True), (50.1, False), (-49.9, False)])
def test_artillery_zone_edge_on_a_geodesic_line(
    testland: PreparedAgreement, km: float, inside: bool
) -> None:
    lon, lat = east_of(37.0, 48.3, km)  # east is the RU side
    result = check(testland, {"lon": lon, "lat": lat, **RU_ARTILLERY})
    assert result.events["distance_km"].iloc[0] == pytest.approx(abs(km), abs=1e-4)
    assert result.events["side"].iloc[0] == ("RU" if km > 0 else "UA")
    found = rules_of(result, "acled:0")
    assert ("artillery-withdrawn" in found) is inside
    if inside:
        assert found["artillery-withdrawn"]["location_check"] == 2
        assert found["artillery-withdrawn"]["zone_party"] == "RU"


@pytest.mark.parametrize(("km", "inside"), [(49.9, True), (50.1, False)])
def test_artillery_zone_edge_on_the_paris_line(
    paris: PreparedAgreement, km: float, inside: bool
) -> None:
    coords = list(paris.agreement.lines[0].geometry.shape.coords)
    a, b = coords[40], coords[41]  # a long segment in the south, RU on the left
    lon, lat = perpendicular(a, b, km)
    result = check(
        paris,
        {
            "lon": lon,
            "lat": lat,
            **RU_ARTILLERY,
            "at": __import__("pandas").Timestamp("2026-03-10T12:00:00+02:00"),
        },
    )
    assert result.events["side"].iloc[0] == "RU"
    assert result.events["distance_km"].iloc[0] == pytest.approx(km, abs=0.05)
    assert ("artillery-withdrawn" in rules_of(result, "acled:0")) is inside


def test_security_zones_are_each_partys_own_side(testland: PreparedAgreement) -> None:
    west = east_of(37.0, 48.3, -20)
    result = check(
        testland,
        {"lon": west[0], "lat": west[1], **RU_ARTILLERY},  # RU artillery on the UA side
        {"lon": west[0], "lat": west[1], **RU_ARTILLERY, "actor1": None},  # unattributed
    )
    assert "artillery-withdrawn" not in rules_of(result, "acled:0")
    found = rules_of(result, "acled:1")["artillery-withdrawn"]
    assert found["zone_party"] == "UA" and found["party"] == "" and found["location_check"] == 2


def test_each_party_measures_from_its_own_line(testland: PreparedAgreement) -> None:
    # RU's MLRS zone is measured from `ref` (37.3 E): 69.9 km from ref is ~92 km from loc
    inside = east_of(37.3, 48.3, 69.9)
    outside = east_of(37.3, 48.3, 70.1)
    mlrs = RU_ARTILLERY | {"weapon_class": "mlrs"}
    result = check(
        testland,
        {"lon": inside[0], "lat": inside[1], **mlrs},
        {"lon": outside[0], "lat": outside[1], **mlrs},
    )
    assert "mlrs-withdrawn" in rules_of(result, "acled:0")
    assert "mlrs-withdrawn" not in rules_of(result, "acled:1")


def test_the_controlled_area_decides_the_side_inside_the_country(
    testland: PreparedAgreement,
) -> None:
    # north of the line's end, east of 37 E: the line's orientation says RU, but the point is
    # in Ukraine and outside the RU-controlled area
    result = check(testland, {"lon": 37.5, "lat": 49.3}, {"lon": 37.5, "lat": 48.5})
    assert list(result.events["side"]) == ["UA", "RU"]


@pytest.mark.parametrize(
    ("km", "radius", "expected"),
    [(60.0, 25.0, 1), (80.0, 25.0, None), (20.0, 25.0, 1), (30.0, 10.0, 2), (39.9, 10.0, 2)],
)
def test_a_low_precision_event_is_checked_as_its_area(
    testland: PreparedAgreement, km: float, radius: float, expected: int | None
) -> None:
    lon, lat = east_of(37.0, 48.3, km)
    result = check(
        testland,
        {
            "lon": lon,
            "lat": lat,
            **RU_ARTILLERY,
            "location_precision": "near",
            "location_radius_km": radius,
        },
    )
    found = rules_of(result, "acled:0").get("artillery-withdrawn")
    assert (None if found is None else found["location_check"]) == expected


def test_an_admin1_event_is_checked_as_its_unit(paris: PreparedAgreement) -> None:
    # Poltava oblast lies well beyond 50 km from the 2026 line; its 150 km disk does not
    row = {
        "lon": 34.3,
        "lat": 49.6,
        **RU_ARTILLERY,
        "category": "shelling",
        "actor1": None,
        "at": "2026-03-10T12:00:00+02:00",
        "location_radius_km": 150.0,
    }
    by_unit = check(paris, row | {"location_precision": "admin1", "admin1": "UA-53"})
    by_disk = check(paris, row | {"location_precision": "admin2"})
    assert "artillery-withdrawn" not in rules_of(by_unit, "acled:0")
    assert rules_of(by_disk, "acled:0")["artillery-withdrawn"]["location_check"] == 1
    assert rules_of(by_unit, "acled:0")["ceasefire"]["location_check"] == 2


@pytest.mark.parametrize(
    ("lon", "radius", "expected"), [(36.86, 0.0, 2), (36.7, 0.0, None), (36.78, 5.0, 1)]
)
def test_a_drawn_area_with_and_without_radius(
    testland: PreparedAgreement, lon: float, radius: float, expected: int | None
) -> None:
    row = {
        "lon": lon,
        "lat": 48.05,
        "category": "weapons_deployment",
        "location_radius_km": radius,
        "location_precision": "near" if radius else "exact",
    }
    found = rules_of(check(testland, row), "acled:0").get("square-empty")
    # 36.86 E is 10.4 km from the line: in the square and outside the 10 km buffer
    assert (None if found is None else found["location_check"]) == expected


def test_an_exception_zone_is_three_valued(testland: PreparedAgreement) -> None:
    in_buffer = east_of(37.0, 48.05, -9.0)
    edge = east_of(37.0, 48.05, -10.0)
    result = check(
        testland,
        {"lon": in_buffer[0], "lat": in_buffer[1], "category": "weapons_deployment"},
        {
            "lon": edge[0],
            "lat": edge[1],
            "category": "weapons_deployment",
            "location_precision": "near",
            "location_radius_km": 0.5,
        },
    )
    assert "square-empty" not in rules_of(result, "acled:0")  # excepted: in the buffer
    assert rules_of(result, "acled:1")["square-empty"]["location_check"] == 1


@pytest.mark.parametrize(("km", "hit"), [(99.9, False), (100.1, True), (-100.1, True)])
def test_beyond_a_distance(testland: PreparedAgreement, km: float, hit: bool) -> None:
    lon, lat = east_of(37.0, 48.3, km)
    result = check(testland, {"lon": lon, "lat": lat, "category": "missile_strike"})
    assert ("deep-strikes" in rules_of(result, "acled:0")) is hit


def test_across_the_line_needs_an_attributed_party(testland: PreparedAgreement) -> None:
    ua_side = east_of(37.0, 48.3, -30)
    ru_side = east_of(37.0, 48.3, 30)
    strike = {"category": "drone_strike", "actor1": "Russian forces"}
    result = check(
        testland,
        {"lon": ua_side[0], "lat": ua_side[1], **strike},
        {"lon": ru_side[0], "lat": ru_side[1], **strike},
        {"lon": ua_side[0], "lat": ua_side[1], **strike, "actor1": None},
        {
            "lon": ua_side[0],
            "lat": ua_side[1],
            **strike,
            "location_radius_km": 35.0,
            "location_precision": "near",
        },
    )
    assert rules_of(result, "acled:0")["cross-line"]["location_check"] == 2
    assert "cross-line" not in rules_of(result, "acled:1")
    assert "cross-line" not in rules_of(result, "acled:2")
    assert rules_of(result, "acled:3")["cross-line"]["location_check"] == 1


def test_an_unknown_place_is_possibly_anywhere(testland: PreparedAgreement) -> None:
    result = check(
        testland, {"lon": math.nan, "lat": math.nan, **RU_ARTILLERY, "category": "shelling"}
    )
    found = rules_of(result, "acled:0")
    assert found["ceasefire"]["location_check"] == 2
    assert found["artillery-withdrawn"]["location_check"] == 1
    assert result.events["side"].iloc[0] == ""
