"""Three-valued checks in space and time: certainly (2), possibly (1), certainly not (0).

An event known only to an area or to a time interval is checked as that whole area or
interval, never as an exact point. 'and' is the minimum, 'or' the maximum, 'not' is 2 - x.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from ceasefire.adjudicate.columns import Columns
from ceasefire.adjudicate.measure import LineArea
from ceasefire.adjudicate.prepared import PreparedAgreement
from ceasefire.agreement.model import AreaZone, BufferZone, SecurityZone, Zone

Status = NDArray[np.int8]
CERTAIN, POSSIBLE, OUTSIDE = np.int8(2), np.int8(1), np.int8(0)
CHECK_LABELS = {2: "certain", 1: "possible", 0: "outside"}


def within(area: LineArea, limit: float) -> Status:
    """Is the whole area within limit km of the line (2), part of it (1), none of it (0)?"""
    status = np.where(area.hi <= limit, CERTAIN, np.where(area.lo <= limit, POSSIBLE, OUTSIDE))
    return np.where(np.isnan(area.lo), POSSIBLE, status).astype(np.int8)


def beyond(area: LineArea, limit: float) -> Status:
    """Is the whole area farther than limit km from the line?"""
    status = np.where(area.lo > limit, CERTAIN, np.where(area.hi > limit, POSSIBLE, OUTSIDE))
    return np.where(np.isnan(area.lo), POSSIBLE, status).astype(np.int8)


def on_side(area: LineArea, bit: NDArray[np.int8] | int) -> Status:
    """Is the whole area on the side `bit` (1 left, 2 right; 0: no side, never)?"""
    status = np.where(
        area.sides == bit, CERTAIN, np.where((area.sides & bit) != 0, POSSIBLE, OUTSIDE)
    )
    return np.where(np.asarray(bit) == 0, OUTSIDE, status).astype(np.int8)


def security_zone(
    prep: PreparedAgreement,
    zone: SecurityZone,
    areas: dict[str, LineArea],
    party: NDArray[np.int16],
    cols: Columns,
) -> tuple[Status, NDArray[np.int16]]:
    """Status and the party (code) whose zone it is: the acting party's own zone when the
    event is attributed, otherwise the zone of whichever party's side it may be on. Fire
    located where it landed (reach > 0: the weapon's range) is judged where the weapon
    stood (ceasefire.adjudicate.firing)."""
    from ceasefire.adjudicate.zone_kernels import security_status  # Numba on first use

    n = len(party)
    best = np.zeros(n, dtype=np.int8)
    owner = np.full(n, len(prep.parties), dtype=np.int16)
    party = np.ascontiguousarray(party, dtype=np.int16)
    for code, candidate in enumerate(prep.parties):
        line_id = zone.line_for(candidate)
        bit = prep.lines[line_id].bit.get(candidate, 0) if line_id else 0
        if not bit or line_id is None:
            continue
        area = areas[line_id]
        crossed = area.crossed if area.crossed is not None else np.zeros(n, dtype=bool)
        columns = (area.lo, area.hi, area.sides, crossed)
        who = (party, code, len(prep.parties))
        security_status(columns, bit, zone.distance_km, cols.reach, who, best, owner)
    return best, owner


def area_zone(prep: PreparedAgreement, zone: AreaZone, cols: Columns) -> Status:
    """Status for a drawn zone: each event's disk against the polygon (projected metres)."""
    shape = prep.areas[zone.id]
    status = np.full(cols.n, OUTSIDE, dtype=np.int8)
    status[~np.isfinite(cols.x)] = POSSIBLE
    west, south, east, north = shape.bounds
    reach = cols.radius * 1000.0 * 1.01
    near = np.flatnonzero(
        (cols.x + reach >= west)
        & (cols.x - reach <= east)
        & (cols.y + reach >= south)
        & (cols.y - reach <= north)
    )
    if len(near):
        x, y = cols.x[near], cols.y[near]
        inside = shapely.intersects_xy(shape, x, y)
        gap = shapely.distance(shapely.points(x, y), shape.boundary)
        gap_km = gap * prep.projection.scale.inverse_k(x, y) / 1000.0
        r = cols.radius[near]
        status[near] = np.where(
            inside & (gap_km > r), CERTAIN, np.where(inside | (gap_km <= r), POSSIBLE, OUTSIDE)
        )
    return status


def zone_status(
    prep: PreparedAgreement,
    zone: Zone,
    areas: dict[str, LineArea],
    cols: Columns,
    party: NDArray[np.int16],
) -> tuple[Status, NDArray[np.int16]]:
    """Status of every event for one zone, and the party code whose zone it is (none:
    len(parties), for zones shared by all)."""
    nobody = np.full(cols.n, len(prep.parties), dtype=np.int16)
    if isinstance(zone, SecurityZone):
        return security_zone(prep, zone, areas, party, cols)
    if isinstance(zone, BufferZone):
        return within(areas[zone.line], zone.width_km), nobody
    return area_zone(prep, zone, cols), nobody


def time_window(start: NDArray[np.int64], end: NDArray[np.int64], after: int, until: int) -> Status:
    """Is the event's time interval [start, end] within [after, until)?"""
    certain = (start >= after) & (end < until)
    possible = (end >= after) & (start < until)
    return np.where(certain, CERTAIN, np.where(possible, POSSIBLE, OUTSIDE)).astype(np.int8)
