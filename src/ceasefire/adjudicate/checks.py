"""Three-valued checks in space and time: certainly (2), possibly (1), certainly not (0).

An event known only to an area (a radius around its point) or to a time interval is checked
as that whole area or interval, never as an exact point.
"""

from __future__ import annotations

import numpy as np
import shapely

from ceasefire.agreement.model import AreaZone, BufferZone, SecurityZone, Zone
from ceasefire.adjudicate.prepared import LineMeasure, PreparedAgreement
from ceasefire.geo.projection import Array

CERTAIN, POSSIBLE, OUTSIDE = np.int8(2), np.int8(1), np.int8(0)
CHECK_LABELS = {2: "certain", 1: "possible", 0: "outside"}


def within(distance: Array, radius: Array, limit: float) -> np.ndarray:
    """Is the disk (distance to a line, radius) within limit km of the line?"""
    status = np.where(distance + radius <= limit, CERTAIN, np.where(distance - radius <= limit, POSSIBLE, OUTSIDE))
    return np.where(np.isnan(distance), POSSIBLE, status).astype(np.int8)


def beyond(distance: Array, radius: Array, limit: float) -> np.ndarray:
    """Is the disk farther than limit km from the line?"""
    status = np.where(distance - radius > limit, CERTAIN, np.where(distance + radius > limit, POSSIBLE, OUTSIDE))
    return np.where(np.isnan(distance), POSSIBLE, status).astype(np.int8)


def on_side(measure: LineMeasure, radius: Array, party: np.ndarray) -> np.ndarray:
    """Is the disk on this side of the line (side label per event; '' or None: no)?"""
    same = measure.side == party
    on_line = measure.side == ""
    crosses = measure.distance_km <= radius
    status = np.where(same & ~crosses, CERTAIN, np.where(same | crosses | on_line, POSSIBLE, OUTSIDE))
    known = np.array([bool(p) for p in party], dtype=bool) if len(party) else np.zeros(0, bool)
    status = np.where(known, status, OUTSIDE)
    return np.where(np.isnan(measure.distance_km) & known, POSSIBLE, status).astype(np.int8)


def across(measure: LineMeasure, radius: Array, label: np.ndarray) -> np.ndarray:
    """Is the disk on the other side of the line than the acting party's side (label)?
    Unattributed events are never 'across' (that would be a guess)."""
    known = np.array([bool(p) for p in label], dtype=bool) if len(label) else np.zeros(0, bool)
    other = (measure.side != label) & (measure.side != "")
    crosses = measure.distance_km <= radius
    status = np.where(other & ~crosses, CERTAIN, np.where(other | crosses, POSSIBLE, OUTSIDE))
    status = np.where(np.isnan(measure.distance_km), POSSIBLE, status)
    return np.where(known, status, OUTSIDE).astype(np.int8)


def _combine_and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.minimum(a, b)


def security_zone(
    prep: PreparedAgreement,
    zone: SecurityZone,
    measures: dict[str, LineMeasure],
    radius: Array,
    party: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Status and the party whose zone it is: the acting party's zone when attributed,
    otherwise the zone of whichever party's side the event is on."""
    n = len(radius)
    best = np.zeros(n, dtype=np.int8)
    zone_party = np.full(n, "", dtype=object)
    attributed = np.array([bool(p) for p in party], dtype=bool) if n else np.zeros(0, bool)
    for candidate in prep.parties:
        line_id = zone.line_for(candidate)
        if line_id is None:
            continue
        measure = measures[line_id]
        label = prep.lines[line_id].side_label.get(candidate, "")
        side = on_side(measure, radius, np.full(n, label, dtype=object))
        inside = within(measure.distance_km, radius, zone.distance_km)
        status = _combine_and(side, inside)
        applies = ~attributed | (party == candidate)
        status = np.where(applies, status, OUTSIDE)
        better = status > best
        best = np.where(better, status, best)
        zone_party = np.where(better, candidate, zone_party)
    return best, zone_party


def area_zone(prep: PreparedAgreement, zone: AreaZone, lon: Array, lat: Array, radius: Array) -> np.ndarray:
    """Status for a polygon zone, checking the disk of each event."""
    projected = prep.areas[zone.id]
    x, y = prep.projection.forward(lon, lat)
    valid = np.isfinite(x) & np.isfinite(y)
    status = np.full(len(lon), POSSIBLE, dtype=np.int8)
    if valid.any():
        points = shapely.points(x[valid], y[valid])
        inside = shapely.contains_xy(projected, x[valid], y[valid])
        gap_km = shapely.distance(points, projected.boundary) / 1000.0
        r = radius[valid]
        status[valid] = np.where(
            inside & (gap_km >= r), CERTAIN, np.where(inside | (gap_km <= r), POSSIBLE, OUTSIDE)
        )
    return status


def zone_status(
    prep: PreparedAgreement,
    zone: Zone,
    measures: dict[str, LineMeasure],
    lon: Array,
    lat: Array,
    radius: Array,
    party: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Status of every event for one zone, and the party whose zone it is ('' for shared)."""
    if isinstance(zone, SecurityZone):
        return security_zone(prep, zone, measures, radius, party)
    empty = np.full(len(lon), "", dtype=object)
    if isinstance(zone, BufferZone):
        return within(measures[zone.line].distance_km, radius, zone.width_km), empty
    return area_zone(prep, zone, lon, lat, radius), empty


def time_window(start_us: np.ndarray, end_us: np.ndarray, after_us: int, until_us: int | None) -> np.ndarray:
    """Is the event's time interval [start, end] within [after, until)?"""
    until = np.iinfo(np.int64).max if until_us is None else until_us
    certain = (start_us >= after_us) & (end_us < until)
    possible = (end_us >= after_us) & (start_us < until)
    return np.where(certain, CERTAIN, np.where(possible, POSSIBLE, OUTSIDE)).astype(np.int8)
