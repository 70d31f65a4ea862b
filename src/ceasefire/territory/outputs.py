"""What the territory stage writes: territory.csv, territory_changes.geojson and the
`territory` section of summary.json and report.html."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ceasefire.outputs.atomic import write_text, write_with
from ceasefire.territory.judge import TerritoryResult
from ceasefire.territory.violations import counted_parts, end_of_day

AREAS_FILE = "territory.csv"
EVIDENCE_FILE = "territory_changes.geojson"
CSV_COLUMNS = ["date", "admin1", "party", "area_km2", "share", "name", "level"]
PART_PROPERTIES = [
    "date_from", "date_to", "gainer", "loser", "admin1", "name", "area_km2", "depth_km",
]  # fmt: skip


def _round(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, 6)


def evidence_geojson(result: TerritoryResult) -> dict[str, Any]:
    """Every part that changed hands between consecutive maps, with its gainer, area, depth,
    whether it reaches beyond the tolerance and the violation it belongs to."""
    features: list[dict[str, Any]] = []
    tolerance_m = result.agreement.territory.tolerance_m
    for change, ids in zip(result.series.changes, result.part_ids, strict=True):
        if not len(change.parts):
            continue
        beyond = counted_parts(change, tolerance_m)
        shapes = shapely.to_geojson(shapely.transform(change.geometries, _round))
        for i, row in enumerate(change.parts.to_dict(orient="records")):
            properties = {k: row[k] for k in PART_PROPERTIES}
            properties["beyond_tolerance"] = bool(beyond[i])
            properties["violation"] = str(ids[i])
            features.append(
                {"type": "Feature", "properties": properties, "geometry": json.loads(shapes[i])}
            )
    return {"type": "FeatureCollection", "features": features}


def _after_entry(result: TerritoryResult) -> dict[str, Any]:
    agreement = result.agreement
    after = [
        c for c in result.series.changes
        if end_of_day(c.date_to, agreement) > agreement.entry_into_force
    ]  # fmt: skip
    by_party: dict[str, dict[str, float]] = {}
    for change in after:
        for row in change.units.to_dict(orient="records"):
            entry = by_party.setdefault(str(row["party"]), {"gained_km2": 0.0, "lost_km2": 0.0})
            entry["gained_km2"] += float(row["gained_km2"])
            entry["lost_km2"] += float(row["lost_km2"])
    return {
        "from": after[0].date_from.isoformat() if after else None,
        "to": after[-1].date_to.isoformat() if after else None,
        "by_party": {
            p: {k: round(v, 3) for k, v in sorted(by_party[p].items())} for p in sorted(by_party)
        },
    }


def territory_summary(result: TerritoryResult) -> dict[str, Any]:
    """The `territory` section of summary.json (no wall-clock time)."""
    maps, areas = result.series.maps, result.series.areas
    latest = areas[(areas["date"] == areas["date"].max()) & (areas["area_km2"] > 0)]
    violations = result.violations
    policy = result.agreement.territory
    return {
        "inputs": result.inputs,
        "maps": len(maps),
        "first_date": maps[0].date.isoformat() if maps else None,
        "last_date": maps[-1].date.isoformat() if maps else None,
        "baseline": result.baseline,
        "tolerance": {"km2": policy.tolerance_km2, "m": policy.tolerance_m},
        "repairs": [r for m in maps for r in m.repairs],
        "notes": sorted({n for m in maps for n in m.notes}),
        "latest": {
            "date": maps[-1].date.isoformat() if maps else None,
            "areas": latest[["admin1", "name", "party", "area_km2", "share", "level"]].to_dict(
                orient="records"
            ),
        },
        "changes_after_entry_into_force": _after_entry(result),
        "violations": {
            "total": len(violations),
            "by_party": {
                str(k): int(v) for k, v in sorted(violations["party"].value_counts().items())
            },
        },
        "evidence": EVIDENCE_FILE,
    }


def write_territory_outputs(out_dir: Path, result: TerritoryResult) -> None:
    """territory.csv and territory_changes.geojson in out_dir."""
    table = result.series.areas[CSV_COLUMNS]
    write_with(out_dir / AREAS_FILE, lambda p: table.to_csv(p, index=False, lineterminator="\n"))
    text = json.dumps(evidence_geojson(result), ensure_ascii=False, separators=(",", ":"))
    write_text(out_dir / EVIDENCE_FILE, text + "\n")
