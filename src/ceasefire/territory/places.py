"""Populated places (GeoNames cities500, bundled) inside areas that changed hands."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from ceasefire.resources import data_path

GAZETTEER = ("gazetteer", "geonames_cities500_ua_ru_by_md.json")
PLACE_COLUMNS = ["geonameid", "name", "population", "lon", "lat"]


@dataclass(frozen=True)
class Gazetteer:
    """Places as columns, with an index of their points."""

    table: pd.DataFrame
    points: NDArray[np.object_]
    tree: shapely.STRtree


@cache
def gazetteer() -> Gazetteer:
    """The bundled GeoNames places with population 500 and more (UA, RU, BY, MD)."""
    rows = json.loads(data_path(*GAZETTEER).read_text(encoding="utf-8"))
    table = pd.DataFrame(
        {
            "geonameid": [int(r["geonameid"]) for r in rows],
            "name": [str(r["name"]) for r in rows],
            "population": [int(r.get("population") or 0) for r in rows],
            "lon": [float(r["longitude"]) for r in rows],
            "lat": [float(r["latitude"]) for r in rows],
        }
    )
    points = shapely.points(table["lon"].to_numpy(), table["lat"].to_numpy())
    return Gazetteer(table, points, shapely.STRtree(points))


def places_within(polygons: NDArray[np.object_]) -> tuple[NDArray[np.intp], pd.DataFrame]:
    """Places strictly inside each polygon: (index of the polygon per place, the places)."""
    gaz = gazetteer()
    if len(polygons) == 0:
        return np.zeros(0, dtype=np.intp), gaz.table.iloc[0:0]
    poly_i, place_i = gaz.tree.query(polygons, predicate="contains_properly")
    order = np.lexsort((place_i, poly_i))
    poly_i, place_i = poly_i[order], place_i[order]
    return poly_i, gaz.table.iloc[place_i].reset_index(drop=True)
