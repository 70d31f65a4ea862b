"""Bundled boundaries: countries (land) and admin-1 units clipped to land, with ISO codes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ceasefire.resources import data_path


@dataclass(frozen=True)
class AdminUnit:
    """An admin-1 unit: ISO 3166-2 code, name, country, land geometry (lon/lat)."""

    iso: str
    name: str
    country: str
    geometry: BaseGeometry


def _features(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    features: list[dict[str, object]] = data["features"]
    return features


@cache
def countries() -> dict[str, BaseGeometry]:
    """Land polygons of UA, RU (west of 60 E), BY and MD, by ISO alpha-2 code."""
    result = {}
    for feature in _features(data_path("geo", "countries_ua_ru_by_md.geojson")):
        props = feature["properties"]
        assert isinstance(props, dict)
        result[str(props["iso"])] = shapely.make_valid(shape(feature["geometry"]))
    return result


@cache
def admin_units() -> tuple[AdminUnit, ...]:
    """Ukraine's 27 admin-1 units and 15 western Russian regions, clipped to land."""
    land = countries()
    units = []
    for country, name in (("UA", "admin1_ukraine.geojson"), ("RU", "admin1_russia_west.geojson")):
        for feature in _features(data_path("geo", name)):
            props = feature["properties"]
            assert isinstance(props, dict)
            raw = shapely.make_valid(shape(feature["geometry"]))
            clipped = raw.intersection(land[country])
            units.append(AdminUnit(str(props["iso"]), str(props["name"]), country, clipped))
    return tuple(units)


def admin_unit(iso: str) -> AdminUnit | None:
    """The admin-1 unit with this ISO 3166-2 code."""
    return next((u for u in admin_units() if u.iso == iso), None)


@cache
def known_admin1_codes() -> frozenset[str]:
    """ISO 3166-2 codes of every admin-1 unit of UA and RU (GeoNames crosswalk)."""
    path = data_path("gazetteer", "subdivisions_ua_ru_admin1.tsv")
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split("\t")[1] for line in handle if "\t" in line)
