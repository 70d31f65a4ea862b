"""Zones of an agreement drawn as polygons (lon/lat), for display, areas and maps.

The engine never uses these polygons to decide membership (it compares distances); they are
an approximation for people: buffers with flat ends, split by the line into sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import AreaZone, BufferZone, SecurityZone, Zone
from ceasefire.geo.boundaries import countries
from ceasefire.geo.projection import geodesic_area_km2


@dataclass(frozen=True)
class ZoneShape:
    """A zone's polygon per party ('' for a zone shared by all), in lon/lat."""

    zone_id: str
    party: str
    geometry: BaseGeometry


def _to_lon_lat(prep: PreparedAgreement, geometry: BaseGeometry) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        lon, lat = prep.projection.inverse(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, transform)


def _strip(prep: PreparedAgreement, line_id: str, km: float) -> BaseGeometry:
    projected = prep.lines[line_id].projected.shape
    return shapely.buffer(projected, km * 1000.0, cap_style="flat", quad_segs=16)


def _side_strip(
    prep: PreparedAgreement, line_id: str, km: float, label: str
) -> BaseGeometry | None:
    """The strip within km of a line on one side (single-sided buffer; left is positive)."""
    line = prep.lines[line_id]
    if label not in (line.left, line.right) or not label:
        return None
    signed = km * 1000.0 if label == line.left else -km * 1000.0
    parts = [
        shapely.buffer(part, signed, single_sided=True, quad_segs=16)
        for part in shapely.get_parts(line.projected.shape)
    ]
    return _to_lon_lat(prep, shapely.union_all(parts))


def zone_shapes(prep: PreparedAgreement, zone: Zone) -> list[ZoneShape]:
    """Polygons of one zone: per party for security zones, one for buffers and areas."""
    if isinstance(zone, AreaZone):
        return [ZoneShape(zone.id, "", zone.geometry.shape)]
    if isinstance(zone, BufferZone):
        return [ZoneShape(zone.id, "", _to_lon_lat(prep, _strip(prep, zone.line, zone.width_km)))]
    assert isinstance(zone, SecurityZone)
    shapes = []
    for party in prep.parties:
        line_id = zone.line_for(party)
        if line_id is None:
            continue
        label = prep.lines[line_id].side_label.get(party, "")
        piece = _side_strip(prep, line_id, zone.distance_km, label)
        if piece is not None:
            shapes.append(ZoneShape(zone.id, party, piece))
    return shapes


def land_area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of the part of a polygon on land (UA, RU, BY, MD)."""
    land = shapely.union_all(list(countries().values()))
    return geodesic_area_km2(shapely.intersection(geometry, land))
