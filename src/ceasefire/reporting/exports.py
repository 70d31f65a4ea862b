"""Exports for GIS and spreadsheet users: violations and incidents as GeoJSON, GeoParquet
and CSV, in a fixed order and without timestamps (the same data give the same bytes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire.outputs.atomic import write_text, write_with
from ceasefire.reporting.geoparquet import write_points

#: violation columns exported beside the contract's (when present)
EXTRA_VIOLATION_COLUMNS = [
    "incident_id", "category", "weapon_class", "target_category", "fatalities_best",
    "severity", "status", "grading", "evidence",
]  # fmt: skip


def geojson(frame: pd.DataFrame) -> str:
    """A FeatureCollection of points (null geometry without coordinates), one per row."""
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    geometries = [
        f'{{"type":"Point","coordinates":[{x!r},{y!r}]}}' if good else "null"
        for x, y, good in zip(lon.tolist(), lat.tolist(), ok.tolist(), strict=True)
    ]
    properties = (
        frame.reset_index(drop=True)
        .to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
        .splitlines()
        if len(frame)
        else []
    )
    lines = [
        f'{{"type":"Feature","geometry":{g},"properties":{p}}}'
        for g, p in zip(geometries, properties, strict=True)
    ]
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
    incident_table: pd.DataFrame,
    out_dir: Path,
    contract: list[str],
    csv: bool,
) -> list[Path]:
    """Write violations.geojson/.parquet, incidents.geojson/.parquet (and the CSVs when csv)."""
    table = violation_table(violations, contract)
    written = []
    for name, frame in (("violations", table), ("incidents", incident_table)):
        write_text(out_dir / f"{name}.geojson", geojson(frame))
        write_with(out_dir / f"{name}.parquet", partial(write_points, frame))
        written += [out_dir / f"{name}.geojson", out_dir / f"{name}.parquet"]
        if csv:
            write_with(out_dir / f"{name}.csv", _csv(frame))
            written.append(out_dir / f"{name}.csv")
    return written
