"""Field reports of monitors (JSON in the published schema, schemas/field_report.schema.json).
Each observation becomes one event; its data row is its position among all observations of
the file (1-based). lon/lat estimate what was observed (the centre of the bearing sector), and
the observer, bearing and distance columns keep what the observer reported."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pyarrow as pa

from ceasefire.errors import CeasefireError
from ceasefire.geocode.geocoder import geocode
from ceasefire.resources import data_path
from ceasefire.sources.bearing import parse_bearing_distance, sector_centre
from ceasefire.sources.common import build_events, places_of
from ceasefire.sources.files import require_file, sha256_of
from ceasefire.sources.reader import ReadResult
from ceasefire.sources.report import IngestReport
from ceasefire.sources.vocab import (
    FieldReportVocabulary,
    field_report_vocabulary,
    target_classifier,
    weapon_classifier,
)
from ceasefire.taxonomy import DEFAULT_RADIUS_KM, LocationPrecision

SOURCE = "field_report"
FORMAT = "ceasefire-field-report/1"
EXPECTED = f'a field report (JSON object with "format": "{FORMAT}" and "reports")'


@cache
def field_report_schema() -> dict[str, Any]:
    """The published JSON Schema of field reports."""
    loaded: dict[str, Any] = json.loads(
        data_path("schemas", "field_report.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def _load(path: Path) -> dict[str, Any]:
    require_file(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CeasefireError(f"{path}: not UTF-8 text; expected {EXPECTED}") from exc
    except json.JSONDecodeError as exc:
        truncated = " (truncated?)" if not exc.doc.rstrip().endswith(("}", "]")) else ""
        raise CeasefireError(
            f"{path}: not valid JSON{truncated}: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}; expected {EXPECTED}"
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        given = document.get("format") if isinstance(document, dict) else type(document).__name__
        kind = (
            "a GeoJSON file"
            if isinstance(document, dict) and document.get("type") == "FeatureCollection"
            else f"format {given!r}"
        )
        raise CeasefireError(f"{path}: not a field report ({kind}); expected {EXPECTED}")
    return document


def _where(error: jsonschema.ValidationError) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(top level)"


def _position(pos: dict[str, Any], nearby: list[str]) -> tuple[float, float, str | None]:
    """lon, lat of a position; a place name is geocoded. Raises ValueError with the reason."""
    if "lon" in pos and "lat" in pos:
        return float(pos["lon"]), float(pos["lat"]), pos.get("place")
    result = geocode(
        pos["place"], admin1=pos.get("admin1"), nearby=[n for n in nearby if n != pos["place"]]
    )
    if result.place is None:
        shown = "; ".join(f"{c.name} ({c.admin1 or c.country})" for c in result.candidates[:5])
        raise ValueError(
            f"place '{pos['place']}': {result.basis}" + (f" ({shown})" if shown else "")
        )
    return result.place.lon, result.place.lat, pos["place"]


def _time(window: dict[str, Any]) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    start = pd.Timestamp(window["start"]).tz_convert("UTC")
    end = pd.Timestamp(window.get("end", window["start"])).tz_convert("UTC")
    if end < start:
        raise ValueError(f"time end {window.get('end')} is before start {window['start']}")
    span = end - start
    precision = (
        "exact"
        if span == pd.Timedelta(0)
        else "day"
        if span <= pd.Timedelta(days=1)
        else "week"
        if span <= pd.Timedelta(days=7)
        else "month"
        if span <= pd.Timedelta(days=31)
        else "year"
    )
    return start, end, precision


def _observation(
    report: dict[str, Any],
    obs: dict[str, Any],
    index: int,
    mission: str,
    vocab: FieldReportVocabulary,
) -> dict[str, Any]:
    nearby = list(report.get("nearby", []))
    olon, olat, oplace = _position(report["observer"], nearby)
    start, end, precision = _time(obs.get("time", report["time"]))
    kind = vocab.kinds[obs["kind"]]
    bearing = spread = dmin = dmax = None
    if "bearing_distance" in obs:
        parsed = parse_bearing_distance(
            obs["bearing_distance"],
            vocab.bearing_spread_deg.compass,
            vocab.bearing_spread_deg.degrees,
        )
        bearing, spread, dmin, dmax = (
            parsed.bearing_deg,
            parsed.spread_deg,
            parsed.distance_min_km,
            parsed.distance_max_km,
        )
    if "bearing_deg" in obs:
        bearing, spread = float(obs["bearing_deg"]), vocab.bearing_spread_deg.degrees
    if "bearing_spread_deg" in obs:
        spread = float(obs["bearing_spread_deg"])
    if "distance_km" in obs:
        value = obs["distance_km"]
        dmin, dmax = (
            (float(min(value)), float(max(value)))
            if isinstance(value, list)
            else (float(value), float(value))
        )
    name = oplace
    if "position" in obs:
        lon, lat, name = _position(obs["position"], nearby)
        radius = 0.0 if "lon" in obs["position"] else DEFAULT_RADIUS_KM[LocationPrecision.NEAR]
        place_precision = "exact" if radius == 0 else "near"
    elif bearing is not None and dmax is not None:
        lon, lat, radius = sector_centre(olon, olat, bearing, spread or 0.0, dmin or 0.0, dmax)
        place_precision = "near"
    else:  # around the observer: as far as the distance, or as far as such things are seen or heard
        lon, lat = olon, olat
        radius = (
            dmax
            if dmax is not None
            else vocab.unlocated_radius_km.get(
                obs["kind"], vocab.unlocated_radius_km.get("default", 10.0)
            )
        )
        place_precision = "near"
    direction = obs.get("direction", "unknown")
    count = int(obs.get("count", 1))
    parts = [f"{count} {obs['kind'].replace('_', ' ')}{'' if count == 1 else 's'}"]
    parts += [f"assessed {obs['weapon']}"] if "weapon" in obs else []
    parts += [obs["bearing_distance"]] if "bearing_distance" in obs else []
    parts += [direction] if direction != "unknown" else []
    text = ", ".join(parts) + (f" [{report['sensor']}]" if "sensor" in report else "")
    text += "".join(f"; {t}" for t in (obs.get("notes"), report.get("notes")) if t)
    return {
        "source_event_id": f"{report['id']}/{obs.get('id', index)}",
        "time_start": start,
        "time_end": end,
        "time_precision": precision,
        "lon": lon,
        "lat": lat,
        "location_precision": place_precision,
        "location_radius_km": round(radius, 3),
        "location_name": name,
        "actor1": obs.get("actor"),
        "actor1_is_initiator": bool(obs.get("actor")) and direction != "incoming",
        "kind": obs["kind"],
        "weapon_text": obs.get("weapon"),
        "target_text": obs.get("target"),
        "default_category": kind.category.value,
        "default_weapon": kind.weapon.value,
        "source_category": f"{obs['kind']}" + (f" ({direction})" if direction != "unknown" else ""),
        "source_name": " / ".join(x for x in (mission, report.get("source")) if x) or None,
        "text": text,
        "located": vocab.direction_located.get(direction, kind.located),
        "observer_lon": olon,
        "observer_lat": olat,
        "bearing_deg": bearing,
        "bearing_spread_deg": spread if bearing is not None else None,
        "distance_min_km": dmin,
        "distance_max_km": dmax,
    }


def read_field_reports(path: Path) -> ReadResult:
    """Read a field report file; invalid reports and observations go to the ingest report."""
    report = IngestReport(file=str(path), source=SOURCE, sha256=sha256_of(path))
    document = _load(path)
    validator = jsonschema.Draft202012Validator(field_report_schema())
    by_report: dict[int, list[str]] = {}
    top: list[str] = []
    for error in validator.iter_errors(document):
        where = list(error.absolute_path)
        if len(where) >= 2 and where[0] == "reports" and isinstance(where[1], int):
            by_report.setdefault(where[1], []).append(f"{_where(error)}: {error.message}")
        else:
            top.append(f"{_where(error)}: {error.message}")
    if top:
        raise CeasefireError(
            f"{path}: not a valid field report: {'; '.join(top[:5])}; expected {EXPECTED}"
        )
    vocab = field_report_vocabulary()
    mission = str(document.get("mission", ""))
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    row = 0
    for r_index, rep in enumerate(document["reports"]):
        observations = rep.get("observations") if isinstance(rep, dict) else None
        count = len(observations) if isinstance(observations, list) and observations else 1
        if r_index in by_report:
            for _ in range(count):
                row += 1
                report.skip(
                    row,
                    "report does not follow the field report schema",
                    "reports",
                    by_report[r_index][0],
                )
            continue
        assert isinstance(observations, list)
        for o_index, obs in enumerate(observations, start=1):
            row += 1
            try:
                record = _observation(rep, obs, o_index, mission, vocab)
            except ValueError as exc:
                report.skip(row, str(exc), f"reports/{r_index}/observations/{o_index - 1}", None)
                continue
            if record["source_event_id"] in seen:
                report.skip(
                    row,
                    "duplicate report/observation id in the file (first kept)",
                    "id",
                    record["source_event_id"],
                )
                continue
            seen.add(record["source_event_id"])
            records.append({**record, "provenance_row": row})
    report.rows_read = row
    frame = pd.DataFrame(records)
    report.rows_valid = len(frame)
    if frame.empty:
        return ReadResult(
            build_events(
                {"source": SOURCE, "source_event_id": pa.array([], pa.string())}, 0, path, report
            ),
            report,
        )
    weapons = weapon_classifier()
    found = weapons.first(weapons.matches(pa.array(frame["weapon_text"], type=pa.string())))
    weapon = np.where(found == None, frame["default_weapon"].to_numpy(dtype=object), found)  # noqa: E711
    by_weapon = {w.value: c.value for w, c in vocab.by_weapon.items()}
    fixed = frame["kind"].isin(vocab.keep_category).to_numpy()
    from_weapon = pd.Series(found).map(by_weapon).to_numpy(dtype=object)
    category = np.where(
        fixed | pd.isna(from_weapon), frame["default_category"].to_numpy(dtype=object), from_weapon
    )
    targets = target_classifier()
    target = targets.first(
        targets.matches(
            pa.array(frame["target_text"].fillna("") + " " + frame["text"], type=pa.string())
        )
    )
    iso, country = places_of(
        frame["lon"].to_numpy(float),
        frame["lat"].to_numpy(float),
        frame["location_precision"].to_numpy(object),
    )
    columns: dict[str, Any] = {
        c: frame[c]
        for c in frame.columns
        if c not in {"kind", "weapon_text", "target_text", "default_category", "default_weapon"}
    }
    columns.update(
        source=SOURCE,
        weapon_class=weapon,
        category=category,
        admin1=iso,
        country=country,
        target_category=np.where(pd.isna(target), "unknown", target),
    )
    return ReadResult(build_events(columns, len(frame), path, report), report)
