"""What changed between two control maps: areas gained and lost per party and admin-1 unit,
the populated places that changed hands, and how far the front moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
import shapely.errors
from numpy.typing import NDArray

from ceasefire.geo.projection import LocalProjection
from ceasefire.territory.diff import Outline, changed_windows, difference_both_ways
from ceasefire.territory.front import Front, movement_km, project, region_projection
from ceasefire.territory.maps import ControlMap
from ceasefire.territory.places import places_within
from ceasefire.territory.units import TerritoryUnits, geodesic_areas_km2, territory_units

PART_COLUMNS = [
    "date_from", "date_to", "gainer", "loser", "admin1", "name", "area_km2", "depth_km",
    "lon", "lat",
]  # fmt: skip
UNIT_COLUMNS = [
    "date_from", "date_to", "party", "admin1", "name", "gained_km2", "lost_km2", "net_km2",
]  # fmt: skip
PLACE_COLUMNS = [
    "date_from", "date_to", "geonameid", "name", "population", "admin1", "lon", "lat",
    "from_party", "to_party", "depth_km",
]  # fmt: skip
FRONT_COLUMNS = ["date_from", "date_to", "party", "moved_km_median", "moved_km_max", "points"]
# points of the new front closer than this to the old one have not moved (map precision)
MOVED_FLOOR_KM = 0.05
_POLYGON = 3


class MapState:
    """A control map prepared for comparisons: each party's front, projected and indexed."""

    def __init__(self, control_map: ControlMap, projection: LocalProjection | None = None) -> None:
        self.map = control_map
        self.projection = projection or region_projection()
        for area in control_map.areas.values():
            shapely.prepare(area)
        self.fronts = {p: Front(a, self.projection) for p, a in control_map.areas.items()}
        for front in self.fronts.values():
            front.warm_up()  # now, in this thread: the state may then be shared
        self.outlines = {p: Outline(a) for p, a in control_map.areas.items()}

    def windows(self, new: MapState) -> dict[str, NDArray[np.float64] | None]:
        """Per party on both maps: the boxes where its outline changed (None: everywhere)."""
        return {
            party: changed_windows(outline, new.outlines[party])
            for party, outline in self.outlines.items()
            if party in new.outlines
        }


@dataclass
class Change:
    """The change from one map to the next (tables described in docs/territory.md)."""

    date_from: date
    date_to: date
    parts: pd.DataFrame
    geometries: NDArray[np.object_]  # lon/lat polygons, aligned with the rows of `parts`
    units: pd.DataFrame
    places: pd.DataFrame
    front: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # per party shown on both maps: km2 gained minus km2 lost in each unit (TerritoryUnits order)
    deltas: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    def gained_km2(self, party: str) -> float:
        """Total area the party gained."""
        return float(self.parts.loc[self.parts["gainer"] == party, "area_km2"].sum())


def _split_by_unit(
    pieces: NDArray[np.object_], units: TerritoryUnits
) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Polygons of the pieces within each unit (land only), and the unit of each. Each unit
    is first clipped to the piece's bounding box (a change is small, units are not)."""
    pieces = pieces[~shapely.is_empty(pieces)]
    if not len(pieces):
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.intp)
    piece_i, unit_i = units.tree.query(pieces, predicate="intersects")
    boxes = shapely.bounds(pieces)[piece_i]
    try:
        clipped = np.array(
            [shapely.clip_by_rect(units.geoms[u], *b) for u, b in zip(unit_i, boxes, strict=True)],
            dtype=object,
        )
        cut = shapely.intersection(pieces[piece_i], clipped)
    except shapely.errors.GEOSException:  # a clipped unit that is not valid: do it whole
        cut = shapely.intersection(pieces[piece_i], units.geoms[unit_i])
    parts, cut_of = shapely.get_parts(cut, return_index=True)
    keep = shapely.get_type_id(parts) == _POLYGON
    return np.asarray(parts[keep], dtype=object), unit_i[cut_of[keep]]


def _empty_change(
    old: ControlMap, new: ControlMap, notes: list[str], deltas: dict[str, NDArray[np.float64]]
) -> Change:
    return Change(
        old.date, new.date, pd.DataFrame(columns=PART_COLUMNS), np.zeros(0, dtype=object),
        pd.DataFrame(columns=UNIT_COLUMNS), pd.DataFrame(columns=PLACE_COLUMNS),
        pd.DataFrame(columns=FRONT_COLUMNS), notes, deltas,
    )  # fmt: skip


def compute_change(
    old: MapState,
    new: MapState,
    other: dict[str, str] | None = None,
    units: TerritoryUnits | None = None,
    windows: dict[str, NDArray[np.float64] | None] | None = None,
) -> Change:
    """Compare two maps. A party's gain is its new area outside its old one; its loss is
    credited to `other[party]` (the party holding the rest) unless that party is mapped
    too, in which case its own gains say it. Land only, split by admin-1 unit. `windows`:
    from old.windows(new), when already known."""
    units = units or territory_units()
    other = other or {}
    windows = old.windows(new) if windows is None else windows
    a, b = old.map, new.map
    notes = [
        f"{p} is shown on {m.date} only; not compared"
        for p in sorted(set(a.areas) ^ set(b.areas))
        for m in (a if p in a.areas else b,)
    ]
    geoms, unit_i, areas, gainer, loser, front_of = [], [], [], [], [], []
    deltas: dict[str, NDArray[np.float64]] = {}
    for party in [p for p in a.areas if p in b.areas]:
        rival = other.get(party, "")
        gained, lost = difference_both_ways(a.areas[party], b.areas[party], windows[party])
        delta = np.zeros(len(units.units))
        for geometry, sign, won_by, lost_by in ((gained, 1.0, party, rival),
                                                (lost, -1.0, rival, party)):  # fmt: skip
            parts, idx = _split_by_unit(geometry, units)
            km2 = geodesic_areas_km2(parts)
            np.add.at(delta, idx, sign * km2)
            if sign < 0 and rival in a.areas and rival in b.areas:
                continue  # the rival's own gains say it
            keep = km2 > 0
            geoms.append(parts[keep])
            unit_i.append(idx[keep])
            areas.append(km2[keep])
            gainer += [won_by] * int(keep.sum())
            loser += [lost_by] * int(keep.sum())
            front_of += [party] * int(keep.sum())
        deltas[party] = delta
    if not geoms or not sum(len(g) for g in geoms):
        return _empty_change(a, b, notes, deltas)
    parts = np.concatenate(geoms)
    unit_idx = np.concatenate(unit_i)
    area = np.concatenate(areas)
    gainer_a = np.asarray(gainer, dtype=object)
    loser_a = np.asarray(loser, dtype=object)
    front_a = np.asarray(front_of, dtype=object)
    depth = np.zeros(len(parts))
    front_rows = []
    parts_xy = project(parts, old.projection)
    moved_by_gainer: dict[str, list[np.ndarray]] = {}
    for party in dict.fromkeys(front_a):
        mine = np.flatnonzero(front_a == party)
        km, part_of = movement_km(parts_xy[mine], old.fronts[party], new.fronts[party])
        np.maximum.at(depth, mine[part_of], km)
        for won_by in dict.fromkeys(gainer_a[mine]):
            moved = km[(gainer_a[mine][part_of] == won_by) & (km > MOVED_FLOOR_KM)]
            moved_by_gainer.setdefault(str(won_by), []).append(moved)
    for won_by, chunks in moved_by_gainer.items():
        km = np.concatenate(chunks)
        front_rows.append({
            "date_from": a.date.isoformat(), "date_to": b.date.isoformat(), "party": won_by,
            "moved_km_median": round(float(np.median(km)), 3) if len(km) else 0.0,
            "moved_km_max": round(float(km.max()), 3) if len(km) else 0.0, "points": len(km),
        })  # fmt: skip
    where = shapely.get_coordinates(shapely.point_on_surface(parts))
    iso = units.iso[unit_idx]
    names = np.array([units.units[i].name for i in unit_idx], dtype=object)
    table = pd.DataFrame({
        "date_from": a.date.isoformat(), "date_to": b.date.isoformat(), "gainer": gainer_a,
        "loser": loser_a, "admin1": iso, "name": names, "area_km2": np.round(area, 4),
        "depth_km": np.round(depth, 3), "lon": np.round(where[:, 0], 5),
        "lat": np.round(where[:, 1], 5),
    })  # fmt: skip
    dates = (a.date.isoformat(), b.date.isoformat())
    return Change(
        a.date, b.date, table, parts,
        _unit_table(dates, gainer_a, loser_a, iso, names, area),
        _places(dates, parts, iso, gainer_a, loser_a, depth),
        pd.DataFrame(front_rows, columns=FRONT_COLUMNS), notes, deltas,
    )  # fmt: skip


def _unit_table(
    dates: tuple[str, str], gainer: np.ndarray, loser: np.ndarray, iso: np.ndarray,
    names: np.ndarray, area: np.ndarray,
) -> pd.DataFrame:  # fmt: skip
    """Gained and lost km2 per party and unit (a few parts: a plain loop)."""
    sums: dict[tuple[str, str, str], list[float]] = {}
    for won_by, lost_by, code, name, km2 in zip(gainer, loser, iso, names, area, strict=True):
        if won_by:
            sums.setdefault((won_by, code, name), [0.0, 0.0])[0] += km2
        if lost_by:
            sums.setdefault((lost_by, code, name), [0.0, 0.0])[1] += km2
    rows = [
        (*dates, party, code, name, round(g, 4), round(lo, 4), round(g - lo, 4))
        for (party, code, name), (g, lo) in sorted(sums.items())
    ]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _places(
    dates: tuple[str, str], geometries: NDArray[np.object_], iso: np.ndarray,
    gainer: np.ndarray, loser: np.ndarray, depth: np.ndarray,
) -> pd.DataFrame:  # fmt: skip
    part_i, places = places_within(geometries)
    if not len(places):
        return pd.DataFrame(columns=PLACE_COLUMNS)
    table = places.assign(
        date_from=dates[0], date_to=dates[1], admin1=iso[part_i], from_party=loser[part_i],
        to_party=gainer[part_i], depth_km=np.round(depth[part_i], 3),
    )  # fmt: skip
    return table.sort_values(["population", "geonameid"], ascending=[False, True])[
        PLACE_COLUMNS
    ].reset_index(drop=True)
