"""Control maps over time: GeoJSON files of one party's controlled area per date.

Accepted inputs (docs/territory.md): one file per date (the DeepStateMap archive format: a
FeatureCollection of (Multi)Polygons, the date in the file name or a property), a folder of
them, one file with a date property per feature, and the agreement's own controlled areas.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
import shapely.errors
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.model import Agreement
from ceasefire.errors import CeasefireError, file_error

DATE_KEYS = ("date", "as_of", "datetime", "day", "time")
PARTY_KEYS = ("party", "controlled_by")
MAP_SUFFIXES = (".geojson", ".json")
_NAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_POLYGONAL = ("Polygon", "MultiPolygon")
# Edges are straight in lon/lat, as drawn on a web map. Areas are geodesic, so edges are cut to
# at most this length first: then an area does not depend on where an overlay splits an edge
# (a 20 km edge would bulge ~10 m between its geodesic and its drawn line).
MAX_EDGE_DEG = 0.02
_WGS84 = pyproj.CRS.from_epsg(4326)


@dataclass
class ControlMap:
    """The areas held on one date: party -> valid (Multi)Polygon in lon/lat (WGS 84)."""

    date: date
    source: str
    areas: dict[str, BaseGeometry]
    sha256: str = ""
    repairs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.areas = {p: shapely.segmentize(a, MAX_EDGE_DEG) for p, a in self.areas.items()}

    @property
    def parties(self) -> list[str]:
        """The parties this map shows, in order."""
        return list(self.areas)


def parse_date(value: Any) -> date | None:
    """A date from a property value: ISO date or date-time text, or epoch seconds/ms."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        if seconds < 1e8:  # not a plausible timestamp (e.g. 2026)
            return None
        return datetime.fromtimestamp(seconds, UTC).date()
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def date_from_name(path: Path) -> date | None:
    """The date in a file name: 2026-01-06, 2026_01_06 or 20260106."""
    for match in _NAME_DATE.finditer(path.stem):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def _check_crs(path: Path, obj: dict[str, Any]) -> None:
    crs = obj.get("crs")
    if not crs:
        return
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    try:
        declared = pyproj.CRS.from_user_input(name)
        if declared.equals(_WGS84, ignore_axis_order=True):
            return
    except pyproj.exceptions.CRSError:
        pass
    raise file_error(
        path,
        f"the map declares the coordinate system '{name or crs}'; expected lon/lat degrees "
        "(WGS 84, EPSG:4326 or CRS84); reproject it first (e.g. ogr2ogr -t_srs EPSG:4326)",
    )


def _check_lon_lat(path: Path, geometry: BaseGeometry, where: str) -> None:
    xmin, ymin, xmax, ymax = geometry.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise file_error(
            path,
            f"{where}: coordinates out of lon/lat range (bounds {xmin:.6g}, {ymin:.6g}, "
            f"{xmax:.6g}, {ymax:.6g}); expected longitude/latitude degrees (WGS 84), "
            "not projected metres",
        )


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (make_valid may return lines beside polygons)."""
    if geometry.geom_type in _POLYGONAL:
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _shape(raw: dict[str, Any]) -> BaseGeometry:
    """A (Multi)Polygon from its GeoJSON dict, built from NumPy arrays (3x faster than
    shapely.geometry.shape on daily maps); shape() names what is wrong otherwise."""
    try:
        polygons = raw["coordinates"] if raw["type"] == "MultiPolygon" else [raw["coordinates"]]
        built = []
        for rings in polygons:
            arrays = [shapely.linearrings(np.asarray(r, dtype=np.float64)[:, :2]) for r in rings]
            built.append(shapely.polygons(arrays[0], arrays[1:] or None))
        return shapely.multipolygons(built) if raw["type"] == "MultiPolygon" else built[0]
    except (KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException):
        return shapely.geometry.shape(raw)


def repair(geometry: BaseGeometry) -> tuple[BaseGeometry, str | None]:
    """A valid polygonal geometry and, when it had to be repaired, why."""
    if geometry.is_valid:
        return geometry, None
    reason = shapely.is_valid_reason(geometry)
    fixed = _polygonal(shapely.make_valid(geometry, method="structure", keep_collapsed=False))
    return fixed, reason


def _read_json(path: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise file_error(path, "no such file") from None
    except OSError as exc:
        raise file_error(path, f"cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise file_error(path, "the file is empty; expected a GeoJSON FeatureCollection")
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise file_error(
            path, f"not valid JSON ({exc}); expected a GeoJSON FeatureCollection"
        ) from None
    if not isinstance(obj, dict):
        raise file_error(path, "not a GeoJSON object; expected a FeatureCollection")
    return obj, hashlib.sha256(raw).hexdigest()


def _features(path: Path, obj: dict[str, Any]) -> list[dict[str, Any]]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise file_error(path, "'features' is not a list; expected a GeoJSON FeatureCollection")
        return features
    if kind == "Feature":
        return [obj]
    if kind in _POLYGONAL:
        return [{"type": "Feature", "properties": {}, "geometry": obj}]
    raise file_error(
        path, f"GeoJSON type '{kind}'; expected a FeatureCollection of (Multi)Polygons"
    )


def _prop(props: dict[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        if props.get(key) not in (None, ""):
            return props[key]
    return None


def read_map_file(path: Path, default_party: str | None = "RU") -> list[ControlMap]:
    """The maps in one GeoJSON file: one per date found (feature property, collection
    property or file name). Invalid polygons are repaired and the repair recorded."""
    path = Path(path)
    obj, sha256 = _read_json(path)
    _check_crs(path, obj)
    features = _features(path, obj)
    name_date = date_from_name(path)
    top = obj.get("properties") if isinstance(obj.get("properties"), dict) else {}
    top_value = _prop(top or {}, DATE_KEYS) or _prop(obj, ("date",))
    top_date = parse_date(top_value) if top_value is not None else None
    if top_value is not None and top_date is None:
        raise file_error(path, f"date '{top_value}' is not a date; expected YYYY-MM-DD")
    groups: dict[tuple[date, str], list[BaseGeometry]] = {}
    repairs: dict[date, list[str]] = {}
    skipped: dict[str, int] = {}
    for i, feature in enumerate(features):
        if not isinstance(feature, dict):
            raise file_error(path, f"feature {i}: not a GeoJSON object")
        props = feature.get("properties") or {}
        raw = feature.get("geometry")
        kind = raw.get("type") if isinstance(raw, dict) else None
        if kind not in _POLYGONAL:
            skipped[str(kind)] = skipped.get(str(kind), 0) + 1
            continue
        value = _prop(props, DATE_KEYS)
        when = parse_date(value) if value is not None else (top_date or name_date)
        if when is None:
            if value is not None:
                raise file_error(
                    path, f"feature {i}: date '{value}' is not a date; expected YYYY-MM-DD"
                )
            raise file_error(
                path,
                "no date: expected a 'date' property (YYYY-MM-DD) on the features or the "
                "collection, or a date in the file name (e.g. deepstate_2026-01-06.geojson)",
            )
        assert isinstance(raw, dict)  # its type is a polygon type
        try:
            geometry = _shape(raw)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise file_error(
                path, f"feature {i}: not a valid {kind} ({exc}); expected [[lon, lat], ...] rings"
            ) from None
        if geometry.is_empty:
            skipped["empty geometry"] = skipped.get("empty geometry", 0) + 1
            continue
        _check_lon_lat(path, geometry, f"feature {i}")
        geometry, reason = repair(geometry)
        if reason is not None:
            repairs.setdefault(when, []).append(
                f"{path.name}: feature {i} ({when}): {reason}; repaired with make_valid"
            )
        party = _prop(props, PARTY_KEYS) or default_party
        if party is None:
            raise file_error(
                path,
                f"feature {i}: no 'party' property saying whose area it shows, and no "
                'default party (give the features a \'party\', e.g. "party": "RU")',
            )
        groups.setdefault((when, str(party)), []).append(geometry)
    if not groups:
        found = ", ".join(f"{n} {k}" for k, n in skipped.items()) or "no features"
        raise file_error(
            path,
            f"no (Multi)Polygon features ({found}); expected the area one "
            "party controls as a FeatureCollection of (Multi)Polygons",
        )
    notes = [f"{path.name}: ignored {n} feature(s) of type {k}" for k, n in skipped.items()]
    maps: dict[date, ControlMap] = {}
    for (when, party), geoms in sorted(groups.items(), key=lambda kv: kv[0][0]):
        area = geoms[0] if len(geoms) == 1 else _polygonal(shapely.union_all(geoms))
        target = maps.setdefault(
            when, ControlMap(when, str(path), {}, sha256, repairs.get(when, []), list(notes))
        )
        target.areas[party] = area
    return list(maps.values())


def map_files(paths: Iterable[Path]) -> list[Path]:
    """Files given, with folders expanded to their GeoJSON files (sorted)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in MAP_SUFFIXES)
            if not found:
                raise file_error(path, "the folder holds no .geojson or .json control maps")
            files.extend(found)
        elif not path.exists():
            raise file_error(path, "no such file")
        else:
            files.append(path)
    return files


def merge_maps(maps: Iterable[ControlMap]) -> list[ControlMap]:
    """One map per date, sorted; two files with the same party on one date are an error."""
    by_date: dict[date, ControlMap] = {}
    for m in maps:
        held = by_date.get(m.date)
        if held is None:
            by_date[m.date] = m
            continue
        for party, area in m.areas.items():
            if party in held.areas:
                raise CeasefireError(
                    f"{m.source}: a second map of {party} for {m.date} (the first is in "
                    f"{held.source}); expected one map per party and date"
                )
            held.areas[party] = area
        held.source = f"{held.source}; {m.source}"
        held.repairs.extend(m.repairs)
        held.notes.extend(m.notes)
    return [by_date[d] for d in sorted(by_date)]


def read_control_maps(paths: Iterable[Path], default_party: str | None = "RU") -> list[ControlMap]:
    """Every map in the given files and folders, one per date, sorted by date."""
    return merge_maps(m for f in map_files(paths) for m in read_map_file(f, default_party))


def agreement_maps(agreement: Agreement) -> list[ControlMap]:
    """The agreement's own controlled areas (lines[].controlled_area), dated by the line's
    `as_of` or else the entry into force."""
    maps = []
    for line in agreement.lines:
        area = line.controlled_area
        if area is None:
            continue
        when = line.as_of or agreement.entry_into_force.date()
        source = f"{agreement.source or agreement.id}: line '{line.id}' controlled_area"
        maps.append(ControlMap(when, source, {area.party: area.geometry.shape}))
    return merge_maps(maps)
