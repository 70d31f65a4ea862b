"""Control maps for the territory tests: bundled real maps and small synthetic ones whose
areas are known analytically."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from ceasefire.geo.projection import GEOD
from ceasefire.resources import data_path

# WGS 84
A, F = 6378137.0, 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)

# Synthetic world: party RU holds a box east of 37.5 E; advances go west into Donetsk oblast.
FRONT_LON = 37.5
OLD_AREA = shapely.box(FRONT_LON, 47.0, 41.0, 49.5)
AGREEMENT_YAML = """\
id: test-territory
title: Test agreement for territory
version: "1"
timezone: Europe/Kyiv
entry_into_force: 2026-02-01T00:00:00+02:00
parties:
  - {id: UA, name: Ukraine}
  - {id: RU, name: Russian Federation}
rules:
  - id: ceasefire
    article: Art. 1
    title: Ceasefire
    categories: [shelling]
  - id: no-offensive
    article: Art. 2
    title: No offensive movement
    categories: [offensive_movement]
"""


def box_area_km2(west: float, south: float, east: float, north: float) -> float:
    """Exact area of a lon/lat box on the WGS 84 ellipsoid (meridians and parallels)."""

    def zone(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (2 * (1 - E2 * s * s)) + math.log((1 + E * s) / (1 - E * s)) / (4 * E)

    b2 = A * A * (1 - E2)
    return b2 * math.radians(east - west) * (zone(north) - zone(south)) / 1e6


def west_of_front(depth_m: float, lat: float = 48.0) -> float:
    """The longitude `depth_m` metres west of the synthetic front at this latitude."""
    lon, _, _ = GEOD.fwd(FRONT_LON, lat, 270.0, depth_m)
    return float(lon)


def advance(depth_m: float, area_km2: float, south: float = 48.0) -> shapely.Polygon:
    """A box west of the front, `depth_m` deep, whose exact area is `area_km2`."""
    west = west_of_front(depth_m, south)
    low, high = south, south + 1.0
    for _ in range(80):  # bisection on the northern edge
        mid = (low + high) / 2
        if box_area_km2(west, south, FRONT_LON, mid) < area_km2:
            low = mid
        else:
            high = mid
    return shapely.box(west, south, FRONT_LON, (low + high) / 2)


def feature(geometry: BaseGeometry | dict[str, Any], **props: Any) -> dict[str, Any]:
    """A GeoJSON Feature."""
    geojson = geometry if isinstance(geometry, dict) else json.loads(shapely.to_geojson(geometry))
    return {"type": "Feature", "properties": props, "geometry": geojson}


MapWriter = Callable[..., Path]


@pytest.fixture
def write_map(tmp_path: Path) -> MapWriter:
    """write_map(name, geometry_or_features, **collection_members) -> path."""

    def write(name: str, content: BaseGeometry | list[dict[str, Any]], **members: Any) -> Path:
        features = content if isinstance(content, list) else [feature(content)]
        path = tmp_path / name
        path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features}))
        return path

    return write


@pytest.fixture
def agreement_file(tmp_path: Path) -> Callable[[str], Path]:
    """An agreement YAML with a no-offensive rule; extra YAML appended."""

    def write(extra: str = "") -> Path:
        path = tmp_path / "agreement.yaml"
        path.write_text(AGREEMENT_YAML + extra)
        return path

    return write


@pytest.fixture
def map_2026() -> Path:
    """The bundled approximate Russian-controlled area, 6 January 2026."""
    return data_path("geo", "controlled_area_2026-01.geojson")


@pytest.fixture
def map_2015() -> Path:
    """The bundled approximate area held by the Russian-backed formations, February 2015."""
    return data_path("geo", "controlled_area_2015-02.geojson")
