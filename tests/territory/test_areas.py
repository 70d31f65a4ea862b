"""Areas and shares: the bundled maps reproduce public reporting (data README figures)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import shapely

from ceasefire.agreement import load_agreement
from ceasefire.geo.boundaries import countries
from ceasefire.territory import agreement_maps, as_of, map_areas, read_control_maps
from ceasefire.territory.units import geodesic_areas_km2, territory_units

from .conftest import MapWriter, box_area_km2


def _areas(path: Path) -> pd.DataFrame:
    (control,) = read_control_maps([path])
    return map_areas(control).set_index("admin1")


def test_2026_shares_match_public_reporting(map_2026: Path) -> None:
    table = _areas(map_2026)
    # data README: Donetsk 79.7%, Luhansk 99.9%, Zaporizhzhia 78.0%, Kherson 75.3%
    for iso, share in {"UA-14": 0.797, "UA-09": 0.999, "UA-23": 0.780, "UA-65": 0.753}.items():
        assert table.loc[iso, "share"] == pytest.approx(share, abs=0.0006), iso
    assert table.loc["UA", "area_km2"] == pytest.approx(117_501, rel=0.001)
    assert table.loc["UA", "level"] == "country"
    assert table.loc["UA", "share"] == pytest.approx(0.196, abs=0.001)  # ~ a fifth of Ukraine
    assert (table["party"] == "RU").all()


def test_2015_areas_match_minsk_figures(map_2015: Path) -> None:
    table = _areas(map_2015)
    # data README: Luhansk 8,309 km2, Donetsk 8,511 km2, total 16,820 km2. Our boundaries split
    # the 154 km2 of land outside the Natural Earth admin-1 polygons by nearest unit, which
    # gives Luhansk 8,372 (+0.8%) and Donetsk 8,448 (-0.7%); the total is the same.
    assert table.loc["UA-09", "area_km2"] == pytest.approx(8_309, rel=0.01)
    assert table.loc["UA-14", "area_km2"] == pytest.approx(8_511, rel=0.01)
    assert table.loc["UA", "area_km2"] == pytest.approx(16_820, rel=0.001)


def test_units_tile_ukraine_land_and_sum_to_the_country() -> None:
    units = territory_units()
    ukraine = units.by_country["UA"]
    land = geodesic_areas_km2([countries()["UA"]])[0]
    assert units.area_km2[ukraine].sum() == pytest.approx(land, rel=1e-4)
    assert len(ukraine) == 27


def test_country_total_is_the_sum_of_its_units(map_2026: Path) -> None:
    table = _areas(map_2026)
    units = table[(table["level"] == "admin1") & table.index.str.startswith("UA-")]
    assert units["area_km2"].sum() == pytest.approx(table.loc["UA", "area_km2"], rel=1e-6)


def test_sea_does_not_count_and_box_area_is_exact(write_map: MapWriter) -> None:
    inland = (37.6, 48.3, 37.9, 48.5)  # inside Donetsk oblast
    path = write_map("box_2026-02-01.geojson", shapely.box(*inland))
    table = _areas(path)
    assert table.loc["UA-14", "area_km2"] == pytest.approx(box_area_km2(*inland), rel=1e-4)
    sea = write_map("sea_2026-02-01.geojson", shapely.box(35.5, 45.6, 36.3, 46.0))
    assert map_areas(read_control_maps([sea])[0]).empty  # Sea of Azov: no land, no rows


def test_agreement_controlled_area_is_a_map() -> None:
    (control,) = agreement_maps(load_agreement("paris-2026-draft"))
    assert control.date == date(2026, 1, 6)
    table = map_areas(control).set_index("admin1")
    assert table.loc["UA-14", "share"] == pytest.approx(0.797, abs=0.0006)


def test_as_of_picks_the_latest_map_on_or_before(write_map: MapWriter) -> None:
    maps = read_control_maps(
        [
            write_map("a_2026-02-01.geojson", shapely.box(37.6, 48.3, 37.9, 48.5)),
            write_map("b_2026-02-05.geojson", shapely.box(37.6, 48.3, 38.0, 48.5)),
        ]
    )
    assert as_of(maps, date(2026, 2, 4)).date == date(2026, 2, 1)
    assert as_of(maps, date(2026, 2, 5)).date == date(2026, 2, 5)
    with pytest.raises(ValueError, match="no control map on or before 2026-01-01"):
        as_of(maps, date(2026, 1, 1))
