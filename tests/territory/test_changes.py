"""Changes between maps: a synthetic advance of known area, places, how far the front moved."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import shapely

from ceasefire.territory import ControlMap, MapState, analyse, compute_change

from .conftest import FRONT_LON, OLD_AREA, advance, box_area_km2, west_of_front

OTHER = {"RU": "UA", "UA": "RU"}


def _change(before: shapely.Geometry, after: shapely.Geometry) -> object:
    old = ControlMap(date(2026, 2, 1), "old", {"RU": before})
    new = ControlMap(date(2026, 2, 2), "new", {"RU": after})
    return compute_change(MapState(old), MapState(new), OTHER)


def test_advance_of_known_area_is_detected_within_one_percent() -> None:
    gain = (37.2, 47.9, FRONT_LON, 48.1)  # west of the front, inside Donetsk oblast
    change = _change(OLD_AREA, shapely.union(OLD_AREA, shapely.box(*gain)))
    known = box_area_km2(*gain)  # 497.9 km2, exact on the ellipsoid
    units = change.units.set_index(["party", "admin1"])
    assert units.loc[("RU", "UA-14"), "gained_km2"] == pytest.approx(known, rel=0.01)
    assert units.loc[("UA", "UA-14"), "lost_km2"] == pytest.approx(known, rel=0.01)
    assert units.loc[("RU", "UA-14"), "net_km2"] == pytest.approx(known, rel=0.01)
    assert change.gained_km2("UA") == 0
    assert set(change.parts["gainer"]) == {"RU"} and set(change.parts["loser"]) == {"UA"}


def test_front_moved_as_far_as_the_advance() -> None:
    depth_m = 3_000.0
    step = advance(depth_m, 40.0)
    change = _change(OLD_AREA, shapely.union(OLD_AREA, step))
    (front,) = change.front.to_dict(orient="records")
    assert front["party"] == "RU"
    assert front["moved_km_max"] == pytest.approx(depth_m / 1000, rel=0.01)
    assert 0.5 < front["moved_km_median"] <= front["moved_km_max"]
    assert change.parts["depth_km"].max() == pytest.approx(depth_m / 1000, rel=0.01)


def test_places_that_changed_hands_with_population() -> None:
    change = _change(OLD_AREA, shapely.union(OLD_AREA, shapely.box(37.2, 47.9, FRONT_LON, 48.1)))
    places = change.places.set_index("name")
    assert {"Kurakhove", "Ukrayinsk", "Hirnyk"} <= set(places.index)
    kurakhove = places.loc["Kurakhove"]
    assert kurakhove["population"] == 18_220
    assert (kurakhove["from_party"], kurakhove["to_party"], kurakhove["admin1"]) == (
        "UA", "RU", "UA-14",
    )  # fmt: skip
    assert change.places["population"].is_monotonic_decreasing


def test_retreat_is_the_other_partys_gain() -> None:
    pulled_back = shapely.difference(OLD_AREA, shapely.box(37.5, 48.0, 37.6, 48.2))
    change = _change(OLD_AREA, pulled_back)
    assert change.gained_km2("UA") == pytest.approx(box_area_km2(37.5, 48.0, 37.6, 48.2), rel=0.01)
    assert change.gained_km2("RU") == 0
    (front,) = change.front.to_dict(orient="records")
    assert front["party"] == "UA"


def test_no_change_no_parts() -> None:
    change = _change(OLD_AREA, OLD_AREA)
    assert change.parts.empty and change.units.empty and change.front.empty


def test_series_gives_areas_per_date_and_consecutive_changes() -> None:
    steps = [OLD_AREA, shapely.union(OLD_AREA, advance(2000, 10.0)),
             shapely.union(OLD_AREA, advance(4000, 30.0))]  # fmt: skip
    maps = [ControlMap(date(2026, 2, d + 1), f"m{d}", {"RU": g}) for d, g in enumerate(steps)]
    series = analyse(maps, OTHER, workers=2)
    assert len(series.changes) == 2
    donetsk = series.areas[series.areas["admin1"] == "UA-14"].set_index("date")["area_km2"]
    assert donetsk["2026-02-03"] - donetsk["2026-02-01"] == pytest.approx(30.0, rel=0.001)
    assert series.changes[0].gained_km2("RU") == pytest.approx(10.0, rel=0.001)


def test_a_party_shown_on_one_date_only_is_noted_not_compared() -> None:
    old = ControlMap(date(2026, 2, 1), "old", {"RU": OLD_AREA})
    new = ControlMap(
        date(2026, 2, 2), "new", {"RU": OLD_AREA, "UA": shapely.box(36, 48, 36.2, 48.2)}
    )
    change = compute_change(MapState(old), MapState(new), OTHER)
    assert change.parts.empty
    assert change.notes == ["UA is shown on 2026-02-02 only; not compared"]


def test_west_of_front_helper_is_metric() -> None:
    assert FRONT_LON - west_of_front(1000.0) == pytest.approx(0.01343, abs=1e-4)


def test_series_carries_areas_over_only_where_nothing_changed() -> None:
    """The series recomputes a unit's area only near changes: it must equal computing every
    map on its own."""
    from ceasefire.territory import map_areas

    far = shapely.box(35.0, 47.6, 35.3, 47.8)  # a separate area in Zaporizhzhia oblast
    base = shapely.union(OLD_AREA, far)
    bitten = shapely.box(35.2, 47.6, 35.3, 47.7)
    steps = [
        base,
        shapely.union(base, advance(2000, 10.0)),
        shapely.union(base, advance(2000, 10.0)),  # no change: everything carried over
        shapely.difference(shapely.union(base, advance(3000, 20.0)), bitten),
    ]
    maps = [ControlMap(date(2026, 2, d + 1), f"m{d}", {"RU": g}) for d, g in enumerate(steps)]
    series = analyse(maps, OTHER, workers=2)
    alone = pd.concat([map_areas(m) for m in maps], ignore_index=True)
    merged = series.areas.merge(
        alone, on=["date", "admin1", "party", "level"], suffixes=("", "_alone")
    )
    assert len(merged) == len(series.areas) == len(alone)
    assert (merged["area_km2"] - merged["area_km2_alone"]).abs().max() < 1e-3
