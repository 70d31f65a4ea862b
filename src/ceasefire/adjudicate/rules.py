"""Each rule over a whole batch: which events it covers, where and when, minus exceptions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ceasefire.adjudicate.checks import (
    CERTAIN,
    OUTSIDE,
    Status,
    beyond,
    on_side,
    time_window,
)
from ceasefire.adjudicate.columns import Columns
from ceasefire.adjudicate.measure import LineArea
from ceasefire.adjudicate.prepared import CompiledRule, PreparedAgreement
from ceasefire.agreement.model import BufferZone, SecurityZone
from ceasefire.geo.projection import Array

Zones = dict[str, tuple[Status, NDArray[np.int16]]]


@dataclass(frozen=True)
class Hits:
    """The violations of one rule in a batch, with the values behind them."""

    rule: CompiledRule
    events: NDArray[np.intp]
    place: Status
    time: Status
    zone_id: str
    zone_party: NDArray[np.int16]
    line_id: str
    line_distance: Array
    limit: float
    reach: Array  # the weapon's range (km) where fire was judged where the weapon stood, else 0


def _subset(area: LineArea, idx: NDArray[np.intp]) -> LineArea:
    return LineArea(
        area.distance_km[idx], area.side[idx], area.lo[idx], area.hi[idx], area.sides[idx]
    )


def _covered(rule: CompiledRule, cols: Columns, party: NDArray[np.int16]) -> NDArray[np.bool_]:
    mask = rule.categories[cols.category]
    if rule.weapons is not None:
        mask &= rule.weapons[cols.weapon]
    if rule.targets is not None:
        mask &= rule.targets[cols.target]
    if rule.parties is not None:
        mask &= rule.parties[party]
    return mask


def _not_excepted(
    rule: CompiledRule, cols: Columns, party: NDArray[np.int16], zones: Zones, idx: NDArray[np.intp]
) -> Status:
    """2 - (is any exception met), three-valued: an exception whose zone the event is only
    possibly in makes the violation only possible."""
    result = np.full(len(idx), CERTAIN, dtype=np.int8)
    for categories, weapons, parties, zone_ids in rule.exceptions:
        crisp = np.ones(len(idx), dtype=bool)
        if categories is not None:
            crisp &= categories[cols.category[idx]]
        if weapons is not None:
            crisp &= weapons[cols.weapon[idx]]
        if parties is not None:
            crisp &= parties[party[idx]]
        met = np.full(len(idx), CERTAIN, dtype=np.int8)
        for zone_id in zone_ids:
            met = np.minimum(met, zones[zone_id][0][idx])
        met = np.where(crisp, met, OUTSIDE)
        result = np.minimum(result, 2 - met).astype(np.int8)
    return result


def _place(
    prep: PreparedAgreement,
    rule: CompiledRule,
    party: NDArray[np.int16],
    areas: dict[str, LineArea],
    zones: Zones,
    idx: NDArray[np.intp],
) -> tuple[Status, NDArray[np.int16], str, Array, float]:
    """Place status, zone party, line, distance to that line and the limit, per event."""
    where = rule.rule.where
    nobody = np.full(len(idx), len(prep.parties), dtype=np.int16)
    nan = np.full(len(idx), np.nan)
    if where.zone is not None:
        status, owner = zones[where.zone]
        zone = prep.zones[prep.zone_index[where.zone]]
        owner = owner[idx]
        if isinstance(zone, SecurityZone):
            distance = nan.copy()
            for code, candidate in enumerate(prep.parties):
                line_id = zone.line_for(candidate)
                if line_id is not None:
                    mine = owner == code
                    distance[mine] = areas[line_id].distance_km[idx[mine]]
            line = zone.line or ""
            return status[idx], owner, line, distance, zone.distance_km
        if isinstance(zone, BufferZone):
            return status[idx], owner, zone.line, areas[zone.line].distance_km[idx], zone.width_km
        return status[idx], owner, "", nan, np.nan
    if where.beyond_km is not None and where.line is not None:
        area = _subset(areas[where.line], idx)
        return beyond(area, where.beyond_km), nobody, where.line, area.distance_km, where.beyond_km
    if where.across_line is not None:
        area = _subset(areas[where.across_line], idx)
        own = prep.line_bits(where.across_line)[party[idx]]
        other = np.where(own == 1, 2, np.where(own == 2, 1, 0)).astype(np.int8)
        return on_side(area, other), nobody, where.across_line, area.distance_km, np.nan
    return np.full(len(idx), CERTAIN, dtype=np.int8), nobody, "", nan, np.nan


def _security_zone(prep: PreparedAgreement, rule: CompiledRule) -> bool:
    zone_id = rule.rule.where.zone
    return zone_id is not None and isinstance(prep.zones[prep.zone_index[zone_id]], SecurityZone)


def evaluate(
    prep: PreparedAgreement,
    cols: Columns,
    party: NDArray[np.int16],
    areas: dict[str, LineArea],
    zones: Zones,
    in_scope: NDArray[np.bool_],
) -> list[Hits]:
    """The violations of every rule."""
    found = []
    for rule in prep.rules:
        idx = np.flatnonzero(_covered(rule, cols, party) & in_scope)
        if len(idx) == 0:
            continue
        time = time_window(cols.start[idx], cols.end[idx], rule.after_us, rule.until_us)
        live = time > OUTSIDE
        idx, time = idx[live], time[live]
        place, owner, line_id, distance, limit = _place(prep, rule, party, areas, zones, idx)
        if rule.exceptions:
            place = np.minimum(place, _not_excepted(rule, cols, party, zones, idx)).astype(np.int8)
        keep = place > OUTSIDE
        found.append(
            Hits(
                rule,
                idx[keep],
                place[keep],
                time[keep],
                rule.rule.where.zone or "",
                owner[keep],
                line_id,
                distance[keep],
                limit,
                cols.reach[idx[keep]] if _security_zone(prep, rule) else np.zeros(int(keep.sum())),
            )
        )
    return found
