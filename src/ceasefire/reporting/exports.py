"""Exports for GIS and spreadsheet users: violations and incidents as GeoJSON, GeoParquet
and CSV, in a fixed order and without timestamps (the same data give the same bytes)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ceasefire.outputs.atomic import write_text, write_with
from ceasefire.reporting.enrich import INCIDENT_COLUMNS, SEVERITIES, incidents
from ceasefire.reporting.geoparquet import write_points

#: violation columns exported beside the contract's (when present)
EXTRA_VIOLATION_COLUMNS = [
    "incident_id", "category", "weapon_class", "target_category", "fatalities_best",
    "severity", "status", "grading", "evidence",
]  # fmt: skip


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def geojson(frame: pd.DataFrame) -> str:
    """A FeatureCollection of points (null geometry without coordinates), one per row."""
    columns = list(frame.columns)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    records = frame.astype(object).to_numpy()
    lines = []
    for i, row in enumerate(records):
        geometry = (
            {"type": "Point", "coordinates": [float(lon[i]), float(lat[i])]}
            if math.isfinite(lon[i]) and math.isfinite(lat[i])
            else None
        )
        properties = {c: _clean(v) for c, v in zip(columns, row, strict=True)}
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + ("\n" if lines else "") + "]}\n"


def violation_table(violations: pd.DataFrame, contract: list[str]) -> pd.DataFrame:
    """The contract columns, then the report's extra columns."""
    columns = [c for c in contract if c in violations.columns]
    columns += [c for c in EXTRA_VIOLATION_COLUMNS if c in violations.columns and c not in columns]
    return violations[columns].reset_index(drop=True)


def _csv(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda p: frame.to_csv(p, index=False, float_format="%.6g", lineterminator="\n")


def write_exports(
    violations: pd.DataFrame,
    out_dir: Path,
    contract: list[str],
    csv: bool,
    levels: tuple[str, ...] = SEVERITIES,
) -> list[Path]:
    """Write violations.geojson/.parquet, incidents.geojson/.parquet (and the CSVs when csv)."""
    table = violation_table(violations, contract)
    incident_table = (
        incidents(violations, levels) if len(violations) else pd.DataFrame(columns=INCIDENT_COLUMNS)
    )
    written = []
    for name, frame in (("violations", table), ("incidents", incident_table)):
        write_text(out_dir / f"{name}.geojson", geojson(frame))
        write_with(out_dir / f"{name}.parquet", partial(write_points, frame))
        written += [out_dir / f"{name}.geojson", out_dir / f"{name}.parquet"]
        if csv:
            write_with(out_dir / f"{name}.csv", _csv(frame))
            written.append(out_dir / f"{name}.csv")
    return written
