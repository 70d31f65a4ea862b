"""Field reports: the published schema, bearing sectors, observer columns, located."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from ceasefire.geo.projection import geodesic_km
from ceasefire.resources import data_path
from ceasefire.sources import read_events
from ceasefire.sources.bearing import parse_bearing_distance, sector_centre
from tests.sources.conftest import events, reasons


@pytest.fixture
def report(fixtures: Path):  # type: ignore[no-untyped-def]
    return read_events(fixtures / "field_report_smm_2015.json")


def test_schema_is_valid_and_the_fixture_mostly_follows_it(fixtures: Path) -> None:
    schema = json.loads(data_path("schemas", "field_report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((fixtures / "field_report_smm_2015.json").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert [list(e.absolute_path)[:2] for e in errors] == [["reports", 3]]  # the one bad report


def test_observations_become_events_with_observer_columns(report) -> None:  # type: ignore[no-untyped-def]
    got = events(report)
    assert report.report.source == "field_report" and report.report.rows_read == 10
    first = got.loc["SMM-2015-02-20-DON-01/1"]
    assert (first.observer_lon, first.observer_lat) == (37.7736, 48.0439)
    assert (first.bearing_deg, first.bearing_spread_deg) == (157.5, 22.5)
    assert (first.distance_min_km, first.distance_max_km) == (2.0, 4.0)
    assert first.located == "impact"  # incoming
    assert (first.category, first.weapon_class) == ("shelling", "artillery")
    assert first.text.startswith(
        "12 explosions, assessed 122mm artillery, 2-4 km SSE, incoming [patrol]"
    )
    assert first.source_name == "OSCE SMM / SMM Daily Report 20 February 2015"
    # lon/lat: the centre of the sector, 3 km SSE of the observer
    assert math.isclose(
        float(
            geodesic_km(
                np.array([first.observer_lon]),
                np.array([first.observer_lat]),
                np.array([first.lon]),
                np.array([first.lat]),
            )[0]
        ),
        3.0,
        abs_tol=0.01,
    )
    assert first.location_precision == "near" and 1.5 < first.location_radius_km < 2.0
    outgoing = got.loc["SMM-2015-02-20-DON-01/3"]
    assert (
        outgoing.located == "origin"
        and outgoing.weapon_class == "mlrs"
        and outgoing.bearing_spread_deg == 10
    )
    burst = got.loc["SMM-2015-02-20-DON-01/2"]
    assert (burst.category, burst.weapon_class, burst.located) == (
        "small_arms_fire",
        "small_arms",
        "event",
    )


def test_places_and_sightings(report) -> None:  # type: ignore[no-untyped-def]
    got = events(report)
    camera = got.loc["SMM-2015-02-21-MAR-02/1"]  # observer given as a place name
    assert math.isclose(camera.observer_lon, 37.81795) and camera.located == "origin"
    tanks = got.loc["SMM-2015-02-22-KRA-03/tanks"]
    assert (
        tanks.category,
        tanks.weapon_class,
        tanks.location_precision,
        tanks.location_radius_km,
    ) == ("weapons_deployment", "tank", "exact", 0.0)
    heard = got.loc[
        "SMM-2015-02-22-KRA-03/2"
    ]  # no bearing or distance: around the observer (Artemivsk = Bakhmut)
    assert (heard.lon, heard.lat, heard.location_radius_km) == (37.99886, 48.59419, 20.0)
    assert heard.target_category == "energy_infrastructure" and heard.time_precision == "exact"


def test_bad_reports_are_skipped_per_observation(report) -> None:  # type: ignore[no-untyped-def]
    got = reasons(report)
    assert got[8] == "report does not follow the field report schema"
    assert "'time' is a required property" in report.report.skipped[0].value
    assert got[9].startswith("place 'Vasylivka': 16 places called 'Vasylivka'")
    assert got[10].startswith("cannot read bearing and distance 'somewhere to the east'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2-4 km SSE", (157.5, 22.5, 2.0, 4.0)),
        ("3 km S", (180.0, 22.5, 3.0, 3.0)),
        ("SSE 2-4 km", (157.5, 22.5, 2.0, 4.0)),
        ("500 m NE", (45.0, 22.5, 0.5, 0.5)),
        ("157 deg 2-4 km", (157.0, 5.0, 2.0, 4.0)),
        ("within 1 km W", (270.0, 22.5, 0.0, 1.0)),
        ("about 5-7 km ENE", (67.5, 22.5, 5.0, 7.0)),
        ("NNW", (337.5, 22.5, None, None)),
    ],
)
def test_bearing_and_distance(text: str, expected: tuple[float | None, ...]) -> None:
    got = parse_bearing_distance(text, 22.5, 5.0)
    assert (got.bearing_deg, got.spread_deg, got.distance_min_km, got.distance_max_km) == expected


def test_sector_radius_covers_the_whole_sector() -> None:
    lon, lat, radius = sector_centre(37.8, 48.0, 90.0, 22.5, 2.0, 6.0)
    corners_lon, corners_lat = [], []
    from ceasefire.geo.projection import GEOD

    for bearing in (67.5, 90.0, 112.5):
        for distance in (2.0, 6.0):
            x, y, _ = GEOD.fwd(37.8, 48.0, bearing, distance * 1000)
            corners_lon.append(x)
            corners_lat.append(y)
    far = geodesic_km(
        np.full(6, lon), np.full(6, lat), np.array(corners_lon), np.array(corners_lat)
    )
    assert far.max() <= radius + 0.01
