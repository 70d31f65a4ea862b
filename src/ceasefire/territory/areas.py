"""Area held by each party in each admin-1 unit and country, km2 on the ellipsoid, land only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from ceasefire.territory.maps import ControlMap
from ceasefire.territory.units import (
    COUNTRY_NAMES,
    TerritoryUnits,
    geodesic_areas_km2,
    territory_units,
)

AREA_COLUMNS = ["date", "admin1", "name", "party", "area_km2", "share", "level"]
# a party's land in a country is listed from this area on: smaller overlaps are differences
# between how the map and the boundaries draw the border
MIN_LISTED_KM2 = 1.0


def unit_areas_km2(
    geometry: BaseGeometry, units: TerritoryUnits, only: NDArray[np.intp] | None = None
) -> NDArray[np.float64]:
    """Area of `geometry` inside each unit (km2, geodesic): units wholly inside count whole,
    the others are intersected with the geometry clipped to the unit's bounding box. With
    `only`, just those units (NaN elsewhere)."""
    result = np.zeros(len(units.units))
    if only is not None:
        result[np.setdiff1d(np.arange(len(result)), only)] = np.nan
    if geometry.is_empty:
        return result
    shapely.prepare(geometry)
    idx = units.tree.query(geometry, predicate="intersects")
    if only is not None:
        idx = np.intersect1d(idx, only)
    if not len(idx):
        return result
    inside = shapely.contains(geometry, units.geoms[idx])
    result[idx[inside]] = units.area_km2[idx[inside]]
    cut = idx[~inside]
    if len(cut):
        bounds = shapely.bounds(units.geoms[cut])
        clipped = np.array([shapely.clip_by_rect(geometry, *b) for b in bounds], dtype=object)
        pieces = shapely.intersection(clipped, units.geoms[cut])
        result[cut] = np.minimum(geodesic_areas_km2(pieces), units.area_km2[cut])
    return result


def area_rows(
    when: date, party: str, areas: NDArray[np.float64], units: TerritoryUnits
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for country, idx in units.by_country.items():
        held = areas[idx]
        if held.sum() < MIN_LISTED_KM2:
            continue
        for i in idx:
            unit = units.units[i]
            rows.append({
                "date": when.isoformat(), "admin1": unit.iso, "name": unit.name, "party": party,
                "area_km2": round(float(areas[i]), 3),
                "share": round(float(areas[i] / unit.area_km2), 6), "level": "admin1",
            })  # fmt: skip
        total, land = float(held.sum()), units.country_area_km2[country]
        rows.append({
            "date": when.isoformat(), "admin1": country,
            "name": COUNTRY_NAMES.get(country, country), "party": party,
            "area_km2": round(total, 3), "share": round(total / land, 6), "level": "country",
        })  # fmt: skip
    return rows


def map_areas(control_map: ControlMap, units: TerritoryUnits | None = None) -> pd.DataFrame:
    """Rows (date, admin1, name, party, area_km2, share, level) for one map: every unit of
    each country where the party holds land, then the country total (admin1 = ISO 3166-1
    code, level 'country'); share is of the unit's (country's) land area, 0..1."""
    units = units or territory_units()
    rows = []
    for party, geometry in control_map.areas.items():
        rows.extend(area_rows(control_map.date, party, unit_areas_km2(geometry, units), units))
    return pd.DataFrame(rows, columns=AREA_COLUMNS)


def area_table(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Per-map tables as one, sorted by date, party, level (units first) and code."""
    nonempty = [t for t in tables if len(t)]
    if not nonempty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    table = pd.concat(nonempty, ignore_index=True)
    order = table.assign(_country=table["level"] == "country")
    order = order.sort_values(["date", "party", "_country", "admin1"], kind="stable")
    return order.drop(columns="_country").reset_index(drop=True)


def as_of(maps: Sequence[ControlMap], when: date) -> ControlMap:
    """The latest map on or before `when` (ValueError if every map is later)."""
    earlier = [m for m in maps if m.date <= when]
    if not earlier:
        first = min((m.date for m in maps), default=None)
        raise ValueError(f"no control map on or before {when} (the first is of {first})")
    return max(earlier, key=lambda m: m.date)
