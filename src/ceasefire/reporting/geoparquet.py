"""GeoParquet 1.1 files of points (WGS 84 lon/lat as WKB), readable by GeoPandas, GDAL and
DuckDB. Rows without coordinates get a null geometry."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

GEOPARQUET_VERSION = "1.1.0"


@cache
def crs84() -> dict[str, Any]:
    """PROJJSON of OGC:CRS84 (WGS 84, longitude first)."""
    import pyproj

    projjson: dict[str, Any] = pyproj.CRS("OGC:CRS84").to_json_dict()
    return projjson


def point_wkb(lon: np.ndarray, lat: np.ndarray) -> pa.Array:
    """WKB points (null where lon or lat is missing)."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    wkb = np.full(len(lon), None, dtype=object)
    if ok.any():
        wkb[ok] = shapely.to_wkb(shapely.points(lon[ok], lat[ok]), output_dimension=2, byte_order=1)
    return pa.array(wkb, type=pa.binary())


def geo_metadata(lon: np.ndarray, lat: np.ndarray) -> dict[str, Any]:
    """The GeoParquet "geo" metadata of a point column named geometry."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": ["Point"] if ok.any() else [],
        "crs": crs84(),
        "edges": "planar",
    }
    if ok.any():
        column["bbox"] = [
            float(lon[ok].min()),
            float(lat[ok].min()),
            float(lon[ok].max()),
            float(lat[ok].max()),
        ]
    return {
        "version": GEOPARQUET_VERSION,
        "primary_column": "geometry",
        "columns": {"geometry": column},
    }


def write_points(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame with lon/lat columns as GeoParquet (geometry column last)."""
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    table = table.append_column("geometry", point_wkb(lon, lat))
    metadata = dict(table.schema.metadata or {})
    metadata[b"geo"] = json.dumps(geo_metadata(lon, lat), separators=(",", ":")).encode()
    pq.write_table(table.replace_schema_metadata(metadata), path, compression="zstd")
