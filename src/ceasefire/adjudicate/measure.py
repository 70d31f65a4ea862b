"""Where each event's area lies relative to each line: distance bounds and sides reached.

An event's area is its disk (lon/lat and location_radius_km); for an event located only to
its admin-1 unit it is also within that unit, which often says much more than a 150 km disk.
Distances that decide a threshold to within 5 m are measured again with Geod.inv.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from ceasefire.adjudicate.columns import Columns
from ceasefire.adjudicate.prepared import WEAPONS, PreparedAgreement, PreparedLine
from ceasefire.adjudicate.sides import BOTH, LEFT, ON_LINE_KM, RIGHT
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
    # fire that landed here certainly crossed this line itself: no other change of side lies
    # within its weapon's reach (ceasefire.adjudicate.firing); None when not measured
    crossed: NDArray[np.bool_] | None = None


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


def _farthest(
    line: PreparedLine,
    cols: Columns,
    distance: Array,
    near_x: Array,
    near_y: Array,
    limits: list[float],
) -> Array:
    """Upper bound of the distance to the line over each disk: d + r, which the point of
    the disk straight away from the nearest point attains unless the line bends back
    within reach; there, a disk inside the line's buffer (shrunk and the disk grown by the
    projection's scale error) is certainly within that limit."""
    r = cols.radius
    hi = distance + r
    lo = np.maximum(distance - r, 0.0)
    between = np.zeros(cols.n, dtype=bool)
    for limit in limits:
        if limit > 0:
            between |= (lo <= limit) & (hi > limit)
    ask = np.flatnonzero(between & (r > 0) & (distance > 0) & np.isfinite(distance))
    if len(ask) == 0:
        return hi
    x, y = cols.x[ask], cols.y[ask]
    dx, dy = x - near_x[ask], y - near_y[ask]
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    k = 1.0 / line.projected.projection.scale.inverse_k(x, y)
    step = r[ask] * 1000.0 * k
    qx, qy = x + dx / norm * step, y + dy / norm * step
    _, _, d2 = line.projected.nearest(qx, qy)
    planar = np.sqrt(d2)
    bent_at = planar < norm + step - 1.0  # another part of the line is nearer to that point
    # the max over the disk is at least this far: only limits beyond it can change
    far = planar * line.projected.projection.scale.inverse_k(qx, qy) * 0.999 / 1000.0
    reached = np.full(cols.n, np.inf)
    reached[ask] = far
    bent = ask[bent_at]
    if len(bent) == 0:
        return hi
    # a disk reaching round a bend: is it inside the (conservatively) buffered line?
    k_low, k_high = line.scale_range()
    for limit in sorted(limits):
        if limit <= 0:
            continue
        undecided = bent[(hi[bent] > limit) & (reached[bent] <= limit)]
        if len(undecided) == 0:
            continue
        px, py = cols.x[undecided], cols.y[undecided]
        buffer = line.buffer(limit * 1000.0 * k_low)
        test = undecided[shapely.intersects_xy(buffer, px, py)]
        if len(test):
            edge = line.buffer_edge(limit * 1000.0 * k_low)
            _, _, d2 = edge.nearest(cols.x[test], cols.y[test])
            touches = d2 <= (r[test] * 1000.0 * k_high) ** 2
            hi[test[~touches]] = limit
    return hi


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
    hi = _farthest(line, cols, distance, near.near_x, near.near_y, thresholds(prep, line_id))
    away = distance > r + ON_LINE_KM
    # pieces of the side changes within ON_LINE_KM of the line are left to this test
    clear = line.sides.clear_of_changes(cols.lon, cols.lat, cols.x, cols.y, r, away)
    single = away & clear & (side != 0)
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
    crossed = _crossed(prep, line_id, cols, sides, lo)
    return LineArea(distance, side, lo, hi, sides, crossed)


def _zone_limits(prep: PreparedAgreement, line_id: str) -> Array:
    """Per weapon code: the largest security-zone distance from this line that names the
    weapon class (0: no such zone)."""
    limits = np.zeros(len(WEAPONS) + 1)
    for zone in prep.zones:
        if isinstance(zone, SecurityZone) and line_id in {zone.line, *zone.measured_from.values()}:
            for weapon in zone.weapon_classes:
                code = WEAPONS.index(str(weapon))
                limits[code] = max(limits[code], zone.distance_km)
    return limits


def _crossed(
    prep: PreparedAgreement, line_id: str, cols: Columns, sides: Codes, lo: Array
) -> NDArray[np.bool_]:
    """For fire landing on one certain side: does no other change of side lie within its
    weapon's reach (plus the landing area's radius)? Asked only where the answer can change
    a verdict: a zone for the weapon, which the weapon is certainly within, or out of range,
    only if the fire crossed the line."""
    limit = _zone_limits(prep, line_id)[cols.weapon]
    reach = cols.reach
    certain_side = (sides == LEFT) | (sides == RIGHT)
    decisive = (reach - lo <= limit) | (lo > reach)
    useful = (reach > 0) & (limit > 0) & certain_side & decisive
    crossed = np.zeros(cols.n, dtype=bool)
    if useful.any():
        far = cols.radius + reach
        rule = prep.lines[line_id].sides
        clear = rule.clear_of_changes(cols.lon, cols.lat, cols.x, cols.y, far, useful)
        crossed[useful] = clear[useful]
    return crossed


def measure_lines(prep: PreparedAgreement, cols: Columns) -> dict[str, LineArea]:
    """LineArea for every line of the agreement."""
    return {line_id: measure_line(prep, line_id, cols) for line_id in prep.lines}
