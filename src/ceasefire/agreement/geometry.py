"""GeoJSON geometry for agreements: inline or from a file, checked to be valid lon/lat."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "CRS84"}


def _geometries_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        return [g for f in obj.get("features") or [] for g in _geometries_of(f)]
    if kind == "Feature":
        geometry = obj.get("geometry")
        return [geometry] if isinstance(geometry, dict) else []
    if kind == "GeometryCollection":
        return [g for sub in obj.get("geometries") or [] for g in _geometries_of(sub)]
    return [obj]


def _check_crs(obj: dict[str, Any]) -> None:
    crs = obj.get("crs")
    if not crs:
        return
    name = str((crs.get("properties") or {}).get("name", ""))
    if name not in _CRS84:
        raise ValueError(
            f"the GeoJSON declares the coordinate system '{name}'; "
            "expected lon/lat degrees (WGS 84, EPSG:4326)"
        )


def _check_lon_lat(geometry: BaseGeometry) -> None:
    xmin, ymin, xmax, ymax = geometry.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise ValueError(
            f"coordinates out of lon/lat range (bounds {xmin:.6g}, {ymin:.6g}, {xmax:.6g}, "
            f"{ymax:.6g}); expected longitude -180..180 and latitude -90..90 in degrees "
            "(WGS 84), not projected metres"
        )


def geometry_from_geojson(obj: dict[str, Any]) -> BaseGeometry:
    """Turn a GeoJSON geometry, Feature or FeatureCollection into one valid shapely geometry."""
    _check_crs(obj)
    parts = []
    for raw in _geometries_of(obj):
        try:
            parts.append(shapely.geometry.shape(raw))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ValueError(
                f"not a valid GeoJSON geometry ({exc or type(exc).__name__}); expected "
                "{type: LineString|Polygon|..., coordinates: [[lon, lat], ...]}"
            ) from exc
    if not parts:
        raise ValueError("no geometry found; expected a GeoJSON geometry, Feature or collection")
    geometry = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    if geometry.is_empty:
        raise ValueError("the geometry is empty")
    _check_lon_lat(geometry)
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise ValueError(f"invalid geometry: {reason}; expected a simple, closed outline")
    return geometry


def load_geometry_file(path: Path) -> BaseGeometry:
    """Read a GeoJSON file into one geometry, naming the file when it fails."""
    if not path.is_file():
        raise ValueError(f"geometry file '{path}' does not exist")
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"geometry file '{path}' is not readable GeoJSON ({exc})") from exc
    if not isinstance(obj, dict):
        raise ValueError(f"geometry file '{path}' is not a GeoJSON object")
    try:
        return geometry_from_geojson(obj)
    except ValueError as exc:
        raise ValueError(f"geometry file '{path}': {exc}") from exc
