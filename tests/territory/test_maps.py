"""Reading control maps: dates from names and properties, repairs, and bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import shapely

from ceasefire.errors import CeasefireError
from ceasefire.territory import map_areas, read_control_maps
from ceasefire.territory.maps import date_from_name, parse_date

from .conftest import MapWriter, box_area_km2, feature

BOX = shapely.box(37.6, 48.3, 37.9, 48.5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("deepstate_2026-01-06.geojson", date(2026, 1, 6)),
        ("map_20260106.geojson", date(2026, 1, 6)),
        ("2026_01_06.json", date(2026, 1, 6)),
        ("v2_area_2026-01-06_final.geojson", date(2026, 1, 6)),
        ("no_date.geojson", None),
        ("map_20261306.geojson", None),
    ],
)
def test_date_in_file_name(name: str, expected: date | None) -> None:
    assert date_from_name(Path(name)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-06", date(2026, 1, 6)),
        ("2026-01-06T23:10:00Z", date(2026, 1, 6)),
        (1767657600, date(2026, 1, 6)),  # epoch seconds
        (1767657600000, date(2026, 1, 6)),  # epoch milliseconds
        ("06/01/2026", None),
        (2026, None),
        (True, None),
    ],
)
def test_date_property_values(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_property_date_beats_the_file_name_and_one_file_holds_many_dates(
    write_map: MapWriter,
) -> None:
    path = write_map(
        "archive_2020-01-01.geojson",
        [feature(BOX, date="2026-02-01"), feature(BOX.buffer(0.01), as_of="2026-02-02")],
    )
    maps = read_control_maps([path])
    assert [m.date for m in maps] == [date(2026, 2, 1), date(2026, 2, 2)]
    assert all(m.parties == ["RU"] for m in maps)


def test_collection_date_and_party_property(write_map: MapWriter) -> None:
    path = write_map("x.geojson", [feature(BOX, party="UA")], properties={"date": "2026-03-01"})
    (control,) = read_control_maps([path])
    assert control.date == date(2026, 3, 1) and control.parties == ["UA"]


def test_folder_of_daily_files(write_map: MapWriter, tmp_path: Path) -> None:
    write_map("day_2026-02-02.geojson", BOX)
    write_map("day_2026-02-01.geojson", BOX)
    (tmp_path / "readme.txt").write_text("not a map")
    maps = read_control_maps([tmp_path])
    assert [m.date.day for m in maps] == [1, 2]
    assert maps[0].sha256 and len(maps[0].sha256) == 64


def test_self_intersecting_polygon_is_repaired_and_reported(write_map: MapWriter) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[37.6, 48.3], [37.9, 48.5], [37.9, 48.3],
                                                   [37.6, 48.5], [37.6, 48.3]]]}  # fmt: skip
    path = write_map("bowtie_2026-02-01.geojson", [feature(bowtie)])
    (control,) = read_control_maps([path])
    assert control.areas["RU"].is_valid
    assert len(control.repairs) == 1
    assert "bowtie_2026-02-01.geojson: feature 0" in control.repairs[0]
    assert "Self-intersection" in control.repairs[0]
    # the two triangles of the bow tie: half of the box
    area = map_areas(control).set_index("admin1").loc["UA-14", "area_km2"]
    assert area == pytest.approx(box_area_km2(37.6, 48.3, 37.9, 48.5) / 2, rel=0.01)


def test_overlapping_features_are_not_counted_twice(write_map: MapWriter) -> None:
    path = write_map("dup_2026-02-01.geojson", [feature(BOX), feature(BOX)])
    (control,) = read_control_maps([path])
    area = map_areas(control).set_index("admin1").loc["UA-14", "area_km2"]
    assert area == pytest.approx(box_area_km2(37.6, 48.3, 37.9, 48.5), rel=1e-4)


def test_hole_with_the_wrong_orientation_still_subtracts(write_map: MapWriter) -> None:
    outer = [[37.6, 48.3], [37.9, 48.3], [37.9, 48.5], [37.6, 48.5], [37.6, 48.3]]
    hole = [[37.7, 48.35], [37.8, 48.35], [37.8, 48.45], [37.7, 48.45], [37.7, 48.35]]
    polygon = {"type": "Polygon", "coordinates": [outer, hole]}
    path = write_map("hole_2026-02-01.geojson", [feature(polygon)])
    area = map_areas(read_control_maps([path])[0]).set_index("admin1").loc["UA-14", "area_km2"]
    expected = box_area_km2(37.6, 48.3, 37.9, 48.5) - box_area_km2(37.7, 48.35, 37.8, 48.45)
    assert area == pytest.approx(expected, rel=1e-4)


def test_points_beside_polygons_are_ignored_with_a_note(write_map: MapWriter) -> None:
    path = write_map("mixed_2026-02-01.geojson", [feature(BOX), feature(shapely.Point(37, 48))])
    (control,) = read_control_maps([path])
    assert control.notes == ["mixed_2026-02-01.geojson: ignored 1 feature(s) of type Point"]


def _error(paths: list[Path]) -> str:
    with pytest.raises(CeasefireError) as info:
        read_control_maps(paths)
    return str(info.value)


def test_another_crs_is_an_error_naming_the_file(write_map: MapWriter) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = write_map("webmerc_2026-02-01.geojson", BOX, crs=crs)
    message = _error([path])
    assert str(path) in message and "EPSG::3857" in message and "EPSG:4326" in message


def test_wgs84_crs_declarations_are_accepted(write_map: MapWriter) -> None:
    for i, name in enumerate(["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"]):
        crs = {"type": "name", "properties": {"name": name}}
        path = write_map(f"ok{i}_2026-02-01.geojson", BOX, crs=crs)
        assert read_control_maps([path])[0].parties == ["RU"]


def test_projected_coordinates_without_crs_are_an_error(write_map: MapWriter) -> None:
    metres = shapely.box(4_180_000, 6_140_000, 4_200_000, 6_160_000)
    path = write_map("metres_2026-02-01.geojson", metres)
    message = _error([path])
    assert str(path) in message and "not projected metres" in message


def test_unparseable_date_is_an_error_naming_file_and_feature(write_map: MapWriter) -> None:
    path = write_map("m.geojson", [feature(BOX, date="2026-13-45")])
    message = _error([path])
    assert str(path) in message and "feature 0" in message and "'2026-13-45'" in message


def test_no_date_anywhere_is_an_error(write_map: MapWriter) -> None:
    path = write_map("undated.geojson", BOX)
    message = _error([path])
    assert str(path) in message and "no date" in message


@pytest.mark.parametrize("text", ["", "  \n"])
def test_empty_file_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty_2026-02-01.geojson"
    path.write_text(text)
    assert _error([path]) == f"{path}: the file is empty; expected a GeoJSON FeatureCollection"


def test_collection_without_polygons_is_an_error(write_map: MapWriter) -> None:
    assert "no (Multi)Polygon features (no features)" in _error(
        [write_map("none_2026-02-01.geojson", [])]
    )
    points = write_map("pts_2026-02-01.geojson", [feature(shapely.Point(37, 48))])
    assert "(1 Point)" in _error([points])


def test_bad_json_missing_file_and_empty_folder(tmp_path: Path) -> None:
    bad = tmp_path / "bad_2026-02-01.geojson"
    bad.write_text("{not json")
    assert f"{bad}: not valid JSON" in _error([bad])
    assert f"{tmp_path / 'nope.geojson'}: no such file" in _error([tmp_path / "nope.geojson"])
    folder = tmp_path / "maps"
    folder.mkdir()
    assert "holds no .geojson or .json control maps" in _error([folder])


def test_same_party_and_date_in_two_files_is_an_error(write_map: MapWriter) -> None:
    a = write_map("a_2026-02-01.geojson", BOX)
    b = write_map("b_2026-02-01.geojson", BOX)
    message = _error([a, b])
    assert str(a) in message and str(b) in message and "one map per party and date" in message
