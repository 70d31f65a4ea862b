"""Who acted: actor fields, sides only, unknown, and the side a field report's fire came from."""

from __future__ import annotations

import math

from ceasefire.adjudicate import PreparedAgreement
from tests.adjudicate.conftest import check, east_of, rules_of


def test_actor_sides_only_and_unknown(testland: PreparedAgreement) -> None:
    result = check(
        testland,
        {"lon": 36.5, "lat": 48.3, "actor1": "Military Forces of Russia (2000-)"},
        {
            "lon": 36.5,
            "lat": 48.3,
            "actor1": "Ukrainian forces",
            "actor2": "Russian forces",
            "actor1_is_initiator": False,
        },
        {"lon": 36.5, "lat": 48.3, "actor1": "Unidentified armed group"},
    )
    assert list(result.events["party"]) == ["RU", "", ""]
    assert list(result.events["party_basis"]) == ["actor", "sides only", "unknown actor"]
    found = [rules_of(result, f"acled:{i}")["ceasefire"] for i in range(3)]
    assert [f["attribution"] for f in found] == ["actor", "sides only", "unknown actor"]
    assert "by RU" in found[0]["explanation"]
    assert "unattributed" in found[1]["explanation"] and "unattributed" in found[2]["explanation"]


def test_an_unknown_actor_never_matches_a_party_rule(testland: PreparedAgreement) -> None:
    strike = {
        "lon": 36.5,
        "lat": 48.3,
        "category": "drone_strike",
        "target_category": "energy_infrastructure",
    }
    result = check(testland, strike | {"actor1": "Russian forces"}, strike)
    assert "ru-energy" in rules_of(result, "acled:0")
    assert "ru-energy" not in rules_of(result, "acled:1")


def _report(observer_km: float, dmin: float, dmax: float, **extra: object) -> dict[str, object]:
    lon, lat = east_of(37.0, 48.3, observer_km)
    return {
        "source": "field_report",
        "lon": math.nan,
        "lat": math.nan,
        "located": "origin",
        "observer_lon": lon,
        "observer_lat": lat,
        "bearing_deg": 90.0,
        "bearing_spread_deg": 11.25,
        "distance_min_km": dmin,
        "distance_max_km": dmax,
        "actor1": None,
    } | extra


def test_fire_from_a_sector_wholly_on_one_side_is_attributed(testland: PreparedAgreement) -> None:
    # observer 10 km west of the line, fire from 15-25 km to the east: wholly on the RU side
    result = check(testland, _report(-10, 15, 25))
    assert result.events["party"].iloc[0] == "RU"
    assert result.events["party_basis"].iloc[0] == "origin side"
    found = rules_of(result, "field_report:0")["ceasefire"]
    assert found["attribution"] == "origin side" and found["party"] == "RU"
    assert "fire came from the RU side" in found["explanation"]


def test_a_sector_across_the_line_stays_unattributed(testland: PreparedAgreement) -> None:
    result = check(testland, _report(-10, 5, 15), _report(-10, 15, 25, located="impact"))
    assert list(result.events["party"]) == ["", ""]
    assert list(result.events["party_basis"]) == ["unknown actor", "unknown actor"]


def test_an_origin_point_is_attributed_to_its_side(testland: PreparedAgreement) -> None:
    lon, lat = east_of(37.0, 48.3, 12)
    result = check(
        testland,
        {"lon": lon, "lat": lat, "located": "origin"},
        {
            "lon": lon,
            "lat": lat,
            "located": "origin",
            "location_radius_km": 15.0,
            "location_precision": "near",
        },
    )
    assert list(result.events["party"]) == ["RU", ""]
