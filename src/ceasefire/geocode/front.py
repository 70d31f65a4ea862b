"""Distance to the area of operations: the bundled approximate line of contact and the area
held by Russia behind it (January 2026)."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import shapely
from shapely.geometry import shape

from ceasefire.geo.projection import GEOD, Array
from ceasefire.resources import data_path

DEFAULT_FRONT = ("geo", "line_of_contact_2026-01.geojson")
DEFAULT_AREA = ("geo", "controlled_area_2026-01.geojson")
_STEP_DEG = 0.03  # densify the line to vertices ~3 km apart


class FrontLine:
    """A line of contact as densified vertices, and optionally the area behind it that belongs
    to the area of operations; distances in km on the ellipsoid."""

    def __init__(
        self, geometry: shapely.Geometry, name: str, area: shapely.Geometry | None = None
    ) -> None:
        self.name = name
        self.area = area
        if area is not None:
            shapely.prepare(area)
        coords = shapely.get_coordinates(shapely.segmentize(geometry, _STEP_DEG))
        self.lon = coords[:, 0].copy()
        self.lat = coords[:, 1].copy()

    def distance_km(self, lon: Array, lat: Array) -> Array:
        """Distance of each point to the nearest vertex of the line (error under ~2 km); 0
        inside the area behind it. For a few points at a time (candidates of a name)."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        if len(lon) == 0:
            return np.zeros(0)
        plon = np.repeat(lon, len(self.lon))
        plat = np.repeat(lat, len(self.lat))
        _, _, metres = GEOD.inv(
            plon, plat, np.tile(self.lon, len(lon)), np.tile(self.lat, len(lat))
        )
        km: Array = np.asarray(metres, dtype=np.float64).reshape(len(lon), -1).min(axis=1) / 1000.0
        if self.area is not None:
            km[shapely.contains_xy(self.area, lon, lat)] = 0.0
        return km


@cache
def default_front() -> FrontLine:
    """The bundled approximate line of contact of January 2026 and the area held behind it."""
    line = json.loads(data_path(*DEFAULT_FRONT).read_text(encoding="utf-8"))["features"][0]
    area = json.loads(data_path(*DEFAULT_AREA).read_text(encoding="utf-8"))["features"]
    held = shapely.union_all([shapely.make_valid(shape(f["geometry"])) for f in area])
    name = str(line["properties"].get("name", "line of contact"))
    return FrontLine(shape(line["geometry"]), name, held)
