"""Where each event's area lies relative to each line: distance bounds and sides reached.

An event's area is its disk (lon/lat and location_radius_km); for an event located only to
its admin-1 unit it is also within that unit, which often says much more than a 150 km disk.
Distances that decide a threshold to within 5 m are measured again with Geod.inv.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ceasefire.adjudicate.columns import Columns
from ceasefire.adjudicate.prepared import PreparedAgreement, PreparedLine
from ceasefire.adjudicate.sides import BOTH
from ceasefire.agreement.model import BufferZone, SecurityZone
from ceasefire.geo.admin import admin_index
from ceasefire.geo.projection import Array

Codes = NDArray[np.int8]
_REFINE_KM = 0.005


@dataclass(frozen=True)
class LineArea:
    """Per event and one line: distance of the point (km), side of the point (0 none or on
    the line, 1 left, 2 right), bounds of the distance over the event's area, and the sides
    the area may reach (mask: 1 left, 2 right, 3 both or unknown)."""

    distance_km: Array
    side: Codes
    lo: Array
    hi: Array
    sides: Codes


def thresholds(prep: PreparedAgreement, line_id: str) -> list[float]:
    """The distances (km) that rules and zones compare with, for one line."""
    found = {0.0}
    for zone in prep.zones:
        if isinstance(zone, SecurityZone) and line_id in {zone.line, *zone.measured_from.values()}:
            found.add(zone.distance_km)
        if isinstance(zone, BufferZone) and zone.line == line_id:
            found.add(zone.width_km)
    for rule in prep.agreement.rules:
        if rule.where.beyond_km is not None and rule.where.line == line_id:
            found.add(rule.where.beyond_km)
    return sorted(found)


def _close(distance: Array, radius: Array, limits: list[float]) -> NDArray[np.bool_]:
    """Points whose decisions turn on a few metres: d - r or d + r near a limit, d near r."""
    close = np.abs(distance - radius) < _REFINE_KM
    for limit in limits:
        close |= (np.abs(distance - radius - limit) < _REFINE_KM) | (
            np.abs(distance + radius - limit) < _REFINE_KM
        )
    return close & np.isfinite(distance)


def measure_line(prep: PreparedAgreement, line_id: str, cols: Columns) -> LineArea:
    """Distances and sides of every event's area for one line."""
    line: PreparedLine = prep.lines[line_id]
    near = line.projected.measure_xy(cols.x, cols.y)
    distance = near.distance_km
    refine = np.flatnonzero(_close(distance, cols.radius, thresholds(prep, line_id)))
    if len(refine):
        distance[refine] = line.projected.exact_km(
            cols.x[refine], cols.y[refine], near.near_x[refine], near.near_y[refine]
        )
    side = line.sides.sides(cols.lon, cols.lat, near.side)
    r = cols.radius
    lo = np.maximum(distance - r, 0.0)
    hi = distance + r
    margin = line.sides.margin_km(cols.lon, cols.lat, cols.x, cols.y, r)
    single = (distance > r) & (margin > r) & (side != 0)
    sides = np.where(single, side, BOTH).astype(np.int8)
    by_unit = np.flatnonzero(cols.unit >= 0)
    if len(by_unit):
        unit_lo, unit_hi, unit_sides = line.unit_bounds(admin_index().geometries)
        u = cols.unit[by_unit]
        new_lo = np.maximum(lo[by_unit], unit_lo[u])
        new_hi = np.minimum(hi[by_unit], unit_hi[u])
        consistent = new_lo <= new_hi  # the point lies in its unit
        lo[by_unit] = np.where(consistent, new_lo, lo[by_unit])
        hi[by_unit] = np.where(consistent, new_hi, hi[by_unit])
        both = sides[by_unit] & unit_sides[u]
        sides[by_unit] = np.where(consistent & (both != 0), both, sides[by_unit])
    return LineArea(distance, side, lo, hi, sides)


def measure_lines(prep: PreparedAgreement, cols: Columns) -> dict[str, LineArea]:
    """LineArea for every line of the agreement."""
    return {line_id: measure_line(prep, line_id, cols) for line_id in prep.lines}
